#!/usr/bin/env node
// Related stories at scale: reads a folder of posts with the content store (as the
// server does), then reports the CPU time of building every post's related list, and
// of the incremental update after one file changes (the index update itself measured
// apart). Usage: npm run build && node bench/related.mjs DIR [--changes 20]
import { performance } from 'node:perf_hooks';
import { createContentStore } from '../dist/content/content-store.js';
import { updateIndex } from '../dist/content/build-index.js';
import { buildRelated, relatedIndexOf, updateRelated } from '../dist/content/related-posts.js';

const dir = process.argv[2];
const changes = Number(process.argv[process.argv.indexOf('--changes') + 1]) || 20;
if (!dir) {
  console.error('usage: node bench/related.mjs DIR [--changes N]');
  process.exit(2);
}
const silent = { info() {}, warn() {}, error() {}, debug() {} };
const store = createContentStore({ postsDir: dir, publicDir: dir, timeZone: 'UTC', maxPostBytes: 5 * 1024 * 1024, watch: 'off', log: silent });
const loadStarted = performance.now();
await store.load();
const snapshot = store.snapshot;
console.log(`${snapshot.posts.length} posts read and indexed in ${Math.round(performance.now() - loadStarted)} ms (wall)`);

/** CPU milliseconds of `fn` (user + system), and its result. */
function cpu(fn) {
  const before = process.cpuUsage();
  const wallStarted = performance.now();
  const result = fn();
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, wall: performance.now() - wallStarted, result };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const builds = [1, 2, 3].map(() => cpu(() => buildRelated(snapshot, 4)));
console.log(`build: ${builds.map((b) => `${b.ms.toFixed(0)} ms cpu / ${b.wall.toFixed(0)} ms wall`).join(', ')}`);

// One file changes: a post moves to other tags (its old and new neighbourhoods are
// scored again), posts spread over the archive.
const related = relatedIndexOf(snapshot) ?? builds[0].result;
const index = [];
const recompute = [];
const recomputed = [];
const tagged = snapshot.posts.filter((p) => p.tags.length > 0);
for (let i = 0; i < changes; i++) {
  const post = tagged[Math.floor((i + 0.5) * tagged.length / changes)];
  const changed = { ...post, tags: [...post.tags.slice(1), post.tags[0]].reverse(), modified: new Date() };
  const at = new Date();
  const idx = cpu(() => updateIndex(snapshot, [{ file: post.file, post: changed }], at));
  const rel = cpu(() => updateRelated(related, snapshot, idx.result.snapshot, [post.file]));
  index.push(idx.ms);
  recompute.push(rel.ms);
  recomputed.push(rel.result.recomputed);
}
console.log(`one file changed (${changes} samples): index update median ${median(index).toFixed(1)} ms cpu; related update median ${median(recompute).toFixed(1)} ms cpu (max ${Math.max(...recompute).toFixed(1)}), ${median(recomputed)} lists recomputed (median)`);
console.log(`memory: heapUsed ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB`);
await store.close();
