import t from 'tap';
import { buildIndex } from '../../src/content/build-index.js';
import type { Post, TermRef } from '../../src/content/post.js';
import { slugify } from '../../src/content/slug.js';

const NOW = new Date('2025-10-01T00:00:00Z');

function terms(names: string[]): TermRef[] {
  return names.map((name) => ({ name, slug: slugify(name) }));
}

function post(file: string, date: string, extra: Partial<Post> & { cats?: string[]; tagNames?: string[]; authorNames?: string[] } = {}): Post {
  const d = new Date(date);
  const [year, month, day] = date.slice(0, 10).split('-') as [string, string, string];
  const slug = extra.slug ?? slugify(file.replace(/\.md$/, ''));
  return {
    file,
    title: file,
    date: d,
    localDate: { year, month, day },
    updated: null,
    modified: d,
    authors: terms(extra.authorNames ?? []),
    categories: terms(extra.cats ?? []),
    tags: terms(extra.tagNames ?? []),
    excerpt: null,
    image: null,
    featured: false,
    hidden: false,
    draft: false,
    slug,
    permalink: null,
    url: `/${year}/${month}/${day}/${slug}/`,
    body: '',
    ...extra,
  };
}

t.test('posts are sorted newest first, ties by file path', async (t) => {
  const index = buildIndex(
    [post('b.md', '2025-09-02T10:00:00Z'), post('c.md', '2025-09-03T10:00:00Z'), post('a.md', '2025-09-02T10:00:00Z')],
    NOW,
  );
  t.same(index.posts.map((p) => p.file), ['c.md', 'a.md', 'b.md']);
  t.equal(index.positions.get(index.posts[1]!), 1);
  t.equal(index.version, 0);
});

t.test('drafts are left out, future posts are held back until their time', async (t) => {
  const index = buildIndex(
    [
      post('draft.md', '2025-09-01T00:00:00Z', { draft: true }),
      post('live.md', '2025-09-01T00:00:00Z'),
      post('later.md', '2025-12-01T00:00:00Z'),
      post('soon.md', '2025-10-02T00:00:00Z'),
    ],
    NOW,
  );
  t.same(index.posts.map((p) => p.file), ['live.md']);
  t.same(index.scheduled.map((p) => p.file), ['soon.md', 'later.md']);
  t.equal(index.nextScheduled?.toISOString(), '2025-10-02T00:00:00.000Z');
  t.notOk(index.byUrl.has('/2025/12/01/later/'), 'not served before its time');
  const later = buildIndex(index.posts.concat(index.scheduled), new Date('2025-10-03T00:00:00Z'), index);
  t.same(later.posts.map((p) => p.file), ['soon.md', 'live.md']);
});

t.test('slug collisions get stable -2, -3 suffixes by file path order', async (t) => {
  const same = { slug: 'same' };
  const files = ['z.md', 'a.md', 'm.md'];
  const build = (order: string[]) =>
    buildIndex(order.map((f) => post(f, '2025-09-01T10:00:00Z', same)), NOW).posts.reduce<Record<string, string>>(
      (acc, p) => ({ ...acc, [p.file]: p.url }),
      {},
    );
  const expected = { 'a.md': '/2025/09/01/same/', 'm.md': '/2025/09/01/same-2/', 'z.md': '/2025/09/01/same-3/' };
  t.same(build(files), expected);
  t.same(build([...files].reverse()), expected, 'independent of load order');
  const otherDay = buildIndex([post('a.md', '2025-09-01T10:00:00Z', same), post('b.md', '2025-09-02T10:00:00Z', same)], NOW);
  t.same(otherDay.posts.map((p) => p.url).sort(), ['/2025/09/01/same/', '/2025/09/02/same/'], 'same slug, other day: no suffix');
  const taken = buildIndex(
    [post('a.md', '2025-09-01T10:00:00Z', same), post('b.md', '2025-09-01T10:00:00Z', same), post('c.md', '2025-09-01T10:00:00Z', { slug: 'same-2' })],
    NOW,
  );
  t.equal(taken.posts.find((p) => p.file === 'b.md')?.url, '/2025/09/01/same-3/', 'skips a suffix another post has');
});

t.test('a renamed copy is the same object across rebuilds (caches key on it)', async (t) => {
  const a = post('a.md', '2025-09-01T10:00:00Z', { slug: 'same' });
  const b = post('b.md', '2025-09-01T10:00:00Z', { slug: 'same' });
  const first = buildIndex([a, b], NOW);
  const second = buildIndex([a, b, post('c.md', '2025-09-02T10:00:00Z')], NOW, first);
  t.equal(second.byFile.get('b.md'), first.byFile.get('b.md'));
  t.equal(second.byFile.get('b.md')?.url, '/2025/09/01/same-2/');
});

t.test('a scheduled post takes part in collisions, so going live moves no URL', async (t) => {
  const live = post('b.md', '2025-09-01T10:00:00Z', { slug: 'x' });
  const scheduled = post('a.md', '2025-09-01T10:00:00Z', { slug: 'x', date: new Date('2025-11-01T00:00:00Z') });
  const before = buildIndex([live, scheduled], NOW);
  t.equal(before.posts[0]?.url, '/2025/09/01/x-2/');
});

t.test('taxonomies merge case-insensitively and show the most common spelling', async (t) => {
  const index = buildIndex(
    [
      post('1.md', '2025-09-01T00:00:00Z', { tagNames: ['ai'], cats: ['World'] }),
      post('2.md', '2025-09-02T00:00:00Z', { tagNames: ['AI'], cats: ['world'] }),
      post('3.md', '2025-09-03T00:00:00Z', { tagNames: ['AI', 'Energy'], cats: ['World'], authorNames: ['Ana'] }),
    ],
    NOW,
  );
  const ai = index.tags.bySlug.get('ai');
  t.equal(ai?.name, 'AI');
  t.same(ai?.posts.map((p) => p.file), ['3.md', '2.md', '1.md'], 'newest first');
  t.equal(index.categories.bySlug.get('world')?.name, 'World');
  t.same(index.tags.terms.map((x) => x.name), ['AI', 'Energy'], 'sorted by name');
  t.same(index.authors.terms.map((x) => x.slug), ['ana']);
});

t.test('hidden posts are left off the front page only', async (t) => {
  const index = buildIndex([post('h.md', '2025-09-01T00:00:00Z', { hidden: true, cats: ['News'] }), post('v.md', '2025-08-01T00:00:00Z')], NOW);
  t.same(index.frontPage.map((p) => p.file), ['v.md']);
  t.same(index.posts.map((p) => p.file), ['h.md', 'v.md']);
  t.equal(index.categories.bySlug.get('news')?.posts.length, 1);
});

t.test('archives by year, month and day', async (t) => {
  const index = buildIndex([post('a.md', '2025-09-01T00:00:00Z'), post('b.md', '2025-09-15T00:00:00Z'), post('c.md', '2024-01-01T00:00:00Z')], NOW);
  t.same(index.archives.get('2025')?.map((p) => p.file), ['b.md', 'a.md']);
  t.same(index.archives.get('2025/09')?.map((p) => p.file), ['b.md', 'a.md']);
  t.same(index.archives.get('2025/09/15')?.map((p) => p.file), ['b.md']);
  t.same(index.archives.get('2024/01/01')?.map((p) => p.file), ['c.md']);
  t.notOk(index.archives.has('2025/10'));
});

t.test('compareText orders by code unit', async (t) => {
  const { compareText } = await import('../../src/content/post.js');
  t.equal(compareText('a', 'b'), -1);
  t.equal(compareText('b', 'a'), 1);
  t.equal(compareText('a', 'a'), 0);
  t.same(['b.md', 'B.md', 'a.md'].sort(compareText), ['B.md', 'a.md', 'b.md']);
});

t.test('URLs that went away are remembered across rebuilds until they serve again', async (t) => {
  const a = post('a.md', '2025-09-01T00:00:00Z');
  const b = post('b.md', '2025-09-02T00:00:00Z');
  const first = buildIndex([a, b], NOW);
  t.equal(first.version, 0);
  t.equal(first.removed.size, 0);
  const second = buildIndex([a], NOW, first);
  t.equal(second.version, 1);
  t.same([...second.removed], [['/2025/09/02/b/', 'b.md']]);
  const third = buildIndex([a, post('c.md', '2025-09-03T00:00:00Z')], NOW, second);
  t.same([...third.removed], [['/2025/09/02/b/', 'b.md']], 'still gone');
  const fourth = buildIndex([a, b], NOW, third);
  t.same([...fourth.removed], [['/2025/09/03/c/', 'c.md']], 'b serves again; c went away');
});
