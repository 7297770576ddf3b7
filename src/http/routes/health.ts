// Liveness and readiness for orchestrators and the container HEALTHCHECK, and the
// content status for operators.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sendPlain } from '../plain-responses.js';

/** Compares in constant time (hashes first, so lengths give nothing away either). */
function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given ?? ''), digest(expected));
}

function memoryInMb(): { rss: number; heapUsed: number } {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: Math.round(rss / 1048576), heapUsed: Math.round(heapUsed / 1048576) };
}

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', (_request, reply) => reply.header('cache-control', app.cachePolicy.none).send({ status: 'ok' }));

  app.get('/readyz', (_request, reply) => {
    reply.header('cache-control', app.cachePolicy.none);
    // Shutting down: load balancers and caches stop sending before the listener closes.
    if (app.draining) return reply.code(503).send({ status: 'draining' });
    const status = app.content.status();
    if (!status.ready) return reply.code(503).send({ status: 'loading' });
    return reply.send({ status: 'ready', posts: status.posts });
  });

  // For operators: why a dropped file is not live. File names are relative to
  // POSTS_DIR. With STATUS_TOKEN set, only for whoever sends it.
  const token = app.config.statusToken;
  app.get('/status.json', (request, reply) => {
    if (token !== null && !sameSecret(request.headers.authorization, `Bearer ${token}`)) {
      reply.header('www-authenticate', 'Bearer realm="status"');
      return sendPlain(reply, 401, 'Unauthorized: /status.json needs STATUS_TOKEN as a Bearer token.', app.cachePolicy.none);
    }
    const status = app.content.status();
    return reply
      .header('cache-control', app.cachePolicy.none)
      .header('x-robots-tag', 'noindex')
      .send({
        ...status,
        lastUpdate: status.lastUpdate?.toISOString() ?? null,
        pageRenders: app.pageCache.renders,
        // Of the whole process (the worker threads too) and of this thread's heap, in MB.
        memory: memoryInMb(),
      });
  });
}
