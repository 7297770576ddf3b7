// Issue 9: shared caches are told which keys changed (PURGE with xkey headers), in the
// background, with retries; pages get a long s-maxage only while purges are sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { chunkKeys, isHardKey, MAX_KEYS_BYTES, UpdateBarrier } from '../../src/http/cache-purger.js';
import { build, makeSite, postText, type TestSite } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

interface Purge {
  readonly method: string;
  readonly url: string;
  readonly hard: string[];
  readonly soft: string[];
}

/** A stand-in for Varnish: records purges; `answer` picks each one's status (or hangs). */
async function purgeEndpoint(t: Test, answer: (n: number) => number | 'hang' = () => 200) {
  const purges: Purge[] = [];
  let n = 0;
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const split = (h: string | string[] | undefined) => (typeof h === 'string' ? h.split(' ') : []);
    const status = answer(n++);
    purges.push({ method: req.method!, url: req.url!, hard: split(req.headers['xkey-purge']), soft: split(req.headers['xkey-softpurge']) });
    if (status === 'hang') hanging.push(res);
    else res.writeHead(status).end(`Purged\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    server.close();
  });
  return { purges, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

const story = (title: string, date: string, extra: Record<string, unknown> = {}) => postText({ title, date, ...extra }, 'Body.');

function files() {
  return {
    'a.md': story('Alpha story', '2025-09-01T10:00:00Z', { categories: ['World'], tags: ['rivers'] }),
    'b.md': story('Beta story', '2025-09-02T10:00:00Z', { categories: ['Sport'] }),
  };
}

async function purgingSite(t: Test, site: TestSite, urls: string[], env: Record<string, string> = {}) {
  const built = await build(t, site, { WATCH: 'true', CACHE_PURGE_URLS: urls.join(','), ...env }, { purgeTuning: { retryDelaysMs: [20, 40], timeoutMs: 500 } });
  return built;
}

const keysOf = async (app: Awaited<ReturnType<typeof build>>['app'], url: string) => String((await app.inject(url)).headers.xkey).split(' ');

t.test('an edited post: its page purged hard, the cards that tease it soft, at every endpoint', async (t) => {
  const one = await purgeEndpoint(t);
  const two = await purgeEndpoint(t);
  const site = makeSite(t, files());
  const { app } = await purgingSite(t, site, [one.url, two.url]);
  const keys = await keysOf(app, '/2025/09/01/alpha-story/');
  const card = keys.find((k) => k.startsWith('p-'))!;
  const page = keys.find((k) => k.startsWith('pp-'))!;
  const body = keys.find((k) => k.startsWith('b-'))!;
  t.ok(card && page && body, 'the post page carries its card, page and body keys');
  // The listings that tease it carry its card key: a purge of that key reaches them.
  for (const url of ['/', '/category/world/', '/tag/rivers/', '/feed.xml']) t.ok((await keysOf(app, url)).includes(card), url);
  t.notOk((await keysOf(app, '/category/sport/')).includes(card));

  site.write('a.md', story('Alpha story, updated', '2025-09-01T10:00:00Z', { categories: ['World'], tags: ['rivers'] }));
  await waitFor('purges at both endpoints', () => one.purges.length > 0 && two.purges.length > 0);
  await app.cachePurger!.settled();
  for (const { purges } of [one, two]) {
    const hard = purges.flatMap((p) => p.hard);
    const soft = purges.flatMap((p) => p.soft);
    t.same(purges.map((p) => [p.method, p.url]), purges.map(() => ['PURGE', '/']));
    t.ok(hard.includes(page) && hard.includes(body), 'its own page, hard');
    t.ok(soft.includes(card), 'its card, soft');
    t.notOk([...hard, ...soft].includes('site'), 'never the whole site for an edit');
    t.notOk(soft.includes('category-sport') || soft.includes('home'), 'no listing whose members or order did not change');
    t.ok(hard.every(isHardKey) && !soft.some(isHardKey));
    t.ok([...hard, ...soft].every((k) => /^[a-z0-9._-]+$/.test(k)), 'keys in [a-z0-9._-]');
  }
  t.same(app.cachePurger!.stats, { sent: one.purges.length + two.purges.length, failed: 0 });
});

t.test('a new post: the listings it joins and the 404s', async (t) => {
  const endpoint = await purgeEndpoint(t);
  const site = makeSite(t, files());
  const { app } = await purgingSite(t, site, [endpoint.url]);
  site.write('c.md', story('Gamma story', '2025-09-03T10:00:00Z', { categories: ['World'] }));
  await waitFor('a purge', () => endpoint.purges.length > 0);
  await app.cachePurger!.settled();
  const hard = endpoint.purges.flatMap((p) => p.hard);
  const soft = endpoint.purges.flatMap((p) => p.soft);
  t.ok(hard.includes('missing'), '404s (the URL was one), hard');
  for (const key of ['home', 'category-world', 'feed', 'sitemap', 'date-2025-09-03']) t.ok(soft.includes(key), key);
  t.notOk(soft.includes('category-sport'));
});

t.test('pages get s-maxage while purges are sent; clock-bound responses never; redirects carry keys', async (t) => {
  const endpoint = await purgeEndpoint(t);
  const site = makeSite(t, files());
  const { app } = await purgingSite(t, site, [endpoint.url], { CACHE_SHARED_MAX_AGE: '3600', CACHE_MAX_AGE: '60' });
  t.match((await app.inject('/')).headers['cache-control'], /^public, max-age=60, s-maxage=3600, stale-while-revalidate=\d+$/);
  t.match((await app.inject('/feed.xml')).headers['cache-control'], /s-maxage=3600/);
  t.match((await app.inject('/no-such-page/')).headers['cache-control'], /s-maxage=3600/);
  t.notMatch((await app.inject('/news-sitemap.xml')).headers['cache-control'], /s-maxage/, 'the news window moves with the clock');
  const redirect = await app.inject('/page/1/');
  t.equal(redirect.statusCode, 301);
  t.equal(redirect.headers.xkey, 'site missing');
  t.equal((await app.inject('/healthz')).headers['cache-control'], 'no-store');

  const plain = await build(t, makeSite(t, files()));
  t.notMatch((await plain.app.inject('/')).headers['cache-control'], /s-maxage/, 'no purges: no longer shared lifetime');
  t.equal(plain.app.cachePurger, null);
});

t.test('a failed purge is retried, then given up with one log line; refusals are not retried', async (t) => {
  // 503 twice, then 200: the third attempt succeeds.
  const flaky = await purgeEndpoint(t, (n) => (n < 2 ? 503 : 200));
  const refusing = await purgeEndpoint(t, () => 403);
  const site = makeSite(t, files());
  const { app, logs } = await purgingSite(t, site, [flaky.url, refusing.url]);
  site.write('b.md', story('Beta story, again', '2025-09-02T10:00:00Z', { categories: ['Sport'] }));
  await waitFor('three attempts at the flaky endpoint', () => flaky.purges.length >= 3);
  await app.cachePurger!.settled();
  t.equal(flaky.purges.length, 3);
  t.same(flaky.purges[2]!.hard, flaky.purges[0]!.hard, 'the same keys each time');
  t.equal(refusing.purges.length, 1, 'a 403 is a configuration problem: not retried');
  const failures = logs.filter((l) => l.msg.startsWith('cache purge failed'));
  t.equal(failures.length, 1);
  t.match(failures[0], { endpoint: refusing.url, problem: 'HTTP 403' });
  t.same(app.cachePurger!.stats, { sent: 1, failed: 1 });
});

t.test('an unreachable cache: retried, logged, and pages are served meanwhile', async (t) => {
  const hanging = await purgeEndpoint(t, () => 'hang');
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise((resolve) => closed.close(resolve));
  const site = makeSite(t, files());
  const { app, logs } = await purgingSite(t, site, [hanging.url, refused]);
  site.write('a.md', story('Alpha story, third', '2025-09-01T10:00:00Z'));
  await waitFor('the purge under way', () => hanging.purges.length > 0);
  // The purge has not been answered, and pages are served all the same.
  const page = await app.inject('/2025/09/01/alpha-story-third/');
  t.equal(page.statusCode, 200);
  await app.cachePurger!.settled();
  t.equal(hanging.purges.length, 3, 'timed out three times (one try, two retries)');
  const failures = logs.filter((l) => l.msg.startsWith('cache purge failed'));
  t.equal(failures.length, 2);
  t.match(failures.find((l) => l.endpoint === hanging.url), { problem: /timeout|aborted/i });
  t.match(failures.find((l) => l.endpoint === refused), { problem: /ECONNREFUSED/ });
});

t.test('updates during a slow purge are merged into the next request', async (t) => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const purges: Purge[] = [];
  const server = http.createServer((req, res) => {
    purges.push({ method: req.method!, url: req.url!, hard: String(req.headers['xkey-purge'] ?? '').split(' ').filter(Boolean), soft: [] });
    void gate.then(() => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const site = makeSite(t, files());
  const { app } = await build(t, site, { CACHE_PURGE_URLS: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }, { purgeTuning: { timeoutMs: 5000 } });
  app.cachePurger!.purge(['pp-000000000001']);
  await waitFor('the first purge', () => purges.length === 1);
  for (let i = 2; i <= 5; i++) app.cachePurger!.purge([`pp-00000000000${i}`]);
  release();
  await waitFor('the second purge', () => purges.length === 2);
  await app.cachePurger!.settled();
  t.equal(purges.length, 2, 'four updates, one more request');
  t.same(purges[1]!.hard.sort(), ['pp-000000000002', 'pp-000000000003', 'pp-000000000004', 'pp-000000000005']);
});

t.test('a purge waits for the requests begun before its update', async (t) => {
  const barrier = new UpdateBarrier();
  const released: string[] = [];
  const track = (name: string, p: Promise<void>) => p.then(() => released.push(name));
  const before = [barrier.begin(), barrier.begin()];
  const first = track('first', barrier.update(60_000));
  const between = barrier.begin();
  const second = track('second', barrier.update(60_000));
  const after = barrier.begin();
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  await turn();
  t.same(released, [], 'requests begun before each update are still open');
  barrier.end(before[0]!);
  await turn();
  t.same(released, [], 'one of them answered is not enough');
  barrier.end(before[1]!);
  await first;
  t.same(released, ['first'], 'the first update waited only for the request begun before it');
  barrier.end(between);
  await second;
  t.same(released, ['first', 'second'], 'requests begun after an update never hold it');
  barrier.end(after);
  await barrier.update(60_000);
  t.pass('with no request open, an update goes at once');

  const slow = barrier.begin();
  // The bound's timer keeps no process alive (a closing server must not wait): this does.
  const alive = setTimeout(() => {}, 60_000);
  await barrier.update(20);
  clearTimeout(alive);
  t.pass('a request open too long holds an update no longer than its bound');
  barrier.end(slow);
});

t.test('a replica purges only after answering the requests it began before the update', async (t) => {
  const endpoint = await purgeEndpoint(t);
  const site = makeSite(t, files());
  let answer: () => void = () => {};
  const held = new Promise<void>((resolve) => (answer = resolve));
  const { app, logs } = await build(t, site, { WATCH: 'true', CACHE_PURGE_URLS: endpoint.url }, {
    purgeTuning: { retryDelaysMs: [], timeoutMs: 500 },
    // A response of the old index still being sent, as a slow render would be.
    beforeReady: (app) => app.get('/held/', async () => {
      await held;
      return 'old';
    }),
  });
  const request = app.inject('/held/');
  await waitFor('the request under way', () => logs.some((l) => l.msg === 'incoming request' && (l.req as { url: string }).url === '/held/'));
  site.write('a.md', story('Alpha story, held', '2025-09-01T10:00:00Z', { categories: ['World'], tags: ['rivers'] }));
  await waitFor('the update', () => logs.some((l) => l.msg === 'cached responses purged'));
  // Without the hold the purge would be there within milliseconds of the update.
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(endpoint.purges.length, 0, 'no purge while the old response is being sent');
  answer();
  t.equal((await request).body, 'old');
  await waitFor('the purge', () => endpoint.purges.length > 0);
  t.ok(endpoint.purges[0]!.hard.some((k) => k.startsWith('pp-')));
});

t.test('keys are split into headers Varnish accepts', async (t) => {
  const keys = Array.from({ length: 2000 }, (_, i) => `p-${String(i).padStart(12, '0')}`);
  const chunks = chunkKeys(keys);
  t.ok(chunks.length > 1);
  t.ok(chunks.every((c) => c.length <= MAX_KEYS_BYTES));
  t.same(chunks.flatMap((c) => c.split(' ')), keys, 'every key once, in order');
  t.same(chunkKeys([]), []);
  t.same(chunkKeys(['a', 'b', 'c'], 3), ['a b', 'c']);
});

t.test('the longest key header a configuration allows stays within 8 KB', async (t) => {
  // A feed of 100 items, each teased with two keys, and a tag whose slug is 80 characters.
  const tag = 'a'.repeat(80);
  const posts: Record<string, string> = {};
  for (let i = 0; i < 100; i++) posts[`p${i}.md`] = story(`Story number ${i}`, `2025-01-01T10:${String(i % 60).padStart(2, '0')}:00Z`, { tags: [tag], categories: ['World'] });
  const { app } = await build(t, makeSite(t, posts), { FEED_SIZE: '100', PAGE_SIZE: '100' });
  for (const url of ['/feed.xml', `/tag/${tag}/`, `/tag/${tag}/feed.xml`, '/']) {
    const response = await app.inject(url);
    t.equal(response.statusCode, 200, url);
    const header = String(response.headers.xkey);
    t.ok(header.length < 8000, `${url}: ${header.length} bytes`);
    t.match(header, /^[a-z0-9._ -]+$/);
  }
});

t.test('closing the server ends a purge waiting to retry: no attempt after close', async (t) => {
  const failing = await purgeEndpoint(t, () => 503);
  const site = makeSite(t, files());
  const { app } = await build(t, site, { WATCH: 'true', CACHE_PURGE_URLS: failing.url }, { purgeTuning: { retryDelaysMs: [60_000], timeoutMs: 500 } });
  site.write('a.md', story('Alpha story, fourth', '2025-09-01T10:00:00Z'));
  await waitFor('the first attempt', () => failing.purges.length === 1);
  // Its 503 reaches the purger, which then waits to retry.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  // The retry would wait a minute: close() must not wait for it.
  await app.close();
  await app.cachePurger!.settled();
  t.equal(failing.purges.length, 1);
  t.same(app.cachePurger!.stats, { sent: 0, failed: 0 }, 'given up by the close, not reported as a failure');
});
