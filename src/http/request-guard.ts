// What every request that is not a cached hit goes through first, in one synchronous
// hook: the security headers, URLs too long to be ours (414), request targets that are
// not paths (400), the posts not loaded yet (the request waits for them, up to
// STARTUP_WAIT_MS, then 503), and paths with `//` or `\` (the path
// as a browser would resolve it, never a protocol-relative Location a browser would read
// as another host).
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendErrorPage } from './fallback-plugin.js';
import { redirectPermanently, sendPlain } from './plain-responses.js';
import { normalizePath } from './request-target.js';

/** Longer URLs answer 414: no page of ours comes near, and routing them costs. */
export const MAX_URL_LENGTH = 2048;

/** URLs that must answer while posts are loading. */
const ALWAYS_AVAILABLE = new Set(['/healthz', '/readyz', '/status.json']);

/** Requests waiting for the first load at once, at most: past it they get the 503 at once. */
export const MAX_WAITING = 1000;

async function requestGuard(app: FastifyInstance, options: { startupWaitMs: number }): Promise<void> {
  let waiting = 0;

  function startingUp(reply: FastifyReply): void {
    const text = 'Starting up: the posts are being indexed. Try again in a moment.';
    sendPlain(reply.header('retry-after', '2'), 503, text, app.cachePolicy.none);
  }

  // A request that comes in the first moments (a browser, a probe of `/`, a CDN's first
  // miss) is answered once the posts are in, not turned away; a load that outlasts the
  // wait (100,000 posts), a failed one or too many waiting requests answer 503.
  function waitForPosts(reply: FastifyReply, then: () => void): void {
    if (waiting >= MAX_WAITING || options.startupWaitMs === 0) return startingUp(reply);
    waiting++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      // Unref'd: a wait never keeps a closing process alive.
      timer = setTimeout(resolve, options.startupWaitMs, false).unref();
    });
    const loaded = app.content.whenReady().then(() => true, () => false);
    void Promise.race([loaded, timeout]).then((ready) => {
      clearTimeout(timer);
      waiting--;
      if (ready) then();
      else startingUp(reply);
    });
  }

  // A callback hook: what it sends ends the request; only done() lets it go on.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(app.securityHeaders);
    const url = request.url;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const rest = (): void => {
      if (/\/\/|\\|%5c/i.test(path)) {
        const normal = normalizePath(path);
        redirectPermanently(reply, q === -1 ? normal : `${normal}${url.slice(q)}`, app.cachePolicy.page);
      } else {
        done();
      }
    };
    if (url.length > MAX_URL_LENGTH) {
      sendPlain(reply, 414, 'URI Too Long', app.cachePolicy.none);
    } else if (!url.startsWith('/')) {
      // `*` and `host:port` are for OPTIONS and CONNECT (RFC 9112 section 3.2); the
      // absolute form was already turned into a path (toOriginForm, in app.ts).
      void sendErrorPage(app, reply, 400);
    } else if (!app.content.ready && !ALWAYS_AVAILABLE.has(path)) {
      waitForPosts(reply, rest);
    } else {
      rest();
    }
  });
}

export default fp(requestGuard, { name: 'request-guard', dependencies: ['security', 'content'] });
