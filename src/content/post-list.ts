// The index's list of published posts, newest first, kept in chunks. Every index update
// makes a new snapshot, and a list of 100,000 posts is 800 KB: copying it cost about
// 4 ms per update here (memory touched for the first time is slow on this kind of VM).
// A new list copies the chunk a post goes into or leaves, and the table of chunks.
import type { Post } from './post.js';

/** A list that can be read by position: an array, or the index's chunked list. */
export interface Indexed {
  readonly length: number;
  at(i: number): Post | undefined;
}

/** Posts per chunk when a list is made whole; a chunk is split when it grows to twice that. */
export const CHUNK = 1024;

export class PostList implements Iterable<Post> {
  readonly length: number;

  private constructor(
    private readonly chunks: readonly (readonly Post[])[],
    /** Where each chunk ends in the list (cumulative lengths). */
    private readonly ends: readonly number[],
  ) {
    this.length = ends.at(-1) ?? 0;
  }

  /** A list of `posts`, in their order. */
  static from(posts: readonly Post[]): PostList {
    const chunks: Post[][] = [];
    for (let i = 0; i < posts.length; i += CHUNK) chunks.push(posts.slice(i, i + CHUNK));
    return PostList.of(chunks);
  }

  private static of(chunks: readonly (readonly Post[])[]): PostList {
    const ends: number[] = [];
    let end = 0;
    for (const chunk of chunks) ends.push((end += chunk.length));
    return new PostList(chunks, ends);
  }

  /** The chunk that holds position `i` (0 ≤ i < length). */
  private chunkAt(i: number): number {
    let lo = 0;
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid]! <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private startOf(c: number): number {
    return c === 0 ? 0 : this.ends[c - 1]!;
  }

  /** As `Array.prototype.at`, negative positions included. */
  at(i: number): Post | undefined {
    const at = i < 0 ? this.length + i : i;
    if (!Number.isInteger(at) || at < 0 || at >= this.length) return undefined;
    const c = this.chunkAt(at);
    return this.chunks[c]![at - this.startOf(c)];
  }

  /** As `Array.prototype.slice`, negative positions included. */
  slice(start = 0, end = this.length): Post[] {
    const clamp = (i: number) => (i < 0 ? Math.max(0, this.length + i) : Math.min(i, this.length));
    let from = clamp(start);
    const to = clamp(end);
    const out: Post[] = [];
    while (from < to) {
      const c = this.chunkAt(from);
      const chunkStart = this.startOf(c);
      const part = this.chunks[c]!.slice(from - chunkStart, Math.min(to, this.ends[c]!) - chunkStart);
      for (const post of part) out.push(post);
      from += part.length;
    }
    return out;
  }

  // By hand: a generator (`yield*` over the chunks) walked 100,000 posts two to three
  // times slower than this.
  [Symbol.iterator](): Iterator<Post> {
    const chunks = this.chunks;
    let c = 0;
    let i = 0;
    return {
      next: (): IteratorResult<Post> => {
        for (; c < chunks.length; c++, i = 0) {
          const chunk = chunks[c]!;
          if (i < chunk.length) return { done: false, value: chunk[i++]! };
        }
        return { done: true, value: undefined };
      },
    };
  }

  toArray(): Post[] {
    return this.chunks.flat();
  }

  filter(keep: (post: Post) => unknown): Post[] {
    const out: Post[] = [];
    for (const chunk of this.chunks) for (const post of chunk) if (keep(post)) out.push(post);
    return out;
  }

  map<T>(to: (post: Post) => T): T[] {
    const out: T[] = [];
    for (const chunk of this.chunks) for (const post of chunk) out.push(to(post));
    return out;
  }

  /** A new list with `post` put in at position `i` (0 ≤ i ≤ length). */
  withInserted(i: number, post: Post): PostList {
    if (this.length === 0) return PostList.of([[post]]);
    // At the very end: into the last chunk.
    const c = i === this.length ? this.chunks.length - 1 : this.chunkAt(i);
    const chunk = this.chunks[c]!.toSpliced(i - this.startOf(c), 0, post);
    const parts = chunk.length >= 2 * CHUNK ? [chunk.slice(0, CHUNK), chunk.slice(CHUNK)] : [chunk];
    return PostList.of(this.chunks.toSpliced(c, 1, ...parts));
  }

  /** A new list without the post at position `i` (0 ≤ i < length). */
  withRemoved(i: number): PostList {
    const c = this.chunkAt(i);
    const chunk = this.chunks[c]!.toSpliced(i - this.startOf(c), 1);
    const next = this.chunks[c + 1];
    // A chunk that ran low joins the next one, so removals never leave many small chunks.
    if (next && chunk.length + next.length <= CHUNK) return PostList.of(this.chunks.toSpliced(c, 2, [...chunk, ...next]));
    return PostList.of(chunk.length > 0 ? this.chunks.toSpliced(c, 1, chunk) : this.chunks.toSpliced(c, 1));
  }
}
