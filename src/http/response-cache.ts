// Rendered responses (pages, feeds, sitemaps) by the URL that names them, each with the
// cache keys of what it shows and its header sets built once per content coding. An
// index update marks stale exactly the responses whose keys it names; the rest stay
// valid across updates. A stale response is kept (within the size bound) so that when
// it is rendered again with the same bytes it keeps its ETag, Last-Modified and
// compressed forms.
import { LRUCache } from 'lru-cache';
import { SITE_KEY } from '../content/cache-keys.js';
import type { Coding, Representation } from './representation.js';

export type Form = 'identity' | Coding;

/** What goes on the wire for one content coding. */
export interface Wire {
  readonly body: Buffer;
  readonly etag: string;
  /** Every header of a full response (security headers included), built once. */
  readonly headers: Readonly<Record<string, string>>;
  /** The same for a 304 (no content type or coding). */
  readonly notModified: Readonly<Record<string, string>>;
}

export interface CachedResponse {
  /** The URL path (and canonical query) it is cached under. */
  readonly key: string;
  readonly status: number;
  readonly rep: Representation;
  /** Cache keys of what it shows (cache-keys.ts); sent as surrogate keys too. */
  readonly keys: readonly string[];
  /** Built per coding on first use. */
  readonly wires: Partial<Record<Form, Wire>>;
  /** `X-Robots-Tag`, if any. */
  readonly robots?: string;
  /** The route that rendered it (`/:year/:month/:day/:slug/`): metrics name hits by it. */
  readonly route: string;
  /** Changes with the clock: shared caches get the short lifetime (cache-policy.ts). */
  readonly timely: boolean;
  /** Headers of its own (CORS), on full responses and 304s. */
  readonly headers?: Readonly<Record<string, string>>;
}

interface Slot {
  readonly response: CachedResponse;
  /** False once an update named one of its keys. */
  fresh: boolean;
  /** The SITE_KEY purge count it was rendered under: a purge of everything is one step. */
  readonly epoch: number;
}

export interface ResponseCacheOptions {
  /** Memory for responses, in bytes (all codings counted, roughly). */
  readonly maxBytes: number;
}

/** Renders a purge can overlap; past this many purged keys, overlapping renders are not kept. */
const MAX_TRACKED_PURGES = 50_000;

export class ResponseCache {
  private readonly slots: LRUCache<string, Slot>;
  /** Cache key -> the URLs whose responses carry it (fresh or not). */
  private readonly byKey = new Map<string, Set<string>>();
  private epoch = 0;
  /** Counts purges; a render remembers it at its start. */
  private purges = 0;
  /** Key -> the generation it was last purged in, while renders are in flight. */
  private readonly purgedAt = new Map<string, number>();
  private inFlight = 0;
  /** Generations before this one are forgotten: renders that began then are not kept. */
  private horizon = 0;

  constructor(options: ResponseCacheOptions) {
    this.slots = new LRUCache<string, Slot>({
      maxSize: options.maxBytes,
      // Room for the br and gzip forms made later (together about a third of the HTML).
      sizeCalculation: (slot) => Math.ceil(slot.response.rep.body.length * 1.4) + 500,
      // Replacements are unindexed by `store` itself, before the new keys go in.
      dispose: (slot, url, reason) => {
        if (reason !== 'set') this.unindex(slot.response, url);
      },
    });
  }

  /** Purges so far: a render that began at a lower count may have missed one. */
  get generation(): number {
    return this.purges;
  }

  /** The fresh response for `url`, if any: the hot path's one lookup. */
  fresh(url: string): CachedResponse | undefined {
    const slot = this.slots.get(url);
    return slot !== undefined && slot.fresh && slot.epoch === this.epoch ? slot.response : undefined;
  }

  /** The response last rendered for `url`, fresh or not: its bytes to compare with. */
  last(url: string): CachedResponse | undefined {
    return this.slots.peek(url)?.response;
  }

  /** Marks a render as started; pass the ticket to `store` when it is done. */
  begin(): number {
    this.inFlight++;
    return this.purges;
  }

  /**
   * Keeps a rendered response. If an update purged one of its keys while it was being
   * rendered (or it is `complete: false`), it is kept stale: it was right for the
   * request that asked, not for the next.
   */
  store(ticket: number, response: CachedResponse, complete = true): void {
    this.inFlight--;
    let fresh = complete && ticket >= this.horizon;
    if (fresh && ticket < this.purges) {
      const site = this.purgedAt.get(SITE_KEY);
      fresh = !(site !== undefined && site > ticket) && !response.keys.some((key) => (this.purgedAt.get(key) ?? -1) > ticket);
    }
    const previous = this.slots.peek(response.key);
    if (previous) this.unindex(previous.response, response.key);
    this.slots.set(response.key, { response, fresh, epoch: this.epoch });
    for (const key of response.keys) {
      if (key === SITE_KEY) continue;
      let urls = this.byKey.get(key);
      if (!urls) {
        urls = new Set();
        this.byKey.set(key, urls);
      }
      urls.add(response.key);
    }
    if (this.inFlight === 0) this.purgedAt.clear();
  }

  /** A render that failed: nothing to keep. */
  abandon(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.purgedAt.clear();
  }

  /** Marks stale every response that carries one of `keys`. */
  purge(keys: Iterable<string>): number {
    this.purges++;
    let count = 0;
    for (const key of keys) {
      if (this.inFlight > 0) this.purgedAt.set(key, this.purges);
      if (key === SITE_KEY) {
        this.epoch++;
        count = this.slots.size;
        continue;
      }
      const urls = this.byKey.get(key);
      if (!urls) continue;
      this.byKey.delete(key);
      for (const url of urls) {
        const slot = this.slots.peek(url);
        if (slot?.fresh) {
          slot.fresh = false;
          count++;
        }
      }
    }
    if (this.purgedAt.size > MAX_TRACKED_PURGES) {
      this.purgedAt.clear();
      this.horizon = this.purges;
    }
    return count;
  }

  private unindex(response: CachedResponse, url: string): void {
    for (const key of response.keys) {
      const urls = this.byKey.get(key);
      if (urls?.delete(url) && urls.size === 0) this.byKey.delete(key);
    }
  }
}
