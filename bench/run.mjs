#!/usr/bin/env node
// npm run bench: generates a corpus with the shared generator, starts the built server
// on it (as `npm start` would), measures startup, then load-tests pages with
// autocannon and prints one table. Medians of one run on a shared machine: compare
// rows of the same run, not figures across runs.
//
//   npm run bench -- [--count 10000] [--duration 10] [--connections 10]
//   CORPUS_GENERATOR=/path/to/generate.mjs overrides ../shared/corpus/generate.mjs
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    if (!key || !(key in defaults)) throw new Error(`unknown argument ${argv[i]}; known: ${Object.keys(defaults).join(', ')}`);
    out[key] = Number(argv[i + 1]);
  }
  return out;
}

/** A folder of `count` generated posts, made once and reused by later runs. */
export function corpus(count) {
  const generator = process.env.CORPUS_GENERATOR ?? path.resolve(ROOT, '../shared/corpus/generate.mjs');
  if (!fs.existsSync(generator)) throw new Error(`corpus generator not found at ${generator} (set CORPUS_GENERATOR)`);
  const dir = path.join(os.tmpdir(), `newsroom-corpus-${count}`);
  if (!fs.existsSync(path.join(dir, '.complete'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync(process.execPath, [generator, '--count', String(count), '--out', dir], { stdio: 'inherit' });
    fs.writeFileSync(path.join(dir, '.complete'), '');
  }
  return dir;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Starts dist/server.js; resolves once /readyz answers 200, with the time it took. */
export async function startServer(env) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/server.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = performance.now() - started;
  return {
    base,
    child,
    readyMs,
    /** Peak resident memory of the server process so far, in MB (Linux). */
    peakRssMb() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    },
    stop() {
      return new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      });
    },
  };
}

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2), { count: 10_000, duration: 10, connections: 10 });
  const posts = corpus(args.count);
  const server = await startServer({ POSTS_DIR: posts, WATCH: 'false' });
  process.on('exit', () => server.child.kill());
  console.log(`\n${args.count} posts: ready in ${Math.round(server.readyMs)} ms (process start to /readyz 200), peak RSS ${server.peakRssMb()} MB`);

  const home = await (await fetch(`${server.base}/`)).text();
  const postUrls = [...home.matchAll(/<h2 class="card__title"><a href="([^"]+)"/g)].map((m) => m[1]);
  const category = /<a class="kicker" href="([^"]+)"/.exec(home)?.[1];
  const etag = (await fetch(`${server.base}/`, { headers: { 'accept-encoding': 'br' } })).headers.get('etag');
  // Every post URL of the corpus, for the uncached case: each request renders a new page.
  const sitemapLike = [];
  for (let n = 2; sitemapLike.length < 2000; n++) {
    const res = await fetch(`${server.base}/page/${n}/`);
    if (!res.ok) break;
    sitemapLike.push(...[...(await res.text()).matchAll(/<h2 class="card__title"><a href="([^"]+)"/g)].map((m) => m[1]));
  }

  const br = { 'accept-encoding': 'br, gzip' };
  const scenarios = [
    { name: 'front page, cached, br', path: '/', headers: br },
    { name: 'front page, cached, identity', path: '/', headers: {} },
    { name: 'front page, If-None-Match -> 304', path: '/', headers: { ...br, 'if-none-match': etag } },
    { name: 'post page, cached, br', path: postUrls[0], headers: br },
    { name: `category page 2, cached, br`, path: `${category}page/2/`, headers: br },
    { name: '404 page, br', path: '/no/such/page/', headers: br },
    { name: `post pages, first render each (${sitemapLike.length} URLs)`, paths: sitemapLike, headers: br },
  ];
  const rows = [];
  for (const s of scenarios) {
    let i = 0;
    const result = await run({
      url: server.base,
      connections: args.connections,
      // The uncached case makes exactly one request per URL; the others run for a while.
      ...(s.paths ? { amount: s.paths.length } : { duration: args.duration }),
      headers: s.headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: s.paths ? s.paths[i++ % s.paths.length] : s.path }) }],
    });
    rows.push({
      scenario: s.name,
      'req/s (avg)': Math.round(result.requests.average),
      'p50 ms': result.latency.p50,
      'p99 ms': result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    });
  }
  console.log(`\nautocannon, ${args.connections} connections, ${args.duration} s each, Node ${process.version}, ${os.cpus().length} CPUs`);
  console.table(rows);
  console.log(`peak RSS after the runs: ${server.peakRssMb()} MB`);
  await server.stop();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
