// Rendered responses (pages, feeds, sitemaps), kept per URL for the index version they
// were rendered from. The same bytes are never rendered or compressed twice for one
// index state; after an index change a response is rendered again, and if its bytes
// did not change it keeps its ETag, Last-Modified and compressed forms.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LRUCache } from 'lru-cache';
import { createRepresentation, wholeSeconds, type Representation } from './representation.js';
import { sendTooManyRequests } from './security-plugin.js';
import { sendRepresentation } from './send-representation.js';

interface CachedBase {
  /** Newest change among the content the response shows. */
  readonly lastModified: Date;
  readonly status?: number;
  /** Cache key; the request path by default. */
  readonly key?: string;
  /** Rendering it is costly (search, feeds, sitemaps): rate limited when not cached. */
  readonly expensive?: boolean;
}

export interface PageSpec extends CachedBase {
  /** Eta template under views/, e.g. `pages/post`. */
  readonly template: string;
  /** Builds the view-model; only called when the page must be rendered. */
  readonly build: () => object | Promise<object>;
}

export interface CachedSpec extends CachedBase {
  readonly contentType: string;
  /** Makes the body; only called when it must be rendered. */
  readonly render: () => string | Promise<string>;
}

interface Entry {
  readonly version: number;
  readonly rep: Representation;
  readonly status: number;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders (or reuses) a page and sends it with validators and compression. */
    sendPage(spec: PageSpec): Promise<FastifyReply>;
    /** The same for any other rendered body: feeds, sitemaps, robots.txt. */
    sendCached(spec: CachedSpec): Promise<FastifyReply>;
  }
  interface FastifyInstance {
    /** Renders since start: tests and /status.json show that pages are reused. */
    pageCache: { readonly renders: number };
  }
}

export const HTML = 'text/html; charset=utf-8';

async function pageCachePlugin(app: FastifyInstance, options: { maxBytes: number }): Promise<void> {
  const cache = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    // Room for the br and gzip forms made later (together about a third of the HTML).
    sizeCalculation: (entry) => Math.ceil(entry.rep.body.length * 1.4) + 200,
  });
  const rendering = new Map<string, Promise<Entry>>();
  let renders = 0;

  async function render(key: string, version: number, spec: CachedSpec): Promise<Entry> {
    const body = Buffer.from(await spec.render(), 'utf8');
    renders++;
    const previous = cache.get(key);
    const status = spec.status ?? 200;
    const { contentType } = spec;
    const now = wholeSeconds(new Date());
    // Never later than now (a post dated ahead, a file from a clock that runs fast).
    let rep = createRepresentation(body, { contentType, lastModified: spec.lastModified > now ? now : spec.lastModified });
    if (previous && previous.status === status) {
      if (previous.rep.hash === rep.hash) {
        rep = previous.rep;
      } else if (rep.lastModified <= previous.rep.lastModified) {
        // The bytes changed but the content shown is no newer (a post was removed):
        // Last-Modified must still move on, or If-Modified-Since would answer 304.
        const later = new Date(Math.max(now.getTime(), previous.rep.lastModified.getTime() + 1000));
        rep = createRepresentation(body, { contentType, lastModified: later });
      }
    }
    const entry = { version, rep, status };
    cache.set(key, entry);
    return entry;
  }

  async function sendCached(this: FastifyReply, spec: CachedSpec): Promise<FastifyReply> {
    const key = spec.key ?? this.request.url.split('?', 1)[0]!;
    const version = app.content.snapshot.version;
    let entry = cache.get(key);
    if (!entry || entry.version !== version) {
      const wait = spec.expensive ? await app.limitExpensive(this.request) : null;
      if (wait !== null) return sendTooManyRequests(app, this, wait);
      // Concurrent requests for the same response wait for one render.
      const flightKey = `${version}\n${key}`;
      let pending = rendering.get(flightKey);
      if (!pending) {
        pending = render(key, version, spec).finally(() => rendering.delete(flightKey));
        rendering.set(flightKey, pending);
      }
      entry = await pending;
    }
    return sendRepresentation(this.request, this, entry.rep, {
      cacheControl: app.cachePolicy.page,
      status: entry.status,
    });
  }

  app.decorateReply('sendCached', sendCached);
  app.decorateReply('sendPage', function sendPage(this: FastifyReply, spec: PageSpec) {
    return sendCached.call(this, {
      ...spec,
      contentType: HTML,
      render: async () => this.viewAsync(spec.template, await spec.build()),
    });
  });

  app.decorate('pageCache', {
    get renders() {
      return renders;
    },
  });
}

export default fp(pageCachePlugin, { name: 'page-cache', dependencies: ['content', 'views', 'security'] });
