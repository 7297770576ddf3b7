// Post pages at /YYYY/MM/DD/slug/. Posts with custom permalinks are found by the
// not-found handler, which looks up the same index. The parameters are not checked by
// pattern: every request is routed first (cached pages too), and the index lookup is
// the check (a URL that is no post's is a 404).
import type { FastifyInstance } from 'fastify';
import { postPageSpec } from '../page-specs.js';

export default async function postRoutes(app: FastifyInstance): Promise<void> {
  app.get('/:year/:month/:day/:slug/', (request, reply) => {
    const post = app.content.snapshot.byUrl.get(request.url.split('?', 1)[0]!);
    return post ? reply.sendPage(postPageSpec(app, post)) : reply.callNotFound();
  });
}
