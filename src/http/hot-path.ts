// The hot path: the HTTP server's request listener answers a request for a fresh
// cached response itself (one lookup by URL, the coding picked, a 304 check, a header
// set built once per representation) and hands everything else to Fastify. A cached page
// costs no routing, no request objects, no hooks: less than a bare Fastify route that
// sends a constant Buffer. What it sends is exactly what the route path would send from
// the same cache (page-cache.ts builds both from one Wire).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { ResponseCache } from './response-cache.js';
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

/** Answers `req` from the cache if it can: the status sent, or 0 when it did nothing. */
export function serveCached(cache: ResponseCache, req: IncomingMessage, res: ServerResponse): number {
  const method = req.method;
  if (method !== 'GET' && method !== 'HEAD') return 0;
  const response = cache.fresh(req.url!);
  if (response === undefined) return 0;
  const wire = response.wires[response.rep.compressible ? chooseForm(req.headers['accept-encoding']) : 'identity'];
  // That coding is not made yet: the route path makes it (and answers this request).
  if (wire === undefined) return 0;
  if (response.status === 200 && isNotModified(req.headers, wire.etag, response.rep.lastModified)) {
    res.writeHead(304, wire.notModified);
    res.end();
    return 304;
  }
  res.writeHead(response.status, wire.headers);
  res.end(wire.body);
  return response.status;
}

/**
 * The HTTP server for Fastify's `serverFactory`: the hot path first, then Fastify's own
 * handler; with the timeouts Fastify would set on a server of its own making.
 */
export function createFrontServer(
  cache: ResponseCache,
  timeouts: ServerTimeouts,
  log: () => FastifyBaseLogger,
): (handler: http.RequestListener) => http.Server {
  return (handler) => {
    const server = http.createServer((req, res) => {
      const started = performance.now();
      const status = serveCached(cache, req, res);
      if (status === 0) return handler(req, res);
      // The access log line Fastify would have written, when someone reads them.
      const logger = log();
      if (logger.level === 'info' || logger.level === 'debug' || logger.level === 'trace') {
        logger.info({ req: { method: req.method, url: req.url }, res: { statusCode: status }, responseTime: performance.now() - started, cached: true }, 'request completed');
      }
    });
    server.requestTimeout = timeouts.requestMs;
    server.headersTimeout = timeouts.headersMs;
    server.keepAliveTimeout = timeouts.keepAliveMs;
    server.setTimeout(timeouts.idleMs);
    return server;
  };
}
