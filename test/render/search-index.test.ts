import t from 'tap';
import { buildIndex } from '../../src/content/build-index.js';
import type { Post } from '../../src/content/post.js';
import { createSearchIndex, normalizeQuery } from '../../src/render/search-index.js';

function post(i: number, title: string): Post {
  const day = String((i % 28) + 1).padStart(2, '0');
  return {
    file: `p${i}.md`, title, date: new Date(`2025-09-${day}T10:00:00Z`), localDate: { year: '2025', month: '09', day },
    updated: null, modified: new Date(0), authors: [], categories: [], tags: [], excerpt: null, image: null,
    featured: false, hidden: false, draft: false, slug: `p${i}`, permalink: null, url: `/2025/09/${day}/p${i}/`, body: `Body of story ${i}.`,
  };
}

t.test('a large index is built in slices and searched', async (t) => {
  const posts = Array.from({ length: 450 }, (_, i) => post(i, i === 7 ? 'Lighthouse keeper retires' : `Routine report ${i}`));
  const snapshot = buildIndex(posts, new Date('2026-01-01Z'));
  const index = createSearchIndex(() => '');
  t.same((await index.search(snapshot, 'lighthouse')).map((p) => p.file), ['p7.md']);
  t.ok(index.has(snapshot, 'lighthouse'));
  t.notOk(index.has(snapshot, 'keeper'));
  t.equal((await index.search(snapshot, 'routine')).length, 200, 'at most 200 results');
});

t.test('remembered results are bounded, and belong to one snapshot', async (t) => {
  const first = buildIndex([post(1, 'Alpha story'), post(2, 'Beta story')], new Date('2026-01-01Z'));
  const index = createSearchIndex(() => '');
  for (let i = 0; i < 501; i++) await index.search(first, `query${i}`);
  t.ok(index.has(first, 'query500'));
  t.notOk(index.has(first, 'query0'), 'the oldest were forgotten');
  const second = buildIndex([post(1, 'Alpha story'), post(3, 'Gamma story')], new Date('2026-01-01Z'), first);
  // Searches on two snapshots at once: each answers from its own.
  const [a, b] = await Promise.all([index.search(first, 'beta'), index.search(second, 'gamma')]);
  t.same(a.map((p) => p.file), ['p2.md']);
  t.same(b.map((p) => p.file), ['p3.md']);
  t.notOk(index.has(first, 'beta'), 'results of an older snapshot are not kept');
  t.same((await index.search(second, 'beta')).map((p) => p.file), [], 'a removed post is gone');
});

t.test('short words: no prefix or typo matching; single letters are not searched', async (t) => {
  const snapshot = buildIndex([post(1, 'AI rules for schools'), post(2, 'Air quality report'), post(3, 'A day at sea')], new Date('2026-01-01Z'));
  const index = createSearchIndex(() => '');
  t.same((await index.search(snapshot, 'ai')).map((p) => p.file), ['p1.md'], 'exact for two letters: not "air"');
  t.same((await index.search(snapshot, 'a')).map((p) => p.file), [], 'a single letter finds nothing');
  t.same((await index.search(snapshot, 'a a a')).map((p) => p.file), []);
  t.same((await index.search(snapshot, 'qualiti')).map((p) => p.file), ['p2.md'], 'typo tolerant from four letters');
  const { searchTerms, MAX_QUERY_TERMS } = await import('../../src/render/search-index.js');
  t.same(searchTerms('The the THE harbour, a b'), ['the', 'harbour']);
  t.equal(searchTerms('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10').length, MAX_QUERY_TERMS);
});

t.test('normalizeQuery', async (t) => {
  t.equal(normalizeQuery('  a \n b\t'), 'a b');
  t.equal(normalizeQuery(['x']), '');
  t.equal(normalizeQuery(undefined), '');
  t.equal(normalizeQuery('x'.repeat(500)).length, 200);
});
