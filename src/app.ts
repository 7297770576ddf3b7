// buildApp(config): the whole site as a Fastify instance, plugins and routes registered
// in an explicit order. The process concerns (listening, signals) live in server.ts.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { buildCachePolicy, type CachePolicy } from './http/cache-policy.js';
import contentPlugin from './http/content-plugin.js';
import fallbackPlugin, { sendErrorPage } from './http/fallback-plugin.js';
import pageCachePlugin from './http/page-cache.js';
import securityPlugin from './http/security-plugin.js';
import staticPlugin, { loadStylesheet } from './http/static-plugin.js';
import viewsPlugin from './http/views-plugin.js';
import imagesPlugin, { type ImageTuning } from './images/image-routes.js';
import archiveRoutes from './http/routes/archives.js';
import feedRoutes from './http/routes/feeds.js';
import healthRoutes from './http/routes/health.js';
import homeRoutes from './http/routes/home.js';
import postRoutes from './http/routes/posts.js';
import searchRoutes from './http/routes/search.js';
import sitemapRoutes from './http/routes/sitemaps.js';
import taxonomyRoutes from './http/routes/taxonomies.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    cachePolicy: CachePolicy;
  }
}

export interface BuildOptions {
  /** Fastify's logger setting; tests pass their own stream. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Limits on making image variants; tests lower them. */
  readonly images?: Partial<ImageTuning>;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    // Slow clients cannot hold a connection forever: a whole request within 30 s, an
    // idle socket 30 s, an idle keep-alive connection 5 s (headers: 10 s, below).
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    keepAliveTimeout: 5_000,
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
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false },
  });
  app.server.headersTimeout = 10_000;
  app.decorate('config', config);
  app.decorate('cachePolicy', buildCachePolicy(config));
  await app.register(securityPlugin, { config });

  const stylesheet = loadStylesheet(config.publicDir);
  await app.register(contentPlugin, { config, stylesheet: stylesheet.url });
  await app.register(viewsPlugin, { production: true });
  await app.register(pageCachePlugin, { maxBytes: config.pageCacheBytes });
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
  // Last: its wildcard route takes whatever the site's own routes do not.
  await app.register(staticPlugin, { publicDir: config.publicDir, stylesheet });
  return app;
}
