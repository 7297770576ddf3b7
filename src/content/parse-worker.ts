// Worker thread that reads and parses post files, and holds the search index of the
// files it reads. Startup reads every file of a large folder: parsing (and indexing)
// on every core gets the site ready sooner, and searches run here, off the main
// thread. Only what the index keeps goes back to the main thread; the body is indexed
// here and dropped. What each file parsed into is also kept on disk (parse-cache.ts):
// a restart reads again only the files that changed.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { createSearchShard, type SearchShard } from '../search/search-shard.js';
import { searchBodyOf, toSearchDocument } from '../search/search-text.js';
import { codeFingerprint } from './code-fingerprint.js';
import { loadPost, type LoadOptions } from './load-posts.js';
import { CACHE_FORMAT, ParseCache, settledStamp, type Chunk, type FileStamp, type SearchFields } from './parse-cache.js';
import type { WireLoad, WorkerReply, WorkerRequest, WorkerSetup } from './parse-messages.js';

const setup = workerData as WorkerSetup;
const shards = new Map<number, SearchShard>();
/** Each site's post cache; null once its settings changed while it ran (read in full from then on). */
const caches = new Map<number, ParseCache | null>();

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
    return opened;
  }
  if (cache.key === key) return cache;
  // `_config.yml` changed how posts are read: every file is read again anyway.
  cache.close();
  caches.set(site, null);
  return null;
}

function index(shard: SearchShard, file: string, [title, summary, terms, body]: SearchFields): void {
  shard.upsert({ id: file, title, summary, terms, body });
}

/** Reads and parses `files` (those the cache holds unchanged are taken from it). */
function parse(files: readonly string[], options: LoadOptions, shard: SearchShard, cache: ParseCache | null): Chunk {
  const stamps: (FileStamp | null)[] = [];
  let news = false;
  const fields: SearchFields[] = [];
  const loads = files.map((file): WireLoad => {
    const hit = cache?.lookup(file, absOf(options, file));
    if (hit) {
      index(shard, file, hit.fields);
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
    index(shard, file, searched);
    // A link's own times are not its target's: a linked post is read every time.
    const stamp = result.linked ? null : settledStamp(result.stat, result.readAt);
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
      const shard = shardOf(message.site);
      const cache = cacheOf(message.site, message.options, message.first);
      let chunk = cache?.whole(message.files, (file) => absOf(message.options, file));
      if (chunk) chunk.files.forEach((file, i) => index(shard, file, chunk!.fields[i]!));
      else chunk = parse(message.files, message.options, shard, cache);
      return [{ type: 'parsed', id: message.id, loads: chunk.loads }, chunk.loads];
    }
    case 'remove': {
      const shard = shardOf(message.site);
      for (const file of message.files) shard.remove(file);
      caches.get(message.site)?.forget(message.files);
      return null;
    }
    case 'settle':
      shardOf(message.site).settle();
      caches.get(message.site)?.settle();
      return null;
    case 'search':
      return [{ type: 'found', id: message.id, hits: shardOf(message.site).search(message.terms, message.limit) }];
    case 'drop':
      shards.delete(message.site);
      caches.get(message.site)?.close();
      caches.delete(message.site);
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
