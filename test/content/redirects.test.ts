// Where an address that no page answers leads (issue 10), from the index alone: old
// addresses of posts, redirect_to, redirects.yaml, posts that moved or went; chains on
// the site followed, loops and collisions never served but reported. Pure.
import t from 'tap';
import { buildIndex, updateIndex, type IndexSnapshot } from '../../src/content/build-index.js';
import { parsePost } from '../../src/content/parse-post.js';
import type { Post } from '../../src/content/post.js';
import { redirectKey, redirectKeyOf } from '../../src/content/redirect-paths.js';
import { findRedirect, redirectProblems } from '../../src/content/redirects.js';
import { NO_SITE_DATA, parseRedirects, type SiteData } from '../../src/content/site-data.js';

const NOW = new Date('2025-10-01T00:00:00Z');

function post(file: string, fm: string, date = '2025-09-25'): Post {
  return parsePost({ file, text: `---\ntitle: ${file.replace('.md', '')}\ndate: ${date}\n${fm}\n---\nBody.`, modified: NOW }, { timeZone: 'UTC' }).post;
}

function siteWith(redirects: Record<string, unknown>): SiteData {
  return { ...NO_SITE_DATA, redirects: parseRedirects(redirects, () => {}) };
}

function index(posts: Post[], site: SiteData = NO_SITE_DATA): IndexSnapshot {
  return buildIndex(posts, NOW, new Set(), site);
}

t.test('redirect keys: one per old address, nothing that climbs or leaves', async (t) => {
  for (const [raw, key] of [
    ['/old', '/old/'], ['/old/', '/old/'], ['/old.html', '/old/'], ['/old/index.html', '/old/'], ['/old/?x=1#y', '/old/'],
    ['/', '/'], ['/index.html', '/'], ['/a//b', '/a/b/'], ['/caf%C3%A9/', '/caf%C3%A9/'],
  ] as const) t.equal(redirectKey(raw), key, raw);
  for (const raw of ['old', '//evil.example/', '/a/../b', '/a/%2e%2e/b', '/a/.%2E/b', '/a%2fb/', '/a%5Cb/', '/a b/', '/a\\b/']) t.equal(redirectKey(raw), null, raw);
  t.equal(redirectKeyOf('old-name'), '/old-name/', 'relative: from the site root');
  t.equal(redirectKeyOf('https://old.example.org/x/y.html'), '/x/y/', 'a full URL by its path');
  t.equal(redirectKeyOf('https://exa mple.com/'), null);
  t.equal(redirectKeyOf('mailto:a@b.c'), null);
});

t.test('old addresses, redirect_to and redirects.yaml', async (t) => {
  const a = post('a.md', 'redirect_from: [/old-a/, /shared/]');
  const b = post('b.md', 'redirect_from: /shared/\nredirect_to: https://elsewhere.example/b/');
  const c = post('c.md', 'redirect_to: /2025/09/25/a/');
  const snapshot = index([a, b, c], siteWith({
    301: { '/yaml/(.*)': '/$1', '/to-a/': '/old-a/', '/bad/(.*)': 'https://[$1]/', '/bad/x/': '/2025/09/25/a/' },
    302: { '/temp/': 'https://temp.example/' },
  }));
  t.same(findRedirect(snapshot, '/old-a/'), { kind: 'redirect', status: 301, location: '/2025/09/25/a/' });
  t.same(findRedirect(snapshot, '/2025/09/25/b/'), { kind: 'redirect', status: 301, location: 'https://elsewhere.example/b/' }, 'redirect_to on its own URL');
  t.same(findRedirect(snapshot, '/2025/09/25/c/'), { kind: 'redirect', status: 301, location: '/2025/09/25/a/' }, 'on the site too');
  t.equal(findRedirect(snapshot, '/2025/09/25/a/'), null, 'a page is a page');
  t.equal(findRedirect(snapshot, '/shared/'), null, 'two posts claim it: served by neither');
  t.same(findRedirect(snapshot, '/to-a/', 'utm=1'), { kind: 'redirect', status: 301, location: '/old-a/?utm=1' }, 'the first hop is answered, the chain checked');
  t.same(findRedirect(snapshot, '/yaml/x/', 'a=1'), { kind: 'redirect', status: 301, location: '/x/?a=1' }, '$1 filled in, the query kept');
  t.same(findRedirect(snapshot, '/temp'), { kind: 'redirect', status: 302, location: 'https://temp.example/' });
  t.same(findRedirect(snapshot, '/bad/x/'), { kind: 'redirect', status: 301, location: '/2025/09/25/a/' }, 'a target that makes no URL: the next rule');
  t.equal(findRedirect(snapshot, '/nothing/'), null);
  const withQuery = index([a], siteWith({ 301: { '/q/': '/2025/09/25/a/?from=q' } }));
  t.same(findRedirect(withQuery, '/q/', 'utm=1'), { kind: 'redirect', status: 301, location: '/2025/09/25/a/?from=q&utm=1' }, 'queries are kept');

  const problems = redirectProblems(snapshot, null);
  t.same(problems.sort(), [
    'a.md: redirect_from /shared/ is claimed by a.md, b.md: not served',
    'b.md: redirect_from /shared/ is claimed by a.md, b.md: not served',
  ]);
});

t.test('loops are not served, and are reported', async (t) => {
  const a = post('a.md', 'redirect_to: /2025/09/25/b/');
  const b = post('b.md', 'redirect_to: /2025/09/25/a/');
  const c = post('c.md', 'redirect_from: /loop-c/\nredirect_to: /loop-c/');
  const d = post('d.md', 'redirect_from: /2025/09/25/a/');
  const snapshot = index([a, b, c, d], siteWith({ 301: { '/x/': '/y/', '/y': '/x/', '/2025/09/25/d/': '/elsewhere/', '^/pattern/(.*)': '/pattern/$1' } }));
  t.equal(findRedirect(snapshot, '/2025/09/25/a/'), null);
  t.equal(findRedirect(snapshot, '/x/'), null);
  t.equal(findRedirect(snapshot, '/2025/09/25/c/'), null);
  t.equal(findRedirect(snapshot, '/pattern/a'), null, 'a rule that leads to itself');
  const hops = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`/h${i}/`, `/h${i + 1}/`]));
  t.equal(findRedirect(index([], siteWith({ 301: hops })), '/h0/'), null, 'a chain too long to follow');
  t.same(findRedirect(index([], siteWith({ 301: hops })), '/h3/'), { kind: 'redirect', status: 301, location: '/h4/' }, 'a shorter one is');
  t.same(redirectProblems(snapshot, null).sort(), [
    'a.md: redirect_to /2025/09/25/b/ leads back to the post: not served',
    'b.md: redirect_to /2025/09/25/a/ leads back to the post: not served',
    'c.md: redirect_from /loop-c/ leads round in a loop: not served',
    'c.md: redirect_to /loop-c/ leads back to the post: not served',
    'd.md: redirect_from /2025/09/25/a/ is the address of a.md: the page is served, not the redirect',
    'redirects: /2025/09/25/d/ is the address of d.md: the page is served, not the redirect',
    'redirects: /x/ leads round in a loop: not served',
    'redirects: /y leads round in a loop: not served',
  ]);
  t.same(redirectProblems(snapshot, ['a.md', 'gone.md']), ['a.md: redirect_to /2025/09/25/b/ leads back to the post: not served'], "only the files named, and the redirects file's rules only on a full check");
});

t.test('posts that moved, went, expired or are not there yet', async (t) => {
  const a = post('a.md', 'redirect_from: /old-a/');
  const later = post('later.md', 'redirect_from: /soon/', '2025-12-01');
  const expired = post('exp.md', 'expires: 2025-09-30\nredirect_from: /old-exp/');
  const leaving = post('leave.md', 'expires: 2025-09-30\nredirect_to: https://archive.example/leave/\nredirect_from: /old-leave/');
  const first = index([a, later, expired, leaving]);
  t.same(findRedirect(first, '/2025/09/25/exp/'), { kind: 'gone' }, 'expired before the start: 410');
  t.same(findRedirect(first, '/old-exp/'), { kind: 'gone' }, 'and its old addresses');
  t.same(findRedirect(first, '/old-leave/'), { kind: 'redirect', status: 301, location: 'https://archive.example/leave/' }, 'expired with redirect_to: there');
  t.equal(findRedirect(first, '/soon/'), null, 'scheduled: nothing to point to yet');
  const moved = { ...post('a.md', 'slug: new-a\nredirect_from: /old-a/') };
  const { snapshot } = updateIndex(first, [{ file: 'a.md', post: moved }], NOW);
  t.same(findRedirect(snapshot, '/2025/09/25/a/'), { kind: 'redirect', status: 301, location: '/2025/09/25/new-a/' }, 'a URL that changed leads to the new one');
  t.same(findRedirect(snapshot, '/old-a/'), { kind: 'redirect', status: 301, location: '/2025/09/25/new-a/' });
  const { snapshot: gone } = updateIndex(snapshot, [{ file: 'a.md', post: null }], NOW);
  t.same(findRedirect(gone, '/2025/09/25/new-a/'), { kind: 'gone' });
});
