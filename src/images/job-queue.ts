// Bounded work: at most a few jobs at once (fewer of the costly kind), identical jobs
// shared while one runs, a bounded line of jobs waiting, and a deadline per job.
// Resizing a 12-megapixel photo takes a core for a second or more; without this a
// burst of first requests for new pictures would take every core from the pages.

export class QueueFullError extends Error {
  constructor(readonly queued: number) {
    super(`${queued} jobs already waiting`);
    this.name = 'QueueFullError';
  }
}

export class JobTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`job took longer than ${timeoutMs} ms`);
    this.name = 'JobTimeoutError';
  }
}

export interface JobQueueOptions {
  /** Jobs running at once. */
  readonly maxRunning: number;
  /** Costly jobs (AVIF encodes) running at once, within maxRunning. */
  readonly maxCostly?: number;
  /** Jobs waiting for a slot; past it run() rejects with QueueFullError. */
  readonly maxQueued: number;
  /**
   * Callers stop waiting for a running job after this long (JobTimeoutError). Its slot
   * stays taken until the work really ends, so a stuck job still counts against the
   * limit; the work itself must have its own deadline (sharp's timeout).
   */
  readonly timeoutMs?: number;
}

export interface JobQueueStats {
  /** Jobs started since the queue was made. */
  readonly started: number;
  readonly running: number;
  readonly queued: number;
}

export interface JobQueue {
  /**
   * Runs `work` when a slot is free, or joins the job already running or waiting under
   * `key` (the same key must always mean the same work and result type).
   */
  run<T>(key: string, work: () => Promise<T>, options?: { costly?: boolean }): Promise<T>;
  readonly stats: JobQueueStats;
}

interface Waiting {
  readonly costly: boolean;
  start(): void;
}

export function createJobQueue(options: JobQueueOptions): JobQueue {
  const maxCostly = options.maxCostly ?? options.maxRunning;
  const jobs = new Map<string, Promise<unknown>>();
  const waiting: Waiting[] = [];
  let running = 0;
  let runningCostly = 0;
  let started = 0;

  const canStart = (costly: boolean) => running < options.maxRunning && (!costly || runningCostly < maxCostly);

  function startNext(): void {
    // The first waiting job that fits: a cheap job may pass a costly one that cannot start yet.
    const index = waiting.findIndex((job) => canStart(job.costly));
    if (index === -1) return;
    const [job] = waiting.splice(index, 1);
    job!.start();
    startNext();
  }

  function run<T>(key: string, work: () => Promise<T>, runOptions: { costly?: boolean } = {}): Promise<T> {
    const existing = jobs.get(key);
    // Same key, same work: the caller's T is the T the job was started with.
    if (existing) return existing as Promise<T>;
    const costly = runOptions.costly ?? false;
    if (!canStart(costly) && waiting.length >= options.maxQueued) return Promise.reject(new QueueFullError(waiting.length));

    const job = new Promise<T>((resolve, reject) => {
      const start = () => {
        running++;
        if (costly) runningCostly++;
        started++;
        const timer = options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => reject(new JobTimeoutError(options.timeoutMs!)), options.timeoutMs);
        Promise.resolve()
          .then(work)
          .then(resolve, reject)
          .finally(() => {
            clearTimeout(timer);
            running--;
            if (costly) runningCostly--;
            startNext();
          });
      };
      if (canStart(costly)) start();
      else waiting.push({ costly, start });
    });
    jobs.set(key, job);
    // Forgotten once settled, either way: a failed or timed-out job can be tried again.
    const forget = () => jobs.delete(key);
    job.then(forget, forget);
    return job;
  }

  return {
    run,
    get stats() {
      return { started, running, queued: waiting.length };
    },
  };
}
