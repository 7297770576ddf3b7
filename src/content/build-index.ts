// The immutable index snapshot: every lookup a page needs. The first one is built in one
// pass over the posts (plus one sort); after that each change is applied to a copy of
// the previous snapshot, touching only what the changed posts are in (their listings,
// terms, days), so an update costs what changed, not the size of the archive. Either
// way the new snapshot is swapped in whole: a reader never sees a half-updated site.
// Each update also names what changed, as cache keys (cache-keys.ts).
import {
  archiveKey,
  bodyKey,
  FEED_KEY,
  HOME_KEY,
  MISSING_KEY,
  NEWS_KEY,
  pageKey,
  postKey,
  SEARCH_KEY,
  SITE_KEY,
  SITEMAP_KEY,
  termIndexKey,
  termKey,
} from './cache-keys.js';
import { draftOf } from './layered-map.js';
import { compareNewestFirst, compareText, isLiveAt, lastChange, newestChangeOf, samePage, sameRenderedBody, sameShown, type Post, type TermRef } from './post.js';
import { NO_SITE_DATA, type AuthorProfile, type SiteData } from './site-data.js';

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

export const TAXONOMY_KINDS: readonly TaxonomyKind[] = ['categories', 'tags', 'authors'];

export interface IndexSnapshot {
  /** 0 for a first index, then one more with every update. */
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
  /** When the next scheduled post goes live, if any. */
  readonly nextScheduled: Date | null;
  /** Posts waiting for their time, oldest first. */
  readonly scheduled: readonly Post[];
  /** Published featured posts, newest first (hidden ones too: the front page's featured block). */
  readonly featured: readonly Post[];
  /** Published posts with an expiry time, the soonest first. */
  readonly expiring: readonly Post[];
  /** When the next published post expires, if any. */
  readonly nextExpiry: Date | null;
  /**
   * Old addresses (`redirect_from`, `aliases`, an old permalink pattern) as redirect keys
   * (redirect-paths.ts), with the files of the posts that claim them (more than one: a
   * collision, not served). Published posts only, scheduled and expired ones included.
   */
  readonly aliases: ReadonlyMap<string, readonly string[]>;
  /** Author profiles and the site's redirects file (site-data.ts). */
  readonly site: SiteData;
  /** The newest change among the published posts (the build time when there are none). */
  readonly lastChange: Date;
  /**
   * URLs that served a post earlier in this process and serve none now (the post was
   * deleted, unpublished, or moved to another URL), with the file that had them.
   */
  readonly removed: ReadonlyMap<string, string>;
  /** Files in the public folder (decoded root paths): which local lead images exist. */
  readonly publicFiles: ReadonlySet<string>;
  /** Published posts as parsed (before unique URLs), grouped by the URL they asked for. */
  readonly urlGroups: ReadonlyMap<string, readonly Post[]>;
  /** The writer's preview (DEV): drafts and future posts are listed like published ones. */
  readonly preview: boolean;
}

/** One file's new state: its parsed post, or null when it is gone (deleted, unreadable). */
export interface IndexChange {
  readonly file: string;
  readonly post: Post | null;
}

export interface IndexUpdate {
  readonly snapshot: IndexSnapshot;
  /** Cache keys of everything whose bytes may have changed (cache-keys.ts). */
  readonly keys: ReadonlySet<string>;
}

/** Removed URLs remembered at most (a folder that churns for weeks must not grow this forever). */
const MAX_REMOVED = 100_000;
/** A term renamed (its most common spelling changed) with more posts purges everything. */
const MAX_RENAME_FANOUT = 1000;
/** A batch touching more posts than this is applied by building the index anew. */
const REBUILD_ABOVE = 2000;

/**
 * The first index: assigns unique URLs, drops drafts, holds back future posts, leaves expired
 * ones out; in the writer's preview (`preview`) drafts, future and expired posts are all listed.
 */
export function buildIndex(
  all: Iterable<Post>,
  now: Date,
  publicFiles: ReadonlySet<string> = new Set(),
  site: SiteData = NO_SITE_DATA,
  preview = false,
): IndexSnapshot {
  return assemble([...all], now, null, publicFiles, site, preview);
}

function assemble(
  all: readonly Post[],
  now: Date,
  previous: IndexSnapshot | null,
  publicFiles: ReadonlySet<string>,
  site: SiteData,
  preview: boolean,
): IndexSnapshot {
  const urlGroups = new Map<string, Post[]>();
  for (const post of all) if (!post.draft || preview) push(urlGroups, post.url, post);
  const posts: Post[] = [];
  const scheduled: Post[] = [];
  const expired: Post[] = [];
  const byFile = new Map<string, Post>();
  const aliases = new Map<string, string[]>();
  const at = now.getTime();
  for (const group of urlGroups.values()) {
    for (const post of assignUrls(group, urlGroups)) {
      (preview || isLiveAt(post, at) ? posts : post.date.getTime() > at ? scheduled : expired).push(post);
      byFile.set(post.file, post);
      for (const key of post.redirectFrom) push(aliases, key, post.file);
    }
  }
  for (const files of aliases.values()) files.sort(compareText);
  posts.sort(compareNewestFirst);
  scheduled.sort((a, b) => -compareNewestFirst(a, b));
  const expiring = posts.filter((p) => p.expires !== null).sort(soonestExpiry);

  const byUrl = new Map<string, Post>();
  const archives = new Map<string, Post[]>();
  const builders = { categories: new TaxonomyBuilder(), tags: new TaxonomyBuilder(), authors: new TaxonomyBuilder() };
  for (const post of posts) {
    byUrl.set(post.url, post);
    for (const key of archiveKeysOf(post)) push(archives, key, post);
    for (const kind of TAXONOMY_KINDS) builders[kind].add(post, post[kind]);
  }
  const removed = new Map(previous?.removed);
  if (previous) {
    for (const [url, post] of previous.byUrl) if (!byUrl.has(url)) remember(removed, url, post.file);
  }
  // An expired post served its URL before (maybe before a restart): it answers 410.
  for (const post of expired) if (!byUrl.has(post.url)) remember(removed, post.url, post.file);
  for (const url of byUrl.keys()) removed.delete(url);
  return {
    version: previous ? previous.version + 1 : 0,
    builtAt: now,
    posts,
    frontPage: posts.filter((p) => !p.hidden),
    byUrl,
    byFile,
    categories: builders.categories.build(),
    tags: builders.tags.build(),
    authors: builders.authors.build(),
    archives,
    nextScheduled: scheduled[0]?.date ?? null,
    scheduled,
    featured: posts.filter((p) => p.featured),
    expiring,
    nextExpiry: expiring[0]?.expires ?? null,
    aliases,
    site,
    lastChange: newestChangeOf(posts, now),
    removed,
    publicFiles,
    urlGroups,
    preview,
  };
}

function soonestExpiry(a: Post, b: Post): number {
  return a.expires!.getTime() - b.expires!.getTime() || compareText(a.file, b.file);
}

/**
 * The index after `changes` (and after the clock moved to `now`: scheduled posts whose
 * time came go live, expired ones leave; `publicFiles` when the public folder changed;
 * `site` when the site's data files did), with the cache keys of everything that looks
 * different.
 */
export function updateIndex(
  previous: IndexSnapshot,
  changes: readonly IndexChange[],
  now: Date,
  publicFiles: ReadonlySet<string> = previous.publicFiles,
  site: SiteData = previous.site,
): IndexUpdate {
  // The files whose published post (URL included) may differ.
  const touched = new Map<string, { before: Post | undefined; after: Post | undefined }>();
  const urlGroups = draftOf(previous.urlGroups);
  const regroup = new Set<string>();
  // A file named twice in one batch: its last state counts.
  for (const [file, post] of new Map(changes.map((c) => [c.file, c.post]))) {
    const before = previous.byFile.get(file);
    const raw = before ? (unsuffixed.get(before) ?? before) : undefined;
    const next = post && (!post.draft || previous.preview) ? post : undefined;
    if (raw === next) continue;
    if (raw) {
      const rest = urlGroups.get(raw.url)!.filter((p) => p.file !== file);
      if (rest.length > 0) urlGroups.set(raw.url, rest);
      else urlGroups.delete(raw.url);
      regroup.add(raw.url);
    }
    if (next) {
      urlGroups.set(next.url, [...(urlGroups.get(next.url) ?? []), next]);
      regroup.add(next.url);
    }
    touched.set(file, { before, after: undefined });
  }
  // A URL that appears or goes may be the `-2` another group's second post has or wants.
  for (const url of [...regroup]) {
    const stem = /^(.*)-\d+\/$/.exec(url)?.[1];
    if (stem !== undefined && urlGroups.has(`${stem}/`)) regroup.add(`${stem}/`);
  }
  for (const url of regroup) {
    for (const post of assignUrls(urlGroups.get(url) ?? [], urlGroups)) {
      const entry = touched.get(post.file);
      if (entry) entry.after = post;
      else if (previous.byFile.get(post.file) !== post) touched.set(post.file, { before: previous.byFile.get(post.file), after: post });
    }
  }
  // Scheduled posts whose time has come, and published ones whose time is up.
  for (const post of previous.scheduled) {
    if (post.date.getTime() > now.getTime()) break;
    if (!touched.has(post.file)) touched.set(post.file, { before: post, after: post });
  }
  for (const post of previous.expiring) {
    if (post.expires!.getTime() > now.getTime()) break;
    if (!touched.has(post.file)) touched.set(post.file, { before: post, after: post });
  }

  const groups = urlGroups.done();
  const snapshot = touched.size > REBUILD_ABOVE
    ? assemble([...groups.values()].flat(), now, previous, publicFiles, site, previous.preview)
    : apply(previous, touched, now, publicFiles, groups, site);
  // Only published posts show anywhere: compare what was and is live of each.
  const keys = changedKeys(previous, snapshot, [...touched.values()].map(({ before, after }) => ({
    before: before && previous.byUrl.get(before.url) === before ? before : undefined,
    after: after && snapshot.byUrl.get(after.url) === after ? after : undefined,
  })));
  if (publicFiles !== previous.publicFiles) addImageChanges(previous, snapshot, keys);
  if (site !== previous.site) addSiteDataChanges(previous, snapshot, keys);
  return { snapshot, keys };
}

function apply(
  previous: IndexSnapshot,
  touched: ReadonlyMap<string, { before: Post | undefined; after: Post | undefined }>,
  now: Date,
  publicFiles: ReadonlySet<string>,
  urlGroups: ReadonlyMap<string, readonly Post[]>,
  site: SiteData,
): IndexSnapshot {
  const at = now.getTime();
  const live = (post: Post) => previous.preview || isLiveAt(post, at);
  const posts = previous.posts.slice();
  const frontPage = previous.frontPage.slice();
  const scheduled = previous.scheduled.slice();
  const featured = previous.featured.slice();
  const expiring = previous.expiring.slice();
  let aliases: Map<string, readonly string[]> | null = null;
  const claim = (post: Post, add: boolean) => {
    if (post.redirectFrom.length === 0) return;
    aliases ??= new Map(previous.aliases);
    for (const key of post.redirectFrom) {
      const files = (aliases.get(key) ?? []).filter((f) => f !== post.file);
      if (add) insertText(files, post.file);
      if (files.length > 0) aliases.set(key, files);
      else aliases.delete(key);
    }
  };
  // Drafts over the previous maps: copying them made an update cost the whole archive.
  const byUrl = draftOf(previous.byUrl);
  const byFile = draftOf(previous.byFile);
  const archives = draftOf(previous.archives);
  // Removed URLs are few and rarely change: copied only when they do.
  let removed: Map<string, string> | null = null;
  const editRemoved = () => (removed ??= new Map(previous.removed));
  const editors = {
    categories: new TaxonomyEditor('categories', previous.categories),
    tags: new TaxonomyEditor('tags', previous.tags),
    authors: new TaxonomyEditor('authors', previous.authors),
  };
  const archiveCopies = new Set<string>();
  const archive = (key: string): Post[] => {
    if (!archiveCopies.has(key)) {
      archives.set(key, [...(archives.get(key) ?? [])]);
      archiveCopies.add(key);
    }
    return archives.get(key) as Post[];
  };
  let lastChangeGone = false;

  // Every old version out first, then every new one in: two posts may swap URLs.
  for (const [file, { before }] of touched) {
    if (before) {
      byFile.delete(file);
      claim(before, false);
      if (removeSorted(posts, before)) {
        if (!before.hidden) removeSorted(frontPage, before);
        if (before.featured) removeSorted(featured, before);
        if (before.expires !== null) removeSorted(expiring, before, soonestExpiry);
        byUrl.delete(before.url);
        for (const key of archiveKeysOf(before)) removeSorted(archive(key), before);
        for (const kind of TAXONOMY_KINDS) editors[kind].remove(before, before[kind]);
        if (lastChange(before).getTime() >= previous.lastChange.getTime()) lastChangeGone = true;
      } else {
        removeSorted(scheduled, before, oldestFirst);
      }
    }
  }
  for (const [file, { after }] of touched) {
    if (after) {
      byFile.set(file, after);
      claim(after, true);
      if (live(after)) {
        insertSorted(posts, after);
        if (!after.hidden) insertSorted(frontPage, after);
        if (after.featured) insertSorted(featured, after);
        if (after.expires !== null) insertSorted(expiring, after, soonestExpiry);
        byUrl.set(after.url, after);
        for (const key of archiveKeysOf(after)) insertSorted(archive(key), after);
        for (const kind of TAXONOMY_KINDS) editors[kind].add(after, after[kind]);
      } else if (after.date.getTime() > at) {
        insertSorted(scheduled, after, oldestFirst);
      }
    }
  }
  for (const key of archiveCopies) if (archives.get(key)!.length === 0) archives.delete(key);
  for (const { before } of touched.values()) {
    if (before && previous.byUrl.get(before.url) === before && !byUrl.has(before.url)) remember(editRemoved(), before.url, before.file);
  }
  for (const { after } of touched.values()) {
    if (after && byUrl.get(after.url) === after && (removed ?? previous.removed).has(after.url)) editRemoved().delete(after.url);
  }

  const added = [...touched.values()].flatMap(({ after }) => (after && live(after) ? [after] : []));
  return {
    version: previous.version + 1,
    builtAt: now,
    posts,
    frontPage,
    byUrl: byUrl.done(),
    byFile: byFile.done(),
    categories: editors.categories.build(),
    tags: editors.tags.build(),
    authors: editors.authors.build(),
    archives: archives.done(),
    nextScheduled: scheduled[0]?.date ?? null,
    scheduled,
    featured,
    expiring,
    nextExpiry: expiring[0]?.expires ?? null,
    aliases: aliases ?? previous.aliases,
    site,
    lastChange: nextLastChange(previous, posts, added, lastChangeGone, now),
    removed: removed ?? previous.removed,
    publicFiles,
    urlGroups,
    preview: previous.preview,
  };
}

/**
 * The newest change after an update. Only when the newest change itself went and nothing
 * as new came in (or there was none) is a scan of every post needed: an edit of the
 * story changed last, the common case, makes a newer change.
 */
function nextLastChange(previous: IndexSnapshot, posts: readonly Post[], added: readonly Post[], gone: boolean, now: Date): Date {
  if (previous.posts.length === 0) return newestChangeOf(posts, now);
  const newestAdded = added.length > 0 ? newestChangeOf(added, now) : null;
  if (gone && (newestAdded === null || newestAdded < previous.lastChange)) return newestChangeOf(posts, now);
  return newestAdded !== null ? later(newestAdded, previous.lastChange) : previous.lastChange;
}

function later(a: Date, b: Date): Date {
  return a > b ? a : b;
}

function oldestFirst(a: Post, b: Post): number {
  return -compareNewestFirst(a, b);
}

/** Index of `post` in a list sorted by `compare`, or where it would go. */
function search(list: readonly Post[], post: Post, compare: (a: Post, b: Post) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid]!, post) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts `text` into a list sorted by code unit. */
function insertText(list: string[], text: string): void {
  let i = 0;
  while (i < list.length && compareText(list[i]!, text) < 0) i++;
  list.splice(i, 0, text);
}

function insertSorted(list: Post[], post: Post, compare = compareNewestFirst): void {
  list.splice(search(list, post, compare), 0, post);
}

function removeSorted(list: Post[], post: Post, compare = compareNewestFirst): boolean {
  const i = search(list, post, compare);
  if (list[i] !== post) return false;
  list.splice(i, 1);
  return true;
}

/** Where `post` is in a list sorted newest first (the snapshot's lists), or -1. */
export function positionOf(list: readonly Post[], post: Post): number {
  const i = search(list, post, compareNewestFirst);
  return list[i] === post ? i : -1;
}

/** The next older and next newer post of a published post of `snapshot`. */
export function neighboursOf(snapshot: IndexSnapshot, post: Post): { older: Post | null; newer: Post | null } {
  const i = search(snapshot.posts, post, compareNewestFirst);
  return { older: snapshot.posts[i + 1] ?? null, newer: i > 0 ? snapshot.posts[i - 1]! : null };
}

function archiveKeysOf(post: Post): string[] {
  const { year, month, day } = post.localDate;
  return [year, `${year}/${month}`, `${year}/${month}/${day}`];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const bucket = map.get(key);
  if (bucket) bucket.push(value);
  else map.set(key, [value]);
}

function remember(removed: Map<string, string>, url: string, file: string): void {
  removed.delete(url);
  removed.set(url, file);
  // Maps iterate in insertion order: the first key is the oldest removal.
  if (removed.size > MAX_REMOVED) removed.delete(removed.keys().next().value!);
}

/** Each post's copy under a suffixed URL, kept across updates: caches are per post object. */
const moved = new WeakMap<Post, Post>();
/** The other way: a suffixed copy's post as parsed. */
const unsuffixed = new WeakMap<Post, Post>();

/**
 * Two posts wanting one URL (same slug on the same day, or the same permalink): the
 * first by file path keeps it, the others get `-2`, `-3`, ... (skipping URLs other posts
 * ask for), so URLs are stable whatever order the files were read in. Scheduled posts
 * take part, so a post going live never moves another one's URL.
 */
function assignUrls(group: readonly Post[], taken: { has(url: string): boolean }): Post[] {
  if (group.length <= 1) return [...group];
  const sorted = [...group].sort((a, b) => compareText(a.file, b.file));
  const out = [sorted[0]!];
  const mine = new Set<string>();
  for (const post of sorted.slice(1)) {
    const stem = post.url.slice(0, -1);
    let n = 2;
    while (taken.has(`${stem}-${n}/`) || mine.has(`${stem}-${n}/`)) n++;
    const url = `${stem}-${n}/`;
    mine.add(url);
    out.push(withUrl(post, url));
  }
  return out;
}

function withUrl(post: Post, url: string): Post {
  let copy = moved.get(post);
  if (copy?.url !== url) {
    copy = { ...post, url };
    moved.set(post, copy);
    unsuffixed.set(copy, post);
  }
  return copy;
}

const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function sortTerms(terms: Term[]): Term[] {
  // Ties (same name in another case) by slug, so the order never depends on history.
  return terms.sort((a, b) => byName.compare(a.name, b.name) || compareText(a.slug, b.slug));
}

/** The most common spelling; ties go to the one on the newest post. */
function nameOf(slug: string, posts: readonly Post[], kind: (post: Post) => readonly TermRef[]): string {
  const counts = new Map<string, number>();
  for (const post of posts) {
    const ref = kind(post).find((r) => r.slug === slug)!;
    counts.set(ref.name, (counts.get(ref.name) ?? 0) + 1);
  }
  let name = '';
  let best = 0;
  for (const [spelling, count] of counts) {
    if (count > best) {
      name = spelling;
      best = count;
    }
  }
  return name;
}

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
      // Posts come newest first: ties go to the spelling seen first, on the newest post.
      for (const [spelling, count] of spellings) {
        if (count > best) {
          name = spelling;
          best = count;
        }
      }
      bySlug.set(slug, { slug, name, posts });
    }
    return { bySlug, terms: sortTerms([...bySlug.values()]) };
  }
}

/** A copy of a taxonomy with some posts added and removed; only touched terms are copied. */
class TaxonomyEditor {
  private readonly bySlug: Map<string, Term>;
  private readonly edited = new Map<string, Post[]>();

  constructor(
    private readonly kind: TaxonomyKind,
    private readonly previous: Taxonomy,
  ) {
    this.bySlug = new Map(previous.bySlug);
  }

  private postsOf(slug: string): Post[] {
    let posts = this.edited.get(slug);
    if (!posts) {
      posts = [...(this.previous.bySlug.get(slug)?.posts ?? [])];
      this.edited.set(slug, posts);
    }
    return posts;
  }

  add(post: Post, refs: readonly TermRef[]): void {
    for (const ref of refs) insertSorted(this.postsOf(ref.slug), post);
  }

  remove(post: Post, refs: readonly TermRef[]): void {
    for (const ref of refs) removeSorted(this.postsOf(ref.slug), post);
  }

  build(): Taxonomy {
    if (this.edited.size === 0) return this.previous;
    let reorder = false;
    for (const [slug, posts] of this.edited) {
      const before = this.previous.bySlug.get(slug);
      if (posts.length === 0) {
        this.bySlug.delete(slug);
        reorder ||= before !== undefined;
        continue;
      }
      const name = nameOf(slug, posts, (post) => post[this.kind]);
      this.bySlug.set(slug, { slug, name, posts });
      reorder ||= before?.name !== name;
    }
    const terms = reorder
      ? sortTerms([...this.bySlug.values()])
      : this.previous.terms.map((t) => this.bySlug.get(t.slug)!);
    return { bySlug: this.bySlug, terms };
  }
}

/** The keys of every listing a published post is in. */
function listingsOf(post: Post): string[] {
  const keys = archiveKeysOf(post).map(archiveKey);
  // A featured post is in the front page's featured block, hidden or not.
  if (!post.hidden || post.featured) keys.push(HOME_KEY);
  for (const kind of TAXONOMY_KINDS) for (const ref of post[kind]) keys.push(termKey(kind, ref.slug));
  return keys;
}

/**
 * What looks different between two snapshots, given the published posts that changed
 * (`before` in `previous`, `after` in `next`; either may be absent).
 */
function changedKeys(
  previous: IndexSnapshot,
  next: IndexSnapshot,
  changes: readonly { before: Post | undefined; after: Post | undefined }[],
): Set<string> {
  const keys = new Set<string>();
  const renamed = new Set<string>();
  for (const { before, after } of changes) {
    if (!before && !after) continue;
    if (before && after && sameShown(before, after)) {
      if (before.bodyHash !== after.bodyHash) keys.add(pageKey(after)).add(bodyKey(after)).add(SEARCH_KEY);
      // Its rating, table of contents or Liquid links: its page and its body in feeds;
      // the last two are in the rendered body, also in the Content API's lists (keyed
      // as "any post's text").
      else if (!samePage(before, after)) {
        keys.add(pageKey(after)).add(bodyKey(after));
        if (!sameRenderedBody(before, after)) keys.add(SEARCH_KEY);
      }
      // A touched file (or an updated time that is not shown) only moves lastmod.
      if (lastChange(before).getTime() !== lastChange(after).getTime()) keys.add(SITEMAP_KEY);
      continue;
    }
    keys.add(FEED_KEY).add(SITEMAP_KEY).add(NEWS_KEY).add(SEARCH_KEY);
    for (const post of [before, after]) if (post) keys.add(postKey(post)).add(pageKey(post)).add(bodyKey(post));
    const reordered = !before || !after || before.date.getTime() !== after.date.getTime();
    const was = new Set(before ? listingsOf(before) : []);
    const is = new Set(after ? listingsOf(after) : []);
    for (const key of was) if (reordered || !is.has(key)) keys.add(key);
    for (const key of is) if (reordered || !was.has(key)) keys.add(key);
    // A featured post is in the front page's keys hidden or not; hiding it still takes it
    // out of the paginated list (and out of the API's counts, keyed the same way).
    if (before?.featured !== after?.featured || before?.hidden !== after?.hidden) keys.add(HOME_KEY);
    if (reordered) {
      // Their pages link to this post as the next or previous story, or now do.
      if (before) for (const n of Object.values(neighboursOf(previous, before))) if (n) keys.add(pageKey(n));
      if (after) for (const n of Object.values(neighboursOf(next, after))) if (n) keys.add(pageKey(n));
    }
    // Addresses that answer 404, 410 or a redirect now answer otherwise.
    if (before?.url !== after?.url || before?.redirectTo !== after?.redirectTo || String(before?.redirectFrom) !== String(after?.redirectFrom)) keys.add(MISSING_KEY);
    for (const kind of TAXONOMY_KINDS) {
      const slugs = new Set([...(before?.[kind] ?? []), ...(after?.[kind] ?? [])].map((r) => r.slug));
      const same = before && after && before[kind].length === after[kind].length && before[kind].every((r, i) => r.slug === after[kind][i]!.slug);
      if (slugs.size > 0 && !same) keys.add(termIndexKey(kind));
      for (const slug of slugs) renamed.add(`${kind}\n${slug}`);
    }
  }
  // A term whose most common spelling changed is shown differently wherever it is named.
  for (const entry of renamed) {
    const [kind, slug] = entry.split('\n') as [TaxonomyKind, string];
    const was = previous[kind].bySlug.get(slug);
    const is = next[kind].bySlug.get(slug);
    if (!was || !is || was.name === is.name) continue;
    keys.add(termIndexKey(kind)).add(termKey(kind, slug));
    if (is.posts.length > MAX_RENAME_FANOUT) keys.add(SITE_KEY);
    else for (const post of is.posts) keys.add(postKey(post));
  }
  return keys;
}

/** Lead images and author avatars that appeared or went with a change to the public folder. */
function addImageChanges(previous: IndexSnapshot, next: IndexSnapshot, keys: Set<string>): void {
  for (const profile of next.site.authors.values()) {
    const avatar = profile.avatar;
    if (!avatar?.local) continue;
    const path = decodeURIComponent(avatar.src);
    if (previous.publicFiles.has(path) === next.publicFiles.has(path)) continue;
    // Shown on the author's page and in the JSON-LD of their posts' pages.
    keys.add(termKey('authors', profile.slug));
    for (const post of next.authors.bySlug.get(profile.slug)?.posts ?? []) keys.add(pageKey(post));
  }
  for (const post of next.posts) {
    const image = post.image;
    if (!image?.local) continue;
    const path = decodeURIComponent(image.src);
    if (previous.publicFiles.has(path) !== next.publicFiles.has(path)) {
      keys.add(postKey(post)).add(SITEMAP_KEY).add(FEED_KEY);
    }
  }
}

/** What a change to the site's data files (author profiles, redirects) changed. */
function addSiteDataChanges(previous: IndexSnapshot, next: IndexSnapshot, keys: Set<string>): void {
  // A setting (the title, the logo, the page size) is on every page, feed and sitemap.
  if (settingsText(previous.site) !== settingsText(next.site)) keys.add(SITE_KEY);
  if (redirectsText(previous.site) !== redirectsText(next.site)) keys.add(MISSING_KEY);
  const slugs = new Set([...previous.site.authors.keys(), ...next.site.authors.keys()]);
  for (const slug of slugs) {
    if (sameProfile(previous.site.authors.get(slug), next.site.authors.get(slug))) continue;
    // The name is in every byline, feed and JSON-LD that names the author, and in search
    // results (keyed as a whole).
    keys.add(termKey('authors', slug)).add(termIndexKey('authors')).add(SEARCH_KEY);
    const term = next.authors.bySlug.get(slug);
    if (!term) continue;
    if (term.posts.length > MAX_RENAME_FANOUT) keys.add(SITE_KEY);
    else for (const post of term.posts) keys.add(postKey(post));
  }
}

function redirectsText(site: SiteData): string {
  return JSON.stringify(site.redirects.map((r) => [r.source, r.to, r.status]));
}

function settingsText(site: SiteData): string {
  const { file: _file, warnings: _warnings, ...settings } = site.settings ?? { file: null, warnings: [] };
  return JSON.stringify(settings);
}

function sameProfile(a: AuthorProfile | undefined, b: AuthorProfile | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
