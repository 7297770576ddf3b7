// Post pages at /YYYY/MM/DD/slug/. Posts with custom permalinks are found by the
// not-found handler, which looks up the same index.
import type { FastifyInstance } from 'fastify';
import { postPageSpec } from '../page-specs.js';

export default async function postRoutes(app: FastifyInstance): Promise<void> {
  app.get('/:year(^\\d{4}$)/:month(^\\d{2}$)/:day(^\\d{2}$)/:slug/', (request, reply) => {
    const post = app.content.snapshot.byUrl.get(request.url.split('?', 1)[0]!);
    return post ? reply.sendPage(postPageSpec(app, post)) : reply.callNotFound();
  });
}
