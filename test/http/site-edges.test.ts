// Pages of unusual sites: empty, without a featured post, without a stylesheet of
// their own; bylines with several authors; remote lead images.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
import { makePhoto } from '../helpers/images.js';
import { waitFor } from '../helpers/wait.js';

t.test('an empty site still has a front page and index pages', async (t) => {
  const { app } = await build(t, makeSite(t));
  const home = await app.inject('/');
  t.equal(home.statusCode, 200);
  t.match(home.body, /No stories have been published yet/);
  t.ok(home.headers['last-modified']);
  t.equal((await app.inject('/page/2/')).statusCode, 404);
  const cats = await app.inject('/categories/');
  t.equal(cats.statusCode, 200);
  t.match(cats.body, /Nothing here yet/);
});

t.test('without a featured post the newest leads', async (t) => {
  const { app } = await build(t, makeSite(t, {
    'a.md': postText({ title: 'Older', date: '2025-09-01' }),
    'b.md': postText({ title: 'Newer', date: '2025-09-02', author: ['Ana', 'Ben', 'Cleo'], image: 'https://cdn.example.org/n.jpg' }),
  }));
  const home = await app.inject('/');
  const lead = home.body.slice(home.body.indexOf('card--lead'));
  t.match(lead, /^card--lead[\s\S]*?Newer/);
  t.match(home.body, /By <a href="\/author\/ana\/" rel="author">Ana<\/a>, <a href="\/author\/ben\/" rel="author">Ben<\/a> and <a href="\/author\/cleo\/" rel="author">Cleo<\/a>/);
  const post = await app.inject('/2025/09/02/newer/');
  t.match(post.body, /<meta property="og:image" content="https:\/\/cdn\.example\.org\/n\.jpg">/);
  t.match(post.body, /<meta name="twitter:card" content="summary_large_image">/);
  const archive = await app.inject('/2025/page/1/');
  t.equal(archive.statusCode, 301);
  t.equal(archive.headers.location, '/2025/');
});

t.test('a public folder without a stylesheet gets the bundled one', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-09-01' }) });
  fs.rmSync(path.join(s.publicDir, 'css'), { recursive: true });
  const { app } = await build(t, s);
  const href = /<link rel="stylesheet" href="([^"]+)">/.exec((await app.inject('/')).body)?.[1];
  const css = await app.inject(href!);
  t.equal(css.statusCode, 200);
  t.equal(css.body, fs.readFileSync(path.resolve(import.meta.dirname, '../../public/css/site.css'), 'utf8'));
});

t.test('the error page cannot itself fail', async (t) => {
  const { app, logs } = await build(t, makeSite(t), {}, {
    beforeReady: (a) => {
      a.get('/boom', () => {
        throw new Error('boom');
      });
    },
  });
  Object.defineProperty(app.site, 'settings', {
    get() {
      throw new Error('settings unavailable');
    },
  });
  const res = await app.inject('/boom');
  t.equal(res.statusCode, 500);
  t.equal(res.body, 'Internal Server Error\n');
  t.match(res.headers['content-type'], /text\/plain/);
  t.ok(logs.some((l) => l.msg === 'error page failed to render'));
});

t.test('a client error gets a plain error page', async (t) => {
  const { app } = await build(t, makeSite(t), {}, {
    beforeReady: (a) => {
      a.get('/teapot', () => {
        throw Object.assign(new Error('short and stout'), { statusCode: 418 });
      });
      a.get('/missing-thing', () => {
        throw Object.assign(new Error('no such thing'), { statusCode: 404 });
      });
    },
  });
  const missing = await app.inject('/missing-thing');
  t.equal(missing.statusCode, 404);
  t.match(missing.body, /Page not found/, 'a thrown 404 gets the site\'s 404 page');
  const res = await app.inject('/teapot');
  t.equal(res.statusCode, 418);
  t.match(res.body, /Bad request/);
  t.notMatch(res.body, /short and stout/);
  Object.defineProperty(app.site, 'settings', {
    get() {
      throw new Error('settings unavailable');
    },
  });
  t.equal((await app.inject('/teapot')).body, 'Bad Request\n', 'plain text when even the page fails');
});

t.test('lead images follow the public folder', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'Pictured later', date: '2025-09-01', image: 'assets/images/later.jpg' }) });
  const { app } = await build(t, s, { WATCH: 'true' });
  const page = async () => (await app.inject('/2025/09/01/pictured-later/')).body;
  t.notMatch(await page(), /later\.jpg/, 'not shown while the file is missing');
  const file = path.join(s.publicDir, 'assets/images/later.jpg');
  fs.copyFileSync(path.join(s.publicDir, 'assets/images/lead.jpg'), file);
  const shown = async () => /later\.jpg/.test(await page());
  await waitFor('the image', shown);
  t.match(await page(), /<picture><source type="image\/avif" srcset="\/img\/[0-9a-f]{16}\/320\/assets\/images\/later\.jpg\.avif 320w/, 'shown once the file arrives');
  t.match(await page(), /width="1600" height="900"/);
  t.match((await app.inject('/')).body, /later\.jpg/, 'on cards too');

  // Replaced in place: same name, another picture. Pages that show it follow.
  fs.writeFileSync(file, await makePhoto(800, 600, { seed: 3 }));
  await waitFor('the new size', async () => (await page()).includes('width="800" height="600"'));
  t.match((await app.inject('/')).body, /width="800" height="600"/, 'the card too');

  fs.unlinkSync(file);
  await waitFor('the image to go', async () => !(await shown()));
  t.notMatch(await page(), /later\.jpg/, 'and gone again when it is removed: no broken image');
});

t.test('the masthead lists NAV_SECTIONS, or sections by name; never by size', async (t) => {
  const files: Record<string, string> = {};
  for (const [i, cat] of ['Zeta', 'Alpha', 'Beta', 'Beta', 'Beta'].entries()) files[`p${i}.md`] = postText({ title: `P${i}`, date: `2025-09-0${i + 1}`, categories: [cat] });
  const nav = (html: string) => [...html.matchAll(/<li><a href="\/category\/([^/]+)\/"/g)].map((m) => m[1]);
  const byName = await build(t, makeSite(t, files));
  t.same(nav((await byName.app.inject('/')).body), ['alpha', 'beta', 'zeta']);
  const chosen = await build(t, makeSite(t, files), { NAV_SECTIONS: 'Zeta, Alpha, Nonexistent' });
  t.same(nav((await chosen.app.inject('/')).body), ['zeta', 'alpha'], 'in the configured order, sections without posts left out');
});

t.test('term URLs in another spelling redirect to the term', async (t) => {
  const { app } = await build(t, makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-09-01', tags: ['Education'], categories: ['Café Culture'] }) }));
  const upper = await app.inject('/tag/Education/');
  t.equal(upper.statusCode, 301);
  t.equal(upper.headers.location, '/tag/education/');
  t.equal((await app.inject('/tag/Education/page/1/')).headers.location, '/tag/education/');
  t.equal((await app.inject('/tag/Education/page/2/')).statusCode, 404, 'no redirect to a page past the last');
  t.equal((await app.inject('/category/Caf%C3%A9-Culture/')).headers.location, '/category/cafe-culture/');
  t.equal((await app.inject('/tag/Nothing/')).statusCode, 404);
  const before = app.pageCache.renders;
  await app.inject('/tag/education/');
  await app.inject('/tag/%65ducation/');
  t.equal(app.pageCache.renders, before + 1, 'one cached page under its canonical URL, however the URL was spelled');
});

t.test('a full render queue answers 503, briefly', async (t) => {
  const { RenderBusyError } = await import('../../src/render/markdown/render-pool.js');
  const { app, logs } = await build(t, makeSite(t), {}, {
    beforeReady: (a) => {
      a.get('/busy', () => {
        throw new RenderBusyError();
      });
    },
  });
  const res = await app.inject('/busy');
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '1');
  t.equal(res.headers['cache-control'], 'no-store');
  t.ok(logs.some((l) => l.msg === 'render queue full' && l.level === 40));
});

t.test('/status.json with STATUS_TOKEN', async (t) => {
  const { app } = await build(t, makeSite(t), { STATUS_TOKEN: 's3cret-token' });
  const anonymous = await app.inject('/status.json');
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.headers['www-authenticate'], 'Bearer realm="status"');
  t.equal((await app.inject({ url: '/status.json', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
  const ok = await app.inject({ url: '/status.json', headers: { authorization: 'Bearer s3cret-token' } });
  t.equal(ok.statusCode, 200);
  t.match(ok.json(), { ready: true });
});
