// One part of the full-text index, held by a parse worker: the posts that worker reads
// (a fixed share of the files, by hash), so the index is built on every core while the
// posts load, and searching never runs on the main thread.
import { PostingsIndex, type Hit } from './postings-index.js';
import type { SearchDocument } from './search-text.js';

export type { Hit };

export interface SearchShard {
  upsert(doc: SearchDocument): void;
  remove(id: string): void;
  /** Puts what was added in its final form (after a whole folder was read). */
  settle(): void;
  /** Documents matching every word, best first, at most `limit`. */
  search(terms: readonly string[], limit: number): Hit[];
  readonly size: number;
}

export function createSearchShard(): SearchShard {
  const index = new PostingsIndex();
  return {
    upsert: (doc) => index.add(doc),
    remove: (id) => index.remove(id),
    settle: () => index.settle(),
    search: (terms, limit) => (terms.length === 0 ? [] : index.search(terms, limit)),
    get size() {
      return index.size;
    },
  };
}
