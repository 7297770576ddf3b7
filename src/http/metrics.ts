// Prometheus metrics for operators, on a listener of their own (METRICS_PORT, loopback by
// default): the public port never shows them, and a scrape never queues behind readers.
// Without METRICS_PORT nothing is counted: every hook below is a no-op, and the hot path
// is not touched at all.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { FrontHooks } from './hot-path.js';

export interface SiteMetrics {
  /** A request answered: by the route that made the response, its status, in seconds. */
  request(method: string, route: string, status: number, seconds: number): void;
  /** A cacheable response sent from the page cache (true) or rendered for the request. */
  pageCache(hit: boolean): void;
  /** A response rendered, in seconds. */
  rendered(seconds: number): void;
  /** A search that ran (results not remembered), in seconds. */
  searched(seconds: number): void;
  /** A purge request sent (true) or given up (false). */
  purged(ok: boolean): void;
  /** Where the metrics listener listens, once it does. */
  address(): AddressInfo | null;
}

const nothing = (): void => {};
const OFF: SiteMetrics = {
  request: nothing,
  pageCache: nothing,
  rendered: nothing,
  searched: nothing,
  purged: nothing,
  address: () => null,
};

declare module 'fastify' {
  interface FastifyInstance {
    metrics: SiteMetrics;
  }
}

/** Seconds: a cached page takes well under a millisecond, a cold post a few, search up to a second. */
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Fastify's route pattern; requests no route took (404s, 400s) share one label. */
const UNMATCHED = '(unmatched)';

export interface MetricsOptions {
  /** Filled in here so the front server reports cached hits too (app.ts). */
  readonly front: FrontHooks;
}

async function metricsPlugin(app: FastifyInstance, options: MetricsOptions): Promise<void> {
  const port = app.config.metricsPort;
  if (port === null) {
    app.decorate('metrics', OFF);
    return;
  }
  // Loaded only when metrics are asked for: about 0.1 s of startup otherwise.
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = await import('prom-client');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] });
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames,
    buckets: FAST_BUCKETS,
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: 'newsroom_page_cache_requests_total',
    help: 'Cacheable responses sent from the page cache (hit) or rendered for the request (miss)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const renders = new Histogram({ name: 'newsroom_render_duration_seconds', help: 'Rendering a page, feed or sitemap', buckets: FAST_BUCKETS, registers: [registry] });
  const searches = new Histogram({ name: 'newsroom_search_duration_seconds', help: 'Running a search', buckets: FAST_BUCKETS, registers: [registry] });
  const purges = new Counter({
    name: 'newsroom_cache_purges_total',
    help: 'Purge requests to shared caches: sent, or failed after their retries',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const updates = new Histogram({
    name: 'newsroom_index_update_duration_seconds',
    help: 'Index updates after changes in the posts folder (reading the files included)',
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({ name: 'newsroom_index_last_update_timestamp_seconds', help: 'When the index last changed (0: still loading)', registers: [registry], collect() {
    this.set((app.content.status().lastUpdate?.getTime() ?? 0) / 1000);
  } });
  // Read from the store at scrape time: always what /status.json would say.
  new Gauge({
    name: 'newsroom_posts',
    help: 'Posts indexed, by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const status = app.content.status();
      this.set({ state: 'published' }, status.posts);
      this.set({ state: 'scheduled' }, status.scheduled);
      this.set({ state: 'draft' }, status.drafts);
    },
  });
  new Gauge({
    name: 'newsroom_posts_skipped',
    help: 'Post files that could not be read or parsed (reasons in /status.json)',
    registers: [registry],
    collect() {
      this.set(app.content.status().skipped.length);
    },
  });
  new Gauge({ name: 'newsroom_ready', help: '1 once the posts are indexed, 0 while loading or draining', registers: [registry], collect() {
    this.set(app.content.ready && !app.draining ? 1 : 0);
  } });

  const metrics: SiteMetrics = {
    request(method, route, status, seconds) {
      const labels = { method, route, status_code: status };
      requests.inc(labels);
      durations.observe(labels, seconds);
    },
    pageCache: (hit) => cacheLookups.inc({ result: hit ? 'hit' : 'miss' }),
    rendered: (seconds) => renders.observe(seconds),
    searched: (seconds) => searches.observe(seconds),
    purged: (ok) => purges.inc({ result: ok ? 'sent' : 'failed' }),
    address: () => (server.listening ? (server.address() as AddressInfo) : null),
  };
  app.decorate('metrics', metrics);
  options.front.served = (method, route, status, seconds) => {
    metrics.request(method, route, status, seconds);
    cacheLookups.inc({ result: 'hit' });
  };
  // Requests the hot path did not answer. A callback hook: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.request(request.method, request.routeOptions.url ?? UNMATCHED, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.addHook('onReady', async () => {
    app.content.onUpdate(({ durationMs }) => updates.observe(durationMs / 1000));
  });

  const server = http.createServer((req, res) => {
    const path = req.url?.split('?', 1)[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text),
      /* c8 ignore next: a collect callback threw (a bug): say so rather than hang the scrape */
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`${err.message}\n`),
    );
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  // Listens with the app; a port in use stops startup with a clear error.
  app.addHook('onReady', async () => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, app.config.metricsHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
    app.log.info({ address: `http://${app.config.metricsHost}:${(server.address() as AddressInfo).port}/metrics` }, 'metrics listening');
  });
  app.addHook('onClose', async () => {
    if (!server.listening) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['content'] });
