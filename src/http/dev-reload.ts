// The writer's preview (DEV=1, `npm run dev`): every page loads a small script that
// listens on /__dev/events (server-sent events) and reloads the page when a post it shows
// changes. "Shows" is what the page cache knows already: the cache keys of the response
// the page came from (p-<id> of each card, pp-/b-<id> of a post page, …); when an index
// update purges one of them, the page's listeners are told. A page the cache does not
// know (a 404) reloads on any change: the post it waits for may be the one that came.
// Registered only in dev mode: production pages carry no script, under a CSP without
// script-src.
import type { ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SITE_KEY } from '../content/cache-keys.js';
import { DEV_SCRIPT_PATH } from '../render/pages/to-chrome.js';
import { sendPlain } from './plain-responses.js';
import { MAX_URL_LENGTH } from './request-guard.js';
import type { ResponseCache } from './response-cache.js';

const EVENTS_PATH = '/__dev/events';

const SCRIPT = `// Newsroom's writer's preview: reloads this page when a post it shows changes.
(() => {
  const events = new EventSource('${EVENTS_PATH}?path=' + encodeURIComponent(location.pathname + location.search));
  events.addEventListener('reload', () => location.reload());
})();
`;

interface Listener {
  readonly res: ServerResponse;
  /** Keys of the page's response; null when the cache does not know the page. */
  readonly keys: readonly string[] | null;
}

async function devReloadPlugin(app: FastifyInstance, options: { cache: ResponseCache }): Promise<void> {
  const listeners = new Set<Listener>();

  app.get(DEV_SCRIPT_PATH, (_request, reply) =>
    reply.header('cache-control', app.cachePolicy.none).type('text/javascript; charset=utf-8').send(SCRIPT));

  app.get(EVENTS_PATH, (request: FastifyRequest<{ Querystring: { path?: string } }>, reply) => {
    const path = request.query.path;
    // Only ever a key to look up in the page cache.
    if (typeof path !== 'string' || !path.startsWith('/') || path.length > MAX_URL_LENGTH) {
      return sendPlain(reply, 400, 'Bad Request: path must be the page\'s path, e.g. /2025/09/25/some-title/', app.cachePolicy.none);
    }
    const cached = options.cache.last(path) ?? options.cache.last(path.split('?', 1)[0]!);
    const listener: Listener = { res: reply.raw, keys: cached ? cached.keys : null };
    reply.hijack();
    // The stream is idle between changes: the server's 30 s idle timeout must not close it.
    request.raw.socket.setTimeout(0);
    reply.raw.writeHead(200, { ...app.securityHeaders, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    reply.raw.write('retry: 1000\n\n');
    listeners.add(listener);
    request.raw.on('close', () => listeners.delete(listener));
    return reply;
  });

  app.pageCache.onPurge((keys) => {
    for (const listener of listeners) {
      if (listener.keys === null || keys.has(SITE_KEY) || listener.keys.some((key) => keys.has(key))) {
        listener.res.write('event: reload\ndata: {}\n\n');
      }
    }
  });

  // Streams never end by themselves: end them, or closing would wait for them.
  app.addHook('preClose', async () => {
    for (const { res } of listeners) res.end();
    listeners.clear();
  });
}

export default fp(devReloadPlugin, { name: 'dev-reload', dependencies: ['page-cache'] });
