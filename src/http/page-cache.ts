// Rendered responses for the routes. A route describes a response (template,
// view-model builder, cache keys) and calls `reply.sendPage`: it is rendered once
// (concurrent requests share the render), kept under its canonical URL with a header
// set per content coding, and marked stale when an index update names one of its keys.
// Requests for a fresh response's URL never get here: the server answers them first
// (hot-path.ts) from the same cache.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SITE_KEY } from '../content/cache-keys.js';
import { chromeSignature } from '../render/pages/to-chrome.js';
import { createRepresentation, wholeSeconds } from './representation.js';
import type { CachedResponse, Form, ResponseCache, Wire } from './response-cache.js';
import { sendTooManyRequests } from './security-plugin.js';
import { chooseForm, isNotModified } from './send-representation.js';

interface CachedBase {
  /** Newest change among the content the response shows. */
  readonly lastModified: Date;
  readonly status?: number;
  /** Cache key; the request path by default. */
  readonly key?: string;
  /** Rendering it is costly (search, feeds, sitemaps): rate limited when not cached. */
  readonly expensive?: boolean;
  /** How it answers a client over the limit (the site's plain 429 by default). */
  readonly refuse?: (reply: FastifyReply, retryAfterSeconds: number) => FastifyReply;
  /** Cache keys of what it shows (cache-keys.ts); SITE_KEY is added to every response. */
  readonly keys: readonly string[];
  /** `X-Robots-Tag` (a post with `noindex`), if any. */
  readonly robots?: string | null;
  /** Keys only known once it is rendered (the pictures a body shows, a post's related stories): read after rendering. */
  readonly lateKeys?: () => readonly string[];
  /** It changes with the clock, which no purge tells a shared cache (cache-policy.ts). */
  readonly timely?: boolean;
  /** Headers of every response of it, 304s included (CORS on the Content API). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PageSpec extends CachedBase {
  /** Eta template under views/, e.g. `pages/post`. */
  readonly template: string;
  /** Builds the view-model; only called when the page must be rendered. */
  readonly build: () => object | Promise<object>;
}

/**
 * What a PageSpec's `build` may return instead of a view-model: the page is rendered
 * around a part still being made elsewhere (a post's body, in the Markdown worker), and
 * the part takes `marker`'s place once done. The page's own work overlaps the worker's
 * instead of waiting for it. `marker` must be unguessable: the first one in the page is replaced.
 */
export class PendingPart {
  constructor(
    readonly view: object,
    readonly marker: string,
    readonly part: Promise<string>,
  ) {}
}

/** A body, and whether it is whole (a feed may miss a post whose file was being rewritten). */
export interface Rendered {
  readonly text: string;
  readonly complete: boolean;
}

export interface CachedSpec extends CachedBase {
  readonly contentType: string;
  /** Makes the body; only called when it must be rendered. An incomplete one is sent, not kept. */
  readonly render: () => string | Rendered | Promise<string | Rendered>;
}

export interface PageCacheOptions {
  /** Shared with the hot path (app.ts). */
  readonly cache: ResponseCache;
  /** Response header that carries the cache keys (`xkey`), or null for none. */
  readonly keysHeader: string | null;
}

export type PurgeListener = (keys: ReadonlySet<string>) => void;

declare module 'fastify' {
  interface FastifyReply {
    /** Renders (or reuses) a page and sends it with validators and compression. */
    sendPage(spec: PageSpec): Promise<FastifyReply>;
    /** The same for any other rendered body: feeds, sitemaps, robots.txt. */
    sendCached(spec: CachedSpec): Promise<FastifyReply>;
  }
  interface FastifyInstance {
    pageCache: {
      /** Renders since start: tests and /status.json show that pages are reused. */
      readonly renders: number;
      /** Called with the keys of every purge (after index updates). */
      onPurge(listener: PurgeListener): void;
      /** Marks the responses carrying any of `keys` stale (and tells the listeners). */
      purge(keys: Iterable<string>): void;
    };
  }
}

export const HTML = 'text/html; charset=utf-8';

async function pageCachePlugin(app: FastifyInstance, options: PageCacheOptions): Promise<void> {
  const { cache } = options;
  const rendering = new Map<string, { ticket: number; done: Promise<CachedResponse> }>();
  const purgeListeners: PurgeListener[] = [];
  let renders = 0;

  function wireOf(response: CachedResponse, form: Form, body: Buffer, etag: string): Wire {
    const { rep } = response;
    const notModified: Record<string, string> = {
      ...app.securityHeaders,
      'cache-control': response.timely ? app.cachePolicy.timely : app.cachePolicy.page,
      'last-modified': rep.lastModified.toUTCString(),
      etag,
    };
    if (rep.compressible) notModified.vary = 'Accept-Encoding';
    if (options.keysHeader) notModified[options.keysHeader] = response.keys.join(' ');
    if (response.robots) notModified['x-robots-tag'] = response.robots;
    if (response.headers) Object.assign(notModified, response.headers);
    const headers: Record<string, string> = { ...notModified, 'content-type': rep.contentType, 'content-length': String(body.length) };
    if (form !== 'identity') headers['content-encoding'] = form;
    return { body, etag, headers, notModified };
  }

  async function wireFor(response: CachedResponse, form: Form): Promise<Wire> {
    let wire = response.wires[form];
    if (!wire) {
      const encoded = form === 'identity' ? response.rep : await response.rep.encode(form);
      wire = response.wires[form] ??= wireOf(response, form, encoded.body, encoded.etag);
    }
    return wire;
  }

  function sendWire(request: FastifyRequest, reply: FastifyReply, response: CachedResponse, wire: Wire): FastifyReply {
    if (response.status === 200 && isNotModified(request.headers, wire.etag, response.rep.lastModified)) {
      return reply.code(304).headers(wire.notModified).send();
    }
    if (response.status !== 200) reply.code(response.status);
    return reply.headers(wire.headers).send(wire.body);
  }

  async function render(key: string, route: string, spec: CachedSpec): Promise<CachedResponse> {
    const ticket = cache.begin();
    const started = performance.now();
    let rendered: string | Rendered;
    try {
      rendered = await spec.render();
    } catch (err) {
      cache.abandon();
      throw err;
    }
    const complete = typeof rendered === 'string' || rendered.complete;
    const body = Buffer.from(typeof rendered === 'string' ? rendered : rendered.text, 'utf8');
    renders++;
    app.metrics.rendered((performance.now() - started) / 1000);
    const previous = cache.last(key);
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
    const keys = [SITE_KEY, ...spec.keys, ...(spec.lateKeys?.() ?? [])];
    const response: CachedResponse = {
      key,
      status,
      rep,
      keys,
      wires: {},
      route,
      timely: spec.timely === true,
      ...(spec.robots ? { robots: spec.robots } : {}),
      ...(spec.headers ? { headers: spec.headers } : {}),
    };
    // The plain form is always needed (CDNs and tools ask without compression).
    await wireFor(response, 'identity');
    cache.store(ticket, response, complete);
    return response;
  }

  async function sendCached(this: FastifyReply, spec: CachedSpec): Promise<FastifyReply> {
    const key = spec.key ?? this.request.url.split('?', 1)[0]!;
    let response = cache.fresh(key);
    app.metrics.pageCache(response !== undefined);
    if (!response) {
      const wait = spec.expensive ? await app.limitExpensive(this.request) : null;
      if (wait !== null) return spec.refuse ? spec.refuse(this, wait) : sendTooManyRequests(app, this, wait);
      // Concurrent requests for the same response wait for one render, unless an
      // update came in since it began.
      let flight = rendering.get(key);
      if (!flight || flight.ticket < cache.generation) {
        const ticket = cache.generation;
        const done = render(key, this.request.routeOptions.url ?? '', spec).finally(() => {
          if (rendering.get(key)?.done === done) rendering.delete(key);
        });
        flight = { ticket, done };
        rendering.set(key, flight);
      }
      response = await flight.done;
    }
    const wire = await wireFor(response, response.rep.compressible ? chooseForm(this.request.headers['accept-encoding']) : 'identity');
    return sendWire(this.request, this, response, wire);
  }

  app.decorateReply('sendCached', sendCached);
  app.decorateReply('sendPage', function sendPage(this: FastifyReply, spec: PageSpec) {
    return sendCached.call(this, {
      ...spec,
      contentType: HTML,
      render: async () => {
        const built = await spec.build();
        if (!(built instanceof PendingPart)) return this.viewAsync(spec.template, built);
        // Its failure is reported by the await below, unless the template failed first.
        built.part.catch(() => {});
        const page = await this.viewAsync(spec.template, built.view);
        const part = await built.part;
        const at = page.indexOf(built.marker);
        if (at === -1) throw new Error(`the template ${spec.template} does not show the part it was given`);
        return page.slice(0, at) + part + page.slice(at + built.marker.length);
      },
    });
  });

  app.decorate('pageCache', {
    get renders() {
      return renders;
    },
    onPurge(listener: PurgeListener) {
      purgeListeners.push(listener);
    },
    purge: (keys: Iterable<string>) => purge(new Set(keys)),
  });

  function purge(keys: ReadonlySet<string>): void {
    if (keys.size === 0) return;
    const stale = cache.purge(keys);
    app.log.debug({ keys: keys.size, stale }, 'cached responses purged');
    for (const listener of purgeListeners) listener(keys);
  }

  app.addHook('onReady', async () => {
    app.content.onUpdate(({ keys, previous, snapshot }) => {
      const purged = new Set(keys);
      // The masthead and footer are on every page.
      if (chromeSignature(app.site, previous) !== chromeSignature(app.site, snapshot)) purged.add(SITE_KEY);
      purge(purged);
    });
  });
}

export default fp(pageCachePlugin, { name: 'page-cache', dependencies: ['content', 'metrics'] });
