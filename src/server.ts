// Entry point: read the configuration, start reading the posts, build the app, listen,
// and shut down gracefully on SIGTERM/SIGINT (in-flight requests finish; the process
// exits within 10 seconds). The posts are read on the parse workers from the first
// moment: the web framework and everything else load meanwhile.
import closeWithGrace from 'close-with-grace';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { createStoreFor } from './content/content-store.js';
import { warmUp } from './http/warm-up.js';
import { closeGracefully } from './shutdown.js';

// Orchestrators wait 10 s after SIGTERM before they kill. First SHUTDOWN_DRAIN_MS of
// draining (0 unless set: /readyz fails, pages are served). Then requests in flight get
// 5 s (a post render is cut at 3 s), and what is left is closed; a close that still has
// not finished 9 s after draining (a bug) ends the process with exit code 1. With a
// drain, the orchestrator's grace must cover it (deploy/compose.yaml: stop_grace_period).
const GRACE_MS = 5_000;
const HARD_LIMIT_MS = 9_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = pino({ level: config.logLevel });
  const store = createStoreFor(config, log.child({ component: 'content' }));
  store.load().catch(() => {}); // a failure is logged, and reported by whenReady() below
  const { buildApp } = await import('./app.js');
  const app = await buildApp(config, { loggerInstance: log, store });
  closeWithGrace({ delay: config.shutdownDrainMs + HARD_LIMIT_MS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    // After a crash there is nothing to drain for: the process must go.
    await closeGracefully(app, GRACE_MS, err ? 0 : config.shutdownDrainMs);
  });
  await app.listen({ port: config.port, host: config.host });
  try {
    await app.content.whenReady();
    void warmUp(app);
  } catch {
    // The store logged why; a site without its posts folder must not look healthy.
    // Clients connected meanwhile (/healthz answers while posts load) must not hold it.
    await closeGracefully(app, GRACE_MS);
    process.exit(1);
  }
}

await main();
