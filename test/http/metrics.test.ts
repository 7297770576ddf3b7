// Issue 9: Prometheus metrics on their own listener, for what an operator watches:
// requests by route and status (cached hits included), posts, index updates, the page
// cache, renders, searches and purges.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
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
  const lastUpdate = Number(/^newsroom_index_last_update_timestamp_seconds (\S+)$/m.exec(text)![1]);
  t.ok(Math.abs(lastUpdate - app.content.status().lastUpdate!.getTime() / 1000) < 0.01, 'the time of the initial load');
  app.draining = true;
  t.match(await scrape(), /^newsroom_ready 0$/m, 'not ready while draining');
  app.draining = false;
  const status = app.content.status.bind(app.content);
  app.content.status = () => ({ ...status(), lastUpdate: null });
  t.match(await scrape(), /^newsroom_index_last_update_timestamp_seconds 0$/m, '0 while the first load runs');
  await app.close();
  await t.rejects(fetch(`http://127.0.0.1:${metricsAt.port}/metrics`), 'closed with the app');
  t.equal(app.metrics.address(), null);
});

t.test('metrics: requests by route and status, cached hits included; cache, renders, searches', async (t) => {
  const { address, value } = await withMetrics(t);
  const post = '/2025/09/01/alpha-story/';
  for (let i = 0; i < 3; i++) t.equal((await fetch(`${address}${post}`)).status, 200);
  // HEAD is answered by Fastify from the page cache, not by the hot path.
  t.equal((await fetch(`${address}${post}`, { method: 'HEAD' })).status, 200);
  // A query string (a campaign tag) misses the hot path; the page cache has the page.
  t.equal((await fetch(`${address}${post}?utm_source=mail`)).status, 200);
  t.equal((await fetch(`${address}/nowhere/`)).status, 404);
  t.equal((await fetch(`${address}/search/?q=rivers`)).status, 200);
  const route = /^http_requests_total\{method="GET",route="\/:year\/:month\/:day\/:slug\/",status_code="200"\}/;
  t.equal(await value(route), 4, 'four requests for the post route, two of them answered by the hot path');
  t.ok((await value(/^http_request_duration_seconds_count\{method="GET",route="\/:year\/:month\/:day\/:slug\/",status_code="200"\}/)) === 4);
  t.ok((await value(/^http_requests_total\{method="GET",route="[^"]*",status_code="404"\}/)) >= 1, '404s counted');
  t.equal(await value(/^http_requests_total\{method="HEAD",route="\/:year\/:month\/:day\/:slug\/",status_code="200"\}/), 1);
  t.ok((await value(/^newsroom_page_cache_requests_total\{result="hit"\}/)) >= 4);
  t.ok((await value(/^newsroom_page_cache_requests_total\{result="miss"\}/)) >= 2);
  t.ok((await value(/^newsroom_render_duration_seconds_count/)) >= 2);
  t.equal(await value(/^newsroom_search_duration_seconds_count/), 1);
  t.equal((await fetch(`${address}/search/?q=rivers`)).status, 200);
  t.equal(await value(/^newsroom_search_duration_seconds_count/), 1, 'a cached search is not a search');
});

t.test('metrics: index updates and purges', async (t) => {
  const cache = http.createServer((_req, res) => res.end('Purged\n'));
  await new Promise<void>((resolve) => cache.listen(0, '127.0.0.1', resolve));
  t.teardown(() => cache.close());
  const cacheUrl = `http://127.0.0.1:${(cache.address() as AddressInfo).port}/`;
  const { site, value } = await withMetrics(t, { CACHE_PURGE_URLS: `http://127.0.0.1:9/,${cacheUrl}` });
  const before = await value(/^newsroom_index_update_duration_seconds_count/);
  site.write('c.md', story('Gamma story', '2025-09-03T10:00:00Z'));
  await waitFor('an index update', async () => (await value(/^newsroom_index_update_duration_seconds_count/)) > before);
  t.equal(await value(/^newsroom_posts\{state="published"\}/), 3);
  // Nothing listens on port 9 (and fetch refuses it): the purge fails after its retry.
  await waitFor('a failed purge', async () => (await value(/^newsroom_cache_purges_total\{result="failed"\}/)) >= 1);
  t.ok((await value(/^newsroom_cache_purges_total\{result="sent"\}/)) >= 1, 'purges sent counted');
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
