// The live content: the parsed posts by file, the files skipped and why, and the current
// index snapshot. Every change builds a whole new snapshot and swaps it in one step.
// Also owns the timer that publishes scheduled posts when their time comes.
import { setImmediate as nextTick } from 'node:timers/promises';
import { buildIndex, type IndexSnapshot } from './build-index.js';
import { listPostFiles, loadPost, publicFileChecker, type LoadOptions, type LoadResult } from './load-posts.js';
import { compareText, type Post } from './post.js';

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
  readonly posts: number;
  readonly scheduled: number;
  readonly drafts: number;
  readonly skipped: readonly SkippedFile[];
  readonly version: number;
  readonly lastUpdate: Date | null;
}

export interface ContentStoreOptions extends LoadOptions {
  readonly log: Logger;
}

export interface ContentStore {
  readonly snapshot: IndexSnapshot;
  readonly ready: boolean;
  /** Reads every post and builds the first index; call once. */
  load(): Promise<void>;
  /** Resolves once the first index is built; rejects if that failed. */
  whenReady(): Promise<void>;
  status(): ContentStatus;
  close(): void;
}

/** Files read between two yields to the event loop while loading. */
const LOAD_CHUNK = 256;
/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createContentStore(options: ContentStoreOptions): ContentStore {
  const { log } = options;
  const now = () => new Date();
  const posts = new Map<string, Post>();
  const skipped = new Map<string, string>();
  let snapshot = buildIndex([], now(), 0);
  let ready = false;
  let lastUpdate: Date | null = null;
  let scheduleTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let resolveReady!: () => void;
  let rejectReady!: (err: unknown) => void;
  const readyPromise = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Nobody may be waiting yet; a failed load is still reported to whoever asks later.
  readyPromise.catch(() => {});

  function record(result: LoadResult, missingImages: string[]): void {
    if (!result.ok) {
      const { file, reason } = result.error;
      posts.delete(file);
      skipped.set(file, reason);
      log.warn({ file, reason }, 'post skipped');
      return;
    }
    const { post, warnings, missingImage } = result.parsed;
    posts.set(post.file, post);
    skipped.delete(post.file);
    if (warnings.length > 0) log.warn({ file: post.file, warnings }, 'post loaded with warnings');
    if (result.encoding !== 'utf-8') log.info({ file: post.file, encoding: result.encoding }, 'post is not UTF-8: decoded');
    if (result.repaired) log.debug({ file: post.file }, 'mojibake repaired');
    if (missingImage) {
      missingImages.push(post.file);
      log.debug({ file: post.file, image: missingImage }, 'lead image not found: shown without it');
    }
  }

  function rebuild(): void {
    snapshot = buildIndex(posts.values(), now(), snapshot.version + 1);
    lastUpdate = now();
    armScheduleTimer();
  }

  function armScheduleTimer(): void {
    clearTimeout(scheduleTimer);
    const next = snapshot.nextScheduled;
    if (!next || closed) return;
    const wait = Math.min(Math.max(next.getTime() - now().getTime(), 0), MAX_TIMER_MS);
    scheduleTimer = setTimeout(() => {
      const before = snapshot.posts.length;
      rebuild();
      if (snapshot.posts.length !== before) {
        log.info({ posts: snapshot.posts.length, version: snapshot.version }, 'scheduled posts published');
      }
    }, wait);
    scheduleTimer.unref();
  }

  async function load(): Promise<void> {
    const started = performance.now();
    try {
      const files = listPostFiles(options.postsDir);
      const ctx = { timeZone: options.timeZone, imageExists: publicFileChecker(options.publicDir) };
      const missingImages: string[] = [];
      for (let i = 0; i < files.length; i += LOAD_CHUNK) {
        for (const file of files.slice(i, i + LOAD_CHUNK)) record(loadPost(file, options, ctx), missingImages);
        // Let /healthz and other requests through while a large folder loads.
        await nextTick();
        if (closed) return;
      }
      rebuild();
      ready = true;
      if (missingImages.length > 0) {
        log.info(
          { count: missingImages.length, examples: missingImages.slice(0, 5) },
          'posts whose lead image is not in the public folder are shown without one',
        );
      }
      log.info(
        {
          posts: snapshot.posts.length,
          scheduled: snapshot.scheduled.length,
          skipped: skipped.size,
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
      posts: snapshot.posts.length,
      scheduled: snapshot.scheduled.length,
      drafts: [...posts.values()].filter((p) => p.draft).length,
      skipped: [...skipped].map(([file, reason]) => ({ file, reason })).sort((a, b) => compareText(a.file, b.file)),
      version: snapshot.version,
      lastUpdate,
    }),
    close() {
      closed = true;
      clearTimeout(scheduleTimer);
    },
  };
}
