// Liveness and readiness for orchestrators and the container HEALTHCHECK.
import type { FastifyInstance } from 'fastify';

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', (_request, reply) => reply.header('cache-control', app.cachePolicy.none).send({ status: 'ok' }));

  app.get('/readyz', (_request, reply) => {
    reply.header('cache-control', app.cachePolicy.none);
    const status = app.content.status();
    if (!status.ready) return reply.code(503).send({ status: 'loading' });
    return reply.send({ status: 'ready', posts: status.posts });
  });

  // For operators: why a dropped file is not live. File names are relative to POSTS_DIR.
  app.get('/status.json', (_request, reply) => {
    const status = app.content.status();
    return reply
      .header('cache-control', app.cachePolicy.none)
      .header('x-robots-tag', 'noindex')
      .send({
        ...status,
        lastUpdate: status.lastUpdate?.toISOString() ?? null,
        pageRenders: app.pageCache.renders,
      });
  });
}
