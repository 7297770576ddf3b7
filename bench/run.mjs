#!/usr/bin/env node
// npm run bench: the figures of the performance targets, for the built server, in one table.
//
//   npm run bench -- [--posts 10000] [--duration 10] [--connections 64] [--slice 5]
//   CORPUS_GENERATOR=/path/to/generate.mjs overrides ../shared/corpus/generate.mjs
//
// Everything runs from this one process, so the noise of a shared machine hits both sides of
// every ratio alike. autocannon (a devDependency) is the load generator; it runs in this
// process on one thread, so on a small machine it shares the cores with the server measured.
//  1. corpus: N generated posts (seed 1), cached in <tmpdir>/newsroom-perf-cache/corpus-N-seed1
//     as the shared perf tools do, so every tool measures the same folder.
//  2. startup: the floor (bench/bare-cost.mjs: read every post, parse its front matter, nothing
//     else) and `node dist/server.js` (spawn to first 200 of /readyz), 3 of each, interleaved;
//     medians. Each of those starts has an empty post cache (POST_CACHE_DIR); then 2 restarts
//     (each after a floor) on the cache the last one left. Peak RSS = VmHWM of the process that listens, once its CPU has settled.
//  3. cold renders: ~50 post URLs found through /page/N/ listings, each fetched once on a new
//     connection: the first render of each since startup.
//  4. search: 40 distinct queries from the corpus's own titles, each sent once (not cached).
//  5. warm figures against a bare Fastify reference that sends our exact bytes and headers as
//     constants: front page, one post, 20 posts rotated, 304, front page in br. Per figure an
//     untimed warm-up of each side, then slices alternating ours/reference in ABBA order.
// Then a table and a last line `bench: ...`. Exit 1 when a step fails or a response was wrong.
// Every process started is stopped by process group on any exit (a watchdog does it if this
// process is killed). The other bench scripts import corpus, parseArgs and startServer.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 1;
// Pages link to SITE_URL + path; the server is told this origin so links are found in either form.
const SITE = 'https://news.example.test';
const POST_PATH = /^\/\d{4}\/\d{2}\/\d{2}\/[^/?#]+\/$/;
const STARTS = 3;
/** Starts on the post cache a first start left (POST_CACHE_DIR). */
const RESTARTS = 2;
const WARM_POSTS = 20;
const COLD_POSTS = 50;
const QUERIES = 40;
const READY_TIMEOUT_MS = 240_000;
// Settings an operator's shell may hold that would change what is measured.
const CONFIG_VARS = ['PORT', 'HOST', 'POSTS_DIR', 'PUBLIC_DIR', 'SITE_URL', 'SITE_TITLE', 'SITE_DESCRIPTION',
  'SITE_TIMEZONE', 'PAGE_SIZE', 'CACHE_MAX_AGE', 'LOG_LEVEL', 'FEED_SIZE', 'MAX_POST_BYTES', 'WATCH', 'RATE_LIMIT_PER_MINUTE'];

const log = (s) => process.stderr.write(`# ${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const since = (t0) => performance.now() - t0;
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const ratioTxt = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a');
const median = (xs) => percentile(xs, 50, true);

/** Nearest-rank percentile (as scale-check); `interpolate` gives the usual median of an even count. */
function percentile(xs, p, interpolate = false) {
  const a = Float64Array.from(xs.filter(Number.isFinite)).sort();
  if (!a.length) return NaN;
  if (interpolate && p === 50 && a.length % 2 === 0) return (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  return a[Math.min(a.length - 1, Math.max(0, Math.ceil((p / 100) * a.length) - 1))];
}

// ---------------------------------------------------------------------------------------------
// Arguments and corpus (also used by live-drop.mjs and validate-site.mjs)
// ---------------------------------------------------------------------------------------------

/** `--key value` or `--key=value` for each key of defaults; every value is a number. */
export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const key = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !(key in defaults)) {
      throw new Error(`unknown argument ${argv[i]}; known: ${Object.keys(defaults).map((k) => `--${k}`).join(', ')}`);
    }
    const value = Number(inline ?? argv[++i]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a number`);
    out[key] = value;
  }
  return out;
}

function countPosts(dir) {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.txt') || f.endsWith('.md')).length;
  } catch {
    return -1;
  }
}

/**
 * A folder of `count` generated posts, shared with the perf tools: made once into a side folder,
 * then renamed, so that a run killed half-way never leaves a partial corpus under the real name.
 */
export function corpus(count, seed = SEED) {
  const cache = path.join(os.tmpdir(), 'newsroom-perf-cache');
  const dir = path.join(cache, `corpus-${count}-seed${seed}`);
  if (countPosts(dir) === count) return dir;
  const generator = process.env.CORPUS_GENERATOR ?? path.resolve(ROOT, '../shared/corpus/generate.mjs');
  if (!fs.existsSync(generator)) throw new Error(`corpus generator not found at ${generator} (set CORPUS_GENERATOR)`);
  fs.mkdirSync(cache, { recursive: true });
  for (const d of fs.readdirSync(cache)) { // side folders of generator runs that died
    const pid = /\.tmp-(\d+)$/.exec(d)?.[1];
    if (pid && !procStat(pid)) fs.rmSync(path.join(cache, d), { recursive: true, force: true });
  }
  const side = `${dir}.tmp-${process.pid}`;
  fs.rmSync(side, { recursive: true, force: true });
  log(`generating ${count} posts (seed ${seed}) into ${dir}`);
  execFileSync(process.execPath, [generator, '--count', String(count), '--out', side, '--seed', String(seed)], { stdio: ['ignore', 2, 2] });
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(side, dir);
  } catch (err) { // another tool made it meanwhile
    fs.rmSync(side, { recursive: true, force: true });
    if (countPosts(dir) !== count) throw err;
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Processes: each child gets its own process group, so stopping it stops whatever it started.
// A detached watchdog kills the groups if this process dies without its exit handler (SIGKILL).
// ---------------------------------------------------------------------------------------------

const groups = new Set();
let runDir = null;
let watchdog = null;

/** This run's temp folder: server logs, the reference server, the watchdog's list of groups. */
function workDir() {
  runDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-bench-'));
  return runDir;
}

function writeGroupList() {
  try {
    fs.writeFileSync(path.join(workDir(), 'pgids'), [...groups].join('\n'));
  } catch {
    // best effort: the exit handler still stops them
  }
}

const WATCHDOG_SRC = `const fs = require('fs');
const [parent, dir] = process.argv.slice(1);
const ppid = () => { try { const s = fs.readFileSync('/proc/self/stat', 'utf8'); return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]); } catch { return -1; } };
setInterval(() => {
  if (ppid() === Number(parent)) return; // re-parented: the bench process is gone
  let pgids = [];
  try { pgids = fs.readFileSync(dir + '/pgids', 'utf8').split(/\\s+/).filter(Boolean); } catch {}
  for (const g of pgids) { try { process.kill(-Number(g), 'SIGKILL'); } catch {} }
  try { fs.rmSync(dir, { recursive: true, force: true }); } catch {}
  process.exit(0);
}, 500);`;

function killAllNow() {
  for (const g of groups) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
  if (watchdog) {
    try {
      process.kill(-watchdog.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
}

function armCleanup() {
  if (watchdog) return;
  process.on('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));
  watchdog = spawn(process.execPath, ['-e', WATCHDOG_SRC, String(process.pid), workDir()], { detached: true, stdio: 'ignore' });
  watchdog.unref();
}

/** Starts a child in its own process group, known to the exit handler and the watchdog. */
function spawnTracked(cmd, args, options) {
  armCleanup();
  const child = spawn(cmd, args, { ...options, detached: true });
  if (child.pid) {
    groups.add(child.pid);
    writeGroupList();
  }
  return child;
}

/** SIGTERM the group, give it 5 s to exit cleanly, then SIGKILL what is left. */
async function stopGroup(pgid) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    // already gone
  }
  for (const t0 = Date.now(); alive() && Date.now() - t0 < 5000;) await sleep(25);
  if (alive()) process.kill(-pgid, 'SIGKILL');
  groups.delete(pgid);
  writeGroupList();
}

/** Runs a short-lived child to its end; resolves its wall time from spawn to exit and stdout. */
function runToEnd(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawnTracked(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = since(t0);
      groups.delete(child.pid);
      writeGroupList();
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`${path.basename(args[0] ?? cmd)} exited with ${code}: ${stderr.trim().split('\n').slice(-2).join(' | ')}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// /proc: CPU and memory of processes, who listens on a port
// ---------------------------------------------------------------------------------------------

let tickMs = null; // ms per clock tick of /proc/PID/stat CPU times

function procStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

/** Peak resident memory (VmHWM) of a process, in MB. */
function vmHwmMb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** The process under rootPid (itself or a descendant) that holds the listening socket of port. */
function listeningPid(rootPid, port) {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const c = line.trim().split(/\s+/);
      if (c[3] === '0A' && c[1]?.endsWith(hexPort)) inodes.add(c[9]); // 0A = LISTEN
    }
  }
  const children = new Map();
  for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    const st = procStat(d);
    if (st) children.set(st.ppid, [...(children.get(st.ppid) ?? []), Number(d)]);
  }
  for (const todo = [rootPid]; todo.length;) {
    const pid = todo.shift();
    let fds = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      // gone
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode && inodes.has(inode)) return pid;
      } catch {
        // fd closed meanwhile
      }
    }
    todo.push(...(children.get(pid) ?? []));
  }
  return null;
}

/** Waits (up to maxMs) for the whole machine to be under 25 % busy, so timed starts begin alike. */
async function waitQuiet(maxMs = 2000) {
  const totals = () => {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: f[3] + (f[4] || 0), total: f.reduce((a, b) => a + b, 0) };
  };
  for (const t0 = Date.now(); Date.now() - t0 < maxMs;) {
    const a = totals();
    await sleep(300);
    const b = totals();
    if (1 - (b.idle - a.idle) / Math.max(1, b.total - a.total) < 0.25) return;
  }
}

/**
 * Waits until pid uses under 10 % of a core over 250 ms (up to maxMs), so that peak RSS includes
 * whatever the server still builds after it said ready; returns how long it stayed busy.
 */
async function settle(pid, maxMs = 10_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < maxMs) {
    const a = procStat(pid);
    await sleep(250);
    const b = procStat(pid);
    if (!a || !b) break;
    tickMs ??= 1000 / (Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100);
    if ((b.cpuTicks - a.cpuTicks) * tickMs < 25) return Math.max(0, Date.now() - t0 - 250);
  }
  return Date.now() - t0;
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

// One kept-alive connection, as a visitor typing queries has: times are the server's, not TCP's.
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET; agent false = a new connection, as a first visitor has. Never rejects. */
function get(port, urlPath, { headers = {}, agent = false, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const failed = (e) => resolve({ status: 0, error: e.code ?? e.message, headers: {}, rawHeaders: [], body: Buffer.alloc(0), ms: since(t0) });
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', failed);
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks), ms: since(t0) }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', failed);
  });
}

/** Post paths linked from a page (relative or on SITE), first occurrence order. */
function postLinks(html) {
  const out = new Set();
  for (const m of html.matchAll(/\bhref\s*=\s*"([^"]*)"/gi)) {
    let href = m[1].replace(/&amp;/g, '&');
    if (href.startsWith(SITE)) href = href.slice(SITE.length);
    href = href.replace(/[?#].*$/, '');
    if (POST_PATH.test(href)) out.add(href);
  }
  return [...out];
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

function logTail(file, lines = 5) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join(' | ').slice(0, 600);
  } catch {
    return '';
  }
}

/** Polls path every 10 ms until it answers 200; resolves the ms since t0. */
async function waitReady(port, child, t0, { readyPath = '/readyz', logFile } = {}) {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${child.spawnargs.slice(1, 2).join(' ')} exited (${child.exitCode ?? child.signalCode}) before it was ready${logFile ? `; log: ${logTail(logFile)}` : ''}`);
    }
    if ((await get(port, readyPath, { timeoutMs: 2000 })).status === 200) return since(t0);
    if (since(t0) > READY_TIMEOUT_MS) throw new Error(`GET ${readyPath} did not answer 200 within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(10);
  }
}

/**
 * Starts dist/server.js (as `npm start` does, without npm) in its own process group; resolves once
 * /readyz answers 200, with the time from spawn. `env` adds to (or, with undefined, removes from)
 * this process's environment; server output goes to logFile when given.
 */
export async function startServer(env, { logFile } = {}) {
  const port = await freePort();
  // MALLOC_ARENA_MAX as `npm start` sets it (unless this environment does).
  const merged = { MALLOC_ARENA_MAX: '2', ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, [path.join(ROOT, 'dist/server.js')], { cwd: ROOT, env: merged, stdio: ['ignore', out, out] });
  if (logFile) fs.closeSync(out);
  const readyMs = await waitReady(port, child, t0, { logFile });
  // The process that listens is the one to measure, should the server ever fork.
  const pid = listeningPid(child.pid, port) ?? child.pid;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    child,
    pid,
    readyMs,
    /** Peak resident memory of the listening process so far, in MB (Linux). */
    peakRssMb: () => Math.round(vmHwmMb(pid)),
    stop: () => stopGroup(child.pid),
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Startup against the floor
// ---------------------------------------------------------------------------------------------

function benchEnv(postsDir) {
  const env = Object.fromEntries(CONFIG_VARS.map((k) => [k, undefined]));
  return { ...env, POSTS_DIR: postsDir, SITE_URL: SITE, LOG_LEVEL: 'warn', WATCH: 'true', RATE_LIMIT_PER_MINUTE: '1000000' };
}

async function floorRun(postsDir) {
  const { ms, stdout } = await runToEnd(process.execPath, [path.join(ROOT, 'bench/bare-cost.mjs'), postsDir, '--json'], { cwd: ROOT });
  return { ms, ...JSON.parse(stdout.trim().split('\n').pop()) };
}

/**
 * Floor, start, floor, start, ...: medians of each; the last server is left running. The
 * first STARTS are first starts (each with an empty post cache); then RESTARTS restarts
 * on what the last of them left in its post cache.
 */
async function measureStartup(postsDir) {
  const floors = [];
  const starts = [];
  const restarts = [];
  let server = null;
  for (let i = 1; i <= STARTS + RESTARTS; i++) {
    await waitQuiet();
    floors.push(await floorRun(postsDir));
    await waitQuiet();
    const cacheDir = path.join(workDir(), `post-cache-${Math.min(i, STARTS)}`);
    server = await startServer({ ...benchEnv(postsDir), POST_CACHE_DIR: cacheDir }, { logFile: path.join(workDir(), `server-${i}.log`) });
    const busyMs = await settle(server.pid);
    const run = { ms: server.readyMs, rssMb: vmHwmMb(server.pid), busyMs };
    (i <= STARTS ? starts : restarts).push(run);
    log(`floor ${fmt(floors.at(-1).ms)} ms, ${i <= STARTS ? 'start' : 'restart'} ${fmt(server.readyMs)} ms, peak RSS ${fmt(run.rssMb)} MB, busy ${busyMs} ms after ready`);
    if (i < STARTS + RESTARTS) await server.stop();
  }
  return { floors, starts, restarts, server };
}

// ---------------------------------------------------------------------------------------------
// 3. Cold renders and 4. search, on the fresh server
// ---------------------------------------------------------------------------------------------

/** Post URLs from /page/N/ listings spread over the site (every 37th page), then neighbours. */
async function postsFromListings(port, want) {
  const urls = new Set();
  const seen = new Set();
  const visit = async (n) => {
    seen.add(n);
    const res = await get(port, `/page/${n}/`, { agent: keepAlive });
    if (res.status === 200) for (const u of postLinks(res.body.toString('utf8'))) if (urls.size < want) urls.add(u);
    return res.status === 200;
  };
  for (let n = 2; urls.size < want; n += 37) {
    if (!(await visit(n))) break;
  }
  // A small site has fewer pages than that stride needs: take the pages in between too.
  for (let n = 3; urls.size < want && n < 10_000; n++) {
    if (!seen.has(n) && !(await visit(n))) break;
  }
  return [...urls];
}

async function coldRenders(port) {
  const urls = await postsFromListings(port, COLD_POSTS);
  const times = [];
  const failures = [];
  for (const u of urls) {
    const res = await get(port, u);
    if (res.status === 200) times.push(res.ms);
    else failures.push(`${u}: ${res.status || res.error}`);
  }
  return { urls, times, failures };
}

/**
 * Queries made of the corpus's own title words, as scale-check makes them (same generator and
 * seed, so the same queries): one word, two words of one title, a 4-letter prefix, a one-typo word.
 */
function queriesFrom(dir, count) {
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.txt') || f.endsWith('.md')).sort();
  let x = (SEED * 2654435761) % 4294967296;
  const rnd = () => (x = (x * 1664525 + 1013904223) % 4294967296) / 4294967296;
  const out = new Set();
  for (let tries = 0; out.size < count && tries < count * 50; tries++) {
    const text = fs.readFileSync(path.join(dir, names[Math.floor(rnd() * names.length)]), 'utf8');
    const title = /^title:\s*["']?(.+?)["']?\s*$/m.exec(text)?.[1] ?? '';
    const words = [...new Set(title.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 5))];
    if (!words.length) continue;
    const w = words[Math.floor(rnd() * words.length)];
    const kind = out.size % 4;
    if (kind === 0) out.add(w);
    else if (kind === 1 && words.length > 1) out.add(`${w} ${words.find((v) => v !== w)}`);
    else if (kind === 2) out.add(w.slice(0, 4));
    else if (kind === 3 && w.length >= 6) out.add(w.slice(0, 3) + (w[3] === 'x' ? 'y' : 'x') + w.slice(4));
  }
  return [...out];
}

async function searches(port, postsDir) {
  const queries = queriesFrom(postsDir, QUERIES);
  const times = [];
  const failures = [];
  let first = NaN;
  let found = 0;
  for (const [i, q] of queries.entries()) {
    const res = await get(port, `/search/?q=${encodeURIComponent(q)}`, { agent: keepAlive });
    if (i === 0) first = res.ms;
    else times.push(res.ms); // the first one is reported on its own: it may pay for a lazy index
    if (res.status !== 200) failures.push(`"${q}": ${res.status || res.error}`);
    else if (postLinks(res.body.toString('utf8')).length > 0) found++;
  }
  return { queries, times, first, found, failures };
}

// ---------------------------------------------------------------------------------------------
// 5. Warm figures against the bare Fastify reference
// ---------------------------------------------------------------------------------------------

// The reference: the project's own Fastify, logger off, answering with constant Buffers and our
// headers replayed, so the ratio is the cost of our per-request work and nothing else.
const REF_SERVER_SRC = `// bare Fastify reference for bench/run.mjs: our exact bytes and headers, as constants
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
const [manifestFile, port, project] = process.argv.slice(2);
const Fastify = createRequire(path.join(project, 'package.json'))('fastify');
const app = Fastify({ logger: false });
for (const r of JSON.parse(fs.readFileSync(manifestFile, 'utf8'))) {
  const body = fs.readFileSync(r.bodyFile);
  const br = r.brFile ? fs.readFileSync(r.brFile) : null;
  const { h200, hBr, h304, etag } = r;
  app.get(r.path, (req, reply) => {
    if (etag && req.headers['if-none-match'] === etag) reply.code(304).headers(h304).send();
    else if (br && /\\bbr\\b/.test(req.headers['accept-encoding'] ?? '')) reply.headers(hBr).send(br);
    else reply.headers(h200).send(body);
  });
}
await app.listen({ port: Number(port), host: '127.0.0.1' });
`;

// Per connection or per response, so not replayed: Node and Fastify set them for each response.
const SKIP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
function replayHeaders(res) {
  const h = {};
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    const k = res.rawHeaders[i].toLowerCase();
    if (!SKIP_HEADERS.has(k)) h[k] = h[k] === undefined ? res.rawHeaders[i + 1] : [].concat(h[k], res.rawHeaders[i + 1]);
  }
  return h;
}

/** The front page and WARM_POSTS post URLs linked from it and from /page/2/, /page/3/, ... */
async function warmPaths(port) {
  const posts = new Set();
  for (let n = 1; posts.size < WARM_POSTS && n <= 12; n++) {
    const res = await get(port, n === 1 ? '/' : `/page/${n}/`, { agent: keepAlive });
    if (res.status !== 200) break;
    for (const u of postLinks(res.body.toString('utf8'))) if (posts.size < WARM_POSTS) posts.add(u);
  }
  if (!posts.size) throw new Error('no post links (/YYYY/MM/DD/slug/) on the front page or /page/N/');
  return [...posts];
}

/** Our responses, fetched twice (the second is the cached one the reference will replay). */
async function ourResponses(port, posts, notes) {
  const plain = new Map();
  for (const p of ['/', ...posts]) {
    const first = await get(port, p);
    const res = await get(port, p);
    if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status || res.error}`);
    if (first.status === 200 && !first.body.equals(res.body)) notes.push(`${p}: bytes differ between two requests`);
    plain.set(p, res);
  }
  const etag = plain.get('/').headers.etag;
  let notModified = null;
  if (!etag) notes.push('the front page has no ETag: no 304 figure');
  else {
    notModified = await get(port, '/', { headers: { 'if-none-match': etag } });
    if (notModified.status !== 304) {
      notes.push(`If-None-Match: <front page ETag> answered ${notModified.status}, not 304: no 304 figure`);
      notModified = null;
    }
  }
  let br = await get(port, '/', { headers: { 'accept-encoding': 'br' } });
  if (br.status !== 200 || br.headers['content-encoding'] !== 'br') {
    notes.push(`Accept-Encoding: br on / answered ${br.status} with content-encoding ${br.headers['content-encoding'] ?? 'none'}: no br figure`);
    br = null;
  }
  return { plain, etag, notModified, br };
}

async function startReference(ours) {
  const dir = workDir();
  const routes = [...ours.plain].map(([p, res], i) => {
    const route = { path: p, bodyFile: path.join(dir, `body-${i}.bin`), h200: replayHeaders(res) };
    fs.writeFileSync(route.bodyFile, res.body);
    if (p === '/' && ours.notModified) Object.assign(route, { etag: ours.etag, h304: replayHeaders(ours.notModified) });
    if (p === '/' && ours.br) {
      Object.assign(route, { brFile: path.join(dir, 'body-br.bin'), hBr: replayHeaders(ours.br) });
      fs.writeFileSync(route.brFile, ours.br.body);
    }
    return route;
  });
  fs.writeFileSync(path.join(dir, 'ref-routes.json'), JSON.stringify(routes));
  fs.writeFileSync(path.join(dir, 'ref-server.mjs'), REF_SERVER_SRC);
  const port = await freePort();
  const logFile = path.join(dir, 'ref.log');
  const out = fs.openSync(logFile, 'a');
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, [path.join(dir, 'ref-server.mjs'), path.join(dir, 'ref-routes.json'), String(port), ROOT],
    { cwd: ROOT, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  await waitReady(port, child, t0, { readyPath: '/', logFile });
  return { port, pgid: child.pid, pid: listeningPid(child.pid, port) ?? child.pid };
}

/**
 * Before any load: the reference must send exactly our bytes, or its figures mean nothing; a
 * header it sends differently is only noted (the figure stays usable, a little less fair).
 */
async function checkReference(refPort, ours, notes) {
  const headerText = (res) => JSON.stringify(Object.entries(replayHeaders(res)).sort());
  const cases = [...ours.plain].map(([p, res]) => [p, {}, res]);
  if (ours.br) cases.push(['/', { 'accept-encoding': 'br' }, ours.br]);
  if (ours.notModified) cases.push(['/', { 'if-none-match': ours.etag }, ours.notModified]);
  for (const [p, headers, want] of cases) {
    const got = await get(refPort, p, { headers });
    if (got.status !== want.status || !got.body.equals(want.body)) {
      throw new Error(`the reference does not answer ${p} ${JSON.stringify(headers)} as we do (${got.status}, ${got.body.length} B vs ${want.status}, ${want.body.length} B)`);
    }
    if (headerText(got) !== headerText(want)) notes.push(`the reference's headers for ${p} ${JSON.stringify(headers)} differ from ours: ${headerText(got)} vs ${headerText(want)}`);
  }
}

/** One autocannon run; every response's latency goes to `latencies` (ms, full precision). */
function cannon(port, figure, seconds, connections, latencies) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: `http://127.0.0.1:${port}`,
      connections,
      duration: seconds,
      headers: figure.headers,
      // Each connection cycles through these paths in order.
      requests: figure.paths.map((p) => ({ method: 'GET', path: p })),
    }, (err, result) => (err ? reject(err) : resolve(result)));
    // autocannon's own histogram keeps whole milliseconds only; ratios of p99s need better.
    if (latencies) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  }).then((r) => ({
    requests: r.requests.total,
    seconds: r.duration,
    bytes: r.throughput.total,
    wrongStatus: r.requests.total - (r.statusCodeStats[figure.status]?.count ?? 0),
    errors: r.errors,
  }));
}

function figuresFor(ours, posts) {
  const list = [
    { key: 'warm-front', label: 'front page', paths: ['/'], headers: {}, status: 200, body: ours.plain.get('/').body.length },
    { key: 'warm-post', label: 'one post', paths: [posts[0]], headers: {}, status: 200, body: ours.plain.get(posts[0]).body.length },
    { key: `posts${posts.length}`, label: `${posts.length} posts rotated`, paths: posts, headers: {}, status: 200,
      body: Math.min(...posts.map((p) => ours.plain.get(p).body.length)) },
  ];
  if (ours.notModified) list.push({ key: '304', label: '304 front page', paths: ['/'], headers: { 'if-none-match': ours.etag }, status: 304, body: 0 });
  if (ours.br) list.push({ key: 'br-front', label: 'front page br', paths: ['/'], headers: { 'accept-encoding': 'br' }, status: 200, body: ours.br.body.length });
  return list;
}

/**
 * Each figure: an untimed warm-up of each side, then slices alternating between the sides in
 * ABBA order (the first side alternating between figures), so a burst of load from elsewhere on
 * the machine lands on both sides alike. Slices are summed: req/s = all requests / all time.
 */
async function warmFigures(figures, sides, opts) {
  const nSlices = Math.max(1, Math.round(opts.duration / Math.min(opts.slice, opts.duration)));
  const sliceS = opts.duration / nSlices;
  const warmUpS = Math.min(3, Math.max(1, Math.round(opts.duration / 4)));
  log(`load: ${figures.length} figures, ${nSlices} x ${fmt(sliceS, 1)} s per side each (+${warmUpS} s warm-up), ${opts.connections} connections`);
  const results = [];
  for (const [i, figure] of figures.entries()) {
    const [a, b] = i % 2 === 0 ? ['ours', 'ref'] : ['ref', 'ours'];
    const acc = { ours: { slices: [], latencies: [] }, ref: { slices: [], latencies: [] } };
    // Warm-up runs count for the status checks only.
    for (const side of [a, b]) acc[side].warmUp = await cannon(sides[side].port, figure, warmUpS, opts.connections);
    for (let j = 0; j < nSlices; j++) {
      for (const side of j % 2 === 0 ? [a, b] : [b, a]) {
        await sleep(100); // lets the previous run's sockets close
        acc[side].slices.push(await cannon(sides[side].port, figure, sliceS, opts.connections, acc[side].latencies));
      }
    }
    const result = { figure, ours: summarize(acc.ours), ref: summarize(acc.ref) };
    log(`${figure.key}: ${fmt(result.ours.rps)} vs ${fmt(result.ref.rps)} req/s, p99 ${fmt(result.ours.p99, 2)} vs ${fmt(result.ref.p99, 2)} ms`);
    results.push(result);
  }
  return { results, nSlices, sliceS, warmUpS };
}

function summarize({ slices, latencies, warmUp }) {
  const sum = (k) => slices.reduce((t, s) => t + s[k], 0);
  const requests = sum('requests');
  return {
    rps: requests / sum('seconds'),
    sliceRps: slices.map((s) => s.requests / s.seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    bytesPerResponse: sum('bytes') / requests,
    requests,
    wrongStatus: sum('wrongStatus') + warmUp.wrongStatus,
    errors: sum('errors') + warmUp.errors,
  };
}

/** Wrong answers under load make a figure meaningless: list them. */
function loadProblems({ figure, ours, ref }) {
  const problems = [];
  for (const [side, s] of [['ours', ours], ['reference', ref]]) {
    if (!s.requests) problems.push(`${figure.key} ${side}: no request completed`);
    if (s.wrongStatus) problems.push(`${figure.key} ${side}: ${s.wrongStatus} responses not ${figure.status}`);
    if (s.errors) problems.push(`${figure.key} ${side}: ${s.errors} socket errors or timeouts`);
    if (figure.status === 200 && s.bytesPerResponse < figure.body) problems.push(`${figure.key} ${side}: ${fmt(s.bytesPerResponse)} B per response, under the ${figure.body} B body`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function machine() {
  const cpus = os.cpus();
  const versionOf = (name) => {
    try {
      return createRequire(path.join(ROOT, 'package.json'))(`${name}/package.json`).version;
    } catch {
      return '?';
    }
  };
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, `
    + `load ${os.loadavg()[0].toFixed(2)}; fastify ${versionOf('fastify')}, autocannon ${versionOf('autocannon')}, gray-matter ${versionOf('gray-matter')}`;
}

function printTable(rows) {
  const w = [30, 11, 11, 8];
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(w[0]) : i < 4 ? String(c).padStart(w[i]) : ` ${c}`)).join(' ').trimEnd();
  console.log(line(['figure', 'ours', 'reference', 'ratio', 'note']));
  for (const r of rows) console.log(line(r));
}

/** Server log lines (LOG_LEVEL=warn): worth a look when there are any. */
function serverLogNote() {
  const lines = fs.readdirSync(workDir()).filter((f) => /^server-\d+\.log$/.test(f))
    .flatMap((f) => fs.readFileSync(path.join(workDir(), f), 'utf8').split('\n').filter((l) => l.trim()));
  return lines.length ? `the server logged ${lines.length} lines at warn or above over ${STARTS + RESTARTS} starts; first: ${lines[0].slice(0, 300)}` : null;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), { posts: 10_000, duration: 10, connections: 64, slice: 5 });
  if (!(opts.posts >= 1 && opts.duration > 0 && opts.connections >= 1 && opts.slice > 0)) throw new Error('--posts, --duration, --connections and --slice must be positive');
  if (!fs.existsSync(path.join(ROOT, 'dist/server.js'))) throw new Error('dist/server.js is missing: npm run build');
  const t0 = performance.now();
  console.log(`# machine: ${machine()}`);
  const postsDir = corpus(opts.posts);
  const notes = [];
  const problems = [];

  const startup = await measureStartup(postsDir);
  const server = startup.server;
  if (startup.floors[0].files !== opts.posts) notes.push(`the floor read ${startup.floors[0].files} files, expected ${opts.posts}`);

  const cold = await coldRenders(server.port);
  problems.push(...cold.failures.map((f) => `cold post ${f}`));
  const search = await searches(server.port, postsDir);
  problems.push(...search.failures.map((f) => `search ${f}`));
  log(`cold: ${cold.times.length} posts, search: ${search.queries.length} queries, first ${fmt(search.first)} ms`);

  const posts = await warmPaths(server.port);
  if (posts.length < WARM_POSTS) notes.push(`only ${posts.length} post URLs found for the rotation`);
  const ours = await ourResponses(server.port, posts, notes);
  const ref = await startReference(ours);
  await checkReference(ref.port, ours, notes);
  const figures = figuresFor(ours, posts);
  const sides = { ours: { port: server.port }, ref: { port: ref.port } };
  const load = await warmFigures(figures, sides, opts);
  for (const r of load.results) problems.push(...loadProblems(r));
  const rssAfter = { ours: vmHwmMb(server.pid), ref: vmHwmMb(ref.pid) };
  await stopGroup(ref.pgid);
  await server.stop();
  const logNote = serverLogNote();
  if (logNote) notes.push(logNote);

  // The table.
  const floorMs = median(startup.floors.map((f) => f.ms));
  const startMs = median(startup.starts.map((s) => s.ms));
  const restartMs = median(startup.restarts.map((s) => s.ms));
  const rssMb = median(startup.starts.map((s) => s.rssMb));
  const floorRss = median(startup.floors.map((f) => f.peak_rss_mb));
  const rows = [
    ['startup ms (ref: floor)', fmt(startMs), fmt(floorMs), ratioTxt(startMs / floorMs),
      `spawn to /readyz 200, empty post cache; runs ${startup.starts.map((s) => fmt(s.ms)).join('/')} vs ${startup.floors.map((f) => fmt(f.ms)).join('/')}`],
    ['restart ms (ref: floor)', fmt(restartMs), fmt(floorMs), ratioTxt(restartMs / floorMs),
      `the same on the post cache a start left; runs ${startup.restarts.map((s) => fmt(s.ms)).join('/')}`],
    ['peak RSS at ready MB', fmt(rssMb), fmt(floorRss), ratioTxt(rssMb / floorRss),
      `VmHWM once settled; busy ${fmt(median(startup.starts.map((s) => s.busyMs)))} ms after ready`],
  ];
  for (const { figure, ours: o, ref: r } of load.results) {
    const spread = (s) => `${fmt(Math.min(...s.sliceRps))}-${fmt(Math.max(...s.sliceRps))}`;
    rows.push([`${figure.label} req/s`, fmt(o.rps), fmt(r.rps), ratioTxt(o.rps / r.rps), `slices ${spread(o)} vs ${spread(r)}; ${fmt(o.bytesPerResponse)} B/response`]);
    rows.push([`${figure.label} p50 ms`, fmt(o.p50, 2), fmt(r.p50, 2), ratioTxt(o.p50 / r.p50)]);
    rows.push([`${figure.label} p99 ms`, fmt(o.p99, 2), fmt(r.p99, 2), ratioTxt(o.p99 / r.p99), `${o.requests} vs ${r.requests} responses`]);
  }
  rows.push(['peak RSS after load MB', fmt(rssAfter.ours), fmt(rssAfter.ref), ratioTxt(rssAfter.ours / rssAfter.ref)]);
  rows.push([`cold post p50 ms (${cold.times.length})`, fmt(percentile(cold.times, 50), 2), '-', '-',
    `p95 ${fmt(percentile(cold.times, 95), 2)}, max ${fmt(Math.max(...cold.times), 2)}; first request of each, new connection`]);
  rows.push([`search p50 ms (${search.times.length})`, fmt(percentile(search.times, 50), 2), '-', '-',
    `p95 ${fmt(percentile(search.times, 95), 2)}, max ${fmt(Math.max(...search.times), 2)}; each query once, after the first`]);
  rows.push(['search first query ms', fmt(search.first, 1), '-', '-', `found results for ${search.found}/${search.queries.length} queries`]);

  console.log(`# ${opts.posts} posts (seed ${SEED}) in ${postsDir}; ours: node dist/server.js, LOG_LEVEL=warn, WATCH=true; `
    + 'reference: bare Fastify sending our bytes and headers as constants');
  console.log(`# autocannon, ${opts.connections} connections, per figure and side ${load.nSlices} x ${fmt(load.sliceS, 1)} s slices (ABBA) after ${load.warmUpS} s warm-up; `
    + 'p50/p99 from every response of all slices (merged exactly, not a median of slice percentiles); cold and search client-side');
  printTable(rows);
  for (const n of notes) console.log(`# note: ${n}`);
  for (const p of problems) console.log(`# PROBLEM: ${p}`);
  console.log(`# run time ${fmt(since(t0) / 1000)} s`);

  const ratio = (key) => {
    const r = load.results.find((x) => x.figure.key === key);
    return r ? ratioTxt(r.ours.rps / r.ref.rps) : 'n/a';
  };
  const worstP99 = Math.max(...load.results.filter((x) => x.figure.status === 200).map((x) => x.ours.p99 / x.ref.p99));
  console.log(`bench: ${opts.posts} posts, warm-front ${ratio('warm-front')}, warm-post ${ratio('warm-post')}, posts${posts.length} ${ratio(`posts${posts.length}`)}, `
    + `304 ${ratio('304')}, br-front ${ratio('br-front')}, p99 ${ratioTxt(worstP99)}, startup ${ratioTxt(startMs / floorMs)} floor `
    + `(${fmt(startMs)} ms vs ${fmt(floorMs)} ms), restart ${ratioTxt(restartMs / floorMs)} floor, rss ${fmt(rssMb)} MB, cold p50 ${fmt(percentile(cold.times, 50), 1)} ms, `
    + `search p95 ${fmt(percentile(search.times, 95), 1)} ms`);
  return problems.length ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let code = 1;
  try {
    code = await main();
  } catch (err) {
    log(err?.stack ?? String(err));
    console.log(`bench: FAILED: ${String(err?.message ?? err).split('\n')[0]}`);
  }
  for (const g of [...groups]) await stopGroup(g);
  process.exit(code);
}
