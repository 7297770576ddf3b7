// Bad posts never take the site down: each is skipped with one log line naming the
// file and the reason, and every other post is served.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { MAX_WAITING } from '../../src/http/request-guard.js';
import { build, makeSite, postText } from '../helpers/build.js';

t.test('broken posts are skipped and logged; the rest are served', async (t) => {
  const s = makeSite(t, {
    'good.md': postText({ title: 'Good story', date: '2025-09-01' }),
    'bad-date.md': postText({ title: 'Bad date', date: '2025-02-30' }),
    'bad-yaml.md': '---\ntitle: [oops\n---\nbody',
    'empty.md': '',
    'no-front-matter.md': '# Just a heading\n',
    'js.md': '---js\n{ title: "x" }\n---\n',
    'binary.md': Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0xff]),
    'notes.txt~': 'editor leftover',
    '.hidden.md': postText({ title: 'Hidden file', date: '2025-09-01' }),
    'image.png': 'not a post',
  });
  const { app, logs } = await build(t, s);
  const skipped = logs.filter((l) => l.msg === 'post skipped');
  t.same(
    skipped.map((l) => l.file).sort(),
    ['bad-date.md', 'bad-yaml.md', 'binary.md', 'empty.md', 'js.md', 'no-front-matter.md'],
    'one line per unusable post file, nothing for ignored files',
  );
  for (const line of skipped) {
    t.equal(line.level, 40, `${String(line.file)}: a warning`);
    t.type(line.reason, 'string');
  }
  t.match(skipped.find((l) => l.file === 'bad-date.md')?.reason, /day 30 does not exist/);
  const home = await app.inject('/');
  t.equal(home.statusCode, 200);
  t.match(home.body, /Good story/);
  t.equal((await app.inject('/2025/09/01/good-story/')).statusCode, 200);
  t.equal(app.content.status().skipped.length, 6);
  const indexed = logs.find((l) => l.msg === 'posts indexed');
  t.equal(indexed?.posts, 1);
  t.equal(indexed?.skipped, 6);
});

t.test('warnings and encodings are logged per file', async (t) => {
  const s = makeSite(t, {
    'no-title.md': '---\ndate: 2025-09-01\n---\nNo heading.',
    'latin.md': Buffer.from('---\ntitle: "Caf\xe9"\ndate: 2025-09-01\n---\nx', 'latin1'),
    'mojibake.md': '---\ntitle: "Hereâ€™s"\ndate: 2025-09-01\n---\nx',
    'missing-image.md': postText({ title: 'Missing image', date: '2025-09-01', image: 'assets/images/nope.jpg' }),
  });
  const { app, logs } = await build(t, s);
  t.match(logs.find((l) => l.msg === 'post loaded with warnings'), { file: 'no-title.md', warnings: [/file name/] });
  t.match(logs.find((l) => l.msg === 'post is not UTF-8: decoded'), { file: 'latin.md', encoding: 'windows-1252' });
  t.match(logs.find((l) => l.msg === 'mojibake repaired'), { file: 'mojibake.md' });
  t.match(logs.find((l) => /lead image is not in the public folder/.test(l.msg)), { count: 1, examples: ['missing-image.md'] });
  const page = await app.inject('/2025/09/01/missing-image/');
  t.notMatch(page.body, /nope\.jpg/, 'no broken image anywhere');
  t.notMatch((await app.inject('/')).body, /nope\.jpg/);
  t.match((await app.inject('/')).body, /Here’s/);
});

t.test('a post\'s raw HTML cannot inject a script into any page', async (t) => {
  const s = makeSite(t, {
    'evil.md': postText(
      { title: '<script>alert("title")</script>', date: '2025-09-01', excerpt: '"><img src=x onerror=alert(1)>', categories: ['<b>bold</b>'], author: '"><script>alert(1)</script>' },
      'Hello <script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">click</a>\n',
    ),
  });
  const { app } = await build(t, s);
  const urls = ['/', '/2025/09/01/script-alert-title-script/', '/category/b-bold-b/', '/categories/', '/authors/', '/2025/'];
  for (const url of urls) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 200, url);
    // JSON-LD data blocks are the only <script> elements pages have.
    t.notMatch(res.body, /<script(?! type="application\/ld\+json">)|onerror=|javascript:/i, `${url}: nothing executable`);
  }
  const post = await app.inject(urls[1]!);
  t.match(post.body, /&lt;script&gt;alert\(&quot;title&quot;\)&lt;\/script&gt;/, 'the title is shown as text');
  t.match(post.body, /Hello/);
});

t.test('the site serves while loading, and a broken folder is an error', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1500; i++) files[`p${i}.md`] = postText({ title: `Story ${i}`, date: '2025-09-01' });
  const s = makeSite(t, files);
  const { app } = await build(t, s, { STARTUP_WAIT_MS: '0' }, { waitForPosts: false });
  // The load starts on ready and yields to the event loop between chunks of files.
  t.notOk(app.content.ready, 'still loading');
  const res = await app.inject('/');
  t.equal(res.statusCode, 503, 'no wait: 503 at once');
  t.equal(res.headers['retry-after'], '2');
  t.equal(res.headers['cache-control'], 'no-store');
  t.equal((await app.inject('/readyz')).statusCode, 503);
  t.equal((await app.inject('/healthz')).statusCode, 200, 'liveness answers while loading');
  const loading = await app.inject('/status.json');
  t.match(loading.json(), { ready: false, lastUpdate: null });
  await app.content.whenReady();
  t.equal((await app.inject('/readyz')).statusCode, 200);

  const gone = makeSite(t);
  const broken = await build(t, gone, {}, {
    waitForPosts: false,
    beforeReady: () => fs.rmSync(gone.postsDir, { recursive: true }),
  });
  await t.rejects(broken.app.content.whenReady(), /ENOENT/);
  t.match(broken.logs.find((l) => l.msg === 'cannot read the posts folder'), { postsDir: gone.postsDir });
  t.equal((await broken.app.inject('/readyz')).statusCode, 503);
});

t.test('a page asked for while the posts load is answered once they are in', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1500; i++) files[`p${i}.md`] = postText({ title: `Story ${i}`, date: '2025-09-01' });
  const s = makeSite(t, files);
  const { app } = await build(t, s, {}, { waitForPosts: false });
  t.notOk(app.content.ready, 'still loading');
  const early = app.inject('/');
  const doubled = app.inject('//2025/');
  t.equal((await app.inject('/readyz')).statusCode, 503, 'readiness still says loading meanwhile');
  const res = await early;
  t.ok(app.content.ready);
  t.equal(res.statusCode, 200, 'the front page, not a 503');
  t.match(res.body, /Story \d+/, 'with the stories');
  t.equal((await doubled).headers.location, '/2025/', 'the other checks still run after the wait');

  // A wait shorter than the load: the 503 asking to come back.
  const slow = makeSite(t, files);
  const short = await build(t, slow, { STARTUP_WAIT_MS: '1' }, { waitForPosts: false });
  const late = await short.app.inject('/');
  t.equal(late.statusCode, 503);
  t.equal(late.headers['retry-after'], '2');
  await short.app.content.whenReady();
  t.equal((await short.app.inject('/')).statusCode, 200);

  // A load that fails answers the waiting requests at once.
  const gone = makeSite(t);
  const broken = await build(t, gone, {}, {
    waitForPosts: false,
    beforeReady: () => fs.rmSync(gone.postsDir, { recursive: true }),
  });
  t.equal((await broken.app.inject('/')).statusCode, 503);
});

t.test('past MAX_WAITING requests waiting for the load, the next gets the 503 at once', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1500; i++) files[`p${i}.md`] = postText({ title: `Story ${i}`, date: '2025-09-01' });
  const s = makeSite(t, files);
  const { app } = await build(t, s, {}, { waitForPosts: false });
  // One more than may wait; which one is turned away is the order the requests reach the hook.
  const answers = await Promise.all(Array.from({ length: MAX_WAITING + 1 }, () =>
    app.inject('/').then((res) => ({ status: res.statusCode, loaded: app.content.ready }))));
  const turnedAway = answers.filter((a) => a.status === 503);
  t.equal(turnedAway.length, 1, 'one request over the limit');
  t.notOk(turnedAway[0]!.loaded, 'answered at once, while the others still waited');
  t.equal(answers.filter((a) => a.status === 200).length, MAX_WAITING, 'the waiting ones get the page');
});

t.test('errors become an error page without details, logged once with the request id', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-09-01' }) });
  const { app, logs } = await build(t, s, {}, {
    beforeReady: (a) => {
      a.get('/boom', () => {
        throw new Error(`secret failure in ${path.join(s.dir, 'x')}`);
      });
    },
  });
  const res = await app.inject('/boom');
  t.equal(res.statusCode, 500);
  t.match(res.body, /Something went wrong/);
  t.notMatch(res.body, /secret failure|\/tmp|\.ts:|at /, 'no message, path or stack');
  t.equal(res.headers['cache-control'], 'no-store');
  const errors = logs.filter((l) => l.level >= 50);
  t.equal(errors.length, 1, 'logged once');
  t.ok(errors[0]?.reqId, 'with the request id');
  t.ok(fs.existsSync(s.postsDir));
});
