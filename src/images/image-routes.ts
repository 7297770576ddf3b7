// Responsive images: the route `/img/<fingerprint>/<width>/<source path>.<format>`, which
// makes a variant on its first request (bounded, shared, rate limited per client) and
// serves it from the disk cache after, and `app.images`, which gives view-models the
// facts of the public images they show. Sources are only ever looked up in the content
// index's set of public files; variant URLs are immutable, an old fingerprint redirects.
// Pages carry a cache key per picture they show (imageKey); when the public folder
// changes, the pictures whose files changed are purged, so pages follow the folder.
import fs from 'node:fs';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { imageKey } from '../content/cache-keys.js';
import { redirectPermanently, sendPlain } from '../http/plain-responses.js';
import { createRepresentation } from '../http/representation.js';
import { sendTooManyRequests } from '../http/security-plugin.js';
import { sendRepresentation } from '../http/send-representation.js';
import { createFactsStore } from './facts-store.js';
import { IMAGE_FILE, type ImageFacts, type RasterFacts } from './image-facts.js';
import { lookupOf, publicSourceOf, type ImageLookup } from './image-lookup.js';
import { createJobQueue, JobTimeoutError, QueueFullError } from './job-queue.js';
import { makeVariant } from './make-variant.js';
import { readSource, SourceError, statSource } from './source-file.js';
import { toPicture, type Picture, type PictureOptions } from './to-picture.js';
import { cacheKey, openVariantCache } from './variant-cache.js';
import { fingerprintOf, MIME_TYPES, variantFormats, variantWidths } from './variant-formats.js';
import { parseVariantUrl, variantUrl, type VariantAddress } from './variant-url.js';

/** Limits on the work of making variants; constants, because they follow the machine, not the site. */
export interface ImageTuning {
  /** Resize jobs at once: one per core of a small 2-core instance, pages keep the rest. */
  readonly maxJobs: number;
  /** AVIF encodes at once: each costs several JPEGs. */
  readonly maxAvifJobs: number;
  /**
   * Jobs waiting for a slot; past it the answer is 503 with Retry-After. A job on a
   * camera photo takes 0.2-1.7 s (bench/images.mjs), so 16 waiting for 2 slots is
   * about 10 s of work at worst, inside the 30 s request timeout; a client past that is
   * better told to come back.
   */
  readonly maxQueued: number;
  /**
   * Variants made (cache misses) per client per minute; past it 429. A page view costs
   * one per picture shown (the browser picks one width and format), so a reader on a
   * cold cache opens several pages a minute, while a client walking every width and
   * format of every image is held to one a second. Behind a CDN, set TRUST_PROXY.
   */
  readonly missesPerMinute: number;
  /** Overrides IMAGE_JOB_TIMEOUT_MS (tests go below its 1 s minimum). */
  readonly jobTimeoutMs?: number;
}

const DEFAULT_TUNING: ImageTuning = { maxJobs: 2, maxAvifJobs: 1, maxQueued: 16, missesPerMinute: 60 };

/** Seconds a client is asked to wait when the queue is full or a job ran out of time. */
const BUSY_RETRY_AFTER = 2;

/** `sizes` when the template gives none: the picture as wide as the viewport. */
const DEFAULT_SIZES = '100vw';

export type ImagesConfig = Pick<
  Config,
  'publicDir' | 'imageCacheDir' | 'imageCacheBytes' | 'imageMaxInputBytes' | 'imageMaxPixels' | 'imageJobTimeoutMs'
>;

export interface ImagesPluginOptions {
  readonly config: ImagesConfig;
  readonly tuning?: Partial<ImageTuning>;
}

export interface ImageStats {
  /** Variant jobs started since start (first requests, not cache hits). */
  readonly jobs: number;
  readonly running: number;
  readonly queued: number;
  readonly cachedFiles: number;
  readonly cachedBytes: number;
}

export interface Images {
  /**
   * The <picture> view-model of a public image (`assets/images/x.jpg`, `/assets/images/x.jpg`,
   * as in front matter); null when it is not a file in public/, not an image, broken or
   * too large (logged once), or a remote URL.
   */
  pictureOf(src: string, options?: Partial<PictureOptions>): Promise<Picture | null>;
  /** What is known of a public image (same arguments); null when it is not one. */
  factsOf(src: string): Promise<ImageFacts | null>;
  /**
   * The facts of every image in `srcs` (as in front matter or a body), read before a
   * view-model is built; the page then carries their keys and follows their files.
   */
  lookup(srcs: Iterable<string>): Promise<ImageLookup>;
  readonly stats: ImageStats;
}

declare module 'fastify' {
  interface FastifyInstance {
    images: Images;
  }
}

async function imagesPlugin(app: FastifyInstance, options: ImagesPluginOptions): Promise<void> {
  const { config } = options;
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const log = app.log.child({ component: 'images' });
  const realPublicDir = fs.realpathSync(config.publicDir);
  const limits = {
    maxInputBytes: config.imageMaxInputBytes,
    maxPixels: config.imageMaxPixels,
    timeoutMs: tuning.jobTimeoutMs ?? config.imageJobTimeoutMs,
  };
  const facts = createFactsStore({ realPublicDir, publicFiles: () => app.content.snapshot.publicFiles, limits, log });
  const cache = await openVariantCache({ dir: config.imageCacheDir, maxBytes: config.imageCacheBytes, log });
  const jobs = createJobQueue({
    maxRunning: tuning.maxJobs,
    maxCostly: tuning.maxAvifJobs,
    maxQueued: tuning.maxQueued,
    timeoutMs: limits.timeoutMs,
  });
  // Counted apart from searches and feeds (security-plugin.ts): with REDIS_URL, limiters
  // made with createRateLimit share one key space, keyed by what keyGenerator returns.
  const missLimiter = app.createRateLimit({ max: tuning.missesPerMinute, timeWindow: 60_000, keyGenerator: (request) => `img:${request.ip}` });

  async function factsOf(src: string): Promise<ImageFacts | null> {
    const source = publicSourceOf(src);
    return source === null ? null : facts.factsOf(source);
  }

  // The version each picture a cached page shows had when the page asked for it:
  // `size:mtime`, or MISSING. Pages re-rendered after a purge ask again.
  const shown = new Map<string, string>();
  const MISSING = 'missing';
  const versionOf = (found: ImageFacts | null) => (found ? `${found.size}:${found.mtimeMs}` : MISSING);

  async function lookup(srcs: Iterable<string>): Promise<ImageLookup> {
    const found = new Map<string, ImageFacts | null>();
    for (const src of srcs) {
      const source = publicSourceOf(src);
      if (source === null || found.has(source)) continue;
      // One at a time: facts are read one at a time anyway (facts-store.ts).
      const read = await facts.factsOf(source);
      found.set(source, read);
      shown.set(source, versionOf(read));
    }
    return lookupOf(found);
  }

  /** The public folder changed: purge the pages of every shown picture that changed with it. */
  async function followPublicFolder(publicFiles: ReadonlySet<string>): Promise<void> {
    const changed: string[] = [];
    for (const [source, version] of shown) {
      const listed = IMAGE_FILE.test(source) && publicFiles.has(source);
      const identity = listed ? await statSource(realPublicDir, source) : null;
      const now = identity ? `${identity.size}:${identity.mtimeMs}` : MISSING;
      if (now === version) continue;
      shown.delete(source);
      facts.forget(source);
      changed.push(source);
    }
    if (changed.length === 0) return;
    log.info({ files: changed.slice(0, 5), count: changed.length }, 'pictures changed: pages that show them are rendered again');
    app.pageCache.purge(changed.map(imageKey));
  }

  app.addHook('onReady', async () => {
    // In turn, so two quick changes are compared in order.
    let following = Promise.resolve();
    app.content.onUpdate(({ previous, snapshot }) => {
      if (previous.publicFiles === snapshot.publicFiles) return;
      following = following.then(() => followPublicFolder(snapshot.publicFiles));
    });
  });

  /** The source's current facts, when the variant the address names is one that is made. */
  async function locate(address: VariantAddress): Promise<RasterFacts | null> {
    const found = await facts.factsOf(address.source);
    if (found?.kind !== 'raster') return null;
    const made = variantWidths(found.width, found.height).includes(address.width) && variantFormats(found.transparent).includes(address.format);
    return made ? found : null;
  }

  async function produce(source: RasterFacts, address: VariantAddress, key: string): Promise<Buffer> {
    const started = performance.now();
    const bytes = await readSource(realPublicDir, source.source, limits.maxInputBytes);
    // Replaced since its facts were read, keeping its size and time: these bytes belong
    // to another fingerprint.
    if (fingerprintOf(bytes) !== source.fingerprint) throw new SourceError(source.source, 'changed since its facts were read');
    const variant = await makeVariant(bytes, address.width, address.format, limits);
    await cache.put(key, variant);
    log.debug(
      { file: source.source, width: address.width, format: address.format, bytes: variant.length, ms: Math.round(performance.now() - started) },
      'image variant made',
    );
    return variant;
  }

  async function limitMisses(request: FastifyRequest): Promise<number | null> {
    const result = await missLimiter(request);
    return result.isAllowed || !result.isExceeded ? null : result.ttlInSeconds;
  }

  async function serveVariant(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const address = parseVariantUrl(request.url.split('?', 1)[0]!);
    const source = address && (await locate(address));
    if (!address || !source) return notFound(reply);
    if (address.fingerprint !== source.fingerprint) {
      return redirectPermanently(reply, variantUrl({ ...address, fingerprint: source.fingerprint }), app.cachePolicy.timely);
    }
    const key = cacheKey(source.fingerprint, address.width, address.format);
    let bytes = await cache.get(key);
    if (!bytes) {
      const wait = await limitMisses(request);
      if (wait !== null) return sendTooManyRequests(app, reply, wait);
      try {
        bytes = await jobs.run(key, () => produce(source, address, key), { costly: address.format === 'avif' });
      } catch (err) {
        return answerFailure(request, reply, address, err);
      }
    }
    const rep = createRepresentation(bytes, { contentType: MIME_TYPES[address.format], lastModified: new Date(source.mtimeMs) });
    return sendRepresentation(request, reply, rep, { cacheControl: app.cachePolicy.asset });
  }

  async function answerFailure(request: FastifyRequest, reply: FastifyReply, address: VariantAddress, err: unknown): Promise<FastifyReply> {
    const { source: file, width, format } = address;
    if (err instanceof QueueFullError) {
      request.log.warn({ file, width, format, queued: err.queued }, 'image queue full');
      return sendBusy(reply);
    }
    if (err instanceof JobTimeoutError) {
      request.log.warn({ file, width, format, timeoutMs: err.timeoutMs }, 'image job timed out');
      return sendBusy(reply);
    }
    if (err instanceof SourceError) {
      // The file changed under the job: read its facts again and send the client on.
      request.log.info({ file, reason: err.reason }, 'image source changed');
      facts.forget(address.source);
      const current = await locate(address);
      if (!current) return notFound(reply);
      return redirectPermanently(reply, variantUrl({ ...address, fingerprint: current.fingerprint }), app.cachePolicy.timely);
    }
    /* c8 ignore start: the source decoded when its facts were read; a failure now (out
       of memory, say) is the error handler's: logged once, 500. */
    throw err;
  }
  /* c8 ignore stop */

  /** The site's own 404 page. */
  function notFound(reply: FastifyReply): FastifyReply {
    reply.callNotFound();
    return reply;
  }

  function sendBusy(reply: FastifyReply): FastifyReply {
    return sendPlain(reply.header('retry-after', String(BUSY_RETRY_AFTER)), 503, 'Busy: try again in a moment.', app.cachePolicy.none);
  }

  app.get('/img/*', serveVariant);

  app.decorate('images', {
    async pictureOf(src: string, pictureOptions: Partial<PictureOptions> = {}) {
      const found = await factsOf(src);
      return found && toPicture(found, { sizes: pictureOptions.sizes ?? DEFAULT_SIZES });
    },
    factsOf,
    lookup,
    get stats() {
      const { started, running, queued } = jobs.stats;
      return { jobs: started, running, queued, cachedFiles: cache.stats.files, cachedBytes: cache.stats.bytes };
    },
  } satisfies Images);
}

export default fp(imagesPlugin, { name: 'images', dependencies: ['security', 'content', 'page-cache'] });
