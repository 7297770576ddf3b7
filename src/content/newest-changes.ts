// The published posts changed last, kept with each index snapshot: its Last-Modified
// is the newest of them, and when that post goes, the next is at hand. Finding it
// again by a pass over every post held the main thread for 150 ms at 100,000 posts.
import { lastChange, type Post } from './post.js';

/** How many of the posts changed last a snapshot keeps. */
export const KEPT_CHANGES = 32;

const changedAt = (post: Post) => lastChange(post).getTime();

/** The posts of `posts` changed last (at most `KEPT_CHANGES`), newest change first. */
export function newestChanges(posts: Iterable<Post>, kept = KEPT_CHANGES): Post[] {
  const top: Post[] = [];
  for (const post of posts) {
    if (top.length === kept && changedAt(post) <= changedAt(top[kept - 1]!)) continue;
    insert(top, post);
    if (top.length > kept) top.pop();
  }
  return top;
}

function insert(top: Post[], post: Post): void {
  const at = changedAt(post);
  let i = top.length;
  while (i > 0 && changedAt(top[i - 1]!) < at) i--;
  top.splice(i, 0, post);
}

/**
 * The list carried through an update, removals first, then additions. It holds the
 * posts changed last as long as every post left out changed no later than the ones
 * in it: a removal keeps that true, and so does an addition that is either newer than
 * the list's oldest (it goes in) or not (it stays out). Only when the list runs out
 * while posts remain is their order unknown, and every post is looked at again.
 */
export class NewestChangesEditor {
  private readonly top: Post[];
  private count: number;
  private lost = false;

  /** `previous`: the snapshot's list; `count`: how many published posts it had. */
  constructor(previous: readonly Post[], count: number, private readonly kept = KEPT_CHANGES) {
    this.top = previous.slice();
    this.count = count;
  }

  remove(post: Post): void {
    this.count--;
    const i = this.top.indexOf(post);
    if (i >= 0) this.top.splice(i, 1);
  }

  add(post: Post): void {
    this.count++;
    if (this.lost) return;
    const oldest = this.top.at(-1);
    if (oldest === undefined) {
      // Empty: fine if the post is the only one, else where it ranks is unknown.
      if (this.count === 1) this.top.push(post);
      else this.lost = true;
    } else if (changedAt(post) >= changedAt(oldest)) {
      insert(this.top, post);
      if (this.top.length > this.kept) this.top.pop();
    }
  }

  /** The list after the update; `posts` are the published posts it left. */
  done(posts: Iterable<Post> & { readonly length: number }): Post[] {
    return this.lost || (this.top.length === 0 && posts.length > 0) ? newestChanges(posts, this.kept) : this.top;
  }
}
