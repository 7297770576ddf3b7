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
}
