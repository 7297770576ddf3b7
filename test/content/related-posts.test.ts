// Related stories in the index: what ranks first, what never appears, and updates that
// always agree with a list computed from scratch (so the lists never depend on the order
// changes came in), naming exactly the pages whose list changed.
import fc from 'fast-check';
import t from 'tap';
import { buildIndex, updateIndex, type IndexChange, type IndexSnapshot } from '../../src/content/build-index.js';
import { postId } from '../../src/content/post-id.js';
import type { Post } from '../../src/content/post.js';
import { PostList } from '../../src/content/post-list.js';
import { buildRelated, RelatedLists, relatedStoriesOf, updateRelated, type RelatedIndex } from '../../src/content/related-posts.js';
import { slugify } from '../../src/content/slug.js';
import { NO_SITE_DATA } from '../../src/content/site-data.js';

const NOW = new Date('2026-01-01T00:00:00Z');

function post(file: string, date: string, extra: Partial<Post> & { cats?: string[]; tagNames?: string[] } = {}): Post {
  const d = new Date(date);
  const [year, month, day] = date.slice(0, 10).split('-') as [string, string, string];
  const slug = slugify(file.replace(/\.md$/, ''));
  const refs = (names: string[]) => [...new Set(names.map((n) => slugify(n)))].map((s) => ({ name: s.toUpperCase(), slug: s }));
  return {
    file, id: postId(file), title: file, date: d, localDate: { year, month, day }, updated: null, modified: d,
    authors: [], categories: refs(extra.cats ?? []), tags: refs(extra.tagNames ?? []), excerpt: null, summary: '', image: null,
    featured: false, hidden: false, draft: false, slug, permalink: null, url: `/${year}/${month}/${day}/${slug}/`,
    titleFromHeading: false, bodyHash: '', readingMinutes: 1,
    redirectFrom: [], redirectTo: null, expires: null, sitemap: true, noindex: false, rating: null, toc: false, beforeToc: null, links: [], ...extra,
  };
}

const listsOf = (related: RelatedIndex, snapshot: IndexSnapshot) => Object.fromEntries(snapshot.posts.map((p) => [p.file, related.lists.get(p) ?? []]));
/** The list of `file` as published in `snapshot`. */
const listOf = (related: RelatedIndex, snapshot: IndexSnapshot, file: string) => related.lists.get(snapshot.byFile.get(file)!);

t.test('shared tags and sections rank first, rare tags over common ones, then nearness in time', async (t) => {
  const common = Array.from({ length: 40 }, (_, i) => post(`filler-${i}.md`, `2023-0${1 + (i % 8)}-1${i % 10}T00:00:00Z`, { cats: ['Sport'], tagNames: ['news'] }));
  const snapshot = buildIndex([
    ...common,
    post('story.md', '2025-06-15T00:00:00Z', { cats: ['Politics'], tagNames: ['harbour-bridge', 'news'] }),
    post('same-topic-old.md', '2025-03-15T00:00:00Z', { cats: ['Business'], tagNames: ['harbour-bridge'] }),
    post('follow-up.md', '2025-06-20T00:00:00Z', { cats: ['Politics'], tagNames: ['harbour-bridge'] }),
    post('same-section.md', '2025-06-14T00:00:00Z', { cats: ['Politics'] }),
    post('common-tag.md', '2025-06-15T01:00:00Z', { cats: ['Sport'], tagNames: ['news'] }),
    post('hidden.md', '2025-06-16T00:00:00Z', { cats: ['Politics'], tagNames: ['harbour-bridge'], hidden: true }),
    post('draft.md', '2025-06-16T00:00:00Z', { cats: ['Politics'], tagNames: ['harbour-bridge'], draft: true }),
  ], NOW);
  const related = buildRelated(snapshot, 4);
  const list = listOf(related, snapshot, 'story.md')!;
  t.same(list.slice(0, 4), ['follow-up.md', 'same-topic-old.md', 'same-section.md', 'common-tag.md'],
    'section and rare tag (a newer follow-up), the rare tag three months away, the section, a common tag');
  t.equal(list.length, 6, 'two more than shown: the page leaves out its neighbours');
  t.notOk(list.includes('story.md'), 'never the story itself');
  t.notOk(list.includes('hidden.md'), 'never a hidden story');
  t.notOk(list.includes('draft.md'), 'never a draft');
  t.same(listOf(buildRelated(snapshot, 4), snapshot, 'story.md'), list, 'the same every time');
  t.same(listsOf(buildRelated(buildIndex([...snapshot.posts].reverse(), NOW), 4), snapshot), listsOf(related, snapshot), 'whatever order posts were read in');
  t.same(listOf(buildRelated(snapshot, 0), snapshot, 'story.md'), undefined, 'RELATED_POSTS=0: none');
  const alone = buildIndex([post('alone.md', '2025-01-01T00:00:00Z')], NOW);
  t.same(listOf(buildRelated(alone, 4), alone, 'alone.md'), [], 'nothing to relate');
});

t.test('updates agree with a list computed anew, and name exactly the pages whose list changed', async (t) => {
  const files = Array.from({ length: 24 }, (_, i) => `f${String(i).padStart(2, '0')}.md`);
  const version = fc.record({
    day: fc.integer({ min: 1, max: 6 }),
    cats: fc.subarray(['a', 'b'], { maxLength: 2 }),
    tags: fc.subarray(['x', 'y', 'z', 'w'], { maxLength: 3 }),
    hidden: fc.boolean(),
    draft: fc.boolean(),
  });
  const change = fc.record({ file: fc.constantFrom(...files), post: fc.option(version, { nil: null, freq: 4 }) });
  // In the writer's preview (drafts indexed, never suggested) too.
  await fc.assert(fc.asyncProperty(fc.array(fc.array(change, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }), fc.boolean(), async (batches, preview) => {
    let snapshot = buildIndex([], NOW, new Set(), NO_SITE_DATA, preview);
    let related = buildRelated(snapshot, 2);
    for (const batch of batches) {
      const changes: IndexChange[] = batch.map(({ file, post: v }) => ({
        file,
        post: v ? post(file, `2025-09-0${v.day}T10:00:00Z`, { cats: v.cats, tagNames: v.tags, hidden: v.hidden, draft: v.draft }) : null,
      }));
      const next = updateIndex(snapshot, changes, NOW).snapshot;
      const update = updateRelated(related, snapshot, next, changes.map((c) => c.file));
      const fresh = buildRelated(next, 2);
      t.same(listsOf(update.related, next), listsOf(fresh, next));
      const listBefore = (p: Post) => {
        const was = snapshot.byFile.get(p.file);
        return was && snapshot.byUrl.get(was.url) === was ? (related.lists.get(was) ?? null) : null;
      };
      const changed = next.posts.filter((p) => JSON.stringify(listBefore(p)) !== JSON.stringify(fresh.lists.get(p)));
      t.same([...update.keys].sort(), changed.map((p) => `pp-${p.id}`).sort());
      snapshot = next;
      related = update.related;
    }
  }), { numRuns: 60 });
});

t.test('ties: the nearer in time, then the file name', async (t) => {
  // 60 (a section) at 0 days scores as 120 (a tag on two posts) at 365 days.
  const snapshot = buildIndex([
    post('story.md', '2025-06-15T00:00:00Z', { cats: ['S'], tagNames: ['t'] }),
    post('b-section.md', '2025-06-15T00:00:00Z', { cats: ['S'] }),
    post('a-section.md', '2025-06-15T00:00:00Z', { cats: ['S'] }),
    post('tag-year-ago.md', '2024-06-15T00:00:00Z', { tagNames: ['t'] }),
  ], NOW);
  const expected = ['a-section.md', 'b-section.md', 'tag-year-ago.md'];
  t.same(listOf(buildRelated(snapshot, 4), snapshot, 'story.md'), expected, 'first build');
  const next = updateIndex(snapshot, [{ file: 'story.md', post: post('story.md', '2025-06-15T00:00:00Z', { cats: ['S'], tagNames: ['t'], hidden: true }) }], NOW).snapshot;
  t.same(listOf(updateRelated(buildRelated(snapshot, 4), snapshot, next, ['story.md']).related, next, 'story.md'), expected, 'an update');
});

t.test('a tag whose weight moves is scored anew wherever it is; big batches are computed anew', async (t) => {
  // Seven posts on one tag, then an eighth: the tag's weight steps down (2^3 posts).
  const seven = Array.from({ length: 7 }, (_, i) => post(`t${i}.md`, `2025-0${i + 1}-01T00:00:00Z`, { tagNames: ['t'], cats: [`c${i}`] }));
  const snapshot = buildIndex(seven, NOW);
  const related = buildRelated(snapshot, 2);
  const next = updateIndex(snapshot, [{ file: 'eighth.md', post: post('eighth.md', '2025-12-01T00:00:00Z', { tagNames: ['t'] }) }], NOW).snapshot;
  const update = updateRelated(related, snapshot, next, ['eighth.md']);
  t.equal(update.recomputed, 8, 'every post of the tag');
  t.same(listsOf(update.related, next), listsOf(buildRelated(next, 2), next));

  const many = Array.from({ length: 2100 }, (_, i) => post(`m${i}.md`, '2025-05-05T00:00:00Z', { tagNames: [`tag${i % 30}`] }));
  const big = updateIndex(snapshot, many.map((p) => ({ file: p.file, post: p })), NOW).snapshot;
  const rebuilt = updateRelated(related, snapshot, big, many.map((p) => p.file));
  t.equal(rebuilt.recomputed, big.posts.length, 'a batch of over 2,000 changes is computed anew');
  t.same(listsOf(rebuilt.related, big), listsOf(buildRelated(big, 2), big));
  t.equal(updateRelated(buildRelated(snapshot, 0), snapshot, next, ['eighth.md']).keys.size, 0, 'RELATED_POSTS=0: nothing to update');
  const retitled = updateIndex(snapshot, [{ file: 't0.md', post: { ...seven[0]!, title: 'New headline' } }], NOW).snapshot;
  t.equal(updateRelated(related, snapshot, retitled, ['t0.md']).recomputed, 0, 'a new headline changes no list (its card key does the rest)');
});

t.test('scheduled posts that go live are related from then on', async (t) => {
  const snapshot = buildIndex([
    post('live.md', '2025-12-01T00:00:00Z', { tagNames: ['x'] }),
    post('later.md', '2026-02-01T00:00:00Z', { tagNames: ['x'] }),
    post('much-later.md', '2027-01-01T00:00:00Z', { tagNames: ['x'] }),
  ], NOW);
  const related = buildRelated(snapshot, 2);
  t.same(listOf(related, snapshot, 'live.md'), []);
  const next = updateIndex(snapshot, [], new Date('2026-03-01T00:00:00Z')).snapshot;
  const update = updateRelated(related, snapshot, next, []);
  t.same(listOf(update.related, next, 'live.md'), ['later.md']);
  t.same([...update.keys].sort(), [`pp-${postId('later.md')}`, `pp-${postId('live.md')}`].sort());
});

t.test('lists are shared between snapshots, and compacted now and then', async (t) => {
  const [a, b, c] = [post('a.md', '2025-01-03T00:00:00Z'), post('b.md', '2025-01-02T00:00:00Z'), post('c.md', '2025-01-01T00:00:00Z')];
  const base = new RelatedLists({ posts: [a, b], lists: [['b.md'], ['a.md']] });
  const aMoved = { ...a, date: new Date('2024-01-01T00:00:00Z') };
  const next = base.with(new Map([['b.md', null], ['c.md', ['a.md']], ['a.md', ['c.md']]]), PostList.from([c, aMoved]));
  t.same([next.get(aMoved), next.get(b), next.get(c)], [['c.md'], undefined, ['a.md']]);
  t.same([base.get(a), base.get(b), base.get(c)], [['b.md'], ['a.md'], undefined], 'the earlier snapshot keeps its lists');
  const many = Array.from({ length: 5000 }, (_, i) => post(`p${i}.md`, '2025-02-01T00:00:00Z'));
  const compacted = next.with(new Map(many.map((p) => [p.file, ['c.md']])), PostList.from([...many, c, aMoved]));
  t.same([compacted.get(aMoved), compacted.get(c), compacted.get(many[4999]!), compacted.get(b)], [['c.md'], ['a.md'], ['c.md'], undefined]);
});

t.test('the page\'s stories: never itself or what the page shows; the fill from the section, then the front page', async (t) => {
  const snapshot = buildIndex([
    post('s.md', '2025-06-10T00:00:00Z', { cats: ['World'], tagNames: ['x'] }),
    post('x1.md', '2025-06-09T00:00:00Z', { cats: ['Sport'], tagNames: ['x'] }),
    post('x2.md', '2025-06-11T00:00:00Z', { cats: ['Sport'], tagNames: ['x'] }),
    post('w1.md', '2025-01-01T00:00:00Z', { cats: ['World'] }),
    post('w2.md', '2025-01-02T00:00:00Z', { cats: ['World'], hidden: true }),
    post('other.md', '2025-12-01T00:00:00Z'),
  ], NOW);
  const { attachRelated } = await import('../../src/content/related-posts.js');
  attachRelated(snapshot, buildRelated(snapshot, 4));
  const s = snapshot.byFile.get('s.md')!;
  const x2 = snapshot.byFile.get('x2.md')!;
  const titles = (posts: readonly Post[]) => posts.map((p) => p.file);
  const four = relatedStoriesOf(snapshot, s, 4, [x2]);
  t.same(titles(four.posts), ['x1.md', 'w1.md', 'other.md'], 'scored, then the section\'s newest, then the newest overall; never itself, x2 (on the page) or a hidden post');
  t.same(four.keys, ['category-world', 'home'], 'the lists the fill came from');
  const one = relatedStoriesOf(snapshot, s, 1, []);
  t.same(titles(one.posts), ['x1.md']);
  t.same(one.keys, [], 'no fill, no keys');
  t.same(relatedStoriesOf(snapshot, s, 0, []), { posts: [], keys: [] });
  const unattached = buildIndex(snapshot.posts, NOW);
  t.same(titles(relatedStoriesOf(unattached, unattached.byFile.get('other.md')!, 2, []).posts), ['x2.md', 's.md'], 'no section: the front page\'s newest');
});
