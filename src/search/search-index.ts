// Full-text search over the published posts, as the search page asks it: the query's
// words go to the parse workers, each of which holds the index of the files it reads
// (built while the posts load, kept in step with every change), and the hits come back
// as posts of the current index, published ones only. Results are remembered per index
// snapshot, so paging through them searches once.
import type { IndexSnapshot } from '../content/build-index.js';
import type { Post } from '../content/post.js';
import type { Hit } from './search-shard.js';
import { searchTerms } from './search-text.js';

const MAX_RESULTS = 200;
/** Recent queries' results kept per snapshot. */
const REMEMBERED_QUERIES = 500;

export interface SearchIndex {
  /** Published posts matching every word of `query` (prefix and typo tolerant), best first. */
  search(snapshot: IndexSnapshot, query: string): Promise<readonly Post[]>;
  /** Whether the results for `query` are at hand (searched already for this snapshot). */
  has(snapshot: IndexSnapshot, query: string): boolean;
}

export function createSearchIndex(find: (terms: readonly string[], limit: number) => Promise<Hit[]>): SearchIndex {
  let remembered = { snapshot: null as IndexSnapshot | null, results: new Map<string, readonly Post[]>() };
  return {
    has: (snapshot, query) => remembered.snapshot === snapshot && remembered.results.has(query),
    async search(snapshot, query) {
      if (remembered.snapshot !== snapshot) remembered = { snapshot, results: new Map() };
      const known = remembered.results.get(query);
      if (known) return known;
      const terms = searchTerms(query);
      // Drafts and scheduled posts are indexed too (they are read like any post): a
      // little more than the page needs is asked for, then only published ones kept.
      const hits = terms.length === 0 ? [] : await find(terms, MAX_RESULTS + 50);
      const results: Post[] = [];
      for (const [file] of hits) {
        const post = snapshot.byFile.get(file);
        if (post && snapshot.byUrl.get(post.url) === post) results.push(post);
        if (results.length === MAX_RESULTS) break;
      }
      if (remembered.snapshot === snapshot) {
        if (remembered.results.size >= REMEMBERED_QUERIES) remembered.results.clear();
        remembered.results.set(query, results);
      }
      return results;
    },
  };
}
