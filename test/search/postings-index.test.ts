// The index against a plain matcher over the same documents: every word must match, as
// itself, as a prefix (3+ letters) or one edit away (4+ letters), whatever was added,
// replaced, removed and compacted in between.
import fc from 'fast-check';
import t from 'tap';
import { PostingsIndex } from '../../src/search/postings-index.js';
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
