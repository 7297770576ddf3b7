#!/usr/bin/env node
// The floor for startup: read every post file of a folder with readFileSync, then parse its
// front matter with gray-matter (passing {} as options, so gray-matter's own cache is off), and
// keep the results, nothing else. It does what the shared perf-compare tool's floor does, so
// `npm run bench` (which spawns this file and times it from spawn to exit) and that tool
// compare the server's startup against the same work.
//   node bench/bare-cost.mjs /tmp/newsroom-perf-cache/corpus-10000-seed1 [--json]
import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';

const [dir, flag] = process.argv.slice(2);
if (!dir) throw new Error('usage: node bench/bare-cost.mjs POSTS_DIR [--json]');

let t = performance.now();
const names = fs.readdirSync(dir).filter((f) => f.endsWith('.txt') || f.endsWith('.md')).sort();
const raw = names.map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
const readMs = performance.now() - t;

t = performance.now();
let errors = 0;
// Kept in an array, as a server keeps its posts: the heap they make is part of the floor.
const posts = raw.map((text, i) => {
  try {
    const { data, content } = matter(text, {});
    if (!data.title || !data.date) errors++;
    return { name: names[i], data, body: content };
  } catch {
    errors++;
    return null;
  }
});
const parseMs = performance.now() - t;

const summary = { files: names.length, kept: posts.length, errors, read_ms: Math.round(readMs), parse_ms: Math.round(parseMs),
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
if (flag === '--json') console.log(JSON.stringify(summary));
else console.log(`${summary.files} files read in ${summary.read_ms} ms and their front matter parsed in ${summary.parse_ms} ms (${errors} without title or date), peak RSS ${summary.peak_rss_mb} MB`);
