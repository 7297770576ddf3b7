// Pages of unusual sites: empty, without a featured post, without a stylesheet of
// their own; bylines with several authors; remote lead images.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';

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
