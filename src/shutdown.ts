// Closing the app on SIGTERM within a bound: no new connections, idle keep-alive
// connections closed at once, requests in flight given a grace period to finish, and
// then every connection still open destroyed. A client that sends its headers or body
// slowly is not a request in flight: it never holds the process past the grace.
import type { FastifyInstance } from 'fastify';

/** How often connections that became idle during the grace are looked for. */
const SWEEP_MS = 100;

/**
 * Closes `app`: first `drainMs` of /readyz answering 503 while everything else is served
 * as usual (a cache's health probe, or Kubernetes' readiness, takes the replica out of
 * rotation), then the close with its grace.
 */
export async function closeGracefully(app: FastifyInstance, graceMs: number, drainMs = 0): Promise<void> {
  if (drainMs > 0) {
    app.draining = true;
    app.log.info({ drainMs }, 'draining: /readyz fails, requests are still served');
    await new Promise((resolve) => setTimeout(resolve, drainMs));
  }
  const server = app.server;
  // Fastify closes the idle keep-alive connections once, as closing starts (and Node
  // once more as the server stops listening); a request that finishes afterwards
  // leaves its connection idle, to be closed on the next sweep rather than when the
  // keep-alive timeout or the grace ends.
  const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
  // Node counts a connection still receiving a request's head or body as busy: only
  // the grace ends it. (Its headers timeout is checked no more once the server closes.)
  const deadline = setTimeout(() => {
    app.log.warn({ graceMs }, 'shutdown grace over: closing the connections still open');
    server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}
