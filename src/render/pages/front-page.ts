// The front page's split, as Mediumish lays it out: the featured block (the newest
// featured posts, hidden ones too, up to FEATURED_SIZE; the newest is the lead; with
// none, the newest post leads alone), then every other post not hidden. Computed once
// per index snapshot; the route and the sitemap both use it.
import { positionOf, type IndexSnapshot } from '../../content/build-index.js';
import type { Post } from '../../content/post.js';
import type { Sliceable } from './pagination.js';
import type { Indexed } from '../../content/post-list.js';

export interface FrontPage {
  readonly lead: Post | null;
  /** The featured block's other stories, newest first. */
  readonly featured: readonly Post[];
  /** The paginated list: posts not hidden and not in the featured block. */
  readonly rest: Sliceable<Post>;
}

/**
 * `posts` without the few entries at `skipped` (ascending positions): what `filter`
 * would give, without copying the list. Every index update makes a new snapshot, and
 * filtering 100,000 posts held the main thread up for about 10 ms each time.
 */
export class Without implements Sliceable<Post> {
  readonly length: number;

  constructor(
    private readonly posts: Indexed,
    private readonly skipped: readonly number[],
  ) {
    this.length = posts.length - skipped.length;
  }

  /** As `Array.prototype.slice`, negative positions included. */
  slice(start = 0, end = this.length): Post[] {
    const clamp = (i: number) => (i < 0 ? Math.max(0, this.length + i) : Math.min(i, this.length));
    const from = clamp(start);
    const count = clamp(end) - from;
    const out: Post[] = [];
    if (count <= 0) return out;
    // The position in `posts` of the view's `from`: one further for each skipped entry up to it.
    let at = from;
    for (const skip of this.skipped) if (skip <= at) at++;
    for (; out.length < count; at++) if (!this.skipped.includes(at)) out.push(this.posts.at(at)!);
    return out;
  }
}

const frontPages = new WeakMap<IndexSnapshot, FrontPage>();

export function frontPageOf(snapshot: IndexSnapshot, featuredSize: number): FrontPage {
  let front = frontPages.get(snapshot);
  if (!front) {
    const block = snapshot.featured.slice(0, featuredSize);
    const lead = block[0] ?? snapshot.frontPage.at(0) ?? null;
    const shown = new Set(lead ? [lead, ...block] : block);
    // Hidden posts in the block are not in the front page's list to begin with.
    const skipped = [...shown].map((post) => positionOf(snapshot.frontPage, post)).filter((i) => i >= 0);
    front = { lead, featured: block.slice(1), rest: new Without(snapshot.frontPage, skipped.sort((a, b) => a - b)) };
    frontPages.set(snapshot, front);
  }
  return front;
}
