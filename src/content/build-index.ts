// The immutable index snapshot: every lookup a page needs, built in one pass over the
// posts (plus one sort). Rebuilt whole and swapped in one step, so a reader never sees
// a half-updated site.
import { compareNewestFirst, compareText, newestChangeOf, type Post, type TermRef } from './post.js';

export interface Term {
  readonly slug: string;
  /** The most common spelling among the posts that use it. */
  readonly name: string;
  /** Newest first. */
  readonly posts: readonly Post[];
}

export interface Taxonomy {
  readonly bySlug: ReadonlyMap<string, Term>;
  /** Sorted by name, case-insensitively. */
  readonly terms: readonly Term[];
}

export type TaxonomyKind = 'categories' | 'tags' | 'authors';

export interface IndexSnapshot {
  /** 0 for a first index, then one more with every rebuild; page caches compare it. */
  readonly version: number;
  readonly builtAt: Date;
  /** Published, not scheduled for later, newest first. */
  readonly posts: readonly Post[];
  /** `posts` without the hidden ones. */
  readonly frontPage: readonly Post[];
  readonly byUrl: ReadonlyMap<string, Post>;
  /** Published posts (scheduled ones included) by file, to follow a post that moved. */
  readonly byFile: ReadonlyMap<string, Post>;
  readonly categories: Taxonomy;
  readonly tags: Taxonomy;
  readonly authors: Taxonomy;
  /** Keys `2025`, `2025/09`, `2025/09/25` (site time zone), newest first inside. */
  readonly archives: ReadonlyMap<string, readonly Post[]>;
  /** Position of each post in `posts`, for previous/next links. */
  readonly positions: ReadonlyMap<Post, number>;
  /** When the next scheduled post goes live, if any. */
  readonly nextScheduled: Date | null;
  /** Posts waiting for their time, oldest first. */
  readonly scheduled: readonly Post[];
  /** The newest change among the published posts (the build time when there are none). */
  readonly lastChange: Date;
  /**
   * URLs that served a post earlier in this process and serve none now (the post was
   * deleted, unpublished, or moved to another URL), with the file that had them.
   */
  readonly removed: ReadonlyMap<string, string>;
  /** Files in the public folder (decoded root paths): which local lead images exist. */
  readonly publicFiles: ReadonlySet<string>;
}

/**
 * Assigns unique URLs, drops drafts, holds back future posts, and indexes the rest.
 * `previous` (the snapshot being replaced) carries forward the URLs that went away and,
 * unless new ones are given, the public folder's files.
 */
export function buildIndex(
  all: Iterable<Post>,
  now: Date,
  previous?: IndexSnapshot,
  publicFiles: ReadonlySet<string> = previous?.publicFiles ?? new Set(),
): IndexSnapshot {
  const published = assignUniqueUrls([...all].filter((p) => !p.draft));
  const posts: Post[] = [];
  const scheduled: Post[] = [];
  const byFile = new Map<string, Post>();
  for (const post of published) {
    (post.date.getTime() <= now.getTime() ? posts : scheduled).push(post);
    byFile.set(post.file, post);
  }
  posts.sort(compareNewestFirst);
  scheduled.sort((a, b) => -compareNewestFirst(a, b));

  const byUrl = new Map<string, Post>();
  const positions = new Map<Post, number>();
  const archives = new Map<string, Post[]>();
  const categories = new TaxonomyBuilder();
  const tags = new TaxonomyBuilder();
  const authors = new TaxonomyBuilder();
  posts.forEach((post, i) => {
    byUrl.set(post.url, post);
    positions.set(post, i);
    const { year, month, day } = post.localDate;
    push(archives, year, post);
    push(archives, `${year}/${month}`, post);
    push(archives, `${year}/${month}/${day}`, post);
    categories.add(post, post.categories);
    tags.add(post, post.tags);
    authors.add(post, post.authors);
  });

  const removed = new Map(previous?.removed);
  if (previous) {
    for (const [url, post] of previous.byUrl) if (!byUrl.has(url)) removed.set(url, post.file);
    for (const url of byUrl.keys()) removed.delete(url);
  }

  return {
    version: previous ? previous.version + 1 : 0,
    builtAt: now,
    posts,
    frontPage: posts.filter((p) => !p.hidden),
    byUrl,
    byFile,
    categories: categories.build(),
    tags: tags.build(),
    authors: authors.build(),
    archives,
    positions,
    nextScheduled: scheduled[0]?.date ?? null,
    scheduled,
    lastChange: newestChangeOf(posts, now),
    removed,
    publicFiles,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const bucket = map.get(key);
  if (bucket) bucket.push(value);
  else map.set(key, [value]);
}

/**
 * Two posts wanting one URL (same slug on the same day, or the same permalink): the
 * first by file path keeps it, the others get `-2`, `-3`, ... so URLs are stable
 * whatever order the files were read in. Scheduled posts take part, so a post going
 * live never moves another one's URL.
 */
function assignUniqueUrls(posts: Post[]): Post[] {
  const byUrl = new Map<string, Post[]>();
  for (const post of posts) push(byUrl, post.url, post);
  const taken = new Set(byUrl.keys());
  const out: Post[] = [];
  for (const group of byUrl.values()) {
    if (group.length === 1) {
      out.push(group[0]!);
      continue;
    }
    group.sort((a, b) => compareText(a.file, b.file));
    out.push(group[0]!);
    for (const post of group.slice(1)) {
      const stem = post.url.slice(0, -1);
      let n = 2;
      while (taken.has(`${stem}-${n}/`)) n++;
      const url = `${stem}-${n}/`;
      taken.add(url);
      out.push(withUrl(post, url));
    }
  }
  return out;
}

/** Each post's copy under a suffixed URL, kept across rebuilds: caches are per post object. */
const moved = new WeakMap<Post, Post>();

function withUrl(post: Post, url: string): Post {
  let copy = moved.get(post);
  if (copy?.url !== url) {
    copy = { ...post, url };
    moved.set(post, copy);
  }
  return copy;
}

const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

class TaxonomyBuilder {
  private readonly buckets = new Map<string, { posts: Post[]; spellings: Map<string, number> }>();

  add(post: Post, refs: readonly TermRef[]): void {
    for (const ref of refs) {
      let bucket = this.buckets.get(ref.slug);
      if (!bucket) {
        bucket = { posts: [], spellings: new Map() };
        this.buckets.set(ref.slug, bucket);
      }
      bucket.posts.push(post);
      bucket.spellings.set(ref.name, (bucket.spellings.get(ref.name) ?? 0) + 1);
    }
  }

  build(): Taxonomy {
    const bySlug = new Map<string, Term>();
    for (const [slug, { posts, spellings }] of this.buckets) {
      let name = '';
      let best = 0;
      // Ties go to the spelling seen first, i.e. on the newest post.
      for (const [spelling, count] of spellings) {
        if (count > best) {
          name = spelling;
          best = count;
        }
      }
      bySlug.set(slug, { slug, name, posts });
    }
    // Stable sort over buckets made in post order: deterministic for equal names too.
    const terms = [...bySlug.values()].sort((a, b) => byName.compare(a.name, b.name));
    return { bySlug, terms };
  }
}
