// Category, tag and author listings (paginated) and the index pages of each taxonomy.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IndexSnapshot, TaxonomyKind } from '../../content/build-index.js';
import { avatarOf } from '../../content/lead-image.js';
import { termIndexKey, termKey } from '../../content/cache-keys.js';
import { slugify } from '../../content/slug.js';
import { pageCount, parsePageNumber } from '../../render/pages/pagination.js';
import { toTermIndexPage, toTermPage } from '../../render/pages/to-pages.js';
import { pagedUrl, TAXONOMY_SEGMENT, taxonomyIndexUrl, termUrl } from '../../render/urls.js';
import { redirectPermanently } from '../plain-responses.js';
import { sendListing } from './listing.js';

const KINDS: readonly TaxonomyKind[] = ['categories', 'tags', 'authors'];

/** An author's avatar from `public/`: its facts give the author page its share image. */
function avatarSources(snapshot: IndexSnapshot, slug: string): string[] {
  const profile = snapshot.site.authors.get(slug);
  const avatar = profile ? avatarOf(snapshot, profile) : null;
  return avatar?.local ? [avatar.src] : [];
}

interface TermParams {
  slug: string;
  n?: string;
}

export default async function taxonomyRoutes(app: FastifyInstance): Promise<void> {
  for (const kind of KINDS) {
    const segment = TAXONOMY_SEGMENT[kind];

    const termHandler = (request: FastifyRequest<{ Params: TermParams }>, reply: FastifyReply) => {
      const snapshot = app.content.snapshot;
      const { slug, n } = request.params;
      const term = snapshot[kind].bySlug.get(slug);
      if (!term) {
        // `/tag/Education/` or `/tag/Café/`: the term's own URL, if there is such a term
        // and such a page. The page number is written anew, never copied: `:n` arrives
        // decoded, and `%2e%2e` would be a `..` in the Location.
        const canonical = snapshot[kind].bySlug.get(slugify(slug));
        const pageNumber = parsePageNumber(n);
        if (canonical && pageNumber !== null && pageNumber <= pageCount(canonical.posts.length, app.site.settings.pageSize)) {
          return redirectPermanently(reply, pagedUrl(termUrl(kind, canonical.slug), pageNumber), app.cachePolicy.page);
        }
        return reply.callNotFound();
      }
      return sendListing(app, reply, {
        base: termUrl(kind, term.slug),
        key: termKey(kind, term.slug),
        posts: term.posts,
        rawPage: n,
        build: (page, pictures) => toTermPage(app.site, snapshot, kind, term, page, pictures),
        pictures: kind === 'authors' ? avatarSources(snapshot, term.slug) : [],
      });
    };
    app.get<{ Params: TermParams }>(`/${segment}/:slug/`, termHandler);
    app.get<{ Params: TermParams }>(`/${segment}/:slug/page/:n/`, termHandler);

    app.get(taxonomyIndexUrl(kind), (_request, reply) => {
      const snapshot = app.content.snapshot;
      return reply.sendPage({
        template: 'pages/terms',
        keys: [termIndexKey(kind)],
        lastModified: snapshot.lastChange,
        build: () => toTermIndexPage(app.site, snapshot, kind),
      });
    });
  }
}
