// The hot path: the HTTP server's request listener answers a request for a fresh
// cached response itself (one lookup by URL, the coding picked, a 304 check, a header
// set built once per representation) and hands everything else to Fastify. A cached page
// costs no routing, no request objects, no hooks: less than a bare Fastify route that
// sends a constant Buffer. What it sends is exactly what the route path would send from
// the same cache (page-cache.ts builds both from one Wire).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { CachedResponse, ResponseCache } from './response-cache.js';
import { chooseForm, isNotModified } from './send-representation.js';

export interface ServerTimeouts {
  /** A whole request (headers and body). */
  readonly requestMs: number;
  /** Request headers. */
  readonly headersMs: number;
  /** An idle socket. */
  readonly idleMs: number;
  /** An idle keep-alive connection between requests. */
  readonly keepAliveMs: number;
}

/** What the front server reports to, filled in once the app exists (app.ts). */
export interface FrontHooks {
  log: FastifyBaseLogger | null;
  /** Metrics of a request answered from the cache, when metrics are on. */
  served: ((method: string, route: string, status: number, seconds: number) => void) | null;
}

/** Answers `req` from the cache if it can: the response it came from, or undefined. */
export function serveCached(cache: ResponseCache, req: IncomingMessage, res: ServerResponse): CachedResponse | undefined {
  const method = req.method;
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const response = cache.fresh(req.url!);
  if (response === undefined) return undefined;
  const wire = response.wires[response.rep.compressible ? chooseForm(req.headers['accept-encoding']) : 'identity'];
  // That coding is not made yet: the route path makes it (and answers this request).
  if (wire === undefined) return undefined;
  if (response.status === 200 && isNotModified(req.headers, wire.etag, response.rep.lastModified)) {
    res.writeHead(304, wire.notModified);
    res.end();
  } else {
    res.writeHead(response.status, wire.headers);
    res.end(wire.body);
  }
  return response;
}

/**
 * The HTTP server for Fastify's `serverFactory`: the hot path first, then Fastify's own
 * handler; with the timeouts Fastify would set on a server of its own making.
 */
export function createFrontServer(cache: ResponseCache, timeouts: ServerTimeouts, hooks: FrontHooks): (handler: http.RequestListener) => http.Server {
  return (handler) => {
    const server = http.createServer((req, res) => {
      const started = performance.now();
      const response = serveCached(cache, req, res);
      if (response === undefined) return handler(req, res);
      const { served, log } = hooks;
      if (served !== null) served(req.method!, response.route, res.statusCode, (performance.now() - started) / 1000);
      // The access log line Fastify would have written, when someone reads them.
      if (log !== null && (log.level === 'info' || log.level === 'debug' || log.level === 'trace')) {
        log.info({ req: { method: req.method, url: req.url }, res: { statusCode: res.statusCode }, responseTime: performance.now() - started, cached: true }, 'request completed');
      }
    });
    server.requestTimeout = timeouts.requestMs;
    server.headersTimeout = timeouts.headersMs;
    server.keepAliveTimeout = timeouts.keepAliveMs;
    server.setTimeout(timeouts.idleMs);
    return server;
  };
}
