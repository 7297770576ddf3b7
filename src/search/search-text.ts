// What is searched and how a query is read, shared by the main thread (queries) and
// the parse workers (documents): one tokenizer on both sides.
import { cleanText, sliceText } from '../content/clean-text.js';
import type { Post } from '../content/post.js';

/**
 * The part of each body that is indexed: the first paragraph or two, enough to find a
 * story by what it is about (the title, summary, sections and tags are indexed whole).
 * Indexing costs about as much as parsing, and all of it happens at startup.
 */
const BODY_CHARS = 600;
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

/** The part of a Markdown body that is indexed (kept by the post cache instead of the body). */
export function searchBodyOf(body: string): string {
  // Markdown punctuation is not worth indexing; words are.
  return body.slice(0, BODY_CHARS).replace(/[#*_`>[\]()!|~-]+/g, ' ');
}

/** What is indexed of a post; `searchBody` is searchBodyOf(its body). */
export function toSearchDocument(post: Post, searchBody: string): SearchDocument {
  return {
    id: post.file,
    title: post.title,
    summary: post.summary,
    terms: [...post.categories, ...post.tags, ...post.authors].map((t) => t.name).join(' '),
    body: searchBody,
  };
}

// Whether a UTF-16 code unit is a letter, mark or digit, and its lower case, decided
// once per code unit: the index reads every character of every post it indexes, and a
// regular expression or toLowerCase per character is slow.
const WORD_CHAR = new Uint8Array(65536);
const LOWER = new Uint16Array(65536);
const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;

export function isWordChar(code: number): boolean {
  let known = WORD_CHAR[code]!;
  if (known === 0) WORD_CHAR[code] = known = LETTER_OR_DIGIT.test(String.fromCharCode(code)) ? 1 : 2;
  return known === 1;
}

/** The code unit in lower case (one code unit: `İ` reads as `i`). */
export function lowerCaseOf(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code + 32;
  if (code < 0x80) return code;
  let lower = LOWER[code]!;
  if (lower === 0) LOWER[code] = lower = String.fromCharCode(code).toLowerCase().charCodeAt(0);
  return lower;
}

/** Words: runs of letters, marks and digits (any script), lower-cased; as the index reads them. */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  let word = '';
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    if (isWordChar(code)) {
      word += String.fromCharCode(lowerCaseOf(code));
    } else if (word) {
      words.push(word);
      word = '';
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
