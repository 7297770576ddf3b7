// Reads and parses post files on worker threads, one per core (two at most: the main
// thread has requests to answer), which also hold the search index. Each file belongs
// to one worker (by a hash of its path), so its search entry lives in one place and a
// change to it is always parsed where the old entry is. A large folder is sent in
// chunks, a few at a time per worker, so a search never waits behind a whole load.
// The main thread never parses.
import os from 'node:os';
import { deserialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Hit } from '../search/search-shard.js';
import type { LoadOptions, PostLoad } from './load-posts.js';
import type { WireLoad, WorkerReply, WorkerRequest, WorkerSetup } from './parse-messages.js';
import { Interner } from './interner.js';
import { compareText, type Post, type TermRef } from './post.js';
import { PostError } from './post-error.js';

/** Files per message: large enough that messaging is cheap, small enough to interleave. */
const CHUNK = 128;
/** Chunks handed to a worker at once; the rest wait here. */
const CHUNKS_OUT = 4;
const WORKERS = Math.max(1, Math.min(2, os.availableParallelism()));

// The worker is TypeScript under the test runner and JavaScript once built.
/* c8 ignore next */
const WORKER_URL = new URL(`./parse-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

type Request = Extract<WorkerRequest, { id: number }>;

class Slot {
  worker: Worker;
  /** Parse chunks not yet handed over. */
  readonly waiting: Request[] = [];
  chunksOut = 0;
  readonly replies = new Map<number, { resolve(reply: WorkerReply): void; reject(err: Error): void }>();

  constructor(private readonly pool: ParsePool, readonly index: number) {
    this.worker = this.start();
  }

  start(): Worker {
    const worker = new Worker(WORKER_URL, { workerData: { index: this.index, count: WORKERS } satisfies WorkerSetup });
    worker.on('message', (reply: WorkerReply) => this.receive(reply));
    // A crash (a bug, or memory) fails what was asked of it; the pool starts a new worker.
    /* c8 ignore next */
    worker.on('error', (err) => this.pool.crashed(this, err));
    worker.unref();
    return worker;
  }

  /** Sends a request now (searches, removals) or after the chunks before it (parses). */
  send(request: WorkerRequest): Promise<WorkerReply> | null {
    if (!('id' in request)) {
      this.worker.postMessage(request);
      return null;
    }
    const reply = new Promise<WorkerReply>((resolve, reject) => this.replies.set(request.id, { resolve, reject }));
    this.worker.ref(); // keep the process alive while something is asked of the worker
    if (request.type === 'parse') {
      this.waiting.push(request);
      this.pump();
    } else {
      this.worker.postMessage(request);
    }
    return reply;
  }

  private pump(): void {
    while (this.chunksOut < CHUNKS_OUT && this.waiting.length > 0) {
      this.chunksOut++;
      this.worker.postMessage(this.waiting.shift());
    }
  }

  private receive(reply: WorkerReply): void {
    if (reply.type === 'note') return this.pool.note(reply.site, reply.text);
    const waiter = this.replies.get(reply.id)!;
    this.replies.delete(reply.id);
    if (reply.type === 'parsed') {
      this.chunksOut--;
      this.pump();
    }
    if (this.replies.size === 0) this.worker.unref();
    waiter.resolve(reply);
  }
}

export interface ParseSite {
  /** Reads and parses `files`; every file's result, in the order given. Never rejects for a bad file. */
  load(files: readonly string[], options: LoadOptions): Promise<PostLoad[]>;
  /** Takes files out of the search index. */
  remove(files: readonly string[]): void;
  /** After a whole folder was read: the search index is put in its final form meanwhile. */
  settle(): void;
  /** The best `limit` hits of every worker's index, best first. */
  search(terms: readonly string[], limit: number): Promise<Hit[]>;
  /** Frees the site's search index in the workers. */
  close(): void;
}

class ParsePool {
  private slots: Slot[] | null = null;
  private nextId = 1;
  private nextSite = 1;
  /** Sites told when a worker (and its part of their search index) was lost, and what to log. */
  private readonly sites = new Map<number, SiteListeners>();

  /** Starts the workers ahead of the first load, so their start-up overlaps the app's. */
  warm(): Slot[] {
    this.slots ??= Array.from({ length: WORKERS }, (_, i) => new Slot(this, i));
    return this.slots;
  }

  private slotOf(file: string): Slot {
    const slots = this.warm();
    return slots[hashOf(file) % slots.length]!;
  }

  open(listeners: SiteListeners): ParseSite {
    const site = this.nextSite++;
    this.sites.set(site, listeners);
    // Until the first load settles, loads are its parts (parse-cache.ts).
    let settled = false;
    return {
      load: (files, options) => this.load(site, files, options, !settled),
      remove: (files) => {
        for (const [slot, own] of this.split(files)) slot.send({ type: 'remove', site, files: own });
      },
      settle: () => {
        settled = true;
        for (const slot of this.warm()) slot.send({ type: 'settle', site });
      },
      search: async (terms, limit) => {
        const replies = await Promise.all(this.warm().map((slot) => slot.send({ type: 'search', id: this.nextId++, site, terms, limit })!));
        // A search request is answered with hits (parse-worker.ts).
        const hits = replies.flatMap((reply) => (reply as Extract<WorkerReply, { type: 'found' }>).hits);
        // Best first; equal scores by file, so the order never depends on the workers.
        hits.sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
        return hits.slice(0, limit);
      },
      close: () => {
        this.sites.delete(site);
        for (const slot of this.warm()) slot.send({ type: 'drop', site });
      },
    };
  }

  private split(files: readonly string[]): Map<Slot, string[]> {
    const bySlot = new Map<Slot, string[]>();
    for (const file of files) {
      const slot = this.slotOf(file);
      const own = bySlot.get(slot);
      if (own) own.push(file);
      else bySlot.set(slot, [file]);
    }
    return bySlot;
  }

  private async load(site: number, files: readonly string[], options: LoadOptions, first: boolean): Promise<PostLoad[]> {
    const results = new Map<string, PostLoad>();
    const chunks: Promise<void>[] = [];
    for (const [slot, own] of this.split(files)) {
      for (let i = 0; i < own.length; i += CHUNK) {
        const request = { type: 'parse', id: this.nextId++, site, files: own.slice(i, i + CHUNK), options, first } as const;
        chunks.push(slot.send(request)!.then((reply) => {
          // A parse request is answered with loads (parse-worker.ts).
          const loads = deserialize((reply as Extract<WorkerReply, { type: 'parsed' }>).loads) as WireLoad[];
          loads.forEach((wire, j) => results.set(request.files[j]!, fromWire(wire)));
        }));
      }
    }
    await Promise.all(chunks);
    return files.map((file) => results.get(file)!);
  }

  /* c8 ignore start: a crash of a worker cannot be provoked from a post file */
  crashed(slot: Slot, err: Error): void {
    void slot.worker.terminate();
    for (const waiter of slot.replies.values()) waiter.reject(err);
    slot.replies.clear();
    slot.waiting.length = 0;
    slot.chunksOut = 0;
    slot.worker = slot.start();
    // The new worker's search index is empty: each site reads its files again.
    const owned = (file: string) => this.slotOf(file) === slot;
    for (const { onLost } of this.sites.values()) onLost(owned);
  }
  /* c8 ignore stop */

  note(site: number, text: string): void {
    // A note that arrives after its site closed has no one to tell.
    /* c8 ignore next */
    this.sites.get(site)?.onNote(text);
  }
}

/** FNV-1a: a fast, stable hash of a path, to pick its worker. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const shared = new ParsePool();

export interface SiteListeners {
  /**
   * A worker had to be replaced: the site should read again the files for which
   * `owned(file)` is true.
   */
  onLost(owned: (file: string) => boolean): void;
  /** A problem a worker met that the site should log (its post cache cannot be written). */
  onNote(text: string): void;
}

/** One site's use of the shared workers (tests run many sites in one process). */
export function openParseSite(listeners: SiteListeners): ParseSite {
  return shared.open(listeners);
}

// Posts of one site share few distinct sections, tags, authors and days: one object
// for each, instead of one per post as they arrive from the workers (about 50 MB for
// 100,000 posts).
const terms = new Interner<TermRef>(100_000);
const days = new Interner<Post['localDate']>(100_000);

function internTerm(ref: TermRef): TermRef {
  return terms.intern(`${ref.slug}\n${ref.name}`, ref);
}

/**
 * Interns a post just deserialized from a worker's message, in place: nothing else holds
 * it yet, and a copy of every post cost a tenth of the main thread's start.
 */
function intern(post: Post): Post {
  const own = post as { -readonly [K in keyof Post]: Post[K] };
  const { year, month, day } = post.localDate;
  own.localDate = days.intern(`${year}/${month}/${day}`, post.localDate);
  // The summary of a post with a plain excerpt is that excerpt: one string, not two.
  if (post.summary === post.excerpt) own.summary = post.excerpt;
  own.authors = post.authors.map(internTerm);
  own.categories = post.categories.map(internTerm);
  own.tags = post.tags.map(internTerm);
  return post;
}

function fromWire(wire: WireLoad): PostLoad {
  if (!wire.ok) return { ok: false, error: new PostError(wire.file, wire.reason, { code: wire.code }) };
  return { ok: true, post: intern(wire.post), warnings: wire.warnings, encoding: wire.encoding, repaired: wire.repaired };
}
