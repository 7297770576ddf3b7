// buildApp(config): the whole site as a Fastify instance, plugins and routes registered
// in an explicit order. The process concerns (listening, signals) live in server.ts.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ContentStore } from './content/content-store.js';
import type { Config } from './config.js';
import { buildCachePolicy, type CachePolicy } from './http/cache-policy.js';
import contentPlugin from './http/content-plugin.js';
import devReloadPlugin from './http/dev-reload.js';
import fallbackPlugin, { sendErrorPage } from './http/fallback-plugin.js';
import pageCachePlugin from './http/page-cache.js';
import cachePurgePlugin, { type PurgeTuning } from './http/cache-purger.js';
import { createFrontServer, type FrontHooks } from './http/hot-path.js';
import metricsPlugin from './http/metrics.js';
import requestGuard from './http/request-guard.js';
import { ResponseCache } from './http/response-cache.js';
import { lazyChildLogger } from './http/request-logger.js';
import { parseQuery, toOriginForm } from './http/request-target.js';
import securityPlugin from './http/security-plugin.js';
import staticPlugin, { loadStylesheet } from './http/static-plugin.js';
import viewsPlugin from './http/views-plugin.js';
import imagesPlugin, { type ImageTuning } from './images/image-routes.js';
import archiveRoutes from './http/routes/archives.js';
import contentApiRoutes from './http/routes/content-api.js';
import feedRoutes from './http/routes/feeds.js';
import healthRoutes from './http/routes/health.js';
import homeRoutes from './http/routes/home.js';
import postRoutes from './http/routes/posts.js';
import searchRoutes from './http/routes/search.js';
import searchJsonRoutes from './http/routes/search-json.js';
import sitemapRoutes from './http/routes/sitemaps.js';
import taxonomyRoutes from './http/routes/taxonomies.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    cachePolicy: CachePolicy;
    /** Shutting down: /readyz fails while requests are still served (shutdown.ts). */
    draining: boolean;
  }
}

export interface BuildOptions {
  /** Fastify's logger setting; tests pass their own stream. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Limits on making image variants; tests lower them. */
  readonly images?: Partial<ImageTuning>;
  /** A logger made already (server.ts makes it before the app, to start reading posts). */
  readonly loggerInstance?: FastifyBaseLogger;
  /** A content store created and loading already (see server.ts). */
  readonly store?: ContentStore;
  /** Purge retries and timeout; tests shorten them. */
  readonly purgeTuning?: Partial<PurgeTuning>;
}

function noSchemas(): never {
  throw new Error('route schemas are not supported: check the request in the handler (app.ts)');
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const responses = new ResponseCache({ maxBytes: config.pageCacheBytes });
  // The server is made before the app, whose logger (and metrics) it uses once requests come.
  const front: FrontHooks = { log: null, served: null };
  const app: FastifyInstance = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: options.logger ?? { level: config.logLevel } }),
    childLoggerFactory: lazyChildLogger,
    trustProxy: config.trustProxy,
    // The HTTP server answers cached pages itself, before Fastify (hot-path.ts). Slow
    // clients cannot hold a connection forever: a whole request within 30 s, headers
    // within 10 s, an idle socket 30 s, an idle keep-alive connection 5 s.
    serverFactory: createFrontServer(responses, { requestMs: 30_000, headersMs: 10_000, idleMs: 30_000, keepAliveMs: 5_000 }, front),
    // Only GET and HEAD are served; nothing reads a body.
    bodyLimit: 1024,
    // A URL Fastify cannot even route (broken percent-encoding): the site's own 400 page,
    // with the usual headers, instead of Fastify's JSON.
    frameworkErrors: (err, request, reply) => {
      request.log.info({ code: err.code, reason: err.message }, 'request rejected');
      void sendErrorPage(app, reply.headers(app.securityHeaders), 400);
    },
    // Finish in-flight requests on close, drop idle keep-alive connections at once.
    forceCloseConnections: 'idle',
    // `GET http://other.example/x` is served as `/x`; its host is never used.
    rewriteUrl: (request) => toOriginForm(request.url!),
    // No route declares a JSON schema (handlers check what they read), so Fastify's
    // validator and serializer compilers (Ajv, fast-json-stringify: about 0.1 s of
    // the main thread at startup) are never loaded. A schema added later fails at startup.
    schemaController: { compilersFactory: { buildValidator: noSchemas, buildSerializer: noSchemas } },
    routerOptions: {
      maxParamLength: 200,
      ignoreTrailingSlash: false,
      ignoreDuplicateSlashes: false,
      // `?q=a&q=b`: the first value, for every parameter (no route sees an array).
      querystringParser: parseQuery,
    },
  });
  front.log = app.log;
  app.decorate('config', config);
  app.decorate('cachePolicy', buildCachePolicy(config));
  app.decorate('draining', false);
  await app.register(securityPlugin, { config });

  const stylesheet = loadStylesheet(config.publicDir);
  await app.register(contentPlugin, { config, stylesheet: stylesheet.url, ...(options.store ? { store: options.store } : {}) });
  await app.register(metricsPlugin, { front });
  await app.register(pageCachePlugin, { cache: responses, keysHeader: config.surrogateKeyHeader });
  await app.register(cachePurgePlugin, options.purgeTuning ? { tuning: options.purgeTuning } : {});
  await app.register(viewsPlugin, { production: true });
  await app.register(requestGuard, { startupWaitMs: config.startupWaitMs });
  await app.register(fallbackPlugin);

  await app.register(healthRoutes);
  await app.register(homeRoutes);
  await app.register(postRoutes);
  await app.register(archiveRoutes);
  await app.register(taxonomyRoutes);
  await app.register(feedRoutes);
  await app.register(sitemapRoutes);
  await app.register(searchRoutes);
  await app.register(imagesPlugin, { config, tuning: options.images });
  await app.register(searchJsonRoutes);
  await app.register(contentApiRoutes);
  // The writer's preview (DEV): the reload script and its events.
  if (config.dev) await app.register(devReloadPlugin, { cache: responses });
  // Last: its wildcard route takes whatever the site's own routes do not.
  await app.register(staticPlugin, { publicDir: config.publicDir, stylesheet });
  return app;
}
