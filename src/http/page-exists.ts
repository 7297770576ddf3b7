// Whether a URL that one of the site's page routes matches names a page that exists:
// its section, tag, author or date archive is in the index, and its page number is in
// range. The not-found handler asks before it adds a trailing slash, so a redirect never
// leads to a 404 (`/tag/nope` is a 404 at once). The checks are the routes' own lookups.
import type { FastifyInstance } from 'fastify';
import type { TaxonomyKind } from '../content/build-index.js';
import { slugify } from '../content/slug.js';
import { frontPageOf } from '../render/pages/front-page.js';
import { pageCount, parsePageNumber } from '../render/pages/pagination.js';
import { TAXONOMY_SEGMENT } from '../render/urls.js';

const KIND_OF_SEGMENT = new Map(Object.entries(TAXONOMY_SEGMENT).map(([kind, segment]) => [segment, kind as TaxonomyKind]));

/** The parameters the page routes take (archives.ts, taxonomies.ts, home.ts). */
interface PageParams {
  readonly year?: string;
  readonly month?: string;
  readonly day?: string;
  readonly slug?: string;
  readonly n?: string;
}

/** `path` is a root-relative path ending in `/`. */
export function pageExists(app: FastifyInstance, path: string): boolean {
  const route = app.findRoute({ method: 'GET', url: path });
  // The static files' wildcard route matches every path, so there always is one.
  /* c8 ignore next */
  if (!route) return false;
  const params = route.params as PageParams;
  const names = Object.keys(params);
  // A route without parameters is a page that always exists (`/tags/`, `/search/`).
  if (names.length === 0) return true;
  const page = parsePageNumber(params.n);
  if (page === null) return false;
  const inRange = (posts: { readonly length: number }) => page <= pageCount(posts.length, app.site.settings.pageSize);
  const snapshot = app.content.snapshot;
  const kind = KIND_OF_SEGMENT.get(path.split('/', 2)[1]!);
  if (kind && params.slug !== undefined) {
    // As the term route does: `/tag/Education/` leads on to `/tag/education/`.
    const term = snapshot[kind].bySlug.get(params.slug) ?? snapshot[kind].bySlug.get(slugify(params.slug));
    return term !== undefined && inRange(term.posts);
  }
  if (params.year !== undefined && params.slug === undefined) {
    const posts = snapshot.archives.get([params.year, params.month, params.day].filter(Boolean).join('/'));
    return posts !== undefined && inRange(posts);
  }
  if (names.length === 1 && params.n !== undefined) return inRange(frontPageOf(snapshot, app.site.settings.featuredSize).rest);
  // Posts are found by their URL; the static files' wildcard and any other route is
  // not a page this check knows.
  return false;
}
