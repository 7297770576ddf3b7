// The live content: the parsed posts by file, the files skipped and why, the public
// folder's files, and the current index snapshot. Every change builds a whole new
// snapshot and swaps it in one step, so a reader never sees a half-updated site.
// Follows the posts folder (and public/, for lead images): changes are batched (a
// burst of files becomes one or a few rebuilds) and a batch is read in full before any
// of it is applied; each batch also compares the folder's file list with what is known
// (an add or delete whose watch event was lost is still found); a file that fails to
// parse right after a change is retried before it counts as bad; and a timer publishes
// scheduled posts when their time comes.
import { setImmediate as nextTick } from 'node:timers/promises';
import { buildIndex, type IndexSnapshot } from './build-index.js';
import { leadImageOf } from './lead-image.js';
import { listPostFiles, listPublicFiles, loadPost, type LoadOptions, type LoadResult } from './load-posts.js';
import { compareText, type Post } from './post.js';
import { isPostFile } from './post-files.js';
import { watchPosts, type PostsWatcher } from './watch-posts.js';

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
  /** Follow changes in the posts folder (and the public folder). */
  readonly watch: boolean;
  /** Batching and retry delays; the defaults suit production, tests shorten them. */
  readonly timing?: Partial<Timing>;
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
}

const DEFAULT_TIMING: Timing = { settleMs: 60, maxWaitMs: 300, retryMs: 250, attempts: 3 };

export interface ContentStore {
  readonly snapshot: IndexSnapshot;
  readonly ready: boolean;
  /** Reads every post, builds the first index, then follows the folder; call once. */
  load(): Promise<void>;
  /** Resolves once the first index is built; rejects if that failed. */
  whenReady(): Promise<void>;
  status(): ContentStatus;
  /** Takes a post off the site (its body could not be rendered), until its file changes. */
  reject(file: string, reason: string): void;
  close(): Promise<void>;
}

/** Files read between two yields to the event loop. */
const CHUNK = 256;
/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createContentStore(options: ContentStoreOptions): ContentStore {
  const { log } = options;
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const now = () => new Date();
  const parseContext = { timeZone: options.timeZone };
  const posts = new Map<string, Post>();
  const skipped = new Map<string, string>();
  let publicFiles = listPublicFiles(options.publicDir);
  let snapshot = buildIndex([], now(), undefined, publicFiles);
  let ready = false;
  let closed = false;
  let lastUpdate: Date | null = null;
  const watchers: PostsWatcher[] = [];
  let scheduleTimer: NodeJS.Timeout | undefined;

  // Changed files waiting to be applied, and how often each has failed to parse.
  const pending = new Set<string>();
  let publicChanged = false;
  const failures = new Map<string, number>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let settleTimer: NodeJS.Timeout | undefined;
  let maxWaitTimer: NodeJS.Timeout | undefined;
  // Batches run one after another, each chained on the one before.
  let applying: Promise<void> = Promise.resolve();

  let resolveReady!: () => void;
  let rejectReady!: (err: unknown) => void;
  const readyPromise = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Settles when the first load ends, either way; batches wait for it. (Nobody may be
  // waiting on readyPromise yet; a failed load is still reported to whoever asks later.)
  const loaded = readyPromise.catch(() => {});

  function skip(file: string, reason: string): void {
    // Logged once per distinct problem, however often the file is retried or saved.
    if (skipped.get(file) !== reason) log.warn({ file, reason }, 'post skipped');
    skipped.set(file, reason);
  }

  /** Reads files without changing anything: a batch is read whole, then applied at once. */
  async function readFiles(files: readonly string[]): Promise<[string, LoadResult][]> {
    const results: [string, LoadResult][] = [];
    for (let i = 0; i < files.length; i += CHUNK) {
      for (const file of files.slice(i, i + CHUNK)) results.push([file, loadPost(file, options, parseContext)]);
      // Requests keep being answered (from the current snapshot) meanwhile.
      await nextTick();
    }
    return results;
  }

  /** Applies one file's result to `posts`/`skipped`; true if what the site shows may change. */
  function apply(file: string, result: LoadResult, final: boolean): boolean {
    if (result.ok) {
      const { post, warnings } = result.parsed;
      posts.set(file, post);
      skipped.delete(file);
      failures.delete(file);
      if (warnings.length > 0) log.warn({ file, warnings }, 'post loaded with warnings');
      if (result.encoding !== 'utf-8') log.info({ file, encoding: result.encoding }, 'post is not UTF-8: decoded');
      if (result.repaired) log.debug({ file }, 'mojibake repaired');
      return true;
    }
    if (result.error.code === 'ENOENT') {
      // Deleted (or renamed away): gone from the site at once.
      failures.delete(file);
      return posts.delete(file) || skipped.delete(file);
    }
    const failed = (failures.get(file) ?? 0) + 1;
    if (final || failed >= timing.attempts) {
      // Still bad after the retries: the new content is final, and invalid.
      failures.delete(file);
      skip(file, result.error.reason);
      return posts.delete(file);
    }
    // Maybe caught half-written: keep what was live and read it again shortly.
    failures.set(file, failed);
    log.debug({ file, attempt: failed, reason: result.error.reason }, 'post unreadable: retrying');
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      queue(file, true);
    }, timing.retryMs);
    retryTimers.add(timer);
    return false;
  }

  /** The files reported changed, plus every file added or removed that no event told of. */
  function changedFiles(): Set<string> {
    const files = new Set(pending);
    const listed = new Set(listPostFiles(options.postsDir));
    for (const file of listed) if (!posts.has(file) && !skipped.has(file) && !failures.has(file)) files.add(file);
    for (const file of [...posts.keys(), ...skipped.keys()]) if (!listed.has(file)) files.add(file);
    return files;
  }

  function rebuild(): void {
    snapshot = buildIndex(posts.values(), now(), snapshot, publicFiles);
    lastUpdate = now();
    armScheduleTimer();
  }

  function armScheduleTimer(): void {
    clearTimeout(scheduleTimer);
    const next = snapshot.nextScheduled;
    if (!next || closed) return;
    const wait = Math.min(Math.max(next.getTime() - Date.now(), 0), MAX_TIMER_MS);
    scheduleTimer = setTimeout(() => {
      const before = snapshot.posts.length;
      rebuild();
      if (snapshot.posts.length !== before) {
        log.info({ posts: snapshot.posts.length, version: snapshot.version }, 'scheduled posts published');
      }
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
    schedule();
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
    const started = performance.now();
    const files = [...changedFiles()].sort(compareText);
    pending.clear();
    const imagesChanged = publicChanged;
    publicChanged = false;
    const results = await readFiles(files);
    // From here on nothing yields: the batch lands in one step.
    let changed = imagesChanged;
    if (imagesChanged) publicFiles = listPublicFiles(options.publicDir);
    for (const [file, result] of results) changed = apply(file, result, false) || changed;
    if (!changed) return;
    rebuild();
    log.info(
      { files: files.length, posts: snapshot.posts.length, version: snapshot.version, ms: Math.round(performance.now() - started) },
      'index updated',
    );
  }

  function reportMissingImages(): void {
    const missing = snapshot.posts.filter((post) => post.image && !leadImageOf(snapshot, post));
    if (missing.length === 0) return;
    log.info(
      { count: missing.length, examples: missing.slice(0, 5).map((p) => p.file) },
      'posts whose lead image is not in the public folder are shown without one (until it is)',
    );
  }

  async function load(): Promise<void> {
    const started = performance.now();
    try {
      if (options.watch) {
        // Watch before listing, so a file added during the load is not missed.
        // OS-level failures (EMFILE, ENOSPC for inotify watches) cannot be provoked in tests.
        /* c8 ignore next */
        const onError = (err: unknown, folder: string) => log.error({ err, folder }, 'watching a folder failed');
        watchers.push(watchPosts(options.postsDir, (rel) => queue(rel), onError));
        watchers.push(
          watchPosts(options.publicDir, () => {
            publicChanged = true;
            schedule();
          }, onError),
        );
      }
      const files = listPostFiles(options.postsDir);
      const results = await readFiles(files);
      if (closed) return;
      // The first read of each file is final: nothing is live yet to fall back on.
      for (const [file, result] of results) apply(file, result, true);
      rebuild();
      ready = true;
      reportMissingImages();
      log.info(
        {
          posts: snapshot.posts.length,
          scheduled: snapshot.scheduled.length,
          skipped: skipped.size,
          watching: watchers.length > 0,
          ms: Math.round(performance.now() - started),
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
    load,
    whenReady: () => readyPromise,
    status: () => ({
      ready,
      watching: watchers.length > 0,
      posts: snapshot.posts.length,
      scheduled: snapshot.scheduled.length,
      drafts: [...posts.values()].filter((p) => p.draft).length,
      skipped: [...skipped].map(([file, reason]) => ({ file, reason })).sort((a, b) => compareText(a.file, b.file)),
      pending: pending.size + retryTimers.size,
      version: snapshot.version,
      lastUpdate,
    }),
    reject(file, reason) {
      if (!posts.delete(file)) return; // already taken off, by a concurrent request
      skip(file, reason);
      rebuild();
    },
    async close() {
      closed = true;
      clearTimeout(scheduleTimer);
      clearTimeout(settleTimer);
      clearTimeout(maxWaitTimer);
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      for (const watcher of watchers) watcher.close();
      await applying;
    },
  };
}
