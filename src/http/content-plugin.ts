// Gives the app its content: the store (posts, index snapshot) and the site context
// the view-models are built with. Loading starts when the app is ready and runs in
// chunks, so /healthz answers while a large folder loads; until the first index is
// built every other URL answers 503.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { createContentStore, type ContentStore } from '../content/content-store.js';
import { createSiteContext, type SiteContext } from '../render/site-context.js';
import { sendPlain } from './plain-responses.js';

declare module 'fastify' {
  interface FastifyInstance {
    content: ContentStore;
    site: SiteContext;
  }
}

/** URLs that must answer while posts are loading. */
const ALWAYS_AVAILABLE = new Set(['/healthz', '/readyz', '/status.json']);

export interface ContentPluginOptions {
  readonly config: Config;
  /** Fingerprinted stylesheet URL for the layout. */
  readonly stylesheet: string;
}

async function contentPlugin(app: FastifyInstance, options: ContentPluginOptions): Promise<void> {
  const { config } = options;
  const store = createContentStore({
    postsDir: config.postsDir,
    publicDir: config.publicDir,
    timeZone: config.timeZone,
    maxPostBytes: config.maxPostBytes,
    watch: config.watch,
    log: app.log.child({ component: 'content' }),
  });
  app.decorate('content', store);
  app.decorate(
    'site',
    createSiteContext(config, options.stylesheet, (post, err) => store.reject(post.file, err.message)),
  );

  app.addHook('onRequest', async (request, reply) => {
    if (store.ready || ALWAYS_AVAILABLE.has(request.url.split('?', 1)[0]!)) return;
    const text = 'Starting up: the posts are being indexed. Try again in a moment.';
    return sendPlain(reply.header('retry-after', '2'), 503, text, app.cachePolicy.none);
  });

  app.addHook('onReady', async () => {
    // Not awaited: the server listens (and answers /healthz) while posts load.
    // A failure is logged by the store and reported by whenReady().
    store.load().catch(() => {});
  });
  app.addHook('onClose', () => store.close());
}

export default fp(contentPlugin, { name: 'content' });
