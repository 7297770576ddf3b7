// The front page's split: the lead (newest featured post, else newest post) and the
// rest, computed once per index snapshot; the route and the sitemap both use it.
import type { IndexSnapshot } from '../content/build-index.js';
import type { Post } from '../content/post.js';

export interface FrontPage {
  readonly lead: Post | null;
  readonly rest: readonly Post[];
}

const frontPages = new WeakMap<IndexSnapshot, FrontPage>();

export function frontPageOf(snapshot: IndexSnapshot): FrontPage {
  let front = frontPages.get(snapshot);
  if (!front) {
    const posts = snapshot.frontPage;
    const lead = posts.find((p) => p.featured) ?? posts[0] ?? null;
    front = { lead, rest: lead ? posts.filter((p) => p !== lead) : posts };
    frontPages.set(snapshot, front);
  }
  return front;
}
