// SPEC section 4: a running server follows its posts folder. Real temporary folder,
// real watcher, real HTTP; every wait is a condition with a deadline.
import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

async function live(t: Test, files: Record<string, string> = {}) {
  const site = makeSite(t, files);
  const built = await build(t, site, { WATCH: 'true' });
  const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
  const get = (url: string, headers: Record<string, string> = {}) => fetch(`${address}${url}`, { headers, redirect: 'manual' });
  const status = async () => (await (await get('/status.json')).json()) as { version: number; posts: number; scheduled: number; pending: number; skipped: { file: string; reason: string }[]; lastUpdate: string; watching: boolean };
  return { site, ...built, get, status, statusOf: async (url: string) => (await get(url)).status };
}

const story = (title: string, date: string, extra: Record<string, unknown> = {}, body = 'Body.') =>
  postText({ title, date, ...extra }, body);

t.test('an added post goes live on every page it affects', async (t) => {
  const { site, get, status, statusOf } = await live(t, {
    'a.md': story('First story', '2025-09-01T10:00:00Z', { categories: ['World'], tags: ['x'], author: 'Ana' }),
  });
  t.equal((await status()).watching, true);
  const before = await status();
  site.write('b.md', story('Second story', '2025-09-02T10:00:00Z', { categories: ['World'], tags: ['y'], author: 'Ben' }));
  await waitFor('the new post page', async () => (await statusOf('/2025/09/02/second-story/')) === 200);
  t.match(await (await get('/')).text(), /Second story/, 'front page');
  t.match(await (await get('/category/world/')).text(), /Second story/, 'category listing');
  t.match(await (await get('/tag/y/')).text(), /Second story/, 'tag listing');
  t.match(await (await get('/author/ben/')).text(), /Second story/, 'author listing');
  t.match(await (await get('/2025/09/')).text(), /Second story/, 'date archive');
  t.match(await (await get('/categories/')).text(), /World<\/a> <span class="term-list__count">2 stories/, 'taxonomy counts');
  t.match(await (await get('/authors/')).text(), /Ben<\/a>/);
  const after = await status();
  t.ok(after.version > before.version);
  t.ok(Date.parse(after.lastUpdate) >= Date.parse(before.lastUpdate));
});

t.test('feeds and sitemaps follow the folder', async (t) => {
  const { site, get } = await live(t, { 'a.md': story('First story', '2025-09-01T10:00:00Z', { categories: ['World'] }) });
  const feed1 = await get('/feed.xml');
  const sitemap1 = await get('/sitemap.xml');
  site.write('b.md', story('Fresh story', '2025-09-02T10:00:00Z', { categories: ['World'] }));
  await waitFor('the feed', async () => /Fresh story/.test(await (await get('/feed.xml')).text()));
  t.not((await get('/feed.xml')).headers.get('etag'), feed1.headers.get('etag'));
  t.match(await (await get('/rss.xml')).text(), /Fresh story/);
  t.match(await (await get('/feed.json')).text(), /Fresh story/);
  t.match(await (await get('/category/world/feed.xml')).text(), /Fresh story/);
  const sitemap2 = await get('/sitemap.xml');
  t.match(await sitemap2.text(), /\/2025\/09\/02\/fresh-story\//);
  t.not(sitemap2.headers.get('etag'), sitemap1.headers.get('etag'));
});

t.test('a changed post is re-read; pages it is not on keep their ETag', async (t) => {
  const { site, get } = await live(t, {
    'a.md': story('In A', '2025-09-01T10:00:00Z', { categories: ['A'], excerpt: 'Summary.' }),
    'b.md': story('In B', '2025-09-02T10:00:00Z', { categories: ['B'] }),
  });
  const a1 = await get('/category/a/');
  const b1 = await get('/category/b/');
  const post1 = await get('/2025/09/01/in-a/');
  site.write('a.md', story('In A', '2025-09-01T10:00:00Z', { categories: ['A'], excerpt: 'Summary.' }, 'A corrected body.'));
  await waitFor('the corrected body', async () => /A corrected body/.test(await (await get('/2025/09/01/in-a/')).text()));
  t.not((await get('/2025/09/01/in-a/')).headers.get('etag'), post1.headers.get('etag'), 'the post page changed');
  t.equal((await get('/category/b/')).headers.get('etag'), b1.headers.get('etag'), 'an unrelated page did not');
  t.equal((await get('/category/a/')).headers.get('etag'), a1.headers.get('etag'), 'nor did a listing whose bytes are the same');
});

t.test('adding a post in category A leaves category B\'s ETag as it was', async (t) => {
  // Ten sections, A the smallest: however many posts A gets, no other page changes
  // (the masthead does not rank sections by size).
  const files: Record<string, string> = {
    'a.md': story('Old A', '2025-09-01T10:00:00Z', { categories: ['A'] }),
    'b.md': story('Old B', '2025-09-02T10:00:00Z', { categories: ['B'] }),
  };
  for (const [i, section] of ['C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'].entries()) {
    for (let k = 0; k < 3; k++) files[`${section}${k}.md`] = story(`${section} ${k}`, `2025-08-0${k + 1}T1${i}:00:00Z`, { categories: [section] });
  }
  const { site, get } = await live(t, files);
  const headers = { 'accept-encoding': 'br' };
  const a1 = await get('/category/a/', headers);
  const b1 = await get('/category/b/', headers);
  const b1Plain = await get('/category/b/');
  for (let k = 0; k < 5; k++) site.write(`new-a-${k}.md`, story(`New A ${k}`, `2025-07-0${k + 1}T10:00:00Z`, { categories: ['A'] }));
  await waitFor('the new posts in A', async () => /New A 4/.test(await (await get('/category/a/')).text()));
  const a2 = await get('/category/a/', headers);
  const b2 = await get('/category/b/', headers);
  t.not(a2.headers.get('etag'), a1.headers.get('etag'), 'A changed');
  t.equal(b2.headers.get('etag'), b1.headers.get('etag'), 'B kept its br ETag');
  t.equal((await get('/category/b/')).headers.get('etag'), b1Plain.headers.get('etag'), 'and its identity ETag');
  t.equal(b2.headers.get('last-modified'), b1.headers.get('last-modified'));
  const revalidated = await get('/category/b/', { ...headers, 'if-none-match': String(b1.headers.get('etag')) });
  t.equal(revalidated.status, 304, 'a CDN copy of B stays valid');
});

t.test('renames: a moved file keeps its post, a .tmp rename is picked up, a new slug redirects', async (t) => {
  const { site, get, statusOf } = await live(t, {
    '000_aaaaaaaaaaaaaaaa.txt': story('Hash named', '2025-09-01T10:00:00Z'),
    '2025-09-02-old-slug.md': story('Jekyll named', '2025-09-02T10:00:00Z'),
  });
  fs.renameSync(path.join(site.postsDir, '000_aaaaaaaaaaaaaaaa.txt'), path.join(site.postsDir, '000_bbbbbbbbbbbbbbbb.txt'));
  fs.writeFileSync(path.join(site.postsDir, 'atomic.md.tmp'), story('Written atomically', '2025-09-03T10:00:00Z'));
  // A post written after the .tmp file: once it is live, the .tmp file has been seen too.
  site.write('sentinel.md', story('Sentinel', '2025-09-04T10:00:00Z'));
  await waitFor('the sentinel', async () => (await statusOf('/2025/09/04/sentinel/')) === 200);
  t.equal(await statusOf('/2025/09/03/written-atomically/'), 404, 'a .tmp file is not a post');
  fs.renameSync(path.join(site.postsDir, 'atomic.md.tmp'), path.join(site.postsDir, 'atomic.md'));
  await waitFor('the atomically written post', async () => (await statusOf('/2025/09/03/written-atomically/')) === 200);
  t.equal(await statusOf('/2025/09/01/hash-named/'), 200, 'renamed hash file: same URL');

  fs.renameSync(path.join(site.postsDir, '2025-09-02-old-slug.md'), path.join(site.postsDir, '2025-09-02-new-slug.md'));
  await waitFor('the new slug', async () => (await statusOf('/2025/09/02/new-slug/')) === 200);
  const old = await get('/2025/09/02/old-slug/');
  t.equal(old.status, 410, 'the old file is gone: its URL is 410 until restart');
  t.match(await old.text(), /This story has been removed/);
});

t.test('a post whose URL changes redirects from the old one', async (t) => {
  const { site, get } = await live(t, { 'a.md': story('Original headline', '2025-09-01T10:00:00Z') });
  site.write('a.md', story('Revised headline', '2025-09-01T10:00:00Z'));
  await waitFor('the new URL', async () => (await get('/2025/09/01/revised-headline/')).status === 200);
  const old = await get('/2025/09/01/original-headline/');
  t.equal(old.status, 301);
  t.equal(old.headers.get('location'), '/2025/09/01/revised-headline/');
});

t.test('a deleted post answers 410 Gone with the 404 page\'s look and leaves every listing', async (t) => {
  const { site, get, status } = await live(t, {
    'a.md': story('Stays', '2025-09-01T10:00:00Z', { categories: ['World'] }),
    'b.md': story('Goes away', '2025-09-02T10:00:00Z', { categories: ['World'], tags: ['solo'] }),
  });
  fs.unlinkSync(path.join(site.postsDir, 'b.md'));
  await waitFor('the removal', async () => (await get('/2025/09/02/goes-away/')).status === 410);
  const gone = await get('/2025/09/02/goes-away/');
  const html = await gone.text();
  t.match(html, /class="masthead"/, 'the site layout');
  t.match(html, /<meta name="robots" content="noindex">/);
  t.equal(gone.headers.get('cache-control'), 'public, max-age=60, stale-while-revalidate=600');
  t.notMatch(await (await get('/')).text(), /Goes away/);
  t.notMatch(await (await get('/category/world/')).text(), /Goes away/);
  t.equal((await get('/tag/solo/')).status, 404, 'an empty tag disappears');
  t.equal((await status()).posts, 1);
  t.equal((await get('/2025/09/09/never-existed/')).status, 404, 'unknown URLs stay 404');
});

t.test('a burst of 200 files becomes a few index updates', async (t) => {
  const { site, get, status } = await live(t, { 'a.md': story('Before the burst', '2025-01-01T10:00:00Z') });
  const before = await status();
  const staging = path.join(site.dir, 'staging');
  fs.mkdirSync(staging);
  for (let i = 0; i < 200; i++) {
    fs.writeFileSync(path.join(staging, `burst-${i}.md`), story(`Burst story ${i}`, `2025-09-0${1 + (i % 9)}T10:00:00Z`, { categories: ['Burst'] }));
  }
  // Moving files in is how pipelines drop them; write while the server answers requests.
  const requests = (async () => {
    let answered = 0;
    while ((await status()).posts < 201) {
      if ((await get('/')).status === 200) answered++;
    }
    return answered;
  })();
  for (const name of fs.readdirSync(staging)) fs.renameSync(path.join(staging, name), path.join(site.postsDir, name));
  await waitFor('all 200 posts', async () => (await status()).posts === 201);
  t.ok((await requests) > 0, 'the front page kept answering during the burst');
  const after = await status();
  t.ok(after.version - before.version <= 10, `${after.version - before.version} index updates for 200 files`);
  t.match(await (await get('/categories/')).text(), /Burst<\/a> <span class="term-list__count">200 stories/);
  t.equal(after.pending, 0);
});

t.test('a half-written file completed 300 ms later goes live, with no error logged', async (t) => {
  const { site, statusOf, logs } = await live(t);
  const full = story('Completed later', '2025-09-01T10:00:00Z', {}, 'The whole body.');
  site.write('half.md', full.slice(0, 20));
  await new Promise((r) => setTimeout(r, 300));
  site.write('half.md', full);
  await waitFor('the completed post', async () => (await statusOf('/2025/09/01/completed-later/')) === 200);
  t.notOk(logs.some((l) => l.msg === 'post skipped' && l.file === 'half.md'), 'never reported as bad');
});

t.test('a live post that goes bad stays live during the retries, then is removed and logged once', async (t) => {
  const { site, get, status, statusOf, logs } = await live(t, { 'a.md': story('Was fine', '2025-09-01T10:00:00Z') });
  t.equal(await statusOf('/2025/09/01/was-fine/'), 200, 'served (and cached) before it broke');
  site.write('a.md', '---\ntitle: [broken\n---\n');
  // While the file is retried, the copy that was live before stays live: the rendered
  // page stays cached (the body itself is read from the file, which is broken now).
  const during = await waitFor('the retry to start', async () => ((await status()).pending > 0 ? status() : null));
  t.ok(during.pending > 0);
  t.equal(await statusOf('/2025/09/01/was-fine/'), 200, 'still served while retrying');
  await waitFor('the final verdict', async () => (await statusOf('/2025/09/01/was-fine/')) === 410);
  const skipped = (await status()).skipped;
  t.match(skipped, [{ file: 'a.md', reason: /invalid YAML/ }], '/status.json says why');
  // Saving the same broken content again is not logged again, after all its retries.
  const retries = () => logs.filter((l) => l.msg === 'post unreadable: retrying' && l.file === 'a.md').length;
  const retriedBefore = retries();
  site.write('a.md', '---\ntitle: [broken\n---\n');
  await waitFor('the retries of the second save', async () => retries() >= retriedBefore + 2 && (await status()).pending === 0);
  t.equal(logs.filter((l) => l.msg === 'post skipped' && l.file === 'a.md').length, 1, 'logged once');
  site.write('a.md', story('Was fine', '2025-09-01T10:00:00Z'));
  await waitFor('the fixed post', async () => (await statusOf('/2025/09/01/was-fine/')) === 200);
  t.same((await status()).skipped, []);
  t.equal((await get('/readyz')).status, 200);
});

t.test('editor leftovers, hidden files and other files are ignored', async (t) => {
  const { site, status, logs } = await live(t, { 'a.md': story('A', '2025-09-01T10:00:00Z') });
  const before = await status();
  for (const name of ['.a.md.swp', 'a.md~', '#a.md#', '4913', 'notes.pdf', '.hidden.md', 'b.md.tmp', 'c.md.part']) {
    site.write(name, 'junk');
  }
  site.write('.git/objects/x.md', 'junk');
  site.write('real.md', story('Real', '2025-09-02T10:00:00Z'));
  await waitFor('the real post', async () => (await status()).posts === 2);
  const after = await status();
  t.same(after.skipped, [], 'nothing reported as bad');
  t.notOk(logs.some((l) => l.msg === 'post skipped'));
  t.ok(after.version - before.version >= 1);
});

t.test('a folder of posts moved in, then removed', async (t) => {
  const { site, status } = await live(t, { 'a.md': story('A', '2025-09-01T10:00:00Z') });
  const folder = path.join(site.dir, 'incoming');
  fs.mkdirSync(folder);
  for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(folder, `p${i}.md`), story(`Folder ${i}`, '2025-09-02T10:00:00Z'));
  fs.renameSync(folder, path.join(site.postsDir, 'incoming'));
  await waitFor('the folder\'s posts', async () => (await status()).posts === 6);
  fs.rmSync(path.join(site.postsDir, 'incoming'), { recursive: true });
  await waitFor('the folder\'s posts to go', async () => (await status()).posts === 1);
  t.pass('followed');
});

t.test('a scheduled post dropped in goes live at its time', async (t) => {
  const { site, status, statusOf } = await live(t);
  const at = new Date(Date.now() + 3000);
  const url = `/${at.toISOString().slice(0, 10).replace(/-/g, '/')}/on-the-hour/`;
  site.write('soon.md', story('On the hour', at.toISOString()));
  await waitFor('the file to be indexed as scheduled', async () => (await status()).scheduled === 1);
  t.equal(await statusOf(url), 404, 'not before its time');
  await waitFor('publication', async () => (await statusOf(url)) === 200);
  t.ok(Date.now() >= at.getTime(), 'not early');
});

t.test('/status.json explains the site to an operator', async (t) => {
  const { get } = await live(t, { 'a.md': story('A', '2025-09-01T10:00:00Z'), 'bad.md': 'no front matter' });
  const res = await get('/status.json');
  t.equal(res.status, 200);
  t.equal(res.headers.get('cache-control'), 'no-store');
  const body = (await res.json()) as Record<string, unknown>;
  t.match(body, {
    ready: true,
    watching: true,
    posts: 1,
    scheduled: 0,
    drafts: 0,
    pending: 0,
    skipped: [{ file: 'bad.md', reason: /no front matter/ }],
    lastUpdate: /^\d{4}-\d{2}-\d{2}T/,
  });
});
