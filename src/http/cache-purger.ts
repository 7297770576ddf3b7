// Tells shared caches (Varnish with the xkey vmod, CACHE_PURGE_URLS) which cache keys an
// index update changed, so they can keep pages for a day (s-maxage) and still show an
// edit within a second. Purges run in the background: a page request never waits for
// one. Keys that arrive while a purge is on its way are merged into the next request,
// so a burst of updates costs a few requests, not one per update. Every replica sends
// its own purges after its own update: duplicates are harmless, and the last one comes
// from a replica that already shows the change (a cache refetch that reached a replica
// still behind is purged again), and only once that replica has answered the requests it
// began before the change (UpdateBarrier).
import fp from 'fastify-plugin';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { MISSING_KEY } from '../content/cache-keys.js';

/** Headers of a purge request, the xkey vmod's convention (deploy/varnish/default.vcl). */
export const HARD_HEADER = 'xkey-purge';
export const SOFT_HEADER = 'xkey-softpurge';

/**
 * Header values stay under this many bytes: Varnish refuses request headers past 8 KB
 * (http_req_hdr_len), name included. A purge of more keys is split into requests.
 */
export const MAX_KEYS_BYTES = 7_900;

export interface PurgeTuning {
  /** Waits before each retry of a failed purge; its length is the number of retries. */
  readonly retryDelaysMs: readonly number[];
  /** A purge request that takes longer has failed. */
  readonly timeoutMs: number;
}

const DEFAULT_TUNING: PurgeTuning = { retryDelaysMs: [200, 1_000, 5_000], timeoutMs: 3_000 };

/**
 * A post's own page (keys `pp-`, `b-`: an edit always names them) and 404s are removed
 * at once: a reader must never get the old version of an edited story, or a 404 for a
 * new one. Everything else is soft-purged: listings, feeds and sitemaps (their own keys,
 * and the cards `p-` they show) may be answered once more from the old copy while the
 * cache fetches the new one, so a busy front page never sends every reader to the
 * origin at the same moment.
 */
export function isHardKey(key: string): boolean {
  return key.startsWith('pp-') || key.startsWith('b-') || key === MISSING_KEY;
}

/** Space-separated header values, each within `maxBytes` (keys are ASCII). */
export function chunkKeys(keys: readonly string[], maxBytes = MAX_KEYS_BYTES): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const key of keys) {
    if (current && current.length + 1 + key.length > maxBytes) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current} ${key}` : key;
  }
  if (current) chunks.push(current);
  return chunks;
}

export interface PurgeObserver {
  /** A purge request succeeded (true) or was given up after its retries (false). */
  (ok: boolean): void;
}

class Endpoint {
  private readonly hard = new Set<string>();
  private readonly soft = new Set<string>();
  private running: Promise<void> | null = null;

  constructor(readonly url: string) {}

  add(keys: Iterable<string>): void {
    for (const key of keys) (isHardKey(key) ? this.hard : this.soft).add(key);
  }

  /** Starts sending what is pending, unless a send is under way (it takes it next). */
  kick(send: (url: string, hard: string[], soft: string[]) => Promise<void>): void {
    if (this.running) return;
    this.running = (async () => {
      while (this.hard.size > 0 || this.soft.size > 0) {
        const hard = [...this.hard];
        const soft = [...this.soft];
        this.hard.clear();
        this.soft.clear();
        await send(this.url, hard, soft);
      }
    })().finally(() => {
      this.running = null;
    });
  }

  get idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}

export class CachePurger {
  private readonly endpoints: Endpoint[];
  private readonly tuning: PurgeTuning;
  private readonly stop = new AbortController();
  private sent = 0;
  private failed = 0;

  constructor(
    urls: readonly string[],
    private readonly log: FastifyBaseLogger,
    private readonly observe: PurgeObserver = () => {},
    tuning: Partial<PurgeTuning> = {},
  ) {
    this.endpoints = urls.map((url) => new Endpoint(url));
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  /** Purges `keys` at every endpoint, in the background. */
  purge(keys: Iterable<string>): void {
    const list = [...keys];
    for (const endpoint of this.endpoints) {
      endpoint.add(list);
      endpoint.kick((url, hard, soft) => this.send(url, hard, soft));
    }
  }

  /** Requests that succeeded and that were given up, since start. */
  get stats(): { readonly sent: number; readonly failed: number } {
    return { sent: this.sent, failed: this.failed };
  }

  /** Resolves when nothing is being sent (tests; shutdown does not wait). */
  async settled(): Promise<void> {
    await Promise.all(this.endpoints.map((e) => e.idle));
  }

  /** Stops retrying and cancels requests in flight: a closing replica sends nothing more. */
  close(): void {
    this.stop.abort();
  }

  private async send(url: string, hard: string[], soft: string[]): Promise<void> {
    const hardChunks = chunkKeys(hard);
    const softChunks = chunkKeys(soft);
    // One request carries a chunk of each kind: a small update is a single request.
    for (let i = 0; i < Math.max(hardChunks.length, softChunks.length); i++) {
      const headers: Record<string, string> = {};
      if (hardChunks[i]) headers[HARD_HEADER] = hardChunks[i]!;
      if (softChunks[i]) headers[SOFT_HEADER] = softChunks[i]!;
      await this.sendOne(url, headers);
    }
  }

  private async sendOne(url: string, headers: Record<string, string>): Promise<void> {
    const keys = Object.values(headers).reduce((n, value) => n + value.split(' ').length, 0);
    let problem = '';
    for (let attempt = 0; attempt <= this.tuning.retryDelaysMs.length; attempt++) {
      if (attempt > 0 && !(await this.wait(this.tuning.retryDelaysMs[attempt - 1]!))) return;
      try {
        const signal = AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.tuning.timeoutMs)]);
        const response = await fetch(url, { method: 'PURGE', headers, signal });
        await response.body?.cancel();
        if (response.ok) {
          this.sent++;
          this.observe(true);
          this.log.debug({ endpoint: url, keys, attempt }, 'cache purged');
          return;
        }
        problem = `HTTP ${response.status}`;
        // Refused (not an allowed address, PURGE not configured): retrying cannot help.
        if (response.status >= 400 && response.status < 500 && response.status !== 429) break;
      } catch (err) {
        if (this.stop.signal.aborted) return;
        problem = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
      }
    }
    this.failed++;
    this.observe(false);
    this.log.warn({ endpoint: url, keys, problem }, 'cache purge failed: those pages stay cached until they expire');
  }

  /** Waits, unless closed meanwhile (false). */
  private wait(ms: number): Promise<boolean> {
    const signal = this.stop.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * Requests on the route path still being answered, counted by the number of updates
 * made when each began. A purge waits for those begun before its update: one of them may
 * still send a page of the old index (rendered, or a 304 for it), and a cache that
 * stores it after the purge keeps it as fresh, for a day. The hot path answers within
 * one event-loop turn: nothing it sends can straddle an update.
 */
export class UpdateBarrier {
  private updates = 0;
  /** Updates made when a request began -> requests begun then and not yet answered. */
  private readonly open = new Map<number, number>();
  private readonly waiting: { readonly update: number; readonly release: () => void }[] = [];

  /** A request began: pass the number to `end` once it is answered. */
  begin(): number {
    this.open.set(this.updates, (this.open.get(this.updates) ?? 0) + 1);
    return this.updates;
  }

  end(update: number): void {
    const left = this.open.get(update)! - 1;
    if (left > 0) this.open.set(update, left);
    else this.open.delete(update);
    this.releaseAnswered();
  }

  /** An update: resolves once the requests begun before it are answered, or after `maxMs`. */
  update(maxMs: number): Promise<void> {
    const update = ++this.updates;
    return new Promise((resolve) => {
      const entry = {
        update,
        release: () => {
          clearTimeout(timer);
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          resolve();
        },
      };
      // A client that reads a response slowly must not hold purges for long.
      const timer = setTimeout(entry.release, maxMs).unref();
      this.waiting.push(entry);
      this.releaseAnswered();
    });
  }

  private releaseAnswered(): void {
    const oldest = Math.min(...this.open.keys());
    for (const entry of this.waiting.filter((w) => w.update <= oldest)) entry.release();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Null unless CACHE_PURGE_URLS is set. */
    cachePurger: CachePurger | null;
  }
}

export interface PurgePluginOptions {
  readonly tuning?: Partial<PurgeTuning>;
}

async function cachePurgePlugin(app: FastifyInstance, options: PurgePluginOptions): Promise<void> {
  const urls = app.config.cachePurgeUrls;
  if (urls.length === 0) {
    app.decorate('cachePurger', null);
    return;
  }
  const purger = new CachePurger(urls, app.log.child({ component: 'purge' }), (ok) => app.metrics.purged(ok), options.tuning);
  app.decorate('cachePurger', purger);
  const barrier = new UpdateBarrier();
  app.addHook('onRequest', (_request, reply, done) => {
    const update = barrier.begin();
    reply.raw.once('close', () => barrier.end(update));
    done();
  });
  // Post bodies are cut at renderTimeoutMs: a request open longer is a slow reader.
  app.pageCache.onPurge((keys) => void barrier.update(app.config.renderTimeoutMs).then(() => purger.purge(keys)));
  app.addHook('onClose', async () => purger.close());
  app.log.info({ endpoints: urls.length }, 'shared caches are purged after every update');
}

export default fp(cachePurgePlugin, { name: 'cache-purge', dependencies: ['page-cache', 'metrics'] });
