// Worker thread that reads and parses post files, and holds the search index of the
// files it reads. Startup reads every file of a large folder: parsing (and indexing)
// on every core gets the site ready sooner, and searches run here, off the main
// thread. Only what the index keeps goes back to the main thread; the body is indexed
// here and dropped.
import { parentPort } from 'node:worker_threads';
import { createSearchShard, type SearchShard } from '../search/search-shard.js';
import { toSearchDocument } from '../search/search-text.js';
import { loadPost } from './load-posts.js';
import type { WireLoad, WorkerReply, WorkerRequest } from './parse-messages.js';

const shards = new Map<number, SearchShard>();

function shardOf(site: number): SearchShard {
  let shard = shards.get(site);
  if (!shard) {
    shard = createSearchShard();
    shards.set(site, shard);
  }
  return shard;
}

function handle(message: WorkerRequest): WorkerReply | null {
  switch (message.type) {
    case 'parse': {
      const shard = shardOf(message.site);
      const loads = message.files.map((file): WireLoad => {
        const result = loadPost(file, message.options, message.options);
        if (!result.ok) return { ok: false, file, reason: result.error.reason, code: result.error.code };
        const { post, body, warnings } = result.parsed;
        shard.upsert(toSearchDocument(post, body));
        return { ok: true, post, warnings, encoding: result.encoding, repaired: result.repaired };
      });
      return { type: 'parsed', id: message.id, loads };
    }
    case 'remove': {
      const shard = shardOf(message.site);
      for (const file of message.files) shard.remove(file);
      return null;
    }
    case 'settle':
      shardOf(message.site).settle();
      return null;
    case 'search':
      return { type: 'found', id: message.id, hits: shardOf(message.site).search(message.terms, message.limit) };
    case 'drop':
      shards.delete(message.site);
      return null;
  }
}

parentPort!.on('message', (message: WorkerRequest) => {
  const reply = handle(message);
  if (reply) parentPort!.postMessage(reply);
});
