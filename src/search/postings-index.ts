// A full-text index on flat typed arrays. Measured on 100,000 posts (README, Search):
// MiniSearch needed 30+ s of CPU and 550-700 MB to build and 100-400 ms a query,
// FlexSearch 16 s and p95 ~100 ms, SQLite FTS5 p95 40 ms plus a native build in the
// image; this index builds in a few seconds, holds ~80 MB and answers in ~1-2 ms, with
// the ranking of the MiniSearch configuration it replaces.
//
// Semantics: every query word must match (AND); a word of 3+ letters also matches the
// indexed words it begins (prefix), a word of 4+ letters those one edit away
// (substitution, insertion or deletion). Ranking: BM25+ per field with per-field idf,
// boosts title 6, summary 1.5, terms 1.5, body 1; prefix matches weigh less, by how much
// of the word was typed, typo matches 0.45.
//
// Layout. Words: a hash table of their numbers, so a word already known costs no string
// (building is mostly reading words). Postings (document, the word's count in each field
// packed 4 bits per field): compacted ranges per word; what was added since goes to an
// append-only log, which a search first turns into short per-word lists (or, when it is
// large, compacts); removed documents are marked and dropped at the next compaction. A
// compacted index can be kept on disk as an image of its arrays and read back (toImage,
// fromImage; index-image.ts) instead of being built again from the posts.
import { isWordChar, lowerCaseOf, type SearchDocument } from './search-text.js';

const FIELDS = ['title', 'summary', 'terms', 'body'] as const;
const FIELD_COUNT = FIELDS.length;
const BOOSTS = [6, 1.5, 1.5, 1] as const;
/** BM25+ parameters, as MiniSearch uses them. */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
const PREFIX_WEIGHT = 0.375;
const TYPO_WEIGHT = 0.45;
/** A short prefix expands to its most frequent words only. */
const MAX_PREFIX_WORDS = 64;
/** Counts saturate at 15 per field (4 bits): BM25 barely changes past a few. */
const MAX_COUNT = 15;
/** A log up to this many postings becomes per-word lists; a longer one is compacted. */
const SMALL_LOG = 50_000;
/** The log is compacted as it passes this many postings (about 8,000 posts): memory stays bounded. */
const MAX_LOG = 1 << 20;
/** Compact when the per-word lists hold this share of all postings. */
const COMPACT_SHARE = 0.25;

export type Hit = readonly [id: string, score: number];

/**
 * A compacted index as plain arrays, to keep on disk (parse-worker.ts): the vocabulary in
 * order, each word's postings, the documents and their field lengths. Everything else
 * (hashes, frequencies, norms) is derived from these when it is read back.
 */
export interface IndexImage {
  readonly words: readonly string[];
  /** The letters the typo expansion tries, sorted. */
  readonly alphabet: string;
  readonly start: Int32Array<ArrayBuffer>;
  readonly postDocs: Int32Array<ArrayBuffer>;
  readonly postCounts: Uint16Array<ArrayBuffer>;
  readonly ids: readonly string[];
  readonly fieldLengths: Uint16Array<ArrayBuffer>;
}

/** One query word: the indexed words it matches, with their weights, and how many postings. */
interface Expansion {
  readonly words: Map<number, number>;
  readonly postings: number;
}

export class PostingsIndex {
  // Vocabulary: word number -> text and hash; an open-addressing table hash -> number + 1.
  private words: string[] = [];
  private wordHashes = new Int32Array(1024);
  private table = new Int32Array(2048);
  /** Sorted for prefix ranges: compacted words, and words added since (sorted when asked). */
  private sortedWords: string[] = [];
  private newWords: string[] = [];
  private newWordsSorted = true;
  /** Every letter of the vocabulary; as a sorted string (made when asked) the typo expansion tries them in an order that does not depend on the order posts were read. */
  private letters = new Set<string>();
  private alphabet: string | null = '';

  // Documents: number -> id, and per document its field lengths and BM25 norms.
  private ids: string[] = [];
  private numbers = new Map<string, number>();
  private removed = new Uint8Array(0);
  private fieldLengths = new Uint16Array(0);
  private norms = new Float32Array(0);
  private averageLengths = [1, 1, 1, 1];

  // Postings: compacted ranges per word; per-word lists added since; and the log.
  private start = new Int32Array(1);
  private postDocs = new Int32Array(0);
  private postCounts = new Uint16Array(0);
  private recent = new Map<number, number[]>();
  private recentPostings = 0;
  private logWords = new Int32Array(4096);
  private logDocs = new Int32Array(4096);
  private logCounts = new Uint16Array(4096);
  private logLength = 0;
  /** Documents containing each word, in all and per field (4 per word). */
  private frequency = new Int32Array(1024);
  private fieldFrequency = new Int32Array(1024 * FIELD_COUNT);

  // Query scratch: a generation mark and a score per document; the documents that
  // matched all the words, collected as the last word's postings are visited.
  private marks = new Uint32Array(0);
  private scores = new Float32Array(0);
  private generation = 0;
  private matched = new Int32Array(1024);
  private matchedCount = 0;

  // Analysis scratch: per word, the document last counted and its packed counts there;
  // the words of the document being analyzed.
  private countedIn = new Int32Array(1024);
  private counts = new Uint16Array(1024);
  private docWords = new Int32Array(256);
  private docWordCount = 0;
  private analyzed = 0;
  /** Read back from an image: its first settle() runs the warm-up a compaction would have. */
  private unwarmed = false;

  /** Live documents. */
  get size(): number {
    return this.numbers.size;
  }

  /** The index as it would be compacted now (it is compacted first if it is not). */
  toImage(): IndexImage {
    if (this.logLength > 0 || this.recent.size > 0 || this.numbers.size !== this.ids.length) this.compact();
    return {
      words: this.words,
      alphabet: this.lettersInOrder(),
      start: this.start,
      postDocs: this.postDocs,
      postCounts: this.postCounts,
      ids: this.ids,
      fieldLengths: this.fieldLengths.slice(0, this.ids.length * FIELD_COUNT),
    };
  }

  /** An index from toImage(); throws if the image does not hold together (then it is built anew). */
  static fromImage(image: IndexImage): PostingsIndex {
    const { words, alphabet, start, postDocs, postCounts, ids, fieldLengths } = image;
    const fits =
      Array.isArray(words) && typeof alphabet === 'string' && Array.isArray(ids) && [...alphabet].every((letter, i, all) => i === 0 || all[i - 1]! < letter) &&
      start instanceof Int32Array && postDocs instanceof Int32Array && postCounts instanceof Uint16Array && fieldLengths instanceof Uint16Array &&
      start.length === words.length + 1 && start[0] === 0 && start[words.length] === postDocs.length &&
      postCounts.length === postDocs.length && fieldLengths.length === ids.length * FIELD_COUNT &&
      words.every((word, i) => typeof word === 'string' && word !== '' && (i === 0 || words[i - 1]! < word) && start[i]! <= start[i + 1]!) &&
      ids.every((id) => typeof id === 'string') && new Set(ids).size === ids.length &&
      postDocs.every((doc) => doc >= 0 && doc < ids.length);
    if (!fits) throw new Error('not an index image');
    const index = new PostingsIndex();
    index.ensureWords(words.length);
    words.forEach((word, id) => {
      index.wordHashes[id] = hashWord(word);
      index.frequency[id] = start[id + 1]! - start[id]!;
      for (let i = start[id]!; i < start[id + 1]!; i++) {
        for (let f = 0; f < FIELD_COUNT; f++) if ((postCounts[i]! >> (f * 4)) & MAX_COUNT) index.fieldFrequency[id * FIELD_COUNT + f]!++;
      }
    });
    index.words = [...words];
    index.sortedWords = [...words];
    index.letters = new Set(alphabet);
    index.alphabet = alphabet;
    index.rehash(Math.max(2048, 2 ** Math.ceil(Math.log2(words.length * 2 + 1))));
    index.start = start;
    index.postDocs = postDocs;
    index.postCounts = postCounts;
    index.ids = [...ids];
    index.numbers = new Map(ids.map((id, n) => [id, n]));
    index.ensureDocs(ids.length);
    index.fieldLengths.set(fieldLengths);
    index.measure();
    index.unwarmed = true;
    return index;
  }

  /** Adds a document, or replaces the one with the same id. */
  add(doc: SearchDocument): void {
    this.remove(doc.id);
    const n = this.ids.length;
    this.ids.push(doc.id);
    this.numbers.set(doc.id, n);
    this.ensureDocs(n + 1);
    this.analyze(doc, n);
    this.ensureLog(this.logLength + this.docWordCount);
    // Only logged here; frequencies are counted when the log is settled.
    for (let i = 0; i < this.docWordCount; i++) {
      const word = this.docWords[i]!;
      this.logWords[this.logLength] = word;
      this.logDocs[this.logLength] = n;
      this.logCounts[this.logLength++] = this.counts[word]!;
    }
    this.setNorms(n);
    if (this.logLength > MAX_LOG) this.compact();
  }

  remove(id: string): void {
    const n = this.numbers.get(id);
    if (n === undefined) return;
    this.removed[n] = 1;
    this.numbers.delete(id);
  }

  /**
   * Makes what was added searchable in its final form: small additions become per-word
   * lists, large ones (a whole folder at startup) are compacted. Searches do it first.
   */
  settle(): void {
    if (this.logLength === 0) {
      if (this.unwarmed) this.warm();
      return;
    }
    if (this.logLength > SMALL_LOG || this.recentPostings + this.logLength > this.postDocs.length * COMPACT_SHARE + SMALL_LOG) {
      this.compact();
      this.warm();
      return;
    }
    for (let i = 0; i < this.logLength; i++) {
      const word = this.logWords[i]!;
      const counts = this.logCounts[i]!;
      let list = this.recent.get(word);
      if (!list) this.recent.set(word, (list = []));
      list.push(this.logDocs[i]!, counts);
      this.frequency[word]!++;
      for (let f = 0; f < FIELD_COUNT; f++) if ((counts >> (f * 4)) & MAX_COUNT) this.fieldFrequency[word * FIELD_COUNT + f]!++;
    }
    this.recentPostings += this.logLength;
    this.logLength = 0;
    if (this.unwarmed) this.warm();
  }

  /**
   * The end of a first load: everything compacted, so the ranking's statistics are over
   * every document (as they are in an image read back), and the search code warmed up.
   */
  finish(): void {
    this.compact();
    this.warm();
  }

  /**
   * The best `limit` documents matching every word (from searchTerms: lower-cased, each
   * once), best first, with their scores.
   */
  search(words: readonly string[], limit: number): Hit[] {
    this.settle();
    const expansions: Expansion[] = [];
    for (const word of words) {
      const expansion = this.expand(word);
      if (expansion.words.size === 0) return [];
      expansions.push(expansion);
    }
    if (expansions.length === 0) return [];
    // Rarest word first: later words only visit documents that matched every one before.
    expansions.sort((a, b) => a.postings - b.postings);
    /* c8 ignore next 4: after some four billion query words the marks start over */
    if (this.generation > 0xfffffff0 - expansions.length) {
      this.marks.fill(0);
      this.generation = 0;
    }
    const first = this.generation + 1;
    this.generation += expansions.length;
    const live = Math.max(1, this.numbers.size);
    const idf = new Float64Array(FIELD_COUNT);
    this.matchedCount = 0;
    expansions.forEach((expansion, k) => {
      const lastWord = k === expansions.length - 1;
      for (const [word, weight] of expansion.words) {
        for (let f = 0; f < FIELD_COUNT; f++) {
          const n = this.fieldFrequency[word * FIELD_COUNT + f]!;
          idf[f] = BOOSTS[f]! * weight * Math.log(1 + (live - n + 0.5) / (n + 0.5));
        }
        this.eachPosting(word, (doc, counts) => this.visit(doc, counts, k === 0, lastWord, first + k, idf));
      }
    });
    // Their scores are whole once the last word's postings are all visited.
    const best = new TopDocuments(limit, this.scores, this.ids);
    for (let i = 0; i < this.matchedCount; i++) best.offer(this.matched[i]!);
    return best.sorted().map((doc) => [this.ids[doc]!, this.scores[doc]!] as const);
  }

  /**
   * A few searches of each kind (a word, two words, a prefix, a typo) on common words,
   * so the first readers' searches run optimised code rather than the interpreter's.
   */
  private warm(): void {
    this.unwarmed = false;
    const common = this.words
      .map((word, id) => [word, this.frequency[id]!] as const)
      .filter(([word]) => word.length >= 5)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([word]) => word);
    for (const word of common) {
      this.search([word], 10);
      this.search([word, common[0]!], 10);
      this.search([word.slice(0, 4)], 10);
      this.search([`${word.slice(0, 3)}x${word.slice(4)}`], 10);
    }
  }

  /** The indexed words `word` matches, with weights: itself, words it begins, words one edit away. */
  private expand(word: string): Expansion {
    const words = new Map<number, number>();
    const match = (candidate: string, weight: number) => {
      const id = this.wordNumber(candidate);
      if (id >= 0 && this.frequency[id]! > 0 && (words.get(id) ?? -1) < weight) words.set(id, weight);
    };
    match(word, 1);
    if (word.length >= 3) {
      let begun = this.wordsBeginning(word);
      if (begun.length > MAX_PREFIX_WORDS) {
        const often = (w: string) => this.frequency[this.wordNumber(w)]!;
        begun = begun.sort((a, b) => often(b) - often(a)).slice(0, MAX_PREFIX_WORDS);
      }
      for (const other of begun) if (other !== word) match(other, (PREFIX_WEIGHT * word.length) / other.length);
    }
    if (word.length >= 4) for (const other of this.oneEditAway(word)) match(other, TYPO_WEIGHT);
    let postings = 0;
    for (const id of words.keys()) postings += this.frequency[id]!;
    return { words, postings };
  }

  private eachPosting(word: number, visit: (doc: number, counts: number) => void): void {
    if (word + 1 < this.start.length) {
      for (let i = this.start[word]!, end = this.start[word + 1]!; i < end; i++) visit(this.postDocs[i]!, this.postCounts[i]!);
    }
    const list = this.recent.get(word);
    if (list) for (let i = 0; i < list.length; i += 2) visit(list[i]!, list[i + 1]!);
  }

  /**
   * Adds a word's score to a document that matched every word before it (mark = this
   * one - 1); at the last word, a document matched for the first time has matched all.
   */
  private visit(doc: number, counts: number, firstWord: boolean, lastWord: boolean, mark: number, idf: Float64Array): void {
    const seen = this.marks[doc]!;
    if (seen !== mark) {
      // Matched through another of this word's expansions already, or a first match.
      if (firstWord ? this.removed[doc] !== 0 : seen !== mark - 1) return;
      this.marks[doc] = mark;
      if (firstWord) this.scores[doc] = 0;
      if (lastWord) {
        if (this.matchedCount === this.matched.length) this.matched = grown(this.matched, this.matched.length * 2);
        this.matched[this.matchedCount++] = doc;
      }
    }
    let score = 0;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const count = (counts >> (f * 4)) & MAX_COUNT;
      if (count !== 0) score += idf[f]! * ((count * (K1 + 1)) / (count + this.norms[doc * FIELD_COUNT + f]!) + DELTA);
    }
    this.scores[doc]! += score;
  }

  /**
   * Reads the document's words (docWords) and their counts per field (counts), and
   * stores its field lengths. Each word is hashed as it is read, lower-cased character
   * by character; only a word never seen before becomes a string.
   */
  private analyze(doc: SearchDocument, n: number): void {
    const stamp = ++this.analyzed;
    this.docWordCount = 0;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const text = doc[FIELDS[f]!];
      let length = 0;
      let begin = -1;
      let hash = 0;
      for (let i = 0; i <= text.length; i++) {
        const code = i < text.length ? text.charCodeAt(i) : 32;
        if (isWordChar(code)) {
          if (begin < 0) {
            begin = i;
            hash = FNV_OFFSET;
          }
          hash = Math.imul(hash ^ lowerCaseOf(code), FNV_PRIME);
          continue;
        }
        if (begin < 0) continue;
        const word = this.wordOf(text, begin, i, hash);
        begin = -1;
        length++;
        if (this.countedIn[word] !== stamp) {
          this.countedIn[word] = stamp;
          this.counts[word] = 0;
          if (this.docWordCount === this.docWords.length) this.docWords = grown(this.docWords, this.docWords.length * 2);
          this.docWords[this.docWordCount++] = word;
        }
        if (((this.counts[word]! >> (f * 4)) & MAX_COUNT) < MAX_COUNT) this.counts[word]! += 1 << (f * 4);
      }
      this.fieldLengths[n * FIELD_COUNT + f] = Math.min(length, 0xffff);
    }
  }

  /** The number of the word text[begin, end) (lower-cased), added to the vocabulary if new. */
  private wordOf(text: string, begin: number, end: number, hash: number): number {
    const mask = this.table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot]!;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.wordHashes[id] === hash && sameWord(this.words[id]!, text, begin, end)) return id;
    }
    let word = '';
    for (let i = begin; i < end; i++) word += String.fromCharCode(lowerCaseOf(text.charCodeAt(i)));
    return this.addWord(word, hash);
  }

  /** The number of a lower-cased word, or -1. */
  private wordNumber(word: string): number {
    const hash = hashWord(word);
    const mask = this.table.length - 1;
    let slot = hash & mask;
    let entry = this.table[slot]!;
    while (entry !== 0 && this.words[entry - 1] !== word) {
      slot = (slot + 1) & mask;
      entry = this.table[slot]!;
    }
    return entry - 1; // -1 at an empty slot: not a word of the index
  }

  private addWord(word: string, hash: number): number {
    const id = this.words.length;
    this.words.push(word);
    this.ensureWords(id + 1);
    this.wordHashes[id] = hash;
    // Half full at most, so probes stay short.
    if (this.words.length * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.place(id);
    this.newWords.push(word);
    this.newWordsSorted = false;
    for (const letter of word) {
      if (!this.letters.has(letter)) {
        this.letters.add(letter);
        this.alphabet = null;
      }
    }
    return id;
  }

  private place(id: number): void {
    const mask = this.table.length - 1;
    let slot = this.wordHashes[id]! & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = id + 1;
  }

  private rehash(capacity: number): void {
    this.table = new Int32Array(capacity);
    for (let id = 0; id < this.words.length; id++) this.place(id);
  }

  private wordsBeginning(prefix: string): string[] {
    if (!this.newWordsSorted) {
      this.newWords.sort();
      this.newWordsSorted = true;
    }
    const out: string[] = [];
    for (const list of [this.sortedWords, this.newWords]) {
      for (let i = lowerBound(list, prefix); i < list.length && list[i]!.startsWith(prefix); i++) out.push(list[i]!);
    }
    return out;
  }

  private lettersInOrder(): string {
    return (this.alphabet ??= [...this.letters].sort().join(''));
  }

  /** Indexed words one substitution, insertion or deletion away from `word`. */
  private oneEditAway(word: string): string[] {
    const out = new Set<string>();
    const consider = (candidate: string) => {
      if (candidate !== word && this.wordNumber(candidate) >= 0) out.add(candidate);
    };
    for (let i = 0; i <= word.length; i++) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      if (tail) consider(head + tail.slice(1));
      for (const letter of this.lettersInOrder()) {
        if (tail && letter !== tail[0]) consider(head + letter + tail.slice(1));
        consider(head + letter + tail);
      }
    }
    return [...out];
  }

  private setNorms(n: number): void {
    for (let f = 0; f < FIELD_COUNT; f++) {
      const ratio = this.fieldLengths[n * FIELD_COUNT + f]! / this.averageLengths[f]!;
      this.norms[n * FIELD_COUNT + f] = K1 * (1 - B + B * ratio);
    }
  }

  /**
   * Rewrites every posting as compact ranges without removed documents (renumbered in
   * order), recounts frequencies and average lengths, and forgets words no document has.
   */
  compact(): void {
    const renumber = new Int32Array(this.ids.length).fill(-1);
    const ids: string[] = [];
    this.ids.forEach((id, n) => {
      if (this.removed[n] === 0) {
        renumber[n] = ids.length;
        ids.push(id);
      }
    });
    // Each word's live postings: ranges, then lists, then the log (all in document order).
    const sources = (visit: (word: number, doc: number, counts: number) => void) => {
      for (let word = 0; word + 1 < this.start.length; word++) {
        for (let i = this.start[word]!, end = this.start[word + 1]!; i < end; i++) visit(word, this.postDocs[i]!, this.postCounts[i]!);
      }
      for (const [word, list] of this.recent) for (let i = 0; i < list.length; i += 2) visit(word, list[i]!, list[i + 1]!);
      for (let i = 0; i < this.logLength; i++) visit(this.logWords[i]!, this.logDocs[i]!, this.logCounts[i]!);
    };
    const live = new Int32Array(this.words.length);
    sources((word, doc) => {
      if (renumber[doc]! >= 0) live[word]!++;
    });
    const kept = this.words.map((word, id) => [word, id] as const).filter(([, id]) => live[id]! > 0);
    kept.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const newNumber = new Int32Array(this.words.length).fill(-1);
    kept.forEach(([, id], word) => (newNumber[id] = word));
    const start = new Int32Array(kept.length + 1);
    kept.forEach(([, id], word) => (start[word + 1] = start[word]! + live[id]!));
    const total = start[kept.length]!;
    const postDocs = new Int32Array(total);
    const postCounts = new Uint16Array(total);
    const frequency = new Int32Array(Math.max(1024, kept.length));
    const fieldFrequency = new Int32Array(frequency.length * FIELD_COUNT);
    const at = start.slice(0, kept.length);
    sources((old, doc, counts) => {
      const n = renumber[doc]!;
      if (n < 0) return;
      const word = newNumber[old]!;
      const i = at[word]!++;
      postDocs[i] = n;
      postCounts[i] = counts;
      frequency[word]!++;
      for (let f = 0; f < FIELD_COUNT; f++) if ((counts >> (f * 4)) & MAX_COUNT) fieldFrequency[word * FIELD_COUNT + f]!++;
    });
    const hashes = new Int32Array(frequency.length);
    kept.forEach(([, id], word) => (hashes[word] = this.wordHashes[id]!));
    const lengths = new Uint16Array(ids.length * FIELD_COUNT);
    renumber.forEach((to, n) => {
      if (to >= 0) lengths.set(this.fieldLengths.subarray(n * FIELD_COUNT, (n + 1) * FIELD_COUNT), to * FIELD_COUNT);
    });

    this.words = kept.map(([word]) => word);
    this.wordHashes = hashes;
    this.sortedWords = this.words.slice();
    this.newWords = [];
    this.newWordsSorted = true;
    this.rehash(Math.max(2048, 2 ** Math.ceil(Math.log2(this.words.length * 2 + 1))));
    this.start = start;
    this.postDocs = postDocs;
    this.postCounts = postCounts;
    this.frequency = frequency;
    this.fieldFrequency = fieldFrequency;
    this.recent = new Map();
    this.recentPostings = 0;
    // The log grew with the folder being read: give that memory back.
    this.logLength = 0;
    this.logWords = new Int32Array(4096);
    this.logDocs = new Int32Array(4096);
    this.logCounts = new Uint16Array(4096);
    // Word numbers changed: the analysis scratch starts over.
    this.countedIn = new Int32Array(frequency.length);
    this.counts = new Uint16Array(frequency.length);
    this.ids = ids;
    this.numbers = new Map(ids.map((id, n) => [id, n]));
    this.removed = new Uint8Array(0);
    this.fieldLengths = new Uint16Array(0);
    this.norms = new Float32Array(0);
    this.marks = new Uint32Array(0);
    this.scores = new Float32Array(0);
    this.ensureDocs(ids.length);
    this.fieldLengths.set(lengths);
    this.measure();
  }

  /** Average field lengths over every document, and each document's norms from them. */
  private measure(): void {
    const count = this.ids.length;
    for (let f = 0; f < FIELD_COUNT; f++) {
      let sum = 0;
      for (let n = 0; n < count; n++) sum += this.fieldLengths[n * FIELD_COUNT + f]!;
      this.averageLengths[f] = sum / Math.max(1, count) || 1;
    }
    for (let n = 0; n < count; n++) this.setNorms(n);
  }

  /** Room for `count` documents in the per-document arrays (grown by a quarter at least). */
  private ensureDocs(count: number): void {
    if (count <= this.removed.length) return;
    const capacity = Math.max(count, Math.ceil(this.removed.length * 1.5) + 1024);
    this.removed = grown(this.removed, capacity);
    this.fieldLengths = grown(this.fieldLengths, capacity * FIELD_COUNT);
    this.norms = grown(this.norms, capacity * FIELD_COUNT);
    this.marks = grown(this.marks, capacity);
    this.scores = grown(this.scores, capacity);
  }

  private ensureWords(count: number): void {
    if (count <= this.frequency.length) return;
    const capacity = Math.max(count, this.frequency.length * 2);
    this.frequency = grown(this.frequency, capacity);
    this.fieldFrequency = grown(this.fieldFrequency, capacity * FIELD_COUNT);
    this.wordHashes = grown(this.wordHashes, capacity);
    this.countedIn = grown(this.countedIn, capacity);
    this.counts = grown(this.counts, capacity);
  }

  private ensureLog(count: number): void {
    if (count <= this.logWords.length) return;
    const capacity = Math.max(count, this.logWords.length * 2);
    this.logWords = grown(this.logWords, capacity);
    this.logDocs = grown(this.logDocs, capacity);
    this.logCounts = grown(this.logCounts, capacity);
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The hash the index computes while reading a word: FNV-1a over its lower-cased code units. */
function hashWord(word: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** Whether `word` (lower-cased) is text[begin, end) lower-cased. */
function sameWord(word: string, text: string, begin: number, end: number): boolean {
  if (word.length !== end - begin) return false;
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== lowerCaseOf(text.charCodeAt(begin + i))) return false;
  return true;
}

type NumberArray = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float32Array;

function grown<T extends NumberArray>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}

function lowerBound(list: readonly string[], value: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The best `limit` documents by score, as a min-heap. Ties go to the smaller id, not the
 * earlier document: numbers depend on the order posts were indexed, which a restart on
 * an index read back does not repeat.
 */
class TopDocuments {
  private readonly heap: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly scores: Float32Array,
    private readonly ids: readonly string[],
  ) {}

  private worse(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa < sb || (sa === sb && this.ids[a]! > this.ids[b]!);
  }

  offer(doc: number): void {
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(doc);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!this.worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (this.limit > 0 && this.worse(heap[0]!, doc)) {
      heap[0] = doc;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let least = i;
        if (left < heap.length && this.worse(heap[left]!, heap[least]!)) least = left;
        if (right < heap.length && this.worse(heap[right]!, heap[least]!)) least = right;
        if (least === i) break;
        [heap[i], heap[least]] = [heap[least]!, heap[i]!];
        i = least;
      }
    }
  }

  /** Best first. */
  sorted(): number[] {
    return [...this.heap].sort((a, b) => (this.worse(a, b) ? 1 : -1));
  }
}
