// What every request that is not a cached hit goes through first, in one synchronous
// hook: the security headers, URLs too long to be ours (414), the posts not loaded yet
// (503), and paths with `//` or `\` (one canonical form, never a protocol-relative
// Location a browser would read as another host).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { redirectPermanently, sendPlain } from './plain-responses.js';

/** Longer URLs answer 414: no page of ours comes near, and routing them costs. */
export const MAX_URL_LENGTH = 2048;

/** URLs that must answer while posts are loading. */
const ALWAYS_AVAILABLE = new Set(['/healthz', '/readyz', '/status.json']);

async function requestGuard(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(app.securityHeaders);
    const url = request.url;
    if (url.length > MAX_URL_LENGTH) return sendPlain(reply, 414, 'URI Too Long', app.cachePolicy.none);
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (!app.content.ready && !ALWAYS_AVAILABLE.has(path)) {
      const text = 'Starting up: the posts are being indexed. Try again in a moment.';
      return sendPlain(reply.header('retry-after', '2'), 503, text, app.cachePolicy.none);
    }
    if (/\/\/|\\|%5c/i.test(path)) {
      const segments = path.replace(/%5c|\\/gi, '/').split('/').filter(Boolean);
      const trailing = segments.length > 0 && /[/\\]$|%5c$/i.test(path) ? '/' : '';
      const collapsed = `/${segments.join('/')}${trailing}`;
      return redirectPermanently(reply, q === -1 ? collapsed : `${collapsed}${url.slice(q)}`, app.cachePolicy.page);
    }
    done();
  });
}

export default fp(requestGuard, { name: 'request-guard', dependencies: ['security', 'content'] });
