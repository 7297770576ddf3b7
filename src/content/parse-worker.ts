// Worker thread that reads and parses post files, and holds the search index of the
// files it reads. Startup reads every file of a large folder: parsing (and indexing)
// on every core gets the site ready sooner, and searches run here, off the main
// thread. Only what the index keeps goes back to the main thread; the body is indexed
// here and dropped. What each file parsed into is also kept on disk (parse-cache.ts):
// a restart reads again only the files that changed. So is the search index, as it was
// when the first load settled: a restart indexes again only the files that changed
// since it was written.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { imageParts, readImage } from '../search/index-image.js';
import { createSearchShard, type SearchShard } from '../search/search-shard.js';
import { searchBodyOf, toSearchDocument } from '../search/search-text.js';
import { codeFingerprint } from './code-fingerprint.js';
import { loadPost, type LoadOptions } from './load-posts.js';
import { CACHE_FORMAT, ParseCache, sameStamp, settledStamp, STAMP, stampNumbers, type Chunk, type FileStamp, type SearchFields } from './parse-cache.js';
import type { WireLoad, WorkerReply, WorkerRequest, WorkerSetup } from './parse-messages.js';

const setup = workerData as WorkerSetup;
const shards = new Map<number, SearchShard>();
/** Each site's post cache; null once its settings changed while it ran (read in full from then on). */
const caches = new Map<number, ParseCache | null>();
/** Each cached site's first load, for the search index kept with its cache. */
const firstLoads = new Map<number, FirstLoad>();

interface FirstLoad {
  /** The index read back from the cache: each file's row, and the stamps of the versions it holds. */
  readonly rows: Map<string, number>;
  readonly stamps: Float64Array;
  /** Rows whose file this load found (unchanged, or indexed again). */
  readonly found: Uint8Array;
  /** The files indexed in this load, each with its row in `indexedStamps` (NaN there: not to be kept). */
  readonly indexed: Map<string, number>;
  /** Numbers, not objects: a first load notes every file. */
  readonly indexedStamps: number[];
  /** Changes the image could keep: files indexed with a stamp, or gone (a link or a racy file is indexed at every start). */
  keepable: number;
  /** Whether an image was read back. */
  readonly restored: boolean;
}

function shardOf(site: number): SearchShard {
  let shard = shards.get(site);
  if (!shard) {
    shard = createSearchShard();
    shards.set(site, shard);
  }
  return shard;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Everything that decides what a file parses into, besides its bytes. */
function cacheKeyOf(options: LoadOptions): string {
  const { postsDir, timeZone, maxPostBytes, sitePermalink, permalinkMode, readingRates } = options;
  const settings = [postsDir, timeZone, maxPostBytes, sitePermalink ?? null, permalinkMode ?? 'serve', readingRates?.words ?? null, readingRates?.cjk ?? null];
  return sha256(JSON.stringify([CACHE_FORMAT, codeFingerprint(), settings]));
}

function cacheOf(site: number, options: LoadOptions, first: boolean): ParseCache | null {
  if (!options.cacheDir) return null;
  const cache = caches.get(site);
  if (cache === null) return null;
  const key = cacheKeyOf(options);
  if (cache === undefined) {
    // A worker started after the site's first load (one replaced after a crash) would
    // never see it settle: it reads its files in full.
    /* c8 ignore next 4 */
    if (!first) {
      caches.set(site, null);
      return null;
    }
    // One file per posts folder and share of it; the settings are checked inside.
    const name = `${sha256(options.postsDir).slice(0, 24)}-${setup.index + 1}of${setup.count}.posts`;
    const opened = new ParseCache(path.join(options.cacheDir, name), key, (text) => parentPort!.postMessage({ type: 'note', site, text } satisfies WorkerReply));
    caches.set(site, opened);
    firstLoads.set(site, restoreIndex(site, opened));
    return opened;
  }
  if (cache.key === key) return cache;
  // `_config.yml` changed how posts are read: every file is read again anyway.
  cache.close();
  caches.set(site, null);
  return null;
}

/** The site's search index as the cache kept it, if it kept one that reads back whole. */
function restoreIndex(site: number, cache: ParseCache): FirstLoad {
  const empty: FirstLoad = { rows: new Map(), stamps: new Float64Array(0), found: new Uint8Array(0), indexed: new Map(), indexedStamps: [], keepable: 0, restored: false };
  const bytes = cache.readIndex();
  if (!bytes) return empty;
  try {
    const { image, extra: stamps } = readImage(bytes, STAMP);
    // Nothing was parsed for the site before its cache opened: the shard it replaces is empty.
    shards.set(site, createSearchShard(image));
    return { ...empty, rows: new Map(image.ids.map((file, row) => [file, row])), stamps, found: new Uint8Array(image.ids.length), restored: true };
  } catch {
    return empty; // damaged: built anew from the posts
  }
}

/** Notes the stamp of a file indexed in this load. */
function keepStamp(load: FirstLoad, file: string, stamp: FileStamp | null): void {
  load.indexed.set(file, load.indexedStamps.length / STAMP);
  load.indexedStamps.push(...(stamp ? stampNumbers(stamp) : [NaN, NaN, NaN, NaN, NaN]));
  if (stamp) load.keepable++;
}

/**
 * Indexes a file's fields, unless they come from the cache (`cached`) and the index read
 * back from it holds this very version of the file.
 */
function index(site: number, shard: SearchShard, file: string, [title, summary, terms, body]: SearchFields, stamp: FileStamp | null, cached: boolean): void {
  const load = firstLoads.get(site);
  if (load) {
    const row = load.rows.get(file);
    if (row !== undefined) {
      load.found[row] = 1;
      if (cached && stamp && sameStamp(load.stamps, row, stamp)) return;
    }
    keepStamp(load, file, stamp);
  }
  shard.upsert({ id: file, title, summary, terms, body });
}

/**
 * The end of a site's first load: files the index read back holds but this load did not
 * find are gone. Unless it was read back and nothing changed, the index is finished
 * (compacted: a start ranks alike with a cache, without one, and after changes) and
 * kept with the cache; not when the only files indexed again are links or files read
 * right after a write, which every start indexes again anyway.
 */
function settleIndex(site: number, shard: SearchShard, cache: ParseCache | null | undefined): void {
  const load = firstLoads.get(site);
  firstLoads.delete(site);
  for (const [file, row] of load?.rows ?? []) {
    if (load!.found[row] === 0) {
      shard.remove(file);
      load!.keepable++;
    }
  }
  if (load?.restored && load.indexed.size === 0 && load.keepable === 0) return shard.settle();
  shard.finish();
  if (!load || (load.restored && load.keepable === 0) || !cache?.writable) return;
  const image = shard.toImage();
  // Each file in it was either indexed in this load or read back unchanged.
  const stamps = new Float64Array(image.ids.length * STAMP);
  image.ids.forEach((file, row) => {
    const anew = load.indexed.get(file);
    const at = (anew ?? load.rows.get(file)!) * STAMP;
    stamps.set((anew !== undefined ? load.indexedStamps : load.stamps).slice(at, at + STAMP), row * STAMP);
  });
  cache.writeIndex(imageParts(image, stamps));
}

/** Reads and parses `files` (those the cache holds unchanged are taken from it). */
function parse(site: number, files: readonly string[], options: LoadOptions, shard: SearchShard, cache: ParseCache | null): Chunk {
  const stamps: (FileStamp | null)[] = [];
  let news = false;
  const fields: SearchFields[] = [];
  const loads = files.map((file): WireLoad => {
    const hit = cache?.lookup(file, absOf(options, file));
    if (hit) {
      index(site, shard, file, hit.fields, hit.stamp, true);
      stamps.push(hit.stamp);
      fields.push(hit.fields);
      return hit.load as WireLoad;
    }
    const result = loadPost(file, options, options);
    if (!result.ok) {
      stamps.push(null);
      fields.push(['', '', '', '']);
      return { ok: false, file, reason: result.error.reason, code: result.error.code };
    }
    const { post, body, warnings } = result.parsed;
    const doc = toSearchDocument(post, searchBodyOf(body));
    const searched: SearchFields = [doc.title, doc.summary, doc.terms, doc.body];
    // A link's own times are not its target's: a linked post is read every time.
    const stamp = result.linked ? null : settledStamp(result.stat, result.readAt);
    index(site, shard, file, searched, stamp, false);
    news ||= stamp !== null;
    stamps.push(stamp);
    fields.push(searched);
    return { ok: true, post, warnings, encoding: result.encoding, repaired: result.repaired };
  });
  const chunk = { files, stamps, fields, loads: serialize(loads) };
  cache?.add(chunk, news);
  return chunk;
}

const absOf = (options: LoadOptions, file: string) => path.join(options.postsDir, ...file.split('/'));

function handle(message: WorkerRequest): [WorkerReply, Uint8Array?] | null {
  switch (message.type) {
    case 'parse': {
      // The cache first: it may hold the site's search index.
      const cache = cacheOf(message.site, message.options, message.first);
      const shard = shardOf(message.site);
      let chunk = cache?.whole(message.files, (file) => absOf(message.options, file));
      if (chunk) chunk.files.forEach((file, i) => index(message.site, shard, file, chunk!.fields[i]!, chunk!.stamps[i]!, true));
      else chunk = parse(message.site, message.files, message.options, shard, cache);
      return [{ type: 'parsed', id: message.id, loads: chunk.loads }, chunk.loads];
    }
    case 'remove': {
      const shard = shardOf(message.site);
      for (const file of message.files) shard.remove(file);
      caches.get(message.site)?.forget(message.files);
      return null;
    }
    case 'settle': {
      const cache = caches.get(message.site);
      cache?.settle();
      settleIndex(message.site, shardOf(message.site), cache);
      return null;
    }
    case 'search':
      return [{ type: 'found', id: message.id, hits: shardOf(message.site).search(message.terms, message.limit) }];
    case 'drop':
      shards.delete(message.site);
      caches.get(message.site)?.close();
      caches.delete(message.site);
      firstLoads.delete(message.site);
      return null;
  }
}

/** The loads' bytes move to the main thread instead of being copied, when they are all of their memory. */
function movable(bytes: Uint8Array | undefined): ArrayBuffer[] {
  const whole = bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? [bytes.buffer as ArrayBuffer] : [];
}

parentPort!.on('message', (message: WorkerRequest) => {
  const reply = handle(message);
  if (reply) parentPort!.postMessage(reply[0], movable(reply[1]));
});
