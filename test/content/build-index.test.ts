import fc from 'fast-check';
import t from 'tap';
import { buildIndex, neighboursOf, updateIndex, type IndexChange, type IndexSnapshot } from '../../src/content/build-index.js';
import { postId } from '../../src/content/post-id.js';
import type { Post, TermRef } from '../../src/content/post.js';
import { slugify } from '../../src/content/slug.js';

const NOW = new Date('2025-10-01T00:00:00Z');

/** As parse-post makes them: one ref per slug, the first spelling. */
function terms(names: string[]): TermRef[] {
  const refs = names.map((name) => ({ name, slug: slugify(name) }));
  return refs.filter((ref, i) => refs.findIndex((r) => r.slug === ref.slug) === i);
}

function post(file: string, date: string, extra: Partial<Post> & { cats?: string[]; tagNames?: string[]; authorNames?: string[] } = {}): Post {
  const d = new Date(date);
  const [year, month, day] = date.slice(0, 10).split('-') as [string, string, string];
  const slug = extra.slug ?? slugify(file.replace(/\.md$/, ''));
  return {
    file,
    id: postId(file),
    title: file,
    date: d,
    localDate: { year, month, day },
    updated: null,
    modified: d,
    authors: terms(extra.authorNames ?? []),
    categories: terms(extra.cats ?? []),
    tags: terms(extra.tagNames ?? []),
    excerpt: null,
    summary: '',
    image: null,
    featured: false,
    hidden: false,
    draft: false,
    slug,
    permalink: null,
    url: `/${year}/${month}/${day}/${slug}/`,
    titleFromHeading: false,
    bodyHash: 'body',
    redirectFrom: [],
    redirectTo: null,
    expires: null,
    sitemap: true,
    noindex: false,
    rating: null,
    toc: false,
    beforeToc: null,
    links: [],
    readingMinutes: 1,
    ...extra,
  };
}

t.test('posts are sorted newest first, ties by file path', async (t) => {
  const index = buildIndex(
    [post('b.md', '2025-09-02T10:00:00Z'), post('c.md', '2025-09-03T10:00:00Z'), post('a.md', '2025-09-02T10:00:00Z')],
    NOW,
  );
  t.same(index.posts.map((p) => p.file), ['c.md', 'a.md', 'b.md']);
  t.same(neighboursOf(index, index.posts.at(1)!), { older: index.posts.at(2), newer: index.posts.at(0) });
  t.same(neighboursOf(index, index.posts.at(0)!), { older: index.posts.at(1), newer: null });
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
  const later = updateIndex(index, [], new Date('2025-10-03T00:00:00Z'));
  t.same(later.snapshot.posts.map((p) => p.file), ['soon.md', 'live.md'], 'published when the clock passes its time');
  t.ok(later.keys.has('home'), 'and the pages that list it change');
});

t.test('slug collisions get stable -2, -3 suffixes by file path order', async (t) => {
  const same = { slug: 'same' };
  const files = ['z.md', 'a.md', 'm.md'];
  const build = (order: string[]) =>
    buildIndex(order.map((f) => post(f, '2025-09-01T10:00:00Z', same)), NOW).posts.toArray().reduce<Record<string, string>>(
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
  t.equal(taken.posts.toArray().find((p) => p.file === 'b.md')?.url, '/2025/09/01/same-3/', 'skips a suffix another post has');
});

t.test('a renamed copy is the same object across rebuilds (caches key on it)', async (t) => {
  const a = post('a.md', '2025-09-01T10:00:00Z', { slug: 'same' });
  const b = post('b.md', '2025-09-01T10:00:00Z', { slug: 'same' });
  const first = buildIndex([a, b], NOW);
  const second = updateIndex(first, [{ file: 'c.md', post: post('c.md', '2025-09-02T10:00:00Z') }], NOW).snapshot;
  t.equal(second.byFile.get('b.md'), first.byFile.get('b.md'));
  t.equal(second.byFile.get('b.md')?.url, '/2025/09/01/same-2/');
});

t.test('a scheduled post takes part in collisions, so going live moves no URL', async (t) => {
  const live = post('b.md', '2025-09-01T10:00:00Z', { slug: 'x' });
  const scheduled = post('a.md', '2025-09-01T10:00:00Z', { slug: 'x', date: new Date('2025-11-01T00:00:00Z') });
  const before = buildIndex([live, scheduled], NOW);
  t.equal(before.posts.at(0)?.url, '/2025/09/01/x-2/');
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

t.test('a tie between spellings goes to the newest post, however the index got there', async (t) => {
  const world = (file: string, date: string, name: string) => post(file, date, { cats: [name] });
  const a = world('a.md', '2025-09-01T00:00:00Z', 'World');
  const b = world('b.md', '2025-09-02T00:00:00Z', 'WORLD');
  const c = world('c.md', '2025-08-01T00:00:00Z', 'World');
  const d = world('d.md', '2025-09-05T00:00:00Z', 'world');
  const nameIn = (index: IndexSnapshot) => index.categories.bySlug.get('world')?.name;
  const tied = buildIndex([a, b], NOW);
  t.equal(nameIn(tied), 'WORLD', 'one each: the newer post\'s');
  const more = updateIndex(tied, [{ file: 'c.md', post: c }], NOW).snapshot;
  t.equal(nameIn(more), 'World', 'two against one, though on older posts');
  const three = updateIndex(more, [{ file: 'c.md', post: null }, { file: 'd.md', post: d }], NOW).snapshot;
  t.equal(nameIn(three), 'world', 'one each of three: the newest post\'s');
  t.equal(nameIn(buildIndex([a, b, d], NOW)), 'world', 'the same built from scratch');
  const gone = updateIndex(three, [{ file: 'd.md', post: null }, { file: 'b.md', post: null }], NOW).snapshot;
  t.equal(nameIn(gone), 'World', 'the spellings of removed posts no longer count');
  t.notOk(updateIndex(gone, [{ file: 'a.md', post: null }], NOW).snapshot.categories.bySlug.has('world'), 'no posts left: no term');
});

t.test('hidden posts are left off the front page only', async (t) => {
  const index = buildIndex([post('h.md', '2025-09-01T00:00:00Z', { hidden: true, cats: ['News'] }), post('v.md', '2025-08-01T00:00:00Z')], NOW);
  t.same(index.frontPage.map((p) => p.file), ['v.md']);
  t.same(index.posts.map((p) => p.file), ['h.md', 'v.md']);
  t.equal(index.categories.bySlug.get('news')?.posts.length, 1);
  const shown = updateIndex(index, [{ file: 'h.md', post: post('h.md', '2025-09-01T00:00:00Z', { cats: ['News'] }) }], NOW).snapshot;
  t.same(shown.frontPage.map((p) => p.file), ['h.md', 'v.md'], 'shown again');
  t.equal(shown.frontPage, shown.posts, 'nothing hidden: the front page\'s list is the list of posts, not a copy');
  const hidden = updateIndex(shown, [{ file: 'v.md', post: post('v.md', '2025-08-01T00:00:00Z', { hidden: true }) }], NOW).snapshot;
  t.same(hidden.frontPage.map((p) => p.file), ['h.md'], 'another hidden');
  t.same(hidden.posts.map((p) => p.file), ['h.md', 'v.md']);
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

t.test('URLs that went away are remembered across updates until they serve again', async (t) => {
  const a = post('a.md', '2025-09-01T00:00:00Z');
  const b = post('b.md', '2025-09-02T00:00:00Z');
  const first = buildIndex([a, b], NOW);
  t.equal(first.version, 0);
  t.equal(first.removed.size, 0);
  const second = updateIndex(first, [{ file: 'b.md', post: null }], NOW).snapshot;
  t.equal(second.version, 1);
  t.same([...second.removed], [['/2025/09/02/b/', 'b.md']]);
  const third = updateIndex(second, [{ file: 'c.md', post: post('c.md', '2025-09-03T00:00:00Z') }], NOW).snapshot;
  t.same([...third.removed], [['/2025/09/02/b/', 'b.md']], 'still gone');
  const fourth = updateIndex(third, [{ file: 'b.md', post: b }, { file: 'c.md', post: null }], NOW).snapshot;
  t.same([...fourth.removed], [['/2025/09/03/c/', 'c.md']], 'b serves again; c went away');
});

/** Everything a snapshot answers, as plain data, to compare two ways of making it. */
function shape(index: IndexSnapshot) {
  const files = (posts: Iterable<Post>) => [...posts].map((p) => `${p.file} ${p.url}`);
  const taxonomy = (kind: 'categories' | 'tags' | 'authors') =>
    index[kind].terms.map((term) => ({ slug: term.slug, name: term.name, posts: files(term.posts), same: index[kind].bySlug.get(term.slug) === term }));
  return {
    posts: files(index.posts),
    frontPage: files(index.frontPage),
    byUrl: [...index.byUrl].map(([url, p]) => `${url} ${p.file}`).sort(),
    byFile: [...index.byFile].map(([file, p]) => `${file} ${p.url}`).sort(),
    bySlugSizes: [index.categories.bySlug.size, index.tags.bySlug.size, index.authors.bySlug.size],
    categories: taxonomy('categories'),
    tags: taxonomy('tags'),
    authors: taxonomy('authors'),
    archives: [...index.archives].map(([key, posts]) => `${key}: ${files(posts).join(',')}`).sort(),
    scheduled: files(index.scheduled),
    nextScheduled: index.nextScheduled?.getTime() ?? null,
    featured: files(index.featured),
    expiring: files(index.expiring),
    nextExpiry: index.nextExpiry?.getTime() ?? null,
    aliases: [...index.aliases].map(([key, list]) => `${key} ${list.join(',')}`).sort(),
    lastChange: index.lastChange.getTime(),
    removed: [...index.removed].map(([url, file]) => `${url} ${file}`).sort(),
  };
}

t.test('an index updated change by change equals one built from scratch', async (t) => {
  const names = ['a.md', 'b.md', 'c.md', 'd.md', 'e.md', 'f.md'];
  const days = ['2025-09-01T10:00:00Z', '2025-09-01T10:00:00Z', '2025-09-02T08:00:00Z', '2025-10-05T00:00:00Z', '2024-12-31T23:00:00Z'];
  const version = fc.record({
    file: fc.constantFrom(...names),
    gone: fc.boolean(),
    date: fc.constantFrom(...days),
    slug: fc.constantFrom('same', 'same-2', 'other'),
    cats: fc.subarray(['World', 'world', 'Business']),
    tags: fc.subarray(['AI', 'ai', 'Energy']),
    authors: fc.subarray(['Ana', 'ANA', 'Ben']),
    hidden: fc.boolean(),
    featured: fc.boolean(),
    draft: fc.boolean(),
    title: fc.constantFrom('One', 'Two'),
    expires: fc.constantFrom(null, '2025-09-01T12:00:00Z', '2025-10-04T00:00:00Z', '2025-10-09T00:00:00Z'),
    aliases: fc.subarray(['/old/', '/older/', '/x/']),
  });
  type Version = typeof version extends fc.Arbitrary<infer V> ? V : never;
  /** Null when both ways agree, else the two shapes of the first batch where they do not. */
  const compare = (batches: Version[][], clockStep: number) => {
      const live = new Map<string, Post>();
      let clock = new Date('2025-10-01T00:00:00Z');
      let incremental = buildIndex([], clock);
      let reference = incremental;
      for (const batch of batches) {
        clock = new Date(clock.getTime() + clockStep * 3 * 86_400_000);
        const changes: IndexChange[] = batch.map((v) => {
          if (v.gone) {
            live.delete(v.file);
            return { file: v.file, post: null };
          }
          const p = post(v.file, v.date, { slug: v.slug, cats: v.cats, tagNames: v.tags, authorNames: v.authors, hidden: v.hidden, featured: v.featured, draft: v.draft, title: v.title, expires: v.expires ? new Date(v.expires) : null, redirectFrom: v.aliases });
          live.set(v.file, p);
          return { file: v.file, post: p };
        });
        incremental = updateIndex(incremental, changes, clock).snapshot;
        reference = buildIndex(live.values(), clock);
        const a = { ...shape(incremental), removed: [] };
        const b = { ...shape(reference), removed: [] };
        if (JSON.stringify(a) !== JSON.stringify(b)) return { a, b };
      }
      return null;
  };
  const batches = fc.array(fc.array(version, { maxLength: 4 }), { minLength: 1, maxLength: 6 });
  const result = fc.check(fc.property(batches, fc.integer({ min: 0, max: 2 }), (b, step) => compare(b, step) === null), { numRuns: 400 });
  const failure = result.counterexample ? compare(...result.counterexample) : null;
  t.same(failure?.a, failure?.b, 'the same index either way');
  t.notOk(result.failed, result.counterexample ? JSON.stringify(result.counterexample) : 'no counterexample');
});

t.test('a large batch is applied by building anew, with the same result', async (t) => {
  const many = Array.from({ length: 2100 }, (_, i) => post(`p${i}.md`, `2025-0${1 + (i % 9)}-1${i % 10}T10:00:00Z`, { cats: [`C${i % 7}`] }));
  const start = buildIndex([post('x.md', '2025-09-01T00:00:00Z')], NOW);
  const updated = updateIndex(start, many.map((p) => ({ file: p.file, post: p })), NOW);
  t.same(shape(updated.snapshot), shape(buildIndex([...many, post('x.md', '2025-09-01T00:00:00Z')], NOW)));
  t.ok(updated.keys.has('home'));
});

t.test('an update names exactly what looks different', async (t) => {
  const world = (file: string, date: string, extra: Parameters<typeof post>[2] = {}) => post(file, date, { cats: ['World'], tagNames: ['Energy'], authorNames: ['Ana'], ...extra });
  const a = world('a.md', '2025-09-01T10:00:00Z');
  const b = world('b.md', '2025-09-02T10:00:00Z');
  const c = post('c.md', '2025-09-03T10:00:00Z', { cats: ['Business'] });
  const base = buildIndex([a, b, c], NOW);
  const keysOf = (changes: IndexChange[], at = NOW) => [...updateIndex(base, changes, at).keys].sort();
  const k = (p: Post) => ({ p: `p-${p.id}`, pp: `pp-${p.id}`, b: `b-${p.id}` });

  t.same(keysOf([{ file: 'b.md', post: { ...b, bodyHash: 'new' } }]), [k(b).b, k(b).pp, 'search'].sort(), 'a body edit: its page, its body in feeds, search');
  t.same(keysOf([{ file: 'b.md', post: { ...b, modified: new Date('2025-09-20T00:00:00Z') } }]), ['sitemap'], 'a touch: only lastmod moves');
  t.same(keysOf([{ file: 'b.md', post: b }]), [], 'the same post again: nothing');
  const retitled = keysOf([{ file: 'b.md', post: { ...b, title: 'New title' } }]);
  t.same(retitled, [k(b).b, k(b).p, k(b).pp, 'feed', 'news', 'search', 'sitemap'].sort(), 'a new headline: wherever the post shows, not the listings as such');
  const moved = keysOf([{ file: 'b.md', post: world('b.md', '2025-09-02T10:00:00Z', { cats: ['Business'] }) }]);
  t.ok(moved.includes('category-world') && moved.includes('category-business') && moved.includes('categories'), 'a new section: both listings and the index of sections');
  t.notOk(moved.includes('tag-energy'), 'a listing it stays in, in the same order, is unchanged');
  t.notOk(moved.includes('home'));
  const added = keysOf([{ file: 'd.md', post: world('d.md', '2025-09-04T10:00:00Z') }]);
  t.ok(['home', 'category-world', 'tag-energy', 'author-ana', 'date-2025', 'date-2025-09', 'date-2025-09-04', 'missing', k(c).pp].every((key) => added.includes(key)), 'an added post: its listings, the 404s, the page of the story before it');
  t.notOk(added.includes(k(a).pp), 'stories further down keep their pages');
  const removed = keysOf([{ file: 'b.md', post: null }]);
  t.ok([k(b).p, k(a).pp, k(c).pp, 'missing', 'home', 'category-world'].every((key) => removed.includes(key)), 'a removed post: its neighbours link past it');
  t.ok(keysOf([{ file: 'a.md', post: { ...a, featured: true } }]).includes('home'), 'featured: the front page lead');
  t.same(keysOf([{ file: 'b.md', post: { ...b, toc: true } }]), [k(b).b, k(b).pp, 'search'].sort(), 'a table of contents: its page, its body (in feeds and the API\'s lists)');
  const featuredBase = buildIndex([a, { ...b, featured: true }, c], NOW);
  const hiddenKeys = updateIndex(featuredBase, [{ file: 'b.md', post: { ...b, featured: true, hidden: true } }], NOW).keys;
  t.ok(hiddenKeys.has('home'), 'a featured post hidden: it leaves the front page\'s list (it stays in the featured block)');
  const shouted = ['d', 'e', 'f'].map((n, i) => ({ file: `${n}.md`, post: world(`${n}.md`, `2025-08-0${i + 1}T10:00:00Z`, { cats: ['WORLD'] }) }));
  const renamed = keysOf(shouted);
  t.ok(renamed.includes(k(a).p) && renamed.includes(k(b).p), 'a section spelled differently now: every post that names it');
  t.same(keysOf([{ file: 'z.md', post: post('z.md', '2025-12-01T00:00:00Z') }]), [], 'a scheduled post shows nowhere yet');
  t.same(keysOf([{ file: 'z.md', post: post('z.md', '2025-09-05T00:00:00Z', { draft: true }) }]), [], 'nor does a draft');
  const images = updateIndex(buildIndex([post('i.md', '2025-09-01T00:00:00Z', { image: { src: '/assets/i.jpg', local: true, alt: null, caption: null, credit: null } })], NOW), [], NOW, new Set(['/assets/i.jpg']));
  t.ok(images.keys.has(`p-${postId('i.md')}`), 'a lead image that appeared');
});

t.test('a large batch that removes posts remembers their URLs, at most 100,000', async (t) => {
  const many = Array.from({ length: 100_001 }, (_, i) => post(`p${i}.md`, '2025-09-01T10:00:00Z', { slug: `s${i}` }));
  const start = buildIndex(many, NOW);
  const gone = updateIndex(start, many.map((p) => ({ file: p.file, post: null })), NOW).snapshot;
  t.equal(gone.posts.length, 0);
  t.equal(gone.removed.size, 100_000, 'bounded');
  t.notOk(gone.removed.has('/2025/09/01/s0/'), 'the oldest removal was forgotten first');
  t.ok(gone.removed.has('/2025/09/01/s100000/'));
});

t.test('terms whose names compare equal are ordered by slug', async (t) => {
  // A soft hyphen is ignored when names are compared, but splits the slug.
  const index = buildIndex([post('a.md', '2025-09-01T00:00:00Z', { tagNames: ['co\u00adop'] }), post('b.md', '2025-09-02T00:00:00Z', { tagNames: ['coop'] })], NOW);
  t.same(index.tags.terms.map((x) => x.slug), ['co-op', 'coop']);
});

t.test('a renamed term on more than 1,000 posts purges the whole site', async (t) => {
  const spelled = (n: number, name: string, from: number) => Array.from({ length: n }, (_, i) => post(`${name}${from + i}.md`, '2025-09-01T00:00:00Z', { slug: `${name}${from + i}`, cats: [name] }));
  const base = buildIndex(spelled(600, 'World', 0), NOW);
  const renamed = updateIndex(base, spelled(601, 'WORLD', 0).map((p) => ({ file: p.file.replace('WORLD', 'w2-'), post: { ...p, file: p.file.replace('WORLD', 'w2-') } })), NOW);
  t.ok(renamed.keys.has('site'));
});

t.test('a new lead image on an edited post counts as a change', async (t) => {
  const before = post('i.md', '2025-09-01T00:00:00Z');
  const index = buildIndex([before], NOW);
  const keys = updateIndex(index, [{ file: 'i.md', post: { ...before, image: { src: 'https://img.example/x.jpg', local: false, alt: null, caption: null, credit: null } } }], NOW).keys;
  t.ok(keys.has(`p-${postId('i.md')}`));
  const pictured = post('q.md', '2025-09-01T00:00:00Z', { image: { src: '/a.jpg', local: true, alt: null, caption: null, credit: null } });
  const edited = updateIndex(buildIndex([pictured], NOW), [{ file: 'q.md', post: { ...pictured, bodyHash: 'new' } }], NOW).keys;
  t.notOk(edited.has(`p-${postId('q.md')}`), 'the same image: only the body changed');
  const remote = updateIndex(buildIndex([post('r.md', '2025-09-01T00:00:00Z', { image: { src: 'https://img.example/y.jpg', local: false, alt: null, caption: null, credit: null } })], NOW), [], NOW, new Set(['/x']));
  t.same([...remote.keys], [], 'a remote image does not depend on the public folder');
});
