// SPEC section 5: validators, 304s, HEAD, compression with an ETag per coding, static
// files, and pages rendered once per index state.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import t, { type Test } from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

function files(): Record<string, string> {
  return {
    'a.md': postText({ title: 'Alpha story', date: '2025-09-01T10:00:00Z', categories: ['World'], last_modified_at: '2025-09-03T10:00:00Z' }, 'Alpha body. '.repeat(200)),
    'b.md': postText({ title: 'Beta story', date: '2025-09-02T10:00:00Z', categories: ['Business'] }, 'Beta body.'),
  };
}

async function site(t: Test, env: Record<string, string> = {}) {
  const s = makeSite(t, files());
  // Files older than their dates, so Last-Modified comes from the front matter.
  for (const f of ['a.md', 'b.md']) fs.utimesSync(path.join(s.postsDir, f), new Date('2025-01-01Z'), new Date('2025-01-01Z'));
  return { s, ...(await build(t, s, env)) };
}

t.test('pages carry a strong ETag, Last-Modified and Cache-Control', async (t) => {
  const { app } = await site(t);
  const a = await app.inject('/2025/09/01/alpha-story/');
  const b = await app.inject('/2025/09/01/alpha-story/');
  t.equal(a.statusCode, 200);
  t.match(a.headers.etag, /^"[A-Za-z0-9_-]{32}"$/, 'strong ETag');
  t.equal(a.headers.etag, b.headers.etag, 'stable across identical requests');
  t.equal(a.body, b.body);
  t.equal(a.headers['last-modified'], 'Wed, 03 Sep 2025 10:00:00 GMT', 'the post\'s last_modified_at');
  t.equal(a.headers['cache-control'], 'public, max-age=60, stale-while-revalidate=600');
  t.equal(a.headers.vary, 'Accept-Encoding');
  const home = await app.inject('/');
  t.equal(home.headers['last-modified'], 'Wed, 03 Sep 2025 10:00:00 GMT', 'newest content the page shows');
  const business = await app.inject('/category/business/');
  t.equal(business.headers['last-modified'], 'Tue, 02 Sep 2025 10:00:00 GMT');
});

t.test('Cache-Control follows the configuration', async (t) => {
  const { app } = await site(t, { CACHE_MAX_AGE: '300', CACHE_STALE_WHILE_REVALIDATE: '30' });
  t.equal((await app.inject('/')).headers['cache-control'], 'public, max-age=300, stale-while-revalidate=30');
});

t.test('If-None-Match and If-Modified-Since answer 304', async (t) => {
  const { app } = await site(t);
  const url = '/category/world/';
  const first = await app.inject(url);
  const etag = String(first.headers.etag);
  const lastModified = String(first.headers['last-modified']);
  const cases: [Record<string, string>, number, string][] = [
    [{ 'if-none-match': etag }, 304, 'exact ETag'],
    [{ 'if-none-match': `W/${etag}` }, 304, 'weak comparison'],
    [{ 'if-none-match': `"other", ${etag}` }, 304, 'in a list'],
    [{ 'if-none-match': '*' }, 304, 'any'],
    [{ 'if-none-match': '"other"' }, 200, 'other ETag'],
    [{ 'if-modified-since': lastModified }, 304, 'same date'],
    [{ 'if-modified-since': new Date(Date.parse(lastModified) + 60_000).toUTCString() }, 304, 'later date'],
    [{ 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() }, 200, 'earlier date'],
    [{ 'if-none-match': '"other"', 'if-modified-since': lastModified }, 200, 'If-None-Match wins over If-Modified-Since'],
    [{ 'if-modified-since': 'not a date' }, 200, 'malformed date ignored'],
    [{ 'if-none-match': 'garbage without quotes' }, 200, 'malformed ETag ignored'],
  ];
  for (const [headers, status, name] of cases) {
    const res = await app.inject({ url, headers });
    t.equal(res.statusCode, status, name);
    if (status === 304) {
      t.equal(res.body, '', `${name}: no body`);
      t.equal(res.headers.etag, etag, `${name}: ETag still sent`);
      t.equal(res.headers['cache-control'], first.headers['cache-control']);
    }
  }
  const notFound = await app.inject({ url: '/nope/', headers: { 'if-none-match': '*' } });
  t.equal(notFound.statusCode, 404, 'conditionals never turn a 404 into a 304');
});

t.test('HEAD answers like GET without a body', async (t) => {
  const { app } = await site(t);
  for (const url of ['/', '/2025/09/01/alpha-story/', '/tags/', '/nope/']) {
    const get = await app.inject(url);
    const head = await app.inject({ method: 'HEAD', url });
    t.equal(head.statusCode, get.statusCode, url);
    t.equal(head.body, '', `${url}: no body`);
    t.equal(head.headers.etag, get.headers.etag);
    t.equal(head.headers['content-length'], get.headers['content-length']);
    t.equal(head.headers['content-type'], get.headers['content-type']);
  }
});

t.test('br and gzip: each coding its own representation with its own ETag', async (t) => {
  const { app } = await site(t);
  const url = '/2025/09/01/alpha-story/';
  const plain = await app.inject({ url, headers: { 'accept-encoding': 'identity' } });
  const br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
  const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
  t.equal(plain.headers['content-encoding'], undefined);
  t.equal(br.headers['content-encoding'], 'br');
  t.equal(gz.headers['content-encoding'], 'gzip');
  t.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), plain.body, 'br decodes to the same page');
  t.equal(zlib.gunzipSync(gz.rawPayload).toString(), plain.body, 'gzip decodes to the same page');
  t.ok(br.rawPayload.length < plain.rawPayload.length / 2, 'and is smaller');
  const etags = new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]);
  t.equal(etags.size, 3, 'three distinct strong ETags');
  for (const res of [plain, br, gz]) t.equal(res.headers.vary, 'Accept-Encoding');
  const again = await app.inject({ url, headers: { 'accept-encoding': 'br' } });
  t.equal(again.headers.etag, br.headers.etag, 'stable');
  const cond = await app.inject({ url, headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } });
  t.equal(cond.statusCode, 304);
  const mismatched = await app.inject({ url, headers: { 'accept-encoding': 'gzip', 'if-none-match': String(br.headers.etag) } });
  t.equal(mismatched.statusCode, 200, 'the br ETag does not validate the gzip form');
  const q = await app.inject({ url, headers: { 'accept-encoding': 'br;q=0, gzip;q=0.5' } });
  t.equal(q.headers['content-encoding'], 'gzip', 'q-values are honoured');
  const none = await app.inject({ url, headers: { 'accept-encoding': 'compress' } });
  t.equal(none.headers['content-encoding'], undefined, 'unknown codings fall back to identity');
});

t.test('the same bytes are rendered once per index state', async (t) => {
  const { app } = await site(t);
  const before = app.pageCache.renders;
  const [a, b, c] = await Promise.all([app.inject('/'), app.inject('/'), app.inject({ url: '/', headers: { 'accept-encoding': 'br' } })]);
  t.equal(app.pageCache.renders, before + 1, 'concurrent requests share one render');
  await app.inject('/');
  await app.inject({ method: 'HEAD', url: '/' });
  t.equal(app.pageCache.renders, before + 1, 'later requests reuse it');
  t.equal(a.body, b.body);
  t.equal(c.headers['content-encoding'], 'br');
  await app.inject('/nope/');
  await app.inject('/other-nope/');
  t.equal(app.pageCache.renders, before + 2, 'one 404 page serves every unknown URL');
});

t.test('a change gives a new ETag; unchanged pages keep theirs across restarts', async (t) => {
  const s = makeSite(t, files());
  const first = await build(t, s);
  const post1 = await first.app.inject('/2025/09/01/alpha-story/');
  const biz1 = await first.app.inject('/category/business/');
  await first.app.close();
  s.write('a.md', postText({ title: 'Alpha story', date: '2025-09-01T10:00:00Z', categories: ['World'] }, 'Changed body.'));
  const second = await build(t, s);
  const post2 = await second.app.inject('/2025/09/01/alpha-story/');
  const biz2 = await second.app.inject('/category/business/');
  t.not(post2.headers.etag, post1.headers.etag, 'changed post: new ETag');
  t.equal(biz2.headers.etag, biz1.headers.etag, 'unrelated page: same bytes, same ETag');
});

t.test('static files: own validators, no listings, no dotfiles', async (t) => {
  const { app, s } = await site(t);
  fs.writeFileSync(path.join(s.publicDir, '.env'), 'SECRET=1');
  const icon = await app.inject('/favicon.svg');
  t.equal(icon.statusCode, 200);
  t.match(icon.headers['content-type'], /image\/svg\+xml/);
  t.ok(icon.headers.etag);
  t.ok(icon.headers['last-modified']);
  t.equal(icon.headers['cache-control'], 'public, max-age=3600');
  const cond = await app.inject({ url: '/favicon.svg', headers: { 'if-none-match': String(icon.headers.etag) } });
  t.equal(cond.statusCode, 304);
  const image = await app.inject('/assets/images/lead.jpg');
  t.equal(image.statusCode, 200);
  t.same(image.rawPayload, fs.readFileSync(path.join(s.publicDir, 'assets/images/lead.jpg')), 'the file as it is');
  for (const url of ['/.env', '/assets/', '/assets/images/', '/css/', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 404, url);
    t.notMatch(res.body, /SECRET|lead\.jpg/);
  }
});

t.test('the stylesheet is fingerprinted and immutable', async (t) => {
  const { app } = await site(t);
  const home = await app.inject('/');
  const href = /<link rel="stylesheet" href="([^"]+)">/.exec(home.body)?.[1];
  t.match(href, /^\/assets\/css\/site\.[A-Za-z0-9_-]{12}\.css$/);
  const css = await app.inject({ url: href!, headers: { 'accept-encoding': 'br' } });
  t.equal(css.statusCode, 200);
  t.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.match(css.headers['content-type'], /^text\/css/);
  t.ok(css.headers.etag);
  const plain = await app.inject(href!);
  const original = fs.readFileSync(path.resolve(import.meta.dirname, '../../public/css/site.css'), 'utf8');
  t.equal(plain.body, original);
  if (original.length >= 1024) t.equal(css.headers['content-encoding'], 'br');
  const again = await app.inject({ url: href!, headers: { 'accept-encoding': 'br', 'if-none-match': String(css.headers.etag) } });
  t.equal(again.statusCode, 304, 'revalidated');
  t.equal(again.headers['content-encoding'], undefined, 'a 304 names no coding');
});

t.test('Last-Modified is never in the future', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'Updated ahead', date: '2025-09-01T10:00:00Z', last_modified_at: '2030-01-01T00:00:00Z' }) });
  const { app } = await build(t, s);
  for (const url of ['/', '/2025/09/01/updated-ahead/']) {
    const res = await app.inject(url);
    t.ok(Date.parse(String(res.headers['last-modified'])) <= Date.now(), `${url}: ${res.headers['last-modified']}`);
  }
});

t.test('an index update purges exactly the keys it names, and tells who listens', async (t) => {
  const s = makeSite(t, files());
  const { app } = await build(t, s, { WATCH: 'true' });
  const purges: string[][] = [];
  app.pageCache.onPurge((keys) => purges.push([...keys]));
  const business = await app.inject('/category/business/');
  const world = await app.inject('/category/world/');
  s.write('c.md', postText({ title: 'Gamma story', date: '2025-09-03T10:00:00Z', categories: ['World'] }));
  await waitFor('the purge', () => purges.length > 0);
  t.ok(purges[0]!.includes('category-world') && purges[0]!.includes('home'), 'the listings the post entered');
  t.notOk(purges[0]!.includes('category-business'), 'not another section');
  t.equal((await app.inject('/category/business/')).headers.etag, business.headers.etag);
  t.not((await app.inject('/category/world/')).headers.etag, world.headers.etag);
});
