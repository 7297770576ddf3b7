#!/usr/bin/env node
// npm run bench:live: how long a dropped file takes to be live on a running server
// that already serves a large corpus, for one file and for a burst, and how the
// server answers meanwhile.
//
//   npm run bench:live -- [--count 10000] [--burst 1000] [--singles 5]
//
// "Live" means /status.json counts the new posts (the index that serves every page
// was swapped in); the first and last dropped post pages are then checked with GET.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { corpus, parseArgs, startServer } from './run.mjs';

const args = parseArgs(process.argv.slice(2), { count: 10_000, burst: 1000, singles: 5 });
const generator = process.env.CORPUS_GENERATOR ?? path.resolve(import.meta.dirname, '../../shared/corpus/generate.mjs');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-live-'));
const posts = path.join(work, 'posts');
fs.cpSync(corpus(args.count), posts, { recursive: true });
fs.rmSync(path.join(posts, '.complete'), { force: true });

/** Generated posts in a staging folder (other seeds than the corpus, so new titles). */
function stage(name, count, seed) {
  const dir = path.join(work, name);
  execFileSync(process.execPath, [generator, '--count', String(count), '--out', dir, '--seed', String(seed)], { stdio: 'ignore' });
  return fs.readdirSync(dir).map((f) => path.join(dir, f));
}

const server = await startServer({ POSTS_DIR: posts, WATCH: 'true' });
process.on('exit', () => server.child.kill());
const status = async () => (await fetch(`${server.base}/status.json`)).json();
const base = await status();
console.log(`${base.posts} posts loaded in ${Math.round(server.readyMs)} ms; watching: ${base.watching}`);

async function waitForPosts(n) {
  for (;;) {
    const s = await status();
    if (s.posts >= n) return s;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A client asking for /healthz every 2 ms until `done` resolves and `afterMs` more (the
 * folder comparison runs about a second after a change): its longest wait is the
 * longest time the server held every request up meanwhile.
 */
async function longestWait(done, afterMs) {
  let longest = 0;
  let until = Infinity;
  done.then(() => (until = performance.now() + afterMs));
  while (performance.now() < until) {
    const t = performance.now();
    await (await fetch(`${server.base}/healthz`)).arrayBuffer();
    longest = Math.max(longest, performance.now() - t);
    await new Promise((r) => setTimeout(r, 2));
  }
  return longest;
}

// One file at a time, with a client asking for a page meanwhile.
const singleTimes = [];
const singleWaits = [];
let expected = base.posts;
for (let i = 0; i < args.singles; i++) {
  const [file] = stage(`single-${i}`, 1, 100 + i);
  const target = path.join(posts, `single-${i}-${path.basename(file)}`);
  const t0 = performance.now();
  fs.renameSync(file, target);
  const live = waitForPosts(++expected).then(() => singleTimes.push(performance.now() - t0));
  singleWaits.push(await longestWait(live, 1500));
}

// A burst, moved in file by file as a pipeline does, while autocannon reads the front page.
const burst = stage('burst', args.burst, 7);
const drop = path.join(posts, 'burst');
fs.mkdirSync(drop);
const before = await status();
const baseline = await autocannon({ url: `${server.base}/`, connections: 10, duration: 3, headers: { 'accept-encoding': 'br' } });
const during = autocannon({ url: `${server.base}/`, connections: 10, duration: 3, headers: { 'accept-encoding': 'br' } });
await new Promise((r) => setTimeout(r, 200));
const t0 = performance.now();
for (const file of burst) fs.renameSync(file, path.join(drop, path.basename(file)));
const movedMs = performance.now() - t0;
const after = await waitForPosts(before.posts + burst.length);
const burstMs = performance.now() - t0;
const load = await during;
const home = await fetch(`${server.base}/`);

console.log(`\nsingle file drop -> live: median ${Math.round(median(singleTimes))} ms (${singleTimes.map((x) => Math.round(x)).join(', ')} ms)`);
console.log(`longest wait of a client asking for /healthz every 2 ms, from each drop until 1.5 s after it was live: ${singleWaits.map((x) => Math.round(x)).join(', ')} ms`);
console.log(`${burst.length}-file drop -> all live: ${Math.round(burstMs)} ms (moving the files took ${Math.round(movedMs)} ms), ` +
  `${after.version - before.version} index updates, ${after.posts} posts`);
console.log(`front page during the burst: p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, ${Math.round(load.requests.average)} req/s, ` +
  `${load.non2xx} non-2xx (baseline before: p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms, ${Math.round(baseline.requests.average)} req/s); ` +
  `front page after: ${home.status}`);
console.log(`peak RSS ${server.peakRssMb()} MB`);
await server.stop();
fs.rmSync(work, { recursive: true, force: true });
