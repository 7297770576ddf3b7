// The front page's split, as Mediumish lays it out: the featured block (the newest
// featured posts, hidden ones too, up to FEATURED_SIZE; the newest is the lead; with
// none, the newest post leads alone), then every other post not hidden. Computed once
// per index snapshot; the route and the sitemap both use it.
import type { IndexSnapshot } from '../../content/build-index.js';
import type { Post } from '../../content/post.js';

export interface FrontPage {
  readonly lead: Post | null;
  /** The featured block's other stories, newest first. */
  readonly featured: readonly Post[];
  /** The paginated list: posts not hidden and not in the featured block. */
  readonly rest: readonly Post[];
}

const frontPages = new WeakMap<IndexSnapshot, FrontPage>();

export function frontPageOf(snapshot: IndexSnapshot, featuredSize: number): FrontPage {
  let front = frontPages.get(snapshot);
  if (!front) {
    const block = snapshot.featured.slice(0, featuredSize);
    const lead = block[0] ?? snapshot.frontPage[0] ?? null;
    const shown = new Set(lead ? [lead, ...block] : block);
    front = { lead, featured: block.slice(1), rest: snapshot.frontPage.filter((p) => !shown.has(p)) };
    frontPages.set(snapshot, front);
  }
  return front;
}
