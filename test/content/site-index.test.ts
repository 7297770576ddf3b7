// What an index update names when a migrated site's own data changes (issue 10): author
// profiles, avatars, redirects, settings, and post fields only its page shows. Pure:
// buildIndex and updateIndex on posts parsed from fixture strings.
import t from 'tap';
import { buildIndex, updateIndex } from '../../src/content/build-index.js';
import { parsePost } from '../../src/content/parse-post.js';
import type { Post } from '../../src/content/post.js';
import { NO_SITE_DATA, parseRedirects, toProfile, type SiteData } from '../../src/content/site-data.js';

const NOW = new Date('2025-10-01T00:00:00Z');

function post(file: string, fm: string, body = 'Body.'): Post {
  return parsePost({ file, text: `---\ntitle: ${file.replace('.md', '')}\ndate: 2025-09-25\n${fm}\n---\n${body}`, modified: NOW }, { timeZone: 'UTC' }).post;
}

function site(profiles: Record<string, Record<string, unknown>>, extra: Partial<SiteData> = {}): SiteData {
  const authors = new Map(Object.entries(profiles).map(([slug, fields]) => [slug, toProfile(slug, fields, () => {})]));
  return { ...NO_SITE_DATA, settings: { file: null, warnings: [] }, authors, ...extra };
}

t.test("a profile edit names the author's listings and every card with their byline", async (t) => {
  const a = post('a.md', 'author: mreyes');
  const b = post('b.md', 'author: lwu');
  const first = buildIndex([a, b], NOW, new Set(), site({ mreyes: { name: 'M' }, ghost: { name: 'No posts' } }));
  const { keys } = updateIndex(first, [], NOW, first.publicFiles, site({ mreyes: { name: 'Maria Reyes' }, ghost: { name: 'Still none' } }));
  t.same([...keys].sort(), ['author-ghost', 'author-mreyes', 'authors', `p-${a.id}`, 'search'], "a profile without posts: only its listing; nobody else's cards; search results show bylines");
  const same = updateIndex(first, [], NOW, first.publicFiles, site({ mreyes: { name: 'M' }, ghost: { name: 'No posts' } }));
  t.same([...same.keys], [], 'read again, unchanged: nothing');
});

t.test('a writer with more than 1000 stories: the whole site', async (t) => {
  const posts = Array.from({ length: 1001 }, (_, i) => post(`p${i}.md`, 'author: busy'));
  const first = buildIndex(posts, NOW, new Set(), site({ busy: { name: 'B' } }));
  const { keys } = updateIndex(first, [], NOW, first.publicFiles, site({ busy: { name: 'Busy Writer' } }));
  t.ok(keys.has('site'));
  t.notOk([...keys].some((k) => k.startsWith('p-')), 'one key, not a thousand');
});

t.test('redirects and settings', async (t) => {
  const first = buildIndex([post('a.md', '')], NOW);
  const redirects = parseRedirects({ 301: { '/old/': '/new/' } }, () => {});
  const withRules = updateIndex(first, [], NOW, first.publicFiles, site({}, { redirects }));
  t.same([...withRules.keys], ['missing'], 'a first read with rules: the 404s and redirects (settings as before: none)');
  const again = updateIndex(withRules.snapshot, [], NOW, first.publicFiles, site({}, { redirects: parseRedirects({ 301: { '/old/': '/new/' } }, () => {}) }));
  t.same([...again.keys], [], 'the same rules read again: nothing');
  const titled = updateIndex(again.snapshot, [], NOW, first.publicFiles, site({}, { redirects, settings: { file: '/x/_config.yml', title: 'T', warnings: ['w'] } }));
  t.same([...titled.keys], ['site'], 'a setting: everything');
});

t.test('avatars that appear or go in the public folder', async (t) => {
  const a = post('a.md', 'author: mreyes');
  const data = site({
    mreyes: { name: 'M', avatar: '/img/m.svg' },
    lwu: { name: 'L', avatar: 'https://cdn.example/l.png' },
    tn: { name: 'T' },
    ghost: { avatar: '/img/ghost.svg' },
  });
  const first = buildIndex([a], NOW, new Set(), data);
  const unrelated = updateIndex(first, [], NOW, new Set(['/other.png']));
  t.same([...unrelated.keys], [], 'another file: nothing');
  const appeared = updateIndex(first, [], NOW, new Set(['/img/m.svg', '/img/ghost.svg']));
  t.same([...appeared.keys].sort(), ['author-ghost', 'author-mreyes', `pp-${a.id}`], "the writer's page and their posts' pages (JSON-LD)");
});

t.test('an edit only the post page shows: its page and body, nothing else', async (t) => {
  const before = post('a.md', 'rating: 3');
  const first = buildIndex([before], NOW);
  const { keys } = updateIndex(first, [{ file: 'a.md', post: post('a.md', 'rating: 4') }], NOW);
  t.same([...keys].sort(), [`b-${before.id}`, `pp-${before.id}`]);
  const touched = updateIndex(first, [{ file: 'a.md', post: post('a.md', 'rating: 3') }], NOW);
  t.same([...touched.keys], [], 'the same post read again: nothing');
});
