#!/usr/bin/env node
// The floor for startup: read every file of a folder and parse its front matter with
// gray-matter, nothing else. `npm run bench` reports the real startup to compare.
//   node bench/bare-cost.mjs /tmp/newsroom-corpus-10000
import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/bare-cost.mjs POSTS_DIR');
const started = performance.now();
let files = 0;
for (const name of fs.readdirSync(dir)) {
  if (name.startsWith('.')) continue;
  matter(fs.readFileSync(path.join(dir, name), 'utf8'), {});
  files++;
}
console.log(`${files} files read and front matter parsed in ${Math.round(performance.now() - started)} ms`);
