// Post slugs for the Content API. Ghost's slugs are unique, and headless front-ends make
// one page per slug; this site's slugs are unique per day (`/2025/09/25/x/` and
// `/2025/10/02/x/` may both exist). The API slug is the last segment of the post's URL;
// when several posts share it, the one with the greatest URL (the newest day, for dated
// URLs) keeps it and the others get their date added (`x-2025-09-25`). It depends only
// on the set of URLs, so a response that uses it carries the key of URLs appearing and
// going (MISSING_KEY). Computed once per index snapshot, on first use, with the posts
// by id.
import type { IndexSnapshot } from '../../content/build-index.js';
import { compareText, type Post } from '../../content/post.js';

export interface ApiSlugs {
  slugOf(post: Post): string;
  /** The published post with that API slug. */
  bySlug(slug: string): Post | undefined;
  /** The published post with that id. */
  byId(id: string): Post | undefined;
}

const bySnapshot = new WeakMap<IndexSnapshot, ApiSlugs>();

function segmentOf(url: string): string {
  return url.slice(url.lastIndexOf('/', url.length - 2) + 1, -1);
}

export function apiSlugsOf(snapshot: IndexSnapshot): ApiSlugs {
  let slugs = bySnapshot.get(snapshot);
  if (slugs) return slugs;
  const winners = new Map<string, Post>();
  const ids = new Map<string, Post>();
  let shared = false;
  for (const post of snapshot.posts) {
    ids.set(post.id, post);
    const segment = segmentOf(post.url);
    const known = winners.get(segment);
    if (known) shared = true;
    if (!known || compareText(post.url, known.url) > 0) winners.set(segment, post);
  }
  // The rare posts that gave up their segment, under the dated form (or, if even that
  // is some post's segment, with their id).
  const others = new Map<Post, string>();
  const taken = new Set<string>();
  if (shared) {
    for (const post of snapshot.posts) {
      const segment = segmentOf(post.url);
      if (winners.get(segment) === post) continue;
      const { year, month, day } = post.localDate;
      const dated = `${segment}-${year}-${month}-${day}`;
      const slug = winners.has(dated) || taken.has(dated) ? `${segment}-${post.id}` : dated;
      taken.add(slug);
      others.set(post, slug);
    }
  }
  const lookup = new Map<string, Post>(winners);
  for (const [post, slug] of others) lookup.set(slug, post);
  slugs = {
    slugOf: (post) => others.get(post) ?? segmentOf(post.url),
    bySlug: (slug) => lookup.get(slug),
    byId: (id) => ids.get(id),
  };
  bySnapshot.set(snapshot, slugs);
  return slugs;
}
