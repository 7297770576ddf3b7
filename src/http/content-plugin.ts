// Gives the app its content: the store (posts, index snapshot) and the site context
// the view-models are built with. Loading starts when the app is ready and runs on the
// parse workers, so /healthz answers while a large folder loads; until the first index
// is built every other URL answers 503 (request-guard.ts).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { createStoreFor, type ContentStore } from '../content/content-store.js';
import { warmRenderWorker } from '../render/markdown/render-pool.js';
import { createSiteContext, type SiteContext } from '../render/site-context.js';

declare module 'fastify' {
  interface FastifyInstance {
    content: ContentStore;
    site: SiteContext;
  }
}

export interface ContentPluginOptions {
  readonly config: Config;
  /** Fingerprinted stylesheet URL for the layout. */
  readonly stylesheet: string;
  /** A store created (and loading) before the app: server.ts starts reading at once. */
  readonly store?: ContentStore;
}


async function contentPlugin(app: FastifyInstance, options: ContentPluginOptions): Promise<void> {
  const { config } = options;
  const store = options.store ?? createStoreFor(config, app.log.child({ component: 'content' }));
  app.decorate('content', store);
  app.decorate(
    'site',
    createSiteContext(
      config,
      options.stylesheet,
      {
        onFailure: (post, err) => store.reject(post.file, err.message),
        onUnavailable: (post) => store.recheck(post.file),
      },
      () => store.snapshot.site.settings,
    ),
  );

  // The Markdown worker loads its modules (0.4 s, most of it sanitize-html) once the
  // posts are read, while the index is built: not competing with the parse workers for
  // the cores, and not with the first readers after ready either.
  store.onRead(warmRenderWorker);
  app.addHook('onReady', async () => {
    // Not awaited: the server listens (and answers /healthz) while posts load.
    // A failure is logged by the store and reported by whenReady().
    store.load().catch(() => {});
  });
  app.addHook('onClose', () => store.close());
}

export default fp(contentPlugin, { name: 'content' });
