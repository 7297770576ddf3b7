// Security headers (@fastify/helmet) with a Content-Security-Policy that allows only
// what the pages use: our stylesheet, images from here and https, embeds from
// EMBED_HOSTS, no script at all (JSON-LD data blocks are not scripts). HSTS only when
// the site is https. Overlong URLs are refused before any work. Expensive responses
// (search, feeds and sitemaps when they must be rendered) are rate limited per client.
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/** Longer URLs answer 414: no page of ours comes near, and routing them costs. */
export const MAX_URL_LENGTH = 2048;

async function securityPlugin(app: FastifyInstance, options: { config: Config }): Promise<void> {
  const { config } = options;
  const https = config.siteUrl.startsWith('https:');

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length <= MAX_URL_LENGTH) return;
    return reply
      .code(414)
      .header('cache-control', app.cachePolicy.none)
      .type('text/plain; charset=utf-8')
      .send('URI Too Long\n');
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:'],
        frameSrc: config.embedHosts.length > 0 ? config.embedHosts.map((host) => `https://${host}`) : ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'self'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Feed readers and other sites show our images (media:thumbnail, og:image).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });

  await app.register(fastifyRateLimit, { global: false });
  const limiter = app.createRateLimit({ max: config.rateLimitPerMinute, timeWindow: 60_000 });
  app.decorate('limitExpensive', async (request: FastifyRequest) => {
    const result = await limiter(request);
    // isAllowed means "on the allow list"; everyone else is counted and may be over.
    return result.isAllowed || !result.isExceeded ? null : result.ttlInSeconds;
  });
}

export function sendTooManyRequests(app: FastifyInstance, reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .header('cache-control', app.cachePolicy.none)
    .type('text/plain; charset=utf-8')
    .send('Too Many Requests: try again in a moment.\n');
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts an expensive request: null if allowed, else the seconds to wait (Retry-After). */
    limitExpensive(request: FastifyRequest): Promise<number | null>;
  }
}

export default fp(securityPlugin, { name: 'security' });
