// A yardstick for the churn soak's p99: how much does CPU spent *off* the main thread
// cost the pages' tail latency on this machine? Preloaded into the server, it starts a
// worker thread that burns BURN_MS of CPU every BURN_EVERY ms (143 by default: the soak's
// seven changes a second) and does nothing else. Run the soak without churn, with and
// without it, and compare wrk's p99:
//
//   BURN_MS=14 NODE_OPTIONS="--import ./bench/cpu-burner.mjs" \
//     node ../shared/tools/soak.mjs --project . --seconds 30 --churn-ms 0
//
// NODE_OPTIONS reaches every Node process the soak starts; only `dist/server.js` burns.
import { Worker } from 'node:worker_threads';

const ms = Number(process.env.BURN_MS ?? 0);
const every = Number(process.env.BURN_EVERY ?? 143);
if (ms > 0 && /dist[/\\]server\.js$/.test(process.argv[1] ?? '')) {
  const burner = new Worker(
    `const { workerData } = require('node:worker_threads');
     setInterval(() => { const end = performance.now() + workerData.ms; while (performance.now() < end); }, workerData.every);`,
    { eval: true, workerData: { ms, every } },
  );
  burner.unref();
}
