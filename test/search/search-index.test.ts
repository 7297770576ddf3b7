import t from 'tap';
import { buildIndex } from '../../src/content/build-index.js';
import { postId } from '../../src/content/post-id.js';
import type { Post } from '../../src/content/post.js';
import { createSearchIndex } from '../../src/search/search-index.js';
import { createSearchShard } from '../../src/search/search-shard.js';
import { MAX_QUERY_TERMS, normalizeQuery, searchBodyOf, searchTerms, toSearchDocument } from '../../src/search/search-text.js';

function post(i: number, title: string, extra: Partial<Post> = {}): Post {
  const day = String((i % 28) + 1).padStart(2, '0');
  return {
    file: `p${i}.md`, id: postId(`p${i}.md`), title, date: new Date(`2025-09-${day}T10:00:00Z`), localDate: { year: '2025', month: '09', day },
    updated: null, modified: new Date(0), authors: [], categories: [], tags: [], excerpt: null, summary: '', image: null,
    featured: false, hidden: false, draft: false, slug: `p${i}`, permalink: null, url: `/2025/09/${day}/p${i}/`, titleFromHeading: false, bodyHash: '',
    redirectFrom: [], redirectTo: null, expires: null, sitemap: true, noindex: false, rating: null, toc: false, beforeToc: null, links: [],
    readingMinutes: 1,
    ...extra,
  };
}

function shardOf(posts: readonly Post[], body = (p: Post) => `Body of story ${p.file}.`) {
  const shard = createSearchShard();
  for (const p of posts) shard.upsert(toSearchDocument(p, searchBodyOf(body(p))));
  return shard;
}

const ids = (hits: readonly (readonly [string, number])[]) => hits.map(([id]) => id);

t.test('every word must match; headlines rank first; prefixes and one typo from 3 and 4 letters', async (t) => {
  const shard = shardOf([
    post(1, 'Harbour crossing approved', { tags: [{ name: 'Transport', slug: 'transport' }] }),
    post(2, 'Rowing eight wins silver', { summary: 'The crew trained on the harbour.' }),
    post(3, 'AI rules for schools'),
    post(4, 'Air quality report'),
  ]);
  t.same(ids(shard.search(['harbour'], 10)), ['p1.md', 'p2.md'], 'the headline match first');
  t.same(ids(shard.search(['harbour', 'crossing'], 10)), ['p1.md'], 'all words');
  t.same(ids(shard.search(['transport'], 10)), ['p1.md'], 'tags');
  t.same(ids(shard.search(['harb'], 10)).sort(), ['p1.md', 'p2.md'], 'a prefix');
  t.same(ids(shard.search(['harxour'], 10)).sort(), ['p1.md', 'p2.md'], 'one typo');
  t.same(ids(shard.search(['ai'], 10)), ['p3.md'], 'two letters: exact, not "air"');
  t.same(ids(shard.search(['qualiti'], 10)), ['p4.md']);
  t.same(shard.search([], 10), []);
  t.equal(shard.size, 4);
});

t.test('documents are replaced and removed', async (t) => {
  const shard = shardOf([post(1, 'Lighthouse restored')]);
  shard.upsert(toSearchDocument(post(1, 'Crossing approved'), searchBodyOf('Nothing about the sea.')));
  t.same(shard.search(['lighthouse'], 10), [], 'old words gone');
  t.same(ids(shard.search(['crossing'], 10)), ['p1.md']);
  shard.settle();
  t.same(ids(shard.search(['crossing'], 10)), ['p1.md'], 'settled: the same');
  shard.remove('p1.md');
  shard.remove('never-there.md');
  t.same(shard.search(['crossing'], 10), []);
  t.equal(shard.size, 0);
});

t.test('a shard finished and read back from its image answers alike', async (t) => {
  const shard = shardOf([post(1, 'Harbour crossing approved'), post(2, 'Rowing eight wins silver', { summary: 'On the harbour.' })]);
  shard.finish();
  const restored = createSearchShard(shard.toImage());
  t.equal(restored.size, 2);
  t.same(restored.search(['harbour'], 10), shard.search(['harbour'], 10));
  t.same(restored.search([], 10), []);
});

t.test('results are published posts of the snapshot, remembered per snapshot', async (t) => {
  const live = post(1, 'Alpha story');
  const later = post(2, 'Alpha later', { date: new Date('2999-01-01Z') });
  const draft = post(3, 'Alpha draft', { draft: true });
  const shard = shardOf([live, later, draft]);
  let asked = 0;
  const index = createSearchIndex(async (terms, limit) => {
    asked++;
    return shard.search(terms, limit);
  });
  const first = buildIndex([live, later, draft], new Date('2026-01-01Z'));
  t.same((await index.search(first, 'alpha')).map((p) => p.file), ['p1.md'], 'not scheduled posts or drafts');
  t.ok(index.has(first, 'alpha'));
  await index.search(first, 'alpha');
  t.equal(asked, 1, 'asked once');
  t.same(await index.search(first, 'a'), [], 'single letters are not searched');
  const second = buildIndex([live], new Date('2026-01-01Z'));
  t.notOk(index.has(second, 'alpha'), 'a new snapshot searches again');
  await index.search(second, 'alpha');
  t.equal(asked, 2);
  for (let i = 0; i < 501; i++) await index.search(second, `query${i}`);
  t.ok(index.has(second, 'query500'));
  t.notOk(index.has(second, 'query0'), 'the oldest were forgotten');
});

t.test('at most 200 results', async (t) => {
  const posts = Array.from({ length: 260 }, (_, i) => post(i, `Routine report ${i}`));
  const shard = shardOf(posts);
  const index = createSearchIndex(async (terms, limit) => shard.search(terms, limit));
  t.equal((await index.search(buildIndex(posts, new Date('2026-01-01Z')), 'routine')).length, 200);
});

t.test('queries', async (t) => {
  t.same(searchTerms('The the THE harbour, a b'), ['the', 'harbour']);
  t.same(searchTerms('Zürich café'), ['zürich', 'café'], 'letters of any script');
  t.equal(searchTerms('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10').length, MAX_QUERY_TERMS);
  t.equal(normalizeQuery('  a \n b\t'), 'a b');
  t.equal(normalizeQuery(['x']), '');
  t.equal(normalizeQuery(undefined), '');
  t.equal(normalizeQuery('x'.repeat(500)).length, 200);
});
