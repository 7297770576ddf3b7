// What is searched and how a query is read, shared by the main thread (queries) and
// the parse workers (documents): one tokenizer on both sides.
import { cleanText, sliceText } from '../content/clean-text.js';
import type { Post } from '../content/post.js';

/** The part of each body that is indexed: enough to find a story by what it is about. */
const BODY_CHARS = 1000;
const MAX_QUERY_LENGTH = 200;
/** Words searched at most; every word must match, so more adds cost, not precision. */
export const MAX_QUERY_TERMS = 8;

export interface SearchDocument {
  /** The post's file: results are looked up in the index by it. */
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** Sections, tags and authors, by name. */
  readonly terms: string;
  readonly body: string;
}

export function toSearchDocument(post: Post, body: string): SearchDocument {
  return {
    id: post.file,
    title: post.title,
    summary: post.summary,
    terms: [...post.categories, ...post.tags, ...post.authors].map((t) => t.name).join(' '),
    // Markdown punctuation is not worth indexing; words are.
    body: body.slice(0, BODY_CHARS).replace(/[#*_`>[\]()!|~-]+/g, ' '),
  };
}

// Whether a UTF-16 code unit is a letter or digit, decided once per code unit: the index
// scans every body character by character, and a regular expression per character is slow.
const WORD_CHAR = new Uint8Array(65536);
const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;

export function isWordChar(code: number): boolean {
  let known = WORD_CHAR[code]!;
  if (known === 0) WORD_CHAR[code] = known = LETTER_OR_DIGIT.test(String.fromCharCode(code)) ? 1 : 2;
  return known === 1;
}

/** Words: runs of letters, marks and digits (any script), lower-cased; as the index reads them. */
export function tokenize(text: string): string[] {
  const lower = text.toLowerCase();
  const words: string[] = [];
  let begin = -1;
  for (let i = 0; i <= lower.length; i++) {
    if (i < lower.length && isWordChar(lower.charCodeAt(i))) {
      if (begin < 0) begin = i;
    } else if (begin >= 0) {
      words.push(lower.slice(begin, i));
      begin = -1;
    }
  }
  return words;
}

/**
 * The words searched: lower-cased, each once, single letters left out (they match
 * everything), at most MAX_QUERY_TERMS.
 */
export function searchTerms(query: string): string[] {
  return [...new Set(tokenize(query).filter((w) => w.length >= 2))].slice(0, MAX_QUERY_TERMS);
}

/**
 * The query as searched: whitespace collapsed, at most MAX_QUERY_LENGTH characters, and
 * without the characters no page may show (it is shown on the results page).
 */
export function normalizeQuery(raw: unknown): string {
  return typeof raw === 'string' ? sliceText(cleanText(raw).replace(/\s+/g, ' ').trim(), MAX_QUERY_LENGTH) : '';
}
