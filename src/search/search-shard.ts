// One part of the full-text index, held by a parse worker: the posts that worker reads
// (a fixed share of the files, by hash), so the index is built on every core while the
// posts load, and searching never runs on the main thread.
import { PostingsIndex, type Hit, type IndexImage } from './postings-index.js';
import type { SearchDocument } from './search-text.js';

export type { Hit, IndexImage };

export interface SearchShard {
  upsert(doc: SearchDocument): void;
  remove(id: string): void;
  /** Puts what was added in its final form. */
  settle(): void;
  /** Documents matching every word, best first, at most `limit`. */
  search(terms: readonly string[], limit: number): Hit[];
  /** The end of a first load: everything in its final form, statistics counted over every document. */
  finish(): void;
  /** The shard as it is now, to be read back by createSearchShard (compacted first). */
  toImage(): IndexImage;
  readonly size: number;
}

/** An empty shard, or one read back from an image (throws if the image does not hold together). */
export function createSearchShard(image?: IndexImage): SearchShard {
  const index = image ? PostingsIndex.fromImage(image) : new PostingsIndex();
  return {
    upsert: (doc) => index.add(doc),
    remove: (id) => index.remove(id),
    settle: () => index.settle(),
    search: (terms, limit) => (terms.length === 0 ? [] : index.search(terms, limit)),
    finish: () => index.finish(),
    toImage: () => index.toImage(),
    get size() {
      return index.size;
    },
  };
}
