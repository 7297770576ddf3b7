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
import { NewestChangesEditor, newestChanges } from './newest-changes.js';
import { PostList, type Indexed } from './post-list.js';
import { SortedEdit, search } from './sorted-edit.js';
import { compareNewestFirst, compareText, isLiveAt, lastChange, samePage, sameRenderedBody, sameShown, type Post, type TermRef } from './post.js';
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
  /**
   * How many posts use each spelling of a term, by slug: an update names a term from
   * these counts, not by passing over its posts (tens of thousands in a large archive).
   */
  readonly spellings: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export type TaxonomyKind = 'categories' | 'tags' | 'authors';

export const TAXONOMY_KINDS: readonly TaxonomyKind[] = ['categories', 'tags', 'authors'];

export interface IndexSnapshot {
  /** 0 for a first index, then one more with every update. */
  readonly version: number;
  readonly builtAt: Date;
  /** Published, not scheduled for later, newest first (in chunks: post-list.ts). */
  readonly posts: PostList;
  /** `posts` without the hidden ones: the same array when none is hidden (a copy less per update). */
  readonly frontPage: PostList;
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
  /** The published posts changed last, newest change first (newest-changes.ts). */
  readonly newestChanges: readonly Post[];
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
  const changes = newestChanges(posts);
  const list = PostList.from(posts);

  const byUrl = new Map<string, Post>();
  const archives = new Map<string, Post[]>();
  const builders = { categories: new TaxonomyBuilder('categories'), tags: new TaxonomyBuilder('tags'), authors: new TaxonomyBuilder('authors') };
  for (const post of posts) {
    byUrl.set(post.url, post);
    for (const key of archiveKeysOf(post)) push(archives, key, post);
    for (const kind of TAXONOMY_KINDS) builders[kind].add(post);
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
    posts: list,
    frontPage: posts.some((p) => p.hidden) ? PostList.from(posts.filter((p) => !p.hidden)) : list,
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
    lastChange: changes[0] ? lastChange(changes[0]) : now,
    newestChanges: changes,
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
  const posts = new SortedEdit(previous.posts, compareNewestFirst);
  const frontPage = new SortedEdit(previous.frontPage, compareNewestFirst);
  const scheduled = new SortedEdit(previous.scheduled, oldestFirst);
  const featured = new SortedEdit(previous.featured, compareNewestFirst);
  const expiring = new SortedEdit(previous.expiring, soonestExpiry);
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
  const archiveEdits = new Map<string, SortedEdit<readonly Post[]>>();
  const archive = (key: string): SortedEdit<readonly Post[]> => {
    let edit = archiveEdits.get(key);
    if (!edit) {
      edit = new SortedEdit(archives.get(key) ?? [], compareNewestFirst);
      archiveEdits.set(key, edit);
    }
    return edit;
  };
  const changed = new NewestChangesEditor(previous.newestChanges, previous.posts.length);

  // Every old version out first, then every new one in: two posts may swap URLs.
  for (const [file, { before }] of touched) {
    if (before) {
      byFile.delete(file);
      claim(before, false);
      if (posts.remove(before)) {
        if (!before.hidden) frontPage.remove(before);
        if (before.featured) featured.remove(before);
        if (before.expires !== null) expiring.remove(before);
        byUrl.delete(before.url);
        for (const key of archiveKeysOf(before)) archive(key).remove(before);
        for (const kind of TAXONOMY_KINDS) editors[kind].remove(before, before[kind]);
        changed.remove(before);
      } else {
        scheduled.remove(before);
      }
    }
  }
  for (const [file, { after }] of touched) {
    if (after) {
      byFile.set(file, after);
      claim(after, true);
      if (live(after)) {
        posts.add(after);
        if (!after.hidden) frontPage.add(after);
        if (after.featured) featured.add(after);
        if (after.expires !== null) expiring.add(after);
        byUrl.set(after.url, after);
        for (const key of archiveKeysOf(after)) archive(key).add(after);
        for (const kind of TAXONOMY_KINDS) editors[kind].add(after, after[kind]);
        changed.add(after);
      } else if (after.date.getTime() > at) {
        scheduled.add(after);
      }
    }
  }
  for (const [key, edit] of archiveEdits) {
    const list = edit.done();
    if (list.length > 0) archives.set(key, list);
    else archives.delete(key);
  }
  for (const { before } of touched.values()) {
    if (before && previous.byUrl.get(before.url) === before && !byUrl.has(before.url)) remember(editRemoved(), before.url, before.file);
  }
  for (const { after } of touched.values()) {
    if (after && byUrl.get(after.url) === after && (removed ?? previous.removed).has(after.url)) editRemoved().delete(after.url);
  }

  const published = posts.done();
  const waiting = scheduled.done();
  const expiringNext = expiring.done();
  const newest = changed.done(published);
  return {
    version: previous.version + 1,
    builtAt: now,
    posts: published,
    frontPage: frontPage.length === published.length ? published : frontPage.done(),
    byUrl: byUrl.done(),
    byFile: byFile.done(),
    categories: editors.categories.build(),
    tags: editors.tags.build(),
    authors: editors.authors.build(),
    archives: archives.done(),
    nextScheduled: waiting[0]?.date ?? null,
    scheduled: waiting,
    featured: featured.done(),
    expiring: expiringNext,
    nextExpiry: expiringNext[0]?.expires ?? null,
    aliases: aliases ?? previous.aliases,
    site,
    lastChange: newest[0] ? lastChange(newest[0]) : now,
    newestChanges: newest,
    removed: removed ?? previous.removed,
    publicFiles,
    urlGroups,
    preview: previous.preview,
  };
}

function oldestFirst(a: Post, b: Post): number {
  return -compareNewestFirst(a, b);
}

/** Inserts `text` into a list sorted by code unit. */
function insertText(list: string[], text: string): void {
  let i = 0;
  while (i < list.length && compareText(list[i]!, text) < 0) i++;
  list.splice(i, 0, text);
}

/** Where `post` is in a list sorted newest first (the snapshot's lists), or -1. */
export function positionOf(list: Indexed, post: Post): number {
  const i = search(list, post, compareNewestFirst);
  return list.at(i) === post ? i : -1;
}

/** The next older and next newer post of a published post of `snapshot`. */
export function neighboursOf(snapshot: IndexSnapshot, post: Post): { older: Post | null; newer: Post | null } {
  const i = search(snapshot.posts, post, compareNewestFirst);
  return { older: snapshot.posts.at(i + 1) ?? null, newer: i > 0 ? snapshot.posts.at(i - 1)! : null };
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

/**
 * The most common spelling; ties go to the one on the newest post. Only a tie needs
 * the posts, and only as far as the newest that uses one of the tied spellings.
 */
function nameOf(slug: string, spellings: ReadonlyMap<string, number>, posts: readonly Post[], kind: (post: Post) => readonly TermRef[]): string {
  let best = 0;
  const tied: string[] = [];
  for (const [spelling, count] of spellings) {
    if (count > best) {
      best = count;
      tied.length = 0;
    }
    if (count === best) tied.push(spelling);
  }
  if (tied.length === 1) return tied[0]!;
  // Every counted spelling is on one of the term's posts: the newest of them decides.
  const spellingOn = (post: Post) => kind(post).find((r) => r.slug === slug)!.name;
  return spellingOn(posts.find((post) => tied.includes(spellingOn(post)))!);
}

class TaxonomyBuilder {
  private readonly buckets = new Map<string, { posts: Post[]; spellings: Map<string, number> }>();

  constructor(private readonly kind: TaxonomyKind) {}

  add(post: Post): void {
    for (const ref of post[this.kind]) {
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
    const spellingsBySlug = new Map<string, ReadonlyMap<string, number>>();
    for (const [slug, { posts, spellings }] of this.buckets) {
      bySlug.set(slug, { slug, name: nameOf(slug, spellings, posts, (post) => post[this.kind]), posts });
      spellingsBySlug.set(slug, spellings);
    }
    return { bySlug, terms: sortTerms([...bySlug.values()]), spellings: spellingsBySlug };
  }
}

/** A copy of a taxonomy with some posts added and removed; only touched terms are copied. */
class TaxonomyEditor {
  private readonly bySlug: Map<string, Term>;
  private readonly edited = new Map<string, { posts: SortedEdit<readonly Post[]>; spellings: Map<string, number> }>();

  constructor(
    private readonly kind: TaxonomyKind,
    private readonly previous: Taxonomy,
  ) {
    this.bySlug = new Map(previous.bySlug);
  }

  private termOf(slug: string): { posts: SortedEdit<readonly Post[]>; spellings: Map<string, number> } {
    let term = this.edited.get(slug);
    if (!term) {
      term = {
        posts: new SortedEdit(this.previous.bySlug.get(slug)?.posts ?? [], compareNewestFirst),
        spellings: new Map(this.previous.spellings.get(slug)),
      };
      this.edited.set(slug, term);
    }
    return term;
  }

  add(post: Post, refs: readonly TermRef[]): void {
    for (const ref of refs) {
      const { posts, spellings } = this.termOf(ref.slug);
      posts.add(post);
      spellings.set(ref.name, (spellings.get(ref.name) ?? 0) + 1);
    }
  }

  remove(post: Post, refs: readonly TermRef[]): void {
    for (const ref of refs) {
      const { posts, spellings } = this.termOf(ref.slug);
      posts.remove(post);
      const count = spellings.get(ref.name)! - 1;
      if (count > 0) spellings.set(ref.name, count);
      else spellings.delete(ref.name);
    }
  }

  build(): Taxonomy {
    if (this.edited.size === 0) return this.previous;
    const spellingsBySlug = new Map(this.previous.spellings);
    let reorder = false;
    for (const [slug, edit] of this.edited) {
      const before = this.previous.bySlug.get(slug);
      const posts = edit.posts.done();
      if (posts.length === 0) {
        this.bySlug.delete(slug);
        spellingsBySlug.delete(slug);
        reorder ||= before !== undefined;
        continue;
      }
      const name = nameOf(slug, edit.spellings, posts, (post) => post[this.kind]);
      this.bySlug.set(slug, { slug, name, posts });
      spellingsBySlug.set(slug, edit.spellings);
      reorder ||= before?.name !== name;
    }
    const terms = reorder
      ? sortTerms([...this.bySlug.values()])
      : this.previous.terms.map((t) => this.bySlug.get(t.slug)!);
    return { bySlug: this.bySlug, terms, spellings: spellingsBySlug };
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
