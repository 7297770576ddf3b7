// What every request that is not a cached hit goes through first, in one synchronous
// hook: the security headers, URLs too long to be ours (414), request targets that are
// not paths (400), the posts not loaded yet (503), and paths with `//` or `\` (the path
// as a browser would resolve it, never a protocol-relative Location a browser would read
// as another host).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { sendErrorPage } from './fallback-plugin.js';
import { redirectPermanently, sendPlain } from './plain-responses.js';
import { normalizePath } from './request-target.js';

/** Longer URLs answer 414: no page of ours comes near, and routing them costs. */
export const MAX_URL_LENGTH = 2048;

/** URLs that must answer while posts are loading. */
const ALWAYS_AVAILABLE = new Set(['/healthz', '/readyz', '/status.json']);

async function requestGuard(app: FastifyInstance): Promise<void> {
  // A callback hook: what it sends ends the request; only done() lets it go on.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(app.securityHeaders);
    const url = request.url;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (url.length > MAX_URL_LENGTH) {
      sendPlain(reply, 414, 'URI Too Long', app.cachePolicy.none);
    } else if (!url.startsWith('/')) {
      // `*` and `host:port` are for OPTIONS and CONNECT (RFC 9112 section 3.2); the
      // absolute form was already turned into a path (toOriginForm, in app.ts).
      void sendErrorPage(app, reply, 400);
    } else if (!app.content.ready && !ALWAYS_AVAILABLE.has(path)) {
      const text = 'Starting up: the posts are being indexed. Try again in a moment.';
      sendPlain(reply.header('retry-after', '2'), 503, text, app.cachePolicy.none);
    } else if (/\/\/|\\|%5c/i.test(path)) {
      const normal = normalizePath(path);
      redirectPermanently(reply, q === -1 ? normal : `${normal}${url.slice(q)}`, app.cachePolicy.page);
    } else {
      done();
    }
  });
}

export default fp(requestGuard, { name: 'request-guard', dependencies: ['security', 'content'] });
