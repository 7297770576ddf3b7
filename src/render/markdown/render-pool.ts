// Renders Markdown in a worker thread with a time limit. Bodies are rendered on first
// request; a post whose body takes longer than the limit (pathological Markdown can be
// quadratic) has its worker terminated and replaced, and the caller is told, so the
// post can be taken off the site rather than stall every request behind it.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { MarkdownOptions } from './markdown.js';
import { READY, type BodyRequest, type RenderJob, type RenderResult, type WorkerData } from './render-messages.js';

export class RenderTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`rendering the body took longer than ${timeoutMs} ms (RENDER_TIMEOUT_MS)`);
    this.name = 'RenderTimeoutError';
  }
}

export class RenderFailedError extends Error {
  constructor(reason: string) {
    super(`rendering the body failed: ${reason}`);
    this.name = 'RenderFailedError';
  }
}

/** The post's file could not be read just now: the request should be retried, the post is fine. */
export class BodyUnavailableError extends Error {
  readonly statusCode = 503;
  constructor(reason: string) {
    super(`the body could not be read: ${reason}`);
    this.name = 'BodyUnavailableError';
  }
}

/** Too many bodies waiting for the worker: the request should be retried, the post is fine. */
export class RenderBusyError extends Error {
  readonly statusCode = 503;
  constructor() {
    super('too many post bodies waiting to be rendered');
    this.name = 'RenderBusyError';
  }
}

interface Job {
  readonly id: number;
  readonly body: BodyRequest;
  readonly options: MarkdownOptions;
  readonly timeoutMs: number;
  resolve(html: string): void;
  reject(err: Error): void;
}

/** Sample bodies a worker started ahead of the first page renders: about 0.2 s of its thread (jit-warm-up.ts). */
const WARM_UP_RENDERS = 150;

/** Bodies waiting for the worker, at most; a flood of first requests gets 503s, not memory. */
export const MAX_QUEUED = 500;

// The worker is TypeScript under the test runner and JavaScript once built.
/* c8 ignore next */
const WORKER_URL = new URL(`./markdown-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/**
 * One worker serves every app in the process (tests build many); jobs run one at a
 * time, in order. The worker keeps the process alive only while it has work.
 */
class RenderQueue {
  private worker: Worker | null = null;
  /** Results come back on this port, so a late reply can be drained synchronously. */
  private results: MessagePort | null = null;
  /** Resolves when the worker has loaded: time limits count from then, not from its start-up. */
  private online: Promise<unknown> = Promise.resolve();
  private readonly queue: Job[] = [];
  private current: { job: Job; timer?: NodeJS.Timeout } | null = null;
  private nextId = 1;

  render(body: BodyRequest, options: MarkdownOptions, timeoutMs: number): Promise<string> {
    if (this.queue.length >= MAX_QUEUED) return Promise.reject(new RenderBusyError());
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, body, options, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  warm(): void {
    if (this.worker) return;
    this.worker = this.start(WARM_UP_RENDERS);
    this.worker.unref();
    this.results!.unref();
  }

  /** `warmUpRenders`: none for a worker started by a waiting job (or replacing one that failed). */
  private start(warmUpRenders = 0): Worker {
    const { port1, port2 } = new MessageChannel();
    const workerData: WorkerData = { results: port2, warmUpRenders };
    // A body that needs more memory than this crashes the worker, not the server.
    const worker = new Worker(WORKER_URL, {
      workerData,
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    let loaded!: () => void;
    this.online = new Promise<void>((resolve) => (loaded = resolve));
    port1.on('message', (result: RenderResult | typeof READY) => (result === READY ? loaded() : this.finish(result)));
    // A crash (out of memory on a huge body) fails the job at hand; the next gets a new
    // worker. Not provoked in tests: the worker catches everything a render throws.
    /* c8 ignore next */
    worker.on('error', (err) => this.fail(new RenderFailedError(err.message)));
    this.results = port1;
    return worker;
  }

  private finish(result: RenderResult): void {
    const current = this.current!;
    clearTimeout(current.timer);
    this.current = null;
    if ('html' in result) current.job.resolve(result.html);
    else if ('unavailable' in result) current.job.reject(new BodyUnavailableError(result.unavailable));
    else current.job.reject(new RenderFailedError(result.error));
    this.pump();
  }

  private timeout(job: Job): void {
    // The main thread may have been busy past the limit while the reply sat waiting:
    // take it if it is there, and only stop the worker if it really is still rendering.
    const late = receiveMessageOnPort(this.results!);
    if (late) return this.finish(late.message as RenderResult);
    this.fail(new RenderTimeoutError(job.timeoutMs));
  }

  private fail(err: Error): void {
    const current = this.current!;
    clearTimeout(current.timer);
    this.current = null;
    void this.worker!.terminate();
    this.results!.close();
    this.worker = null;
    this.results = null;
    current.job.reject(err);
    this.pump();
  }

  private pump(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) {
      this.results?.unref();
      this.worker?.unref();
      return;
    }
    this.worker ??= this.start();
    this.worker.ref();
    this.results!.ref();
    const current: { job: Job; timer?: NodeJS.Timeout } = { job };
    this.current = current;
    void this.online.then(() => {
      if (this.current === current) current.timer = setTimeout(() => this.timeout(job), job.timeoutMs);
    });
    const message: RenderJob = { id: job.id, body: job.body, options: job.options };
    this.worker.postMessage(message);
  }
}

const shared = new RenderQueue();

export function renderInWorker(body: BodyRequest, options: MarkdownOptions, timeoutMs: number): Promise<string> {
  return shared.render(body, options, timeoutMs);
}

/** Starts the worker ahead of the first page, so its start-up is not a reader's wait. */
export function warmRenderWorker(): void {
  shared.warm();
}
