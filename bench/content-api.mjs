#!/usr/bin/env node
// Content API latency on a folder of posts: starts the built server on it (its own
// process), then times first requests (rendered: the median of several distinct ones of
// each kind) and cached ones under load (autocannon), with `?key=` as Ghost's client
// sends it (routed, then the page cache) and without (the hot path).
// Usage: npm run build && node bench/content-api.mjs DIR [--port 3911] [--duration 5]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import autocannon from 'autocannon';

const args = process.argv.slice(2);
const dir = args[0];
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const port = Number(option('--port', '3911'));
const duration = Number(option('--duration', '5'));
if (!dir) {
  console.error('usage: node bench/content-api.mjs DIR [--port N] [--duration S]');
  process.exit(2);
}
const base = `http://127.0.0.1:${port}`;
const KEY = '0123456789abcdef0123456789';

const started = performance.now();
const server = spawn(process.execPath, ['dist/server.js'], {
  env: { ...process.env, POSTS_DIR: dir, PORT: String(port), LOG_LEVEL: 'warn', WATCH: 'false', RATE_LIMIT_PER_MINUTE: '1000000' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const peakRssMb = () => {
  try {
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024);
  } catch {
    return NaN;
  }
};
try {
  for (;;) {
    const ready = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log(`ready after ${Math.round(performance.now() - started)} ms, peak RSS ${peakRssMb()} MB`);

  const time = async (path) => {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`);
    const bytes = (await res.arrayBuffer()).byteLength;
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return { ms: performance.now() - t0, bytes };
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const tags = (await (await fetch(`${base}/ghost/api/content/tags/?limit=all&include=count.posts&order=count.posts%20desc`)).json()).tags;
  const kinds = {
    'posts ?limit=15 (pages 1-10)': Array.from({ length: 10 }, (_, i) => `/ghost/api/content/posts/?limit=15&page=${i + 1}`),
    'posts ?filter=tag:x&limit=15 (10 tags)': tags.slice(0, 10).map((t) => `/ghost/api/content/posts/?filter=${encodeURIComponent(`tag:${t.slug}`)}&limit=15`),
    'posts ?filter=tag:x+featured:false,author:y (5)': tags.slice(10, 15).map((t) => `/ghost/api/content/posts/?filter=${encodeURIComponent(`tag:${t.slug}+featured:false,author:newsdesk`)}`),
    'posts ?limit=all (capped, html; pages 1-3)': [1, 2, 3].map((n) => `/ghost/api/content/posts/?limit=all&page=${n}`),
    'posts ?limit=all&fields=id,slug,title,url (pages 1-3)': [1, 2, 3].map((n) => `/ghost/api/content/posts/?limit=all&fields=id,slug,title,url&page=${n}`),
    'tags ?limit=all&include=count.posts': ['/ghost/api/content/tags/?limit=all&include=count.posts&order=name%20asc'],
    'search.json ?q=… (5 words)': ['harbour', 'election', 'vaccine', 'market', 'bridge'].map((w) => `/search.json?q=${w}`),
  };
  console.log('\nfirst requests (rendered), median of distinct ones:');
  for (const [kind, paths] of Object.entries(kinds)) {
    const runs = [];
    for (const path of paths) runs.push(await time(path));
    console.log(`  ${kind.padEnd(52)} ${median(runs.map((r) => r.ms)).toFixed(1).padStart(8)} ms  (${Math.round(median(runs.map((r) => r.bytes)) / 1024)} KB)`);
  }

  console.log(`\ncached, under load (autocannon, 10 connections, ${duration} s):`);
  for (const [kind, path] of [
    ['posts ?limit=15, with ?key= (routed)', `/ghost/api/content/posts/?key=${KEY}&limit=15&page=1`],
    ['posts ?limit=15, canonical URL (hot path)', '/ghost/api/content/posts/?limit=15&page=1&order=published_at+desc'],
    ['posts ?filter=tag:x, with ?key=', `${kinds['posts ?filter=tag:x&limit=15 (10 tags)'][0]}&key=${KEY}`],
  ]) {
    const result = await autocannon({ url: `${base}${path}`, connections: 10, duration });
    const { latency, requests, non2xx } = result;
    console.log(`  ${kind.padEnd(52)} ${Math.round(requests.average).toString().padStart(7)} req/s  p50 ${latency.p50} ms  p99 ${latency.p99} ms${non2xx ? `  (${non2xx} not 2xx)` : ''}`);
  }
  console.log(`\npeak RSS ${peakRssMb()} MB`);
} finally {
  server.kill('SIGTERM');
}
