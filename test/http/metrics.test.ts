// Issue 9: Prometheus metrics on their own listener, for what an operator watches:
// requests by route and status (cached hits included), posts, index updates, the page
// cache, renders, searches and purges.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createStoreFor } from '../../src/content/content-store.js';
import { build, makeSite, postText, SITE_URL } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

const story = (title: string, date: string, extra: Record<string, unknown> = {}) => postText({ title, date, ...extra }, 'Body about rivers.');

async function withMetrics(t: Test, env: Record<string, string> = {}) {
  const site = makeSite(t, {
    'a.md': story('Alpha story', '2025-09-01T10:00:00Z', { categories: ['World'] }),
    'b.md': story('Beta story', '2025-09-02T10:00:00Z'),
    'broken.md': '---\ntitle: [unclosed\n---\nBody.',
  });
  const built = await build(t, site, { METRICS_PORT: '0', WATCH: 'true', ...env }, { purgeTuning: { retryDelaysMs: [10], timeoutMs: 500 } });
  const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
  const metricsAt = built.app.metrics.address()!;
  const scrape = async () => (await fetch(`http://127.0.0.1:${metricsAt.port}/metrics`)).text();
  /** The value of one sample line, e.g. `http_requests_total{...}`; 0 when absent. */
  const value = async (pattern: RegExp) => {
    const line = (await scrape()).split('\n').find((l) => pattern.test(l));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  return { ...built, site, address, metricsAt, scrape, value };
}

t.test('metrics: on their own loopback listener, never on the public port', async (t) => {
  const { app, address, metricsAt, scrape } = await withMetrics(t);
  t.equal(metricsAt.address, '127.0.0.1');
  t.not(metricsAt.port, Number(new URL(address).port));
  t.equal((await fetch(`${address}/metrics`)).status, 404, 'the public port has no /metrics');
  const response = await fetch(`http://127.0.0.1:${metricsAt.port}/metrics`);
  t.equal(response.status, 200);
  t.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  t.equal((await fetch(`http://127.0.0.1:${metricsAt.port}/other`)).status, 404);
  t.equal((await fetch(`http://127.0.0.1:${metricsAt.port}/metrics`, { method: 'POST' })).status, 404);
  const text = await scrape();
  t.match(text, /^process_cpu_seconds_total \d/m, 'process metrics');
  t.match(text, /^nodejs_heap_size_used_bytes \d/m);
  t.match(text, /^newsroom_posts\{state="published"\} 2$/m);
  t.match(text, /^newsroom_posts_skipped 1$/m);
  t.match(text, /^newsroom_ready 1$/m);
  t.match(text, /^newsroom_index_last_update_timestamp_seconds \d+/m);
  await app.close();
  await t.rejects(fetch(`http://127.0.0.1:${metricsAt.port}/metrics`), 'closed with the app');
});

t.test('metrics: requests by route and status, cached hits included; cache, renders, searches', async (t) => {
  const { address, value } = await withMetrics(t);
  const post = '/2025/09/01/alpha-story/';
  for (let i = 0; i < 3; i++) t.equal((await fetch(`${address}${post}`)).status, 200);
  t.equal((await fetch(`${address}/nowhere/`)).status, 404);
  t.equal((await fetch(`${address}/search/?q=rivers`)).status, 200);
  const route = /^http_requests_total\{method="GET",route="\/:year\/:month\/:day\/:slug\/",status_code="200"\}/;
  t.equal(await value(route), 3, 'three requests for the post route, two of them answered by the hot path');
  t.ok((await value(/^http_request_duration_seconds_count\{method="GET",route="\/:year\/:month\/:day\/:slug\/",status_code="200"\}/)) === 3);
  t.ok((await value(/^http_requests_total\{method="GET",route="[^"]*",status_code="404"\}/)) >= 1, '404s counted');
  t.ok((await value(/^newsroom_page_cache_requests_total\{result="hit"\}/)) >= 2);
  t.ok((await value(/^newsroom_page_cache_requests_total\{result="miss"\}/)) >= 2);
  t.ok((await value(/^newsroom_render_duration_seconds_count/)) >= 2);
  t.equal(await value(/^newsroom_search_duration_seconds_count/), 1);
  t.equal((await fetch(`${address}/search/?q=rivers`)).status, 200);
  t.equal(await value(/^newsroom_search_duration_seconds_count/), 1, 'a cached search is not a search');
});

t.test('metrics: index updates and purges', async (t) => {
  const { site, value } = await withMetrics(t, { CACHE_PURGE_URLS: 'http://127.0.0.1:9/' });
  const before = await value(/^newsroom_index_update_duration_seconds_count/);
  site.write('c.md', story('Gamma story', '2025-09-03T10:00:00Z'));
  await waitFor('an index update', async () => (await value(/^newsroom_index_update_duration_seconds_count/)) > before);
  t.equal(await value(/^newsroom_posts\{state="published"\}/), 3);
  // Nothing listens on port 9 (and fetch refuses it): the purge fails after its retry.
  await waitFor('a failed purge', async () => (await value(/^newsroom_cache_purges_total\{result="failed"\}/)) >= 1);
  t.pass('purge failures counted');
});

t.test('no METRICS_PORT: no listener, nothing counted', async (t) => {
  const { app } = await build(t, makeSite(t, { 'a.md': story('Alpha story', '2025-09-01T10:00:00Z') }));
  t.equal(app.metrics.address(), null);
  t.equal((await app.inject('/metrics')).statusCode, 404);
});

t.test('a metrics port in use stops startup with the reason', async (t) => {
  const first = await withMetrics(t);
  const site = makeSite(t, { 'a.md': story('Alpha story', '2025-09-01T10:00:00Z') });
  await t.rejects(build(t, site, { METRICS_PORT: String(first.metricsAt.port) }), { code: 'EADDRINUSE' });
});

t.test('metrics: readiness while draining, hits on the route path, purges sent, no address once closed', async (t) => {
  const purges = http.createServer((_req, res) => res.end('Purged\n'));
  await new Promise<void>((resolve) => purges.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    purges.closeAllConnections();
    purges.close();
  });
  const { app, address, site, value } = await withMetrics(t, { CACHE_PURGE_URLS: `http://127.0.0.1:${(purges.address() as AddressInfo).port}/` });
  app.draining = true;
  t.equal(await value(/^newsroom_ready /), 0, 'draining: not ready');
  app.draining = false;
  const post = `${address}/2025/09/01/alpha-story/`;
  await fetch(post, { headers: { 'accept-encoding': 'identity' } });
  const hits = await value(/^newsroom_page_cache_requests_total\{result="hit"\}/);
  // Cached, but not yet in br: the hot path hands it to the route, which finds it cached.
  await fetch(post, { headers: { 'accept-encoding': 'br' } });
  t.equal(await value(/^newsroom_page_cache_requests_total\{result="hit"\}/), hits + 1);
  site.write('c.md', story('Gamma story', '2025-09-03T10:00:00Z'));
  await waitFor('a purge sent', async () => (await value(/^newsroom_cache_purges_total\{result="sent"\}/)) >= 1);
  await app.close();
  t.equal(app.metrics.address(), null);
});

t.test('metrics: posts read before the app is ready (as server.ts does) count as the last update', async (t) => {
  const site = makeSite(t, { 'a.md': story('Alpha story', '2025-09-01T10:00:00Z') });
  const config = loadConfig({ POSTS_DIR: site.postsDir, PUBLIC_DIR: site.publicDir, SITE_URL, WATCH: 'false', METRICS_PORT: '0' });
  const store = createStoreFor(config, pino({ level: 'silent' }));
  await store.load();
  const app = await buildApp(config, { logger: { level: 'silent' }, store });
  t.teardown(() => app.close());
  await app.ready();
  const text = await (await fetch(`http://127.0.0.1:${app.metrics.address()!.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('newsroom_index_last_update_timestamp_seconds '))!;
  t.ok(Number(line.split(' ')[1]) > Date.now() / 1000 - 600, 'the time of the first index');
});
