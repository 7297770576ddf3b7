// Full-text search over the published posts with MiniSearch: headline, summary,
// sections/tags/authors and the start of the body. Built on the first search (about
// 2 s for 10,000 posts, in slices so other requests keep being answered), then kept in
// step with the index by adding and discarding only the posts that changed.
import { setImmediate as nextTick } from 'node:timers/promises';
import MiniSearch from 'minisearch';
import type { IndexSnapshot } from '../content/build-index.js';
import { cleanText, sliceText } from '../content/clean-text.js';
import type { Post } from '../content/post.js';

/** The part of each body that is indexed: enough to find a story by what it is about. */
const BODY_CHARS = 1000;
/** Posts added between two yields to the event loop. */
const SLICE = 200;
const MAX_QUERY_LENGTH = 200;
const MAX_RESULTS = 200;
/** Words searched at most; every word must match, so more adds cost, not precision. */
export const MAX_QUERY_TERMS = 8;

interface SearchDocument {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly terms: string;
  readonly body: string;
}

export interface SearchIndex {
  /** Posts matching every word of `query` (prefix and typo tolerant), best first. */
  search(snapshot: IndexSnapshot, query: string): Promise<readonly Post[]>;
  /** Whether the results for `query` are at hand (searched already for this snapshot). */
  has(snapshot: IndexSnapshot, query: string): boolean;
}

/** Recent queries' results kept per snapshot: paging through results searches once. */
const REMEMBERED_QUERIES = 500;

export function createSearchIndex(excerpt: (post: Post) => string): SearchIndex {
  const mini = new MiniSearch<SearchDocument>({
    fields: ['title', 'summary', 'terms', 'body'],
    searchOptions: {
      boost: { title: 6, terms: 1.5, summary: 1.5 },
      // Prefix and typo matching expand a term into many; short terms would expand into
      // most of the index (a query of single letters took seconds on 10,000 posts).
      prefix: (term) => term.length >= 3,
      fuzzy: (term) => (term.length >= 4 ? 0.15 : false),
      combineWith: 'AND',
    },
  });
  /** What is in the MiniSearch index: file -> the post object indexed. */
  const indexed = new Map<string, Post>();
  let syncedWith: IndexSnapshot | null = null;
  // One sync at a time; a search waits for the one before it.
  let syncing: Promise<void> = Promise.resolve();
  let remembered = { snapshot: null as IndexSnapshot | null, results: new Map<string, readonly Post[]>() };

  const toDocument = (post: Post): SearchDocument => ({
    id: post.file,
    title: post.title,
    summary: excerpt(post),
    terms: [...post.categories, ...post.tags, ...post.authors].map((t) => t.name).join(' '),
    // Markdown punctuation is not worth indexing; words are.
    body: post.body.slice(0, BODY_CHARS).replace(/[#*_`>[\]()!|~-]+/g, ' '),
  });

  /** Brings the index in step with `snapshot`: O(posts), work only for changed ones. */
  async function sync(snapshot: IndexSnapshot): Promise<void> {
    if (syncedWith === snapshot) return;
    const live = new Set<string>();
    let added = 0;
    for (const post of snapshot.posts) {
      live.add(post.file);
      const before = indexed.get(post.file);
      if (before === post) continue;
      if (before) mini.discard(post.file);
      mini.add(toDocument(post));
      indexed.set(post.file, post);
      if (++added % SLICE === 0) await nextTick();
    }
    for (const file of indexed.keys()) {
      if (!live.has(file)) {
        mini.discard(file);
        indexed.delete(file);
      }
    }
    syncedWith = snapshot;
  }

  return {
    has: (snapshot, query) => remembered.snapshot === snapshot && remembered.results.has(query),
    async search(snapshot, query) {
      if (remembered.snapshot !== snapshot) remembered = { snapshot, results: new Map() };
      const known = remembered.results.get(query);
      if (known) return known;
      syncing = syncing.then(() => sync(snapshot));
      await syncing;
      const terms = searchTerms(query);
      const results = (terms.length === 0 ? [] : mini.search(terms.join(' ')))
        .slice(0, MAX_RESULTS)
        .map((hit) => snapshot.byFile.get(String(hit.id))!);
      if (remembered.snapshot === snapshot) {
        if (remembered.results.size >= REMEMBERED_QUERIES) remembered.results.clear();
        remembered.results.set(query, results);
      }
      return results;
    },
  };
}

/**
 * The words searched: MiniSearch's own tokenizing, lower-cased, each once, single
 * letters left out (they match everything), at most MAX_QUERY_TERMS.
 */
export function searchTerms(query: string): string[] {
  const words = MiniSearch.getDefault('tokenize')(query) as string[];
  return [...new Set(words.map((w) => w.toLowerCase()).filter((w) => w.length >= 2))].slice(0, MAX_QUERY_TERMS);
}

/**
 * The query as searched: whitespace collapsed, at most MAX_QUERY_LENGTH characters, and
 * without the characters no page may show (it is shown on the results page).
 */
export function normalizeQuery(raw: unknown): string {
  return typeof raw === 'string' ? sliceText(cleanText(raw).replace(/\s+/g, ' ').trim(), MAX_QUERY_LENGTH) : '';
}
