// The index against a plain matcher over the same documents: every word must match, as
// itself, as a prefix (3+ letters) or one edit away (4+ letters), whatever was added,
// replaced, removed and compacted in between.
import fc from 'fast-check';
import t from 'tap';
import { imageParts, readImage } from '../../src/search/index-image.js';
import { PostingsIndex, type IndexImage } from '../../src/search/postings-index.js';
import { tokenize, type SearchDocument } from '../../src/search/search-text.js';

function oneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
}

function matches(doc: SearchDocument, query: string): boolean {
  const words = tokenize([doc.title, doc.summary, doc.terms, doc.body].join(' '));
  return words.some((w) => w === query || (query.length >= 3 && w.startsWith(query)) || (query.length >= 4 && oneEdit(query, w)));
}

const VOCABULARY = ['harbour', 'harbor', 'harbours', 'bridge', 'bridges', 'council', 'counsel', 'vote', 'votes', 'ai', 'air', 'café', 'tide', 'tides', 'tidal'];

t.test('the same documents as a plain matcher, through adds, replacements, removals and compactions', async (t) => {
  const text = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 6 }).map((w) => w.join(' '));
  const doc = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), title: text, summary: text, terms: text, body: text });
  const step = fc.oneof(
    doc.map((d) => ({ add: d })),
    fc.constantFrom('a', 'b', 'c', 'd').map((id) => ({ remove: id })),
    fc.constant({ compact: true as const }),
  );
  const query = fc.array(fc.constantFrom(...VOCABULARY, 'harb', 'tid', 'brxdge', 'counci', 'zzz', 'vo'), { minLength: 1, maxLength: 3 });
  const result = fc.check(
    fc.property(fc.array(step, { maxLength: 25 }), fc.array(query, { minLength: 1, maxLength: 5 }), (steps, queries) => {
      const index = new PostingsIndex();
      const live = new Map<string, SearchDocument>();
      for (const s of steps) {
        if ('add' in s) {
          index.add(s.add);
          live.set(s.add.id, s.add);
        } else if ('remove' in s) {
          index.remove(s.remove);
          live.delete(s.remove);
        } else {
          index.compact();
        }
      }
      if (index.size !== live.size) return false;
      return queries.every((words) => {
        const unique = [...new Set(words)];
        const expected = [...live.values()].filter((d) => unique.every((w) => matches(d, w))).map((d) => d.id).sort();
        const got = index.search(unique, 100).map(([id]) => id).sort();
        return JSON.stringify(got) === JSON.stringify(expected);
      });
    }),
    { numRuns: 500 },
  );
  t.notOk(result.failed, result.counterexample ? JSON.stringify(result.counterexample) : 'no counterexample');
});

t.test('ranking: a headline beats a body, an exact word beats a prefix or a typo', async (t) => {
  const index = new PostingsIndex();
  const doc = (id: string, title: string, body = '') => index.add({ id, title, summary: '', terms: '', body });
  doc('body', 'Weather', 'The harbour froze.');
  doc('title', 'Harbour news');
  doc('prefix', 'Harbours of the coast');
  doc('typo', 'Harbor plans');
  const ranked = index.search(['harbour'], 10).map(([id]) => id);
  t.equal(ranked[0], 'title', 'the exact word in a headline first');
  t.equal(ranked.at(-1), 'body', 'the body last');
  t.same(ranked.slice(1, 3).sort(), ['prefix', 'typo'], 'near matches in headlines between');
  t.same(index.search(['harbour'], 2).map(([id]) => id), ranked.slice(0, 2), 'at most the limit');
  t.same(index.search(['harbour'], 0), [], 'none asked for');
  t.same(index.search([], 10), []);
});

t.test('a short prefix expands to its most frequent words only', async (t) => {
  const index = new PostingsIndex();
  // 70 words beginning "par", one of them common.
  for (let i = 0; i < 70; i++) index.add({ id: `r${i}`, title: `par${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`, summary: '', terms: '', body: '' });
  for (let i = 0; i < 5; i++) index.add({ id: `c${i}`, title: 'parliament', summary: '', terms: '', body: '' });
  const hits = index.search(['par'], 200).map(([id]) => id);
  t.ok(hits.includes('c0'), 'the common word is among them');
  t.ok(hits.length < 75, `${hits.length} of 75: capped`);
});

t.test('compaction keeps results and forgets words no document has', async (t) => {
  const index = new PostingsIndex();
  for (let i = 0; i < 3000; i++) index.add({ id: `d${i}`, title: `story ${i % 7 === 0 ? 'lighthouse' : 'routine'}`, summary: '', terms: '', body: i === 0 ? 'zebracrossing' : '' });
  const before = index.search(['lighthouse'], 1000).map(([id]) => id).sort();
  for (let i = 0; i < 3000; i += 2) index.remove(`d${i}`);
  index.compact();
  t.same(index.search(['lighthouse'], 1000).map(([id]) => id).sort(), before.filter((id) => Number(id.slice(1)) % 2 === 1));
  t.same(index.search(['zebracrossing'], 10), [], 'a removed document\'s words are gone');
  t.equal(index.size, 1500);
});

t.test('a whole folder at once: the log is compacted on settle, and the vocabulary grows', async (t) => {
  const index = new PostingsIndex();
  const word = (i: number) => `w${i.toString(36)}x`;
  // 3,000 documents of 20 words from a vocabulary of 6,000: more than fits the first table.
  for (let d = 0; d < 3000; d++) {
    const words = Array.from({ length: 20 }, (_, k) => word((d * 7 + k * 301) % 6000));
    index.add({ id: `d${d}`, title: `story ${d % 3 === 0 ? 'harbour' : 'council'}`, summary: '', terms: '', body: words.join(' ') });
  }
  index.settle();
  t.equal(index.search(['harbour'], 5000).length, 1000);
  const some = index.search(['council'], 5).map(([id]) => id);
  t.equal(some.length, 5, 'the best five of 2,000');
  t.same(index.search([word(0)], 3000).length > 0, true);
  t.equal(index.search(['harbor'], 5000).length, 1000, 'a typo, checked against a large vocabulary');
  index.settle();
  index.add({ id: 'late', title: 'harbour late', summary: '', terms: '', body: '' });
  t.equal(index.search(['harbour'], 5000).length, 1001, 'a later addition is found (a small log becomes lists)');
});

t.test('words whose hashes collide stay two words', async (t) => {
  // Pairs with the same FNV-1a hash (found by search): same length, and different lengths.
  for (const [a, b] of [['w4pvu', 'wb3ea'], ['ablh66', 'ab1aai0']] as const) {
    const index = new PostingsIndex();
    index.add({ id: 'a', title: a, summary: '', terms: '', body: '' });
    index.add({ id: 'b', title: b, summary: '', terms: '', body: '' });
    t.same(index.search([a], 10).map(([id]) => id), ['a'], a);
    t.same(index.search([b], 10).map(([id]) => id), ['b'], b);
  }
});

t.test('a long document, and a log past its limit, are taken in', async (t) => {
  const index = new PostingsIndex();
  const many = Array.from({ length: 400 }, (_, i) => `word${i}q`).join(' ');
  index.add({ id: 'long', title: 'long', summary: '', terms: '', body: many });
  t.same(index.search(['word399q'], 10).map(([id]) => id), ['long'], 'more distinct words than the first scratch holds');
  // Some 1.2 million postings: the log is compacted as it passes about a million.
  for (let d = 0; d < 8000; d++) index.add({ id: `d${d}`, title: `title ${d}`, summary: '', terms: '', body: many.slice(0, 1100) });
  t.equal(index.search(['title'], 10_000).length, 8000);
});

t.test('an image read back searches like the index it was taken from, and takes changes like one built from the posts', async (t) => {
  const text = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 6 }).map((w) => w.join(' '));
  const doc = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), title: text, summary: text, terms: text, body: text });
  const step = fc.oneof(doc.map((d) => ({ add: d })), fc.constantFrom('a', 'b', 'c', 'd').map((id) => ({ remove: id })));
  const query = fc.array(fc.constantFrom(...VOCABULARY, 'harb', 'tid', 'brxdge', 'counci', 'vo'), { minLength: 1, maxLength: 3 }).map((w) => [...new Set(w)]);
  const apply = (index: PostingsIndex, steps: readonly ({ add: SearchDocument } | { remove: string })[], live: Map<string, SearchDocument>) => {
    for (const s of steps) {
      if ('add' in s) {
        index.add(s.add);
        live.set(s.add.id, s.add);
      } else {
        index.remove(s.remove);
        live.delete(s.remove);
      }
    }
  };
  const result = fc.check(
    fc.property(fc.array(step, { maxLength: 20 }), fc.array(step, { maxLength: 8 }), fc.array(query, { minLength: 1, maxLength: 5 }), (before, after, queries) => {
      const original = new PostingsIndex();
      const live = new Map<string, SearchDocument>();
      apply(original, before, live);
      // Through the bytes the worker writes, as a restart reads them.
      const restored = PostingsIndex.fromImage(readImage(Buffer.concat(imageParts(original.toImage(), new Float64Array(0))), 0).image);
      if (restored.size !== original.size) return false;
      if (!queries.every((words) => JSON.stringify(restored.search(words, 100)) === JSON.stringify(original.search(words, 100)))) return false;
      // Changes compacted in give what a build from the resulting posts (in another order) gives.
      apply(restored, after, live);
      restored.compact();
      const fresh = new PostingsIndex();
      for (const d of [...live.values()].reverse()) fresh.add(d);
      fresh.compact();
      // A small limit too: which of equal scores make the cut must not depend on the order either.
      return restored.size === live.size && queries.every((words) => [100, 2].every((limit) => JSON.stringify(restored.search(words, limit)) === JSON.stringify(fresh.search(words, limit))));
    }),
    { numRuns: 300 },
  );
  t.notOk(result.failed, result.counterexample ? JSON.stringify(result.counterexample) : 'no counterexample');
});

t.test('an image read back takes changes after it settles', async (t) => {
  const index = new PostingsIndex();
  for (let i = 0; i < 200; i++) index.add({ id: `d${i}`, title: `story ${i % 4 === 0 ? 'lighthouse' : 'routine'}`, summary: '', terms: '', body: 'keepers' });
  index.finish();
  const restored = PostingsIndex.fromImage(index.toImage());
  t.same(restored.search(['lighthouse'], 500), index.search(['lighthouse'], 500));
  const changed = PostingsIndex.fromImage(index.toImage());
  changed.add({ id: 'new', title: 'lighthouse keepers', summary: '', terms: '', body: '' });
  changed.remove('d0');
  changed.settle();
  const ids = changed.search(['lighthouse'], 500).map(([id]) => id);
  t.ok(ids.includes('new'), 'an addition is found');
  t.notOk(ids.includes('d0'), 'a removal is not');
  t.equal(ids.length, 50);
});

t.test('an image that does not hold together is refused', async (t) => {
  const index = new PostingsIndex();
  index.add({ id: 'a', title: 'harbour bridge', summary: '', terms: '', body: '' });
  index.add({ id: 'b', title: 'council vote', summary: '', terms: '', body: '' });
  const image = index.toImage();
  t.equal(PostingsIndex.fromImage(image).size, 2, 'the image as taken');
  const broken: [string, Partial<Record<keyof IndexImage, unknown>>][] = [
    ['words not a list', { words: 'harbour' }],
    ['words out of order', { words: [...image.words].reverse() }],
    ['a word repeated', { words: [image.words[0], ...image.words.slice(0, -1)] }],
    ['an empty word', { words: ['', ...image.words.slice(1)] }],
    ['a range too short', { start: image.start.slice(0, -1) }],
    ['ranges that go back', { start: Int32Array.from(image.start, (v, i) => (i === 1 ? image.postDocs.length : v)) }],
    ['postings of a document that is not there', { postDocs: Int32Array.from(image.postDocs, () => 7) }],
    ['counts missing', { postCounts: new Uint16Array(0) }],
    ['lengths of another number of documents', { fieldLengths: new Uint16Array(4) }],
    ['a document twice', { ids: ['a', 'a'] }],
    ['an id that is not text', { ids: ['a', 2] }],
    ['arrays of another kind', { start: Array.from(image.start) }],
    ['no alphabet', { alphabet: undefined }],
  ];
  for (const [what, change] of broken) t.throws(() => PostingsIndex.fromImage({ ...image, ...change } as IndexImage), /not an index image/, what);
});

t.test('typo candidates are tried in the same order whatever order the words came in', async (t) => {
  const docs = ['zebra crossing', 'abacus', 'crossings', 'crassing'].map((title, i) => ({ id: `d${i}`, title, summary: '', terms: '', body: '' }));
  const one = new PostingsIndex();
  const other = new PostingsIndex();
  for (const d of docs) one.add(d);
  for (const d of [...docs].reverse()) other.add(d);
  one.compact();
  other.compact();
  t.same(one.toImage().alphabet, other.toImage().alphabet);
  t.same(one.search(['crossing'], 10), other.search(['crossing'], 10));
});

t.test('equal scores are cut and ordered by id, not by the order documents came in', async (t) => {
  const doc = (id: string) => ({ id, title: 'Harbour news', summary: '', terms: '', body: '' });
  for (const order of [['c', 'a', 'b'], ['a', 'b', 'c'], ['b', 'c', 'a']]) {
    const index = new PostingsIndex();
    for (const id of order) index.add(doc(id));
    t.same(index.search(['harbour'], 2).map(([id]) => id), ['a', 'b'], order.join(''));
  }
  const again = new PostingsIndex();
  for (const id of ['a', 'b', 'c']) again.add(doc(id));
  again.add(doc('a')); // indexed again: now the last document
  t.same(again.search(['harbour'], 2).map(([id]) => id), ['a', 'b'], 'an entry indexed again');
});
