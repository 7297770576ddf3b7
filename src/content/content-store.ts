// The live content: the parsed posts by file, the files skipped and why, the public
// folder's files, and the current index snapshot. Every change produces a new snapshot
// that is swapped in one step, so a reader never sees a half-updated site, and tells
// its listeners which cache keys it changed.
// Follows the posts folder (and public/, for lead images): changes are batched (a
// burst of files becomes one or a few updates) and a batch is read in full (on the parse
// workers) before any of it is applied; a file that fails to parse right after a change
// is retried before it counts as bad; after a batch the folder's file list is compared
// with what is known (an add or delete whose watch event was lost is still found), at
// most as often as that listing is cheap; and a timer publishes scheduled posts when
// their time comes. Where file system events do not arrive (NFS, EFS), WATCH=poll
// compares the folder's files and modification times with what is known, on a timer.
import fs from 'node:fs';
import path from 'node:path';
import { buildIndex, updateIndex, type IndexChange, type IndexSnapshot, type IndexUpdate } from './build-index.js';
import { leadImageOf } from './lead-image.js';
import { listPostFiles, listPostFilesAsync, listPublicFiles } from './list-files.js';
import { forEachSliced } from './sliced-loop.js';
import type { LoadOptions, PostLoad } from './load-posts.js';
import type { Hit } from '../search/search-shard.js';
import { openParseSite } from './parse-pool.js';
import { withSiteFile, type Config, type WatchMode } from '../config.js';
import { compareText, type Post } from './post.js';
import { attachRelated, buildRelated, relatedIndexOf, updateRelated } from './related-posts.js';
import { isPostFile } from './post-files.js';
import { redirectProblems } from './redirects.js';
import { linksOnPath, revisionOf, watchLinks, type LinkWatcher } from './revision-links.js';
import type { SiteSettingsFile } from './site-config.js';
import { isSiteDataPath, loadSiteData, NO_SITE_DATA, siteDataSignature, type SiteData } from './site-data.js';
import { watchDataFolder, watchPosts, type PostsWatcher } from './watch-posts.js';

/** The subset of pino's logger the content layer uses. */
export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

export interface ContentStatus {
  readonly ready: boolean;
  readonly watching: boolean;
  readonly watch: WatchMode;
  readonly posts: number;
  readonly scheduled: number;
  readonly drafts: number;
  readonly skipped: readonly SkippedFile[];
  /** Files changed on disk and not yet in the index (waiting, or being retried). */
  readonly pending: number;
  readonly version: number;
  readonly lastUpdate: Date | null;
}

export interface ContentStoreOptions extends LoadOptions {
  readonly log: Logger;
  /** Follow changes in the posts folder (and the public folder): by events, by polling, or not. */
  readonly watch: WatchMode;
  /** Batching and retry delays; the defaults suit production, tests shorten them. */
  readonly timing?: Partial<Timing>;
  /**
   * How the posts are read under a site's `_config.yml` (its time zone and permalink, where
   * the environment set none); without it, the options above hold whatever the file says.
   */
  readonly parseSettings?: (file: SiteSettingsFile) => Pick<LoadOptions, 'timeZone' | 'sitePermalink'>;
  /** Related stories per post page (related-posts.ts); 0 for none. */
  readonly relatedCount?: number;
  /** The writer's preview: drafts and future posts are indexed like published ones. */
  readonly preview?: boolean;
}

export interface Timing {
  /** Quiet time after the last change before the batch is applied. */
  readonly settleMs: number;
  /** A batch is applied at the latest this long after its first change. */
  readonly maxWaitMs: number;
  /** Delay before a file that failed to parse is read again. */
  readonly retryMs: number;
  /** Reads of a failing file before it counts as bad (the first read included). */
  readonly attempts: number;
  /** Least time between two comparisons of the folder's file list with the index. */
  readonly reconcileMs: number;
  /** Polling (WATCH=poll): least time between two looks at the folders. */
  readonly pollMs: number;
}

const DEFAULT_TIMING: Timing = { settleMs: 60, maxWaitMs: 300, retryMs: 250, attempts: 3, reconcileMs: 1000, pollMs: 2000 };

export interface UpdateEvent extends IndexUpdate {
  readonly previous: IndexSnapshot;
  /** From the first read of the batch's files to the new index. */
  readonly durationMs: number;
}

export type UpdateListener = (update: UpdateEvent) => void;

export interface ContentStore {
  readonly snapshot: IndexSnapshot;
  readonly ready: boolean;
  /** Reads every post, builds the first index, then follows the folder; later calls share the first. */
  load(): Promise<void>;
  /** Resolves once the first index is built; rejects if that failed. */
  whenReady(): Promise<void>;
  /**
   * Calls `listener` once, synchronously, when the first load has read every file and
   * before it builds the index (at once if that moment passed): work that needs a core
   * but not the index starts then, while the parse workers sit idle.
   */
  onRead(listener: () => void): void;
  status(): ContentStatus;
  /** Called after every index update, with the keys of what changed. */
  onUpdate(listener: UpdateListener): void;
  /** Takes a post off the site (its body could not be rendered), until its file changes. */
  reject(file: string, reason: string): void;
  /** Reads a file again with the next batch (it could not be read when a page needed it). */
  recheck(file: string): void;
  /** Full-text search over every post read (drafts and scheduled ones too: callers filter). */
  search(terms: readonly string[], limit: number): Promise<Hit[]>;
  close(): Promise<void>;
}

/** The content store of a configuration. */
export function createStoreFor(config: Config, log: Logger): ContentStore {
  return createContentStore({
    postsDir: config.postsDir,
    publicDir: config.publicDir,
    timeZone: config.timeZone,
    maxPostBytes: config.maxPostBytes,
    sitePermalink: config.sitePermalink,
    permalinkMode: config.permalinkMode,
    watch: config.watch,
    timing: { pollMs: config.watchPollMs },
    parseSettings: (file) => {
      const { timeZone, sitePermalink } = withSiteFile(config, file);
      return { timeZone, sitePermalink };
    },
    log,
    readingRates: { words: config.readingRate, cjk: config.readingRateCjk },
    cacheDir: config.postCacheDir,
    relatedCount: config.relatedPosts,
    preview: config.dev,
  });
}

/** Posts by file, counting the drafts as they come and go: status() needs no pass over 100,000 posts. */
class PostsByFile extends Map<string, Post> {
  drafts = 0;

  override set(file: string, post: Post): this {
    this.drafts += Number(post.draft) - Number(this.get(file)?.draft === true);
    return super.set(file, post);
  }

  override delete(file: string): boolean {
    this.drafts -= Number(this.get(file)?.draft === true);
    return super.delete(file);
  }
}

/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createContentStore(options: ContentStoreOptions): ContentStore {
  const { log } = options;
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const now = () => new Date();
  // Replaced when the site's `_config.yml` changes how posts are read.
  let loadOptions: LoadOptions = {
    postsDir: options.postsDir,
    publicDir: options.publicDir,
    timeZone: options.timeZone,
    maxPostBytes: options.maxPostBytes,
    sitePermalink: options.sitePermalink ?? null,
    permalinkMode: options.permalinkMode ?? 'serve',
    ...(options.readingRates ? { readingRates: options.readingRates } : {}),
    cacheDir: options.cacheDir ?? null,
  };
  const preview = options.preview === true;
  const relatedCount = options.relatedCount ?? 4;
  // Every post file read successfully, drafts included, by file.
  const posts = new PostsByFile();
  const skipped = new Map<string, string>();
  let publicFiles = listPublicFiles(options.publicDir);
  let snapshot = buildIndex([], now(), publicFiles, NO_SITE_DATA, preview);
  attachRelated(snapshot, buildRelated(snapshot, relatedCount));
  let ready = false;
  let closed = false;
  let lastUpdate: Date | null = null;
  // The posts folder's watcher (events mode), the watcher of the links on its path, and
  // the revision it shows (revision-links.ts): replaced together when a link is swapped.
  let postsWatcher: PostsWatcher | null = null;
  let publicWatcher: PostsWatcher | null = null;
  let linkWatcher: LinkWatcher | null = null;
  // `_config.yml` and `_data/` in the posts folder's parent (site-data.ts).
  let dataWatcher: PostsWatcher | null = null;
  let revision: string | null = null;
  const listeners: UpdateListener[] = [];
  let scheduleTimer: NodeJS.Timeout | undefined;
  // The parse workers, which also hold this site's search index. If one had to be
  // replaced, its part of the index is gone: its files are read again.
  const parser = openParseSite({
    /* c8 ignore next 3: a worker crash cannot be provoked from a post file */
    onLost: (owned) => {
      for (const file of posts.keys()) if (owned(file)) queue(file);
    },
    onNote: (text) => log.warn({ postCacheDir: options.cacheDir }, text),
  });

  // Changed files waiting to be applied, and how often each has failed to parse.
  const pending = new Set<string>();
  let publicChanged = false;
  const failures = new Map<string, number>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let settleTimer: NodeJS.Timeout | undefined;
  let maxWaitTimer: NodeJS.Timeout | undefined;
  let reconcileTimer: NodeJS.Timeout | undefined;
  let lastReconcile = 0;
  let reconcileCostMs = 0;
  const polling = options.watch === 'poll';
  // The site's data files (authors, redirects): re-read when one changes.
  let siteDataChanged = false;
  let siteDataSeen = '';
  // Polling: the modification time each skipped file had, so an edit to it is noticed.
  const skippedAt = new Map<string, number>();
  // Batches run one after another, each chained on the one before.
  let applying: Promise<void> = Promise.resolve();

  let read = false;
  const readListeners: (() => void)[] = [];
  let resolveReady!: () => void;
  let rejectReady!: (err: unknown) => void;
  const readyPromise = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Settles when the first load ends, either way, or when the store closes (a load cut
  // short by close never settles readyPromise); batches wait for it. (Nobody may be
  // waiting on readyPromise yet; a failed load is still reported to whoever asks later.)
  let endLoad!: () => void;
  const loaded = new Promise<void>((resolve) => (endLoad = resolve));
  readyPromise.then(endLoad, endLoad);

  function skip(file: string, reason: string): void {
    // Logged once per distinct problem, however often the file is retried or saved.
    if (skipped.get(file) !== reason) log.warn({ file, reason }, 'post skipped');
    skipped.set(file, reason);
    if (polling) skippedAt.set(file, modifiedTime(file));
  }

  /**
   * Applies one file's result to `posts`/`skipped`: the file's new post (null: gone from
   * the site), or undefined when what the site shows does not change.
   */
  function apply(file: string, result: PostLoad, final: boolean): IndexChange | undefined {
    if (result.ok) {
      const { post, warnings } = result;
      posts.set(file, post);
      skipped.delete(file);
      failures.delete(file);
      if (warnings.length > 0) log.warn({ file, warnings }, 'post loaded with warnings');
      if (result.encoding !== 'utf-8') log.info({ file, encoding: result.encoding }, 'post is not UTF-8: decoded');
      if (result.repaired) log.debug({ file }, 'mojibake repaired');
      return { file, post };
    }
    if (result.error.code === 'ENOENT') {
      // Deleted (or renamed away): gone from the site at once.
      failures.delete(file);
      skipped.delete(file);
      return posts.delete(file) ? { file, post: null } : undefined;
    }
    const failed = (failures.get(file) ?? 0) + 1;
    if (final || failed >= timing.attempts) {
      // Still bad after the retries: the new content is final, and invalid.
      failures.delete(file);
      skip(file, result.error.reason);
      return posts.delete(file) ? { file, post: null } : undefined;
    }
    // Maybe caught half-written: keep what was live and read it again shortly.
    failures.set(file, failed);
    log.debug({ file, attempt: failed, reason: result.error.reason }, 'post unreadable: retrying');
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      queue(file, true);
    }, timing.retryMs);
    retryTimers.add(timer);
    return undefined;
  }

  /** Swaps in the index after `changes` and tells the listeners what changed. */
  function update(
    changes: readonly IndexChange[],
    images?: ReadonlySet<string>,
    site?: SiteData,
    started = performance.now(),
  ): void {
    const previous = snapshot;
    const result = updateIndex(previous, changes, now(), images, site);
    // The related lists of the new snapshot, before anyone reads it; pages whose list
    // changed are purged with the rest.
    const relatedStarted = performance.now();
    const related = updateRelated(relatedIndexOf(previous)!, previous, result.snapshot, changes.map((c) => c.file));
    attachRelated(result.snapshot, related.related);
    log.debug({ recomputed: related.recomputed, changed: related.keys.size, ms: Math.round((performance.now() - relatedStarted) * 100) / 100 }, 'related stories updated');
    snapshot = result.snapshot;
    lastUpdate = now();
    armScheduleTimer();
    const keys = related.keys.size > 0 ? new Set([...result.keys, ...related.keys]) : result.keys;
    const event = { ...result, keys, previous, durationMs: performance.now() - started };
    for (const listener of listeners) listener(event);
  }

  /** A timer for the next post that goes live or expires: either is an index update with no file change. */
  function armScheduleTimer(): void {
    clearTimeout(scheduleTimer);
    const times = [snapshot.nextScheduled, snapshot.nextExpiry].flatMap((at) => (at ? [at.getTime()] : []));
    if (times.length === 0 || closed) return;
    const wait = Math.min(Math.max(Math.min(...times) - Date.now(), 0), MAX_TIMER_MS);
    scheduleTimer = setTimeout(() => {
      const { scheduled, expiring } = snapshot;
      update([]);
      const published = scheduled.length - snapshot.scheduled.length;
      const expired = expiring.filter((post) => !snapshot.byUrl.has(post.url)).length;
      if (published > 0) log.info({ posts: snapshot.posts.length, version: snapshot.version }, 'scheduled posts published');
      if (expired > 0) log.info({ expired, posts: snapshot.posts.length, version: snapshot.version }, 'expired posts taken off the site');
    }, wait);
    scheduleTimer.unref();
  }

  /**
   * A file changed on disk (or is due for a retry): apply it with the next batch, once
   * changes have settled for a moment, or at the latest maxWaitMs after the first.
   * Changes seen during the initial load are applied once it is done.
   */
  function queue(file: string, retry = false): void {
    if (!retry) failures.delete(file); // new content: a fresh set of attempts
    if (isPostFile(file)) pending.add(file);
    else if (isSiteDataPath(file)) siteDataChanged = true;
    schedule();
  }

  /**
   * Reads the site's data files; their problems are logged, never fatal. While one cannot
   * be read or parsed (caught half-written, a typo), the site keeps what it had: undefined.
   */
  function readSiteData(): SiteData | undefined {
    siteDataSeen = siteDataSignature(options.postsDir);
    const { data, files, unreadable, warnings, merged } = loadSiteData(options.postsDir);
    for (const { file, message } of warnings) log.warn({ file, reason: message }, 'site data file problem');
    if (merged) log.info(merged, 'authors in both _config.yml and _data/authors: _data/authors wins field by field');
    if (unreadable.length > 0 && snapshot.site !== NO_SITE_DATA) {
      log.warn({ files: unreadable }, 'site data kept as it was until the file can be read');
      return undefined;
    }
    if (files.length > 0) log.info({ files, authors: data.authors.size, redirects: data.redirects.length }, 'site data read');
    return data;
  }

  /** Takes how `site` says posts are read; true when that changed (every post is read again). */
  function followParseSettings(site: SiteData): boolean {
    if (!options.parseSettings || !site.settings) return false;
    const { timeZone, sitePermalink } = options.parseSettings(site.settings);
    if (timeZone === loadOptions.timeZone && sitePermalink === (loadOptions.sitePermalink ?? null)) return false;
    loadOptions = { ...loadOptions, timeZone, sitePermalink };
    return true;
  }

  /** Logs redirects that are not served (collisions, loops), once per change. */
  function reportRedirects(files: Iterable<string> | null): void {
    for (const problem of redirectProblems(snapshot, files)) log.warn({ reason: problem }, 'redirect not served');
  }

  function schedule(): void {
    clearTimeout(settleTimer);
    settleTimer = setTimeout(applyPending, timing.settleMs);
    maxWaitTimer ??= setTimeout(applyPending, timing.maxWaitMs);
  }

  function applyPending(): void {
    clearTimeout(settleTimer);
    clearTimeout(maxWaitTimer);
    maxWaitTimer = undefined;
    applying = applying.then(applyBatch).catch(reportBatchError);
  }

  /* c8 ignore start: defensive; nothing in a batch is known to throw, but an unhandled
     rejection would end the process and the chain would stop applying changes. */
  function reportBatchError(err: unknown): void {
    log.error({ err }, 'applying changes to the posts failed');
  }
  /* c8 ignore stop */

  async function applyBatch(): Promise<void> {
    await loaded;
    // Closed while the first load was still running (a batch was queued).
    if (closed) return;
    const started = performance.now();
    const dataChanged = siteDataChanged;
    siteDataChanged = false;
    const site = dataChanged ? readSiteData() : undefined;
    if (site && followParseSettings(site)) {
      // Dates without a zone, or URLs from the permalink, come out differently now.
      for (const file of [...posts.keys(), ...skipped.keys(), ...(await listPostFilesAsync(options.postsDir))]) pending.add(file);
      log.info({ timeZone: loadOptions.timeZone, permalink: loadOptions.sitePermalink, files: pending.size }, 'site settings changed how posts are read: reading them again');
    }
    const files = [...pending].sort(compareText);
    pending.clear();
    const imagesChanged = publicChanged;
    publicChanged = false;
    const results = await parser.load(files, loadOptions);
    /* c8 ignore next: closed while the batch was being read */
    if (closed) return;
    // From here on nothing yields: the batch lands in one step.
    const changes: IndexChange[] = [];
    files.forEach((file, i) => {
      const change = apply(file, results[i]!, false);
      if (change) changes.push(change);
    });
    const gone = changes.flatMap((c) => (c.post ? [] : [c.file]));
    if (gone.length > 0) parser.remove(gone);
    if (imagesChanged) publicFiles = listPublicFiles(options.publicDir);
    if (changes.length > 0 || imagesChanged || site) {
      update(changes, imagesChanged ? publicFiles : undefined, site, started);
      reportRedirects(site ? null : changes.map((c) => c.file));
      log.info(
        { files: files.length, posts: snapshot.posts.length, version: snapshot.version, ms: Math.round(performance.now() - started) },
        'index updated',
      );
    }
    scheduleReconcile();
  }

  /**
   * The folder's file list compared with what is known: soon after each batch when
   * events are followed (an add or delete whose event was lost), on a timer when
   * polling (and then modification times too). At most once per reconcileMs (pollMs),
   * and never more than a tenth of the time: listing 100,000 files takes a while.
   */
  function scheduleReconcile(): void {
    if (reconcileTimer || closed || options.watch === 'off') return;
    const gap = Math.max(polling ? timing.pollMs : timing.reconcileMs, reconcileCostMs * 10);
    const wait = Math.max(0, lastReconcile + gap - Date.now());
    reconcileTimer = setTimeout(reconcile, wait);
    reconcileTimer.unref();
  }

  function modifiedTime(file: string): number {
    try {
      return fs.statSync(path.join(options.postsDir, ...file.split('/'))).mtime.getTime();
      /* c8 ignore next 3: deleted meanwhile; the next look at the folder tells */
    } catch {
      return -1;
    }
  }

  /** Modification times of known files, read on libuv's threads, a few hundred at a time. */
  async function modifiedTimes(files: readonly string[]): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < files.length; i += 256) {
      const chunk = files.slice(i, i + 256).map((file) =>
        fs.promises.stat(path.join(options.postsDir, ...file.split('/'))).then(
          (stat) => stat.mtime.getTime(),
          /* c8 ignore next: deleted meanwhile; the next look tells */
          () => -1,
        ));
      times.push(...(await Promise.all(chunk)));
    }
    return times;
  }

  function reconcile(): void {
    reconcileTimer = undefined;
    applying = applying.then(compareWithFolder).catch(reportBatchError);
  }

  /** Chained with the batches, so a comparison never sees a batch half applied. */
  async function compareWithFolder(): Promise<void> {
    /* c8 ignore next: the timer fired as the store closed */
    if (closed) return;
    // A swapped link whose event was lost (or polling): the new revision is read whole.
    if (await followRevision()) return;
    const started = performance.now();
    // Each pass lets requests in every few milliseconds (posts and skipped change
    // only in batches, which wait for this comparison).
    const listed = new Set<string>();
    const found = new Set<string>();
    const known: string[] = [];
    await forEachSliced(await listPostFilesAsync(options.postsDir), (file) => {
      listed.add(file);
      if (pending.has(file) || failures.has(file)) return;
      if (posts.has(file) || skipped.has(file)) known.push(file);
      else found.add(file);
    });
    if (polling) {
      // An edit is a new modification time (events would have told).
      const times = await modifiedTimes(known);
      await forEachSliced(known.keys(), (i) => {
        const file = known[i]!;
        const post = posts.get(file);
        if (times[i] !== (post ? post.modified.getTime() : skippedAt.get(file))) found.add(file);
      });
    }
    const gone = (file: string) => {
      if (!listed.has(file) && !pending.has(file)) found.add(file);
    };
    await forEachSliced(posts.keys(), gone);
    await forEachSliced(skipped.keys(), gone);
    if (polling) {
      const images = listPublicFiles(options.publicDir);
      if (images.size !== publicFiles.size || [...images].some((f) => !publicFiles.has(f))) publicChanged = true;
    }
    // A site data file whose event was lost, or that nothing watches (polling).
    if (siteDataSignature(options.postsDir) !== siteDataSeen) siteDataChanged = true;
    reconcileCostMs = performance.now() - started;
    lastReconcile = Date.now();
    for (const file of found) pending.add(file);
    if (found.size > 0 || publicChanged || siteDataChanged) {
      if (!polling) log.info({ files: found.size }, 'files changed without a watch event: applying');
      schedule();
    }
    // Polling goes on; the batch, if any, schedules the same look (once).
    if (polling) scheduleReconcile();
  }

  /** A link on the way to the posts may have been swapped: check, in turn with the batches. */
  function linkChanged(): void {
    applying = applying.then(async () => void (await followRevision())).catch(reportBatchError);
  }

  /**
   * If the posts folder shows another revision (a link was swapped), reads all of it, and
   * every file the old one had, as one batch: readers see one revision or the other,
   * never a mix. True if it did.
   */
  async function followRevision(): Promise<boolean> {
    await loaded;
    // The store closed while a link event waited for the load.
    if (closed) return false;
    const current = await revisionOf(options.postsDir);
    // Unresolvable for now (a link replaced in two steps): the next event or look tells.
    if (current === null || current === revision) return false;
    revision = current;
    if (postsWatcher) {
      // Watches follow folders, not names: the old checkout's are useless now.
      postsWatcher.close();
      postsWatcher = watchPostsFolder();
      linkWatcher?.close();
      linkWatcher = watchLinks(linksOnPath(options.postsDir), linkChanged, onWatchError);
    }
    for (const file of await listPostFilesAsync(options.postsDir)) pending.add(file);
    for (const file of posts.keys()) pending.add(file);
    for (const file of skipped.keys()) pending.add(file);
    // The new revision's data files (posts/_data, redirects.yaml) are read with it.
    siteDataChanged = true;
    log.info({ revision: current.split('\n')[0], files: pending.size }, 'posts folder: a new revision, read as one batch');
    await applyBatch();
    return true;
  }

  /* c8 ignore next 3: OS-level failures (EMFILE, ENOSPC for inotify watches) cannot be provoked in tests */
  function onWatchError(err: unknown, folder: string): void {
    log.error({ err, folder }, 'watching a folder failed');
  }

  function watchPostsFolder(): PostsWatcher {
    return watchPosts(options.postsDir, (rel) => queue(rel), onWatchError, linkChanged);
  }

  function reportMissingImages(): void {
    const missing = snapshot.posts.filter((post) => post.image && !leadImageOf(snapshot, post));
    if (missing.length === 0) return;
    log.info(
      { count: missing.length, examples: missing.slice(0, 5).map((p) => p.file) },
      'posts whose lead image is not in the public folder are shown without one (until it is)',
    );
  }

  let loading: Promise<void> | null = null;

  async function loadOnce(): Promise<void> {
    const started = performance.now();
    try {
      revision = await revisionOf(options.postsDir);
      if (options.watch === 'events') {
        // Watch before listing, so a file added during the load is not missed.
        postsWatcher = watchPostsFolder();
        linkWatcher = watchLinks(linksOnPath(options.postsDir), linkChanged, onWatchError);
        publicWatcher = watchPosts(options.publicDir, () => {
          publicChanged = true;
          schedule();
        }, onWatchError);
        // `_config.yml` and `_data/` may be in the posts folder's parent.
        const parent = path.dirname(options.postsDir);
        if (parent !== options.postsDir) {
          dataWatcher = watchDataFolder(parent, (rel) => {
            if (isSiteDataPath(rel)) queue(rel);
          }, onWatchError);
        }
      }
      // Read first: the site's settings say how posts are read.
      const site = readSiteData()!;
      followParseSettings(site);
      const files = listPostFiles(options.postsDir);
      lastReconcile = Date.now();
      const results = await parser.load(files, loadOptions);
      if (closed) return;
      read = true;
      for (const listener of readListeners) listener();
      // The first read of each file is final: nothing is live yet to fall back on.
      files.forEach((file, i) => apply(file, results[i]!, true));
      parser.settle();
      snapshot = buildIndex(posts.values(), now(), publicFiles, site, preview);
      const relatedStarted = performance.now();
      attachRelated(snapshot, buildRelated(snapshot, relatedCount));
      const relatedMs = Math.round(performance.now() - relatedStarted);
      lastUpdate = now();
      armScheduleTimer();
      ready = true;
      reportRedirects(null);
      if (polling) scheduleReconcile();
      reportMissingImages();
      log.info(
        {
          posts: snapshot.posts.length,
          scheduled: snapshot.scheduled.length,
          skipped: skipped.size,
          watch: options.watch,
          ms: Math.round(performance.now() - started),
          relatedMs,
          heapMB: Math.round(process.memoryUsage().heapUsed / 1048576),
        },
        'posts indexed',
      );
      resolveReady();
    } catch (err) {
      log.error({ err, postsDir: options.postsDir }, 'cannot read the posts folder');
      rejectReady(err);
      throw err;
    }
  }

  return {
    get snapshot() {
      return snapshot;
    },
    get ready() {
      return ready;
    },
    load: () => (loading ??= loadOnce()),
    whenReady: () => readyPromise,
    onRead(listener) {
      if (read) listener();
      else readListeners.push(listener);
    },
    onUpdate(listener) {
      listeners.push(listener);
    },
    status: () => {
      return {
        ready,
        watching: postsWatcher !== null || polling,
        watch: options.watch,
        posts: snapshot.posts.length,
        scheduled: snapshot.scheduled.length,
        drafts: posts.drafts,
        skipped: [...skipped].map(([file, reason]) => ({ file, reason })).sort((a, b) => compareText(a.file, b.file)),
        pending: pending.size + retryTimers.size,
        version: snapshot.version,
        lastUpdate,
      };
    },
    recheck(file) {
      if (!closed) queue(file);
    },
    search: (terms, limit) => parser.search(terms, limit),
    reject(file, reason) {
      if (!posts.delete(file)) return; // already taken off, by a concurrent request
      skip(file, reason);
      parser.remove([file]);
      update([{ file, post: null }]);
    },
    async close() {
      closed = true;
      clearTimeout(scheduleTimer);
      clearTimeout(settleTimer);
      clearTimeout(maxWaitTimer);
      clearTimeout(reconcileTimer);
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      publicWatcher?.close();
      postsWatcher?.close();
      linkWatcher?.close();
      dataWatcher?.close();
      // Batches waiting for a load that close cut short end now, instead of never.
      endLoad();
      await applying;
      parser.close();
    },
  };
}
