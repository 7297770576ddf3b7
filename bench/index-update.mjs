#!/usr/bin/env node
// npm run bench:index: what one index update costs the main thread, measured in-process
// on a generated corpus read and parsed as the server does, apart from file watching,
// workers and HTTP (bench:live measures those end to end).
//
//   npm run bench:index -- [--count 100000] [--runs 15] [--batch 1]
//
// Each run adds `batch` new generated posts (another seed: new titles, the corpus's own
// sections, tags and authors) to the previous run's index, edits their headlines, then
// takes them out again; the median and range of each are printed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpus, parseArgs } from './run.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const { buildIndex, updateIndex } = await import(path.join(ROOT, 'dist/content/build-index.js'));
const { loadPost } = await import(path.join(ROOT, 'dist/content/load-posts.js'));
const { listPostFiles } = await import(path.join(ROOT, 'dist/content/list-files.js'));

const args = parseArgs(process.argv.slice(2), { count: 100_000, runs: 15, batch: 1 });
const generator = process.env.CORPUS_GENERATOR ?? path.resolve(ROOT, '../shared/corpus/generate.mjs');

/** Every post of a folder, read and parsed as the parse workers do. */
function read(dir) {
  const options = { postsDir: dir, publicDir: path.join(dir, 'no-public'), timeZone: 'UTC', maxPostBytes: 1 << 20 };
  return listPostFiles(dir).flatMap((file) => {
    const result = loadPost(file, options, options);
    return result.ok ? [result.parsed.post] : [];
  });
}

const t0 = performance.now();
const posts = read(corpus(args.count));
console.log(`${posts.length} posts read and parsed in ${Math.round(performance.now() - t0)} ms`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-index-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
execFileSync(process.execPath, [generator, '--count', String(args.runs * args.batch), '--out', work, '--seed', '99'], { stdio: 'ignore' });
// Names of their own, so no new post takes the place of a corpus file.
const fresh = read(work).map((post) => ({ ...post, file: `new/${post.file}` }));

const now = new Date();
let snapshot = buildIndex(posts, now);
const adds = [];
const edits = [];
const removals = [];
for (let run = 0; run < args.runs; run++) {
  const batch = fresh.slice(run * args.batch, (run + 1) * args.batch);
  let t = performance.now();
  const added = updateIndex(snapshot, batch.map((post) => ({ file: post.file, post })), now).snapshot;
  adds.push(performance.now() - t);
  // An edit: the same files with a new headline (out with the old version, in with the new).
  t = performance.now();
  const edited = updateIndex(added, batch.map((post) => ({ file: post.file, post: { ...post, title: `${post.title} (updated)` } })), now).snapshot;
  edits.push(performance.now() - t);
  t = performance.now();
  snapshot = updateIndex(edited, batch.map((post) => ({ file: post.file, post: null })), now).snapshot;
  removals.push(performance.now() - t);
}
const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(2)} ms (${s[0].toFixed(2)}-${s.at(-1).toFixed(2)})`;
};
console.log(`index update, ${args.batch} post(s) added to ${posts.length}: ${summary(adds)}; edited: ${summary(edits)}; taken out again: ${summary(removals)}`);
