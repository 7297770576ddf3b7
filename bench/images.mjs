#!/usr/bin/env node
// npm run bench:images: what responsive images cost and save, on the sample pictures in
// public/assets/images (scripts/make-sample-images.mjs). Runs the built app in-process
// (dist/, after `npm run build`) with an empty image cache, and prints two tables:
//   1. time to the first response of a variant (the job: read, decode, resize, encode,
//      write) and to a cached one, for AVIF, WebP and JPEG at 640 and 1280 px, on the
//      4000x3000 camera photo;
//   2. the image bytes the front page would download at 360 and 1280 px viewports,
//      before (the original files) and after (the variant a browser picks from the
//      srcset, at DPR 1 and 2), with every sample picture on the front page.
//
//   npm run bench:images -- [--repeat 20]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './run.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PHOTO = '/assets/images/lighthouse-at-dusk.jpg';
/** The front page in this bench: the camera photo leads, every other sample picture is a card. */
const FRONT_PAGE = [
  PHOTO,
  '/assets/images/council-chamber.jpg',
  '/assets/images/market-square.jpg',
  '/assets/images/rowing-regatta.jpg',
  '/assets/images/transit-map.png',
  '/assets/images/harbour-bridge-abstract.png',
];
/**
 * CSS pixels each picture takes, from public/css/site.css: at 360 px the lead spans the
 * viewport (negative gutter margins) and a card the column (360 - 2 x 16 px gutter); at
 * 1280 px the content is 75rem - 2 x 32 px = 1136 px, the lead image 3/5 of it less the
 * gap ((1136 - 40) x 3/5), a card one of three columns ((1136 - 2 x 40) / 3).
 */
const SLOTS = { 360: { lead: 360, card: 328 }, 1280: { lead: 658, card: 352 } };

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

/**
 * The candidate a browser takes from a `w` srcset: the narrowest whose density (width /
 * slot) reaches the device pixel ratio, else the widest (as Chromium and Firefox do).
 */
function pick(srcset, slot, dpr) {
  const candidates = srcset.split(', ').map((entry) => {
    const [url, w] = entry.split(' ');
    return { url, width: Number.parseInt(w, 10) };
  });
  candidates.sort((a, b) => a.width - b.width);
  return candidates.find((c) => c.width / slot >= dpr) ?? candidates.at(-1);
}

async function main() {
  const args = parseArgs(process.argv.slice(2), { repeat: 20 });
  const dist = path.join(ROOT, 'dist');
  if (!fs.existsSync(path.join(dist, 'images/image-routes.js'))) throw new Error('run `npm run build` first');
  const { buildApp } = await import(path.join(dist, 'app.js'));
  const { loadConfig } = await import(path.join(dist, 'config.js'));

  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-bench-images-'));
  process.on('exit', () => fs.rmSync(cacheDir, { recursive: true, force: true }));
  const config = loadConfig({ WATCH: 'false', LOG_LEVEL: 'warn', IMAGE_CACHE_DIR: cacheDir }, ROOT);
  // One client asks for everything here: the per-client miss limit would get in the way.
  const app = await buildApp(config, { images: { missesPerMinute: 1_000_000 } });
  await app.ready();
  await app.content.whenReady();
  const get = async (url) => {
    const started = performance.now();
    const res = await app.inject(url);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    return { ms: performance.now() - started, bytes: res.rawPayload.length };
  };

  let started = performance.now();
  const photo = await app.images.pictureOf(PHOTO);
  const factsMs = performance.now() - started;
  const original = fs.statSync(path.join(config.publicDir, PHOTO)).size;
  console.log(`\n${PHOTO}: ${photo.width}x${photo.height} as seen (stored 4000x3000, EXIF Orientation 6), ${kb(original)}`);
  console.log(`facts read once (hash, metadata, decode check): ${factsMs.toFixed(0)} ms`);

  const rows = [];
  for (const [format, srcset] of [['AVIF', photo.sources[0].srcset], ['WebP', photo.sources[1].srcset], ['JPEG', photo.srcset]]) {
    for (const width of [640, 1280]) {
      const url = pick(srcset, width, 1).url;
      const first = await get(url);
      const cached = [];
      for (let i = 0; i < args.repeat; i++) cached.push((await get(url)).ms);
      rows.push({ variant: `${format} ${width} px`, 'first request ms': Math.round(first.ms), 'cached ms (median)': Number(median(cached).toFixed(2)), size: kb(first.bytes) });
    }
  }
  console.log(`\nvariants of the camera photo (one job at a time), Node ${process.version}, ${os.cpus().length} CPUs`);
  console.table(rows);

  const pictures = [];
  for (const src of FRONT_PAGE) {
    pictures.push({ src, picture: await app.images.pictureOf(src), bytes: fs.statSync(path.join(config.publicDir, src)).size });
  }
  const page = [];
  for (const viewport of [360, 1280]) {
    const before = pictures.reduce((sum, p) => sum + p.bytes, 0);
    const row = { viewport: `${viewport} px`, 'before (originals)': kb(before) };
    for (const dpr of [1, 2]) {
      for (const [name, which] of [['AVIF', (p) => p.sources[0].srcset], ['JPEG/PNG', (p) => p.srcset]]) {
        let after = 0;
        for (const [i, { picture }] of pictures.entries()) {
          const slot = i === 0 ? SLOTS[viewport].lead : SLOTS[viewport].card;
          after += (await get(pick(which(picture), slot, dpr).url)).bytes;
        }
        row[`${name} DPR ${dpr}`] = `${kb(after)} (${Math.round((100 * after) / before)}%)`;
      }
    }
    page.push(row);
  }
  console.log(`\nfront page images (${FRONT_PAGE.length} pictures; the lead is the camera photo)`);
  console.table(page);
  console.log(`\nimage jobs run: ${app.images.stats.jobs}; cache: ${app.images.stats.cachedFiles} files, ${kb(app.images.stats.cachedBytes)}`);
  await app.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
