// Edits to the sorted post lists of an index snapshot, made in one copy when an update
// is done. At 100,000 posts a list is 800 KB, and on the VM we measure on memory touched
// for the first time costs about 4 ms per MB: a copy and then an insert that grew it
// (two new arrays) took 9.8 ms per list, `toSpliced` (one array of the final size) 4 ms.
import type { Post } from './post.js';
import { PostList, type Indexed } from './post-list.js';

export type PostOrder = (a: Post, b: Post) => number;

/** Changes to the chunked list applied one by one; more are merged in one pass. */
const FEW_CHANGES = 32;

/** Index of `post` in a list sorted by `compare`, or where it would go. */
export function search(list: Indexed, post: Post, compare: PostOrder): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list.at(mid)!, post) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The cast `done` needs: a PostList in, a PostList out; an array in, an array out. */
function as<List extends readonly Post[] | PostList>(list: readonly Post[] | PostList): List {
  return list as List;
}

/**
 * A sorted list of the previous snapshot with posts taken out and put in. The list
 * itself is never changed (the previous snapshot may still be serving); `done` makes
 * the new one, or hands the same one back when nothing changed.
 */
export class SortedEdit<List extends readonly Post[] | PostList> {
  /** Positions in `list` of the posts taken out. */
  private readonly gone: number[] = [];
  private readonly added: Post[] = [];

  constructor(
    private readonly list: List,
    private readonly compare: PostOrder,
  ) {}

  /** Takes `post` out; false when it is not in the list. */
  remove(post: Post): boolean {
    const i = search(this.list, post, this.compare);
    if (this.list.at(i) !== post) return false;
    this.gone.push(i);
    return true;
  }

  add(post: Post): void {
    this.added.push(post);
  }

  /** How long the new list will be. */
  get length(): number {
    return this.list.length - this.gone.length + this.added.length;
  }

  done(): List {
    const { list, gone, added, compare } = this;
    if (gone.length === 0 && added.length === 0) return list;
    if (list instanceof PostList) {
      // A few changes (an edit is one out and one in): a chunk copied for each,
      // removals from the back so the positions stay right.
      if (gone.length + added.length <= FEW_CHANGES) {
        let next: PostList = list;
        for (const i of gone.sort((a, b) => b - a)) next = next.withRemoved(i);
        for (const post of added) next = next.withInserted(search(next, post, compare), post);
        return as<List>(next);
      }
    } else if (gone.length + added.length === 1) {
      // One post in or out of an array: one native copy.
      const array = list as readonly Post[];
      return as<List>(gone.length === 1 ? array.toSpliced(gone[0]!, 1) : array.toSpliced(search(array, added[0]!, compare), 0, added[0]!));
    }
    // Otherwise one pass that skips the removed positions and puts each added post
    // before the first old one that sorts after it (an edited post lands where its old
    // version, skipped, was).
    const old: readonly Post[] = list instanceof PostList ? list.toArray() : (list as readonly Post[]);
    gone.sort((a, b) => a - b);
    added.sort(compare);
    const at = added.map((post) => search(old, post, compare));
    const out = new Array<Post>(this.length);
    let k = 0;
    let g = 0;
    let a = 0;
    for (let i = 0; i < old.length; i++) {
      while (a < added.length && at[a] === i) out[k++] = added[a++]!;
      if (gone[g] === i) g++;
      else out[k++] = old[i]!;
    }
    while (a < added.length) out[k++] = added[a++]!;
    return as<List>(list instanceof PostList ? PostList.from(out) : out);
  }
}
