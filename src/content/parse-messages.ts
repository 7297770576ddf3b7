// The messages between the parse pool and its workers. Each worker also holds its share
// of every site's search index; all messages to a worker travel on one port, so a
// removal never overtakes the parse it follows.
import type { Hit } from '../search/search-shard.js';
import type { LoadOptions } from './load-posts.js';
import type { Post } from './post.js';

export type WorkerRequest =
  /** `first`: part of the site's first load (which ends with `settle`). */
  | { readonly type: 'parse'; readonly id: number; readonly site: number; readonly files: readonly string[]; readonly options: LoadOptions; readonly first: boolean }
  | { readonly type: 'remove'; readonly site: number; readonly files: readonly string[] }
  | { readonly type: 'settle'; readonly site: number }
  | { readonly type: 'search'; readonly id: number; readonly site: number; readonly terms: readonly string[]; readonly limit: number }
  | { readonly type: 'drop'; readonly site: number };

/** A PostLoad as it crosses the thread boundary: errors as plain data. */
export type WireLoad =
  | { readonly ok: true; readonly post: Post; readonly warnings: readonly string[]; readonly encoding: string; readonly repaired: boolean }
  | { readonly ok: false; readonly file: string; readonly reason: string; readonly code: string | undefined };

export type WorkerReply =
  /** `loads`: the WireLoad of each file, in order, serialized (v8) once for the post cache and the main thread. */
  | { readonly type: 'parsed'; readonly id: number; readonly loads: Uint8Array }
  | { readonly type: 'found'; readonly id: number; readonly hits: readonly Hit[] }
  /** Something the site should log (the post cache cannot be written). */
  | { readonly type: 'note'; readonly site: number; readonly text: string };

/** What each worker is told when it starts: which share of the files is its own. */
export interface WorkerSetup {
  readonly index: number;
  readonly count: number;
}
