// Related stories: for every published post, the stories most like it, computed with
// the index (never per request) and kept in step with each update, which names the
// pages whose list changed (their `pp-` keys).
//
// A story's candidates are the WINDOW stories nearest to it in time, on each side
// (newer follow-ups included), in each of its sections and tags: near-linear in posts
// (each post looks at a bounded number of others), and local, so a change touches only
// the stories near it in its own sections and tags. Each candidate scores its shared
// sections and tags (a tag counts less the more posts it is on), scaled down with the
// time between the two (half at a year); hidden stories (and drafts, in the writer's
// preview) never count. Ties go to the nearer in time, then the file name: the lists
// depend on the posts only, never on the order changes arrived in (weights are whole
// numbers, so sums do not depend on order either, and the first build, on typed
// arrays, agrees with the updates exactly).
import type { IndexSnapshot, TaxonomyKind } from './build-index.js';
import { HOME_KEY, pageKey, termKey } from './cache-keys.js';
import { compareNewestFirst, compareText, type Post, type TermRef } from './post.js';
import type { PostList } from './post-list.js';

/** Stories each side of a story, per section and tag, that are candidates. */
const WINDOW = 5;
/** A shared section; a shared tag weighs 4 / (1 + log2 of its posts) sections (2 on a tag of 2-3 posts). */
const SECTION_WEIGHT = 60;
/** Days apart at which a candidate's score is halved. */
const HALF_WEIGHT_DAYS = 365;
const DAY_MS = 86_400_000;
const NONE: readonly string[] = [];
/** More changed posts than this in one update: every list is computed anew (and compared). */
const REBUILD_ABOVE = 2000;
/** Lists changed since the shared base after which a new base is made. */
const COMPACT_ABOVE = 4096;

/** Lists by position in a snapshot's newest-first posts: no map of 100,000 entries to fill. */
interface ListsBase {
  readonly posts: readonly Post[];
  readonly lists: readonly (readonly string[])[];
}

/**
 * Related lists of one snapshot's posts: a base shared with earlier snapshots (found by a
 * binary search on the post's date and file) and the lists changed since (by file), so
 * an update copies what it changed, not 100,000 entries. A post whose date changed is
 * always among the changed.
 */
export class RelatedLists {
  constructor(
    private readonly base: ListsBase,
    private readonly changed: ReadonlyMap<string, readonly string[] | null> = new Map(),
  ) {}

  get(post: Post): readonly string[] | undefined {
    const list = this.changed.get(post.file);
    if (list !== undefined) return list ?? undefined;
    const at = positionOf(this.base.posts, post);
    return this.base.posts[at]?.file === post.file ? this.base.lists[at] : undefined;
  }

  /** These lists replaced (null: gone), for a snapshot with `posts`. */
  with(updates: ReadonlyMap<string, readonly string[] | null>, posts: PostList): RelatedLists {
    const changed = new Map([...this.changed, ...updates]);
    if (changed.size <= COMPACT_ABOVE) return new RelatedLists(this.base, changed);
    const next = new RelatedLists(this.base, changed);
    // Every published post has a list: the base's, or the update's (new and moved posts).
    return new RelatedLists({ posts: posts.toArray(), lists: posts.map((post) => next.get(post)!) });
  }
}

export interface RelatedIndex {
  /** Stories kept per post: RELATED_POSTS and two more, for the page to leave out its neighbours. */
  readonly size: number;
  /** Published post file -> related post files, best first. */
  readonly lists: RelatedLists;
}

export interface RelatedUpdate {
  readonly related: RelatedIndex;
  /** `pp-<id>` of every post whose list changed. */
  readonly keys: ReadonlySet<string>;
  /** Posts whose list was computed again. */
  readonly recomputed: number;
}

/** floor(log2(n)): tag weights change only when a tag's count crosses a power of two. */
function weightBucket(posts: number): number {
  return posts === 0 ? -1 : 31 - Math.clz32(posts);
}

function tagWeight(posts: number): number {
  return Math.round((4 * SECTION_WEIGHT) / (1 + weightBucket(posts)));
}

function scoreOf(shared: number, distanceDays: number): number {
  return (shared * HALF_WEIGHT_DAYS) / (HALF_WEIGHT_DAYS + distanceDays);
}

/** Better first: higher score, then nearer in time, then file name. */
function better(score: number, distance: number, file: string, otherScore: number, otherDistance: number, otherFile: string): boolean {
  return score !== otherScore ? score > otherScore : distance !== otherDistance ? distance < otherDistance : compareText(file, otherFile) < 0;
}

/**
 * The related stories of every published post of `snapshot`, `count` for each page. On
 * typed arrays: posts by their place in the newest-first list, sections and tags by
 * number, each post's terms sorted (shared terms by a merge), each term's posts in the
 * same newest-first order, so a post's place in each of its lists is a running count.
 */
export function buildRelated(snapshot: IndexSnapshot, count: number): RelatedIndex {
  const size = count > 0 ? count + 2 : 0;
  // One array for the whole pass (the index keeps its list in chunks).
  const posts = snapshot.posts.toArray();
  const n = posts.length;
  if (size === 0 || n === 0) return { size, lists: new RelatedLists({ posts: [], lists: [] }) };

  const sectionIds = new Map<string, number>();
  const tagIds = new Map<string, number>();
  const sections = snapshot.categories.terms;
  const tags = snapshot.tags.terms;
  const terms = sections.length + tags.length;
  const weights = new Int32Array(terms);
  const memberStart = new Int32Array(terms + 1);
  sections.forEach((term, i) => {
    sectionIds.set(term.slug, i);
    weights[i] = SECTION_WEIGHT;
    memberStart[i + 1] = memberStart[i]! + term.posts.length;
  });
  tags.forEach((term, j) => {
    const i = sections.length + j;
    tagIds.set(term.slug, i);
    weights[i] = tagWeight(term.posts.length);
    memberStart[i + 1] = memberStart[i]! + term.posts.length;
  });

  // Each post's terms (sorted ids) and its place in each term's list.
  const termStart = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) termStart[p + 1] = termStart[p]! + posts[p]!.categories.length + posts[p]!.tags.length;
  const termOf = new Int32Array(termStart[n]!);
  const placeIn = new Int32Array(termStart[n]!);
  const members = new Int32Array(memberStart[terms]!);
  const filled = memberStart.slice(0, terms);
  const times = new Float64Array(n);
  const hidden = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const post = posts[p]!;
    times[p] = post.date.getTime();
    // Hidden posts, and drafts (only the writer's preview indexes them), are never suggested.
    hidden[p] = post.hidden || post.draft ? 1 : 0;
    const first = termStart[p]!;
    let k = first;
    for (const ref of post.categories) termOf[k++] = sectionIds.get(ref.slug)!;
    for (const ref of post.tags) termOf[k++] = tagIds.get(ref.slug)!;
    // Insertion sort: a handful of ids.
    for (let i = first + 1; i < k; i++) {
      const id = termOf[i]!;
      let j = i;
      for (; j > first && termOf[j - 1]! > id; j--) termOf[j] = termOf[j - 1]!;
      termOf[j] = id;
    }
    for (let t = first; t < k; t++) {
      const term = termOf[t]!;
      placeIn[t] = filled[term]! - memberStart[term]!;
      members[filled[term]!++] = p;
    }
  }

  const best = new Int32Array(size + 1);
  const bestScore = new Float64Array(size + 1);
  const bestDistance = new Float64Array(size + 1);
  const ranked: Ranked = { posts, best, bestScore, bestDistance };
  const lists = new Array<readonly string[]>(n);
  for (let p = 0; p < n; p++) {
    let found = 0;
    const from = termStart[p]!;
    const to = termStart[p + 1]!;
    for (let t = from; t < to; t++) {
      const term = termOf[t]!;
      const first = memberStart[term]!;
      const last = memberStart[term + 1]! - 1;
      const at = first + placeIn[t]!;
      const end = Math.min(last, at + WINDOW);
      for (let i = Math.max(first, at - WINDOW); i <= end; i++) {
        const q = members[i]!;
        if (i === at || hidden[q] === 1) continue;
        // Shared terms: a merge of two short sorted lists.
        let shared = 0;
        let a = from;
        let b = termStart[q]!;
        const bEnd = termStart[q + 1]!;
        while (a < to && b < bEnd) {
          const x = termOf[a]!;
          const y = termOf[b]!;
          if (x === y) {
            shared += weights[x]!;
            a++;
            b++;
          } else if (x < y) {
            a++;
          } else {
            b++;
          }
        }
        const distance = Math.abs(times[q]! - times[p]!) / DAY_MS;
        const score = scoreOf(shared, distance);
        let j = found;
        if (j === size && !beats(score, distance, q, j - 1, ranked)) continue;
        let seen = false;
        for (let k = 0; k < found && !seen; k++) seen = best[k] === q;
        if (seen) continue;
        while (j > 0 && beats(score, distance, q, j - 1, ranked)) {
          best[j] = best[j - 1]!;
          bestScore[j] = bestScore[j - 1]!;
          bestDistance[j] = bestDistance[j - 1]!;
          j--;
        }
        best[j] = q;
        bestScore[j] = score;
        bestDistance[j] = distance;
        if (found < size) found++;
      }
    }
    const files: string[] = new Array<string>(found);
    for (let k = 0; k < found; k++) files[k] = posts[best[k]!]!.file;
    lists[p] = found === 0 ? NONE : files;
  }
  return { size, lists: new RelatedLists({ posts, lists }) };
}

/** The best candidates so far of buildRelated, best first. */
interface Ranked {
  readonly posts: readonly Post[];
  readonly best: Int32Array;
  readonly bestScore: Float64Array;
  readonly bestDistance: Float64Array;
}

/** Whether candidate `q` ranks before the one at `k`; files compared only on a tie of both (rare). */
function beats(score: number, distance: number, q: number, k: number, ranked: Ranked): boolean {
  const other = ranked.bestScore[k]!;
  if (score !== other) return score > other;
  const otherDistance = ranked.bestDistance[k]!;
  if (distance !== otherDistance) return distance < otherDistance;
  // The same candidate seen again from another list.
  if (q === ranked.best[k]) return false;
  return compareText(ranked.posts[q]!.file, ranked.posts[ranked.best[k]!]!.file) < 0;
}

/**
 * The related index of `next`, from that of `previous` and the files that changed
 * between them (and the scheduled posts that went live), with the keys of the pages
 * whose list changed.
 */
export function updateRelated(related: RelatedIndex, previous: IndexSnapshot, next: IndexSnapshot, files: Iterable<string>): RelatedUpdate {
  const keys = new Set<string>();
  if (related.size === 0) return { related, keys, recomputed: 0 };
  const affected = new Set<string>();
  const updates = new Map<string, readonly string[] | null>();
  let changed = 0;
  for (const file of new Set([...files, ...wentLive(previous, next)])) {
    const was = publishedPost(previous, file);
    const is = publishedPost(next, file);
    if (was && is && sameForRelated(was, is)) continue;
    changed++;
    if (was) addNeighbourhood(previous, was, affected);
    if (is) {
      addNeighbourhood(next, is, affected);
      affected.add(file);
    } else if (was) {
      updates.set(file, null);
    }
    // A tag whose weight moved (its post count crossed a power of two) is scored anew
    // wherever it is: amortised, a post or two per added post.
    for (const slug of new Set([...(was?.tags ?? []), ...(is?.tags ?? [])].map((t) => t.slug))) {
      const before = previous.tags.bySlug.get(slug)?.posts.length ?? 0;
      const after = next.tags.bySlug.get(slug)?.posts;
      if (after && weightBucket(before) !== weightBucket(after.length)) for (const post of after) affected.add(post.file);
    }
  }
  const before = (file: string) => {
    const post = publishedPost(previous, file);
    return post && related.lists.get(post);
  };
  if (changed > REBUILD_ABOVE) return rebuild(related, before, next);
  for (const file of affected) {
    const post = publishedPost(next, file);
    if (!post) continue;
    const list = relatedFilesOf(next, post, related.size);
    if (!sameList(before(file), list)) keys.add(pageKey(post));
    // Kept even when unchanged: the post's date (its place in the base) may have moved.
    updates.set(file, list);
  }
  return { related: updates.size === 0 ? related : { size: related.size, lists: related.lists.with(updates, next.posts) }, keys, recomputed: affected.size };
}

function rebuild(related: RelatedIndex, before: (file: string) => readonly string[] | undefined, next: IndexSnapshot): RelatedUpdate {
  const fresh = buildRelated(next, related.size - 2);
  const keys = new Set<string>();
  for (const post of next.posts) if (!sameList(before(post.file), fresh.lists.get(post)!)) keys.add(pageKey(post));
  return { related: fresh, keys, recomputed: next.posts.length };
}

/** Scheduled posts whose time came with this update. */
function wentLive(previous: IndexSnapshot, next: IndexSnapshot): string[] {
  const files: string[] = [];
  for (const post of previous.scheduled) {
    if (post.date > next.builtAt) break;
    files.push(post.file);
  }
  return files;
}

/** The post `file` is live as in `snapshot`, if it is. */
function publishedPost(snapshot: IndexSnapshot, file: string): Post | undefined {
  const post = snapshot.byFile.get(file);
  return post && snapshot.byUrl.get(post.url) === post ? post : undefined;
}

function sameSlugs(a: readonly TermRef[], b: readonly TermRef[]): boolean {
  return a.length === b.length && a.every((ref, i) => ref.slug === b[i]!.slug);
}

/** Whether two versions of a post are the same to every related list. */
function sameForRelated(a: Post, b: Post): boolean {
  return (
    a.date.getTime() === b.date.getTime() &&
    a.hidden === b.hidden &&
    a.draft === b.draft &&
    sameSlugs(a.categories, b.categories) &&
    sameSlugs(a.tags, b.tags)
  );
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((file, i) => file === b[i]);
}

/** Index of `post` in a newest-first list that holds it. */
function positionOf(list: readonly Post[], post: Post): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareNewestFirst(list[mid]!, post) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const KINDS: readonly TaxonomyKind[] = ['categories', 'tags'];

/**
 * Every post whose candidates include `post` in `snapshot`: those within WINDOW of it in
 * its sections and tags (a window is symmetric: each sees the other).
 */
function addNeighbourhood(snapshot: IndexSnapshot, post: Post, into: Set<string>): void {
  for (const kind of KINDS) {
    for (const ref of post[kind]) {
      const list = snapshot[kind].bySlug.get(ref.slug)!.posts;
      const at = positionOf(list, post);
      const end = Math.min(list.length - 1, at + WINDOW);
      for (let i = Math.max(0, at - WINDOW); i <= end; i++) into.add(list[i]!.file);
    }
  }
}

/**
 * The `size` best candidates of a published post of `snapshot`, as files: what
 * buildRelated finds for it, on the index's own lists (for the few posts an update
 * touches).
 */
function relatedFilesOf(snapshot: IndexSnapshot, post: Post, size: number): readonly string[] {
  // The post's sections, then tags, with their weights and newest-first post lists.
  const slugs: string[] = [];
  const weights: number[] = [];
  const lists: (readonly Post[])[] = [];
  for (const ref of post.categories) {
    slugs.push(ref.slug);
    weights.push(SECTION_WEIGHT);
    lists.push(snapshot.categories.bySlug.get(ref.slug)!.posts);
  }
  const sections = slugs.length;
  for (const ref of post.tags) {
    const posts = snapshot.tags.bySlug.get(ref.slug)!.posts;
    slugs.push(ref.slug);
    weights.push(tagWeight(posts.length));
    lists.push(posts);
  }
  const time = post.date.getTime();
  const best: Post[] = [];
  const scores: number[] = [];
  const distances: number[] = [];
  for (const list of lists) {
    const at = positionOf(list, post);
    const end = Math.min(list.length - 1, at + WINDOW);
    for (let i = Math.max(0, at - WINDOW); i <= end; i++) {
      const other = list[i]!;
      if (i === at || other.hidden || other.draft) continue;
      // A candidate seen in an earlier list scores the same again: it is in `best`
      // already, or it was beaten then and is beaten now.
      let shared = 0;
      for (const ref of other.categories) for (let k = 0; k < sections; k++) if (slugs[k] === ref.slug) shared += weights[k]!;
      for (const ref of other.tags) for (let k = sections; k < slugs.length; k++) if (slugs[k] === ref.slug) shared += weights[k]!;
      const distance = Math.abs(other.date.getTime() - time) / DAY_MS;
      const score = scoreOf(shared, distance);
      let j = best.length;
      if (j === size && !better(score, distance, other.file, scores[j - 1]!, distances[j - 1]!, best[j - 1]!.file)) continue;
      if (best.includes(other)) continue;
      while (j > 0 && better(score, distance, other.file, scores[j - 1]!, distances[j - 1]!, best[j - 1]!.file)) j--;
      best.splice(j, 0, other);
      scores.splice(j, 0, score);
      distances.splice(j, 0, distance);
      if (best.length > size) {
        best.pop();
        scores.pop();
        distances.pop();
      }
    }
  }
  return best.length === 0 ? NONE : best.map((b) => b.file);
}

// The related index of each snapshot: attached by the content store as it swaps a
// snapshot in, so a page always reads the lists of the snapshot it renders.
const bySnapshot = new WeakMap<IndexSnapshot, RelatedIndex>();

export function attachRelated(snapshot: IndexSnapshot, related: RelatedIndex): void {
  bySnapshot.set(snapshot, related);
}

export function relatedIndexOf(snapshot: IndexSnapshot): RelatedIndex | undefined {
  return bySnapshot.get(snapshot);
}

export interface RelatedStories {
  /** Up to `count` stories, the scored ones first, then the fill. */
  readonly posts: readonly Post[];
  /**
   * Keys of the lists the fill came from (the section's, the front page's): when those
   * change, so may the fill.
   */
  readonly keys: readonly string[];
}

/**
 * The related stories a post's page shows: never the post itself, its previous and next
 * story (`exclude`: already on the page), a hidden or unpublished post. Empty slots are
 * filled with the newest stories of its first section, then the newest overall.
 */
export function relatedStoriesOf(snapshot: IndexSnapshot, post: Post, count: number, exclude: readonly Post[]): RelatedStories {
  if (count === 0) return { posts: [], keys: [] };
  const shown = new Set<Post>([post, ...exclude]);
  const posts: Post[] = [];
  const take = (candidate: Post | undefined) => {
    if (!candidate || candidate.hidden || candidate.draft || shown.has(candidate) || snapshot.byUrl.get(candidate.url) !== candidate) return;
    shown.add(candidate);
    posts.push(candidate);
  };
  for (const file of relatedIndexOf(snapshot)?.lists.get(post) ?? NONE) {
    if (posts.length === count) break;
    take(snapshot.byFile.get(file));
  }
  const keys: string[] = [];
  const fill = (list: Iterable<Post>, key: string) => {
    if (posts.length === count) return;
    keys.push(key);
    for (const candidate of list) {
      if (posts.length === count) break;
      take(candidate);
    }
  };
  const section = post.categories[0];
  if (section) fill(snapshot.categories.bySlug.get(section.slug)!.posts, termKey('categories', section.slug));
  fill(snapshot.frontPage, HOME_KEY);
  return { posts, keys };
}
