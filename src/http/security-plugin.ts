// Security headers (helmet) with a Content-Security-Policy that allows only what the
// pages use: our stylesheet, images from here and https, embeds from EMBED_HOSTS, no
// script at all (JSON-LD data blocks are not scripts). HSTS only when the site is
// https. Expensive responses (search, feeds and sitemaps when they must be rendered)
// are rate limited per client (request.ip: behind a cache, set TRUST_PROXY), counted in
// this process or, with REDIS_URL, in Redis for every replica. The headers go out with
// every response: cached pages carry them in their prebuilt header sets, everything
// else gets them in the request guard (request-guard.ts).
//
// helmet itself, not @fastify/helmet: the plugin builds a new helmet middleware (and
// re-parses the CSP) on every request, which cost cached pages about a third of their
// throughput (15,800 -> 11,200 req/s in `npm run bench` here). The headers do not vary
// per request, so helmet runs once at startup and each response gets them in one call.
import fastifyRateLimit from '@fastify/rate-limit';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { sendPlain } from './plain-responses.js';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

async function securityPlugin(app: FastifyInstance, options: { config: Config }): Promise<void> {
  const { config } = options;
  const https = config.siteUrl.startsWith('https:');

  const securityHeaders = headersOf(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:'],
        // Nothing on our pages fetches; tools that check a page from inside it do
        // (Lighthouse reads /robots.txt that way). Our own origin only.
        connectSrc: ["'self'"],
        frameSrc: config.embedHosts.length > 0 ? config.embedHosts.map((host) => `https://${host}`) : ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'self'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
        // The writer's preview only: its reload script (the events it listens to are on
        // our own origin, which connect-src allows already).
        ...(config.dev ? { scriptSrc: ["'self'"] } : {}),
      },
    },
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Feed readers and other sites show our images (media:thumbnail, og:image).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  }));

  app.decorate('securityHeaders', securityHeaders);

  await app.register(fastifyRateLimit, { global: false, ...(config.redisUrl ? await sharedStore(app, config.redisUrl) : {}) });
  const limiter = app.createRateLimit({ max: config.rateLimitPerMinute, timeWindow: 60_000 });
  app.decorate('limitExpensive', async (request: FastifyRequest) => {
    const result = await limiter(request);
    // isAllowed means "on the allow list"; everyone else is counted and may be over.
    return result.isAllowed || !result.isExceeded ? null : result.ttlInSeconds;
  });
}

/**
 * Counts kept in Redis (REDIS_URL), shared by every replica: per-process limits would
 * multiply with the replicas. Redis unreachable: requests are let through (and that is
 * logged once per outage) rather than refused or kept waiting. The client is loaded only
 * here: a site without REDIS_URL does not pay for it at startup.
 */
async function sharedStore(app: FastifyInstance, url: string): Promise<{ redis: Redis; skipOnError: true; nameSpace: string }> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    connectTimeout: 1_000,
    // Long enough for a busy event loop (the reply waits behind it, the timer does not),
    // short enough that a hung Redis holds a search for a second at most.
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    // Commands fail at once while disconnected instead of queueing behind the reconnect.
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    app.log.warn({ err: err.message }, 'rate-limit store (Redis) unreachable: expensive requests are not limited meanwhile');
  });
  redis.on('ready', () => {
    if (down) app.log.info('rate-limit store (Redis) reachable again');
    down = false;
  });
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  return { redis, skipOnError: true, nameSpace: 'newsroom-rate-' };
}

/** The headers a helmet middleware sets, collected once. */
function headersOf(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  // helmet's middleware only sets and removes headers; it never reads the request.
  middleware({} as never, response as never, () => {});
  return headers;
}

export function sendTooManyRequests(app: FastifyInstance, reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  return sendPlain(reply.header('retry-after', String(retryAfterSeconds)), 429, 'Too Many Requests: try again in a moment.', app.cachePolicy.none);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The security headers every response carries. */
    securityHeaders: Readonly<Record<string, string>>;
    /** Counts an expensive request: null if allowed, else the seconds to wait (Retry-After). */
    limitExpensive(request: FastifyRequest): Promise<number | null>;
  }
}

export default fp(securityPlugin, { name: 'security' });
