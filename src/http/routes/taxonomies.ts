// Category, tag and author listings (paginated) and the index pages of each taxonomy.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TaxonomyKind } from '../../content/build-index.js';
import { paginate, parsePageNumber } from '../../render/pagination.js';
import { toTermIndexPage, toTermPage } from '../../render/to-pages.js';
import { pagedUrl, TAXONOMY_SEGMENT, taxonomyIndexUrl, termUrl } from '../../render/urls.js';
import { newestChangeOf } from '../../content/post.js';

const KINDS: readonly TaxonomyKind[] = ['categories', 'tags', 'authors'];

interface TermParams {
  slug: string;
  n?: string;
}

export default async function taxonomyRoutes(app: FastifyInstance): Promise<void> {
  for (const kind of KINDS) {
    const segment = TAXONOMY_SEGMENT[kind];

    const termHandler = async (request: FastifyRequest<{ Params: TermParams }>, reply: FastifyReply) => {
      const pageNumber = parsePageNumber(request.params.n);
      const snapshot = app.content.snapshot;
      const term = snapshot[kind].bySlug.get(request.params.slug);
      if (!term || pageNumber === null) return reply.callNotFound();
      const base = termUrl(kind, term.slug);
      if (request.params.n === '1') return reply.redirect(base, 301);
      const page = paginate(term.posts, pageNumber, app.site.settings.pageSize, (n) => pagedUrl(base, n));
      if (!page) return reply.callNotFound();
      return reply.sendPage({
        template: 'pages/listing',
        lastModified: newestChangeOf(page.items, snapshot.builtAt),
        build: () => toTermPage(app.site, snapshot, kind, term, page),
      });
    };
    app.get<{ Params: TermParams }>(`/${segment}/:slug/`, termHandler);
    app.get<{ Params: TermParams }>(`/${segment}/:slug/page/:n/`, termHandler);

    app.get(taxonomyIndexUrl(kind), (_request, reply) => {
      const snapshot = app.content.snapshot;
      return reply.sendPage({
        template: 'pages/terms',
        lastModified: snapshot.lastChange,
        build: () => toTermIndexPage(app.site, snapshot, kind),
      });
    });
  }
}
