// Variants on disk: written whole, evicted least recently used first within the cap,
// rebuilt at start (temporary leftovers removed), never thrown at by a full disk.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { cacheKey, openVariantCache } from '../../src/images/variant-cache.js';
import { waitFor } from '../helpers/wait.js';

interface Line {
  readonly msg: string;
  readonly [key: string]: unknown;
}

function logger() {
  const lines: Line[] = [];
  const log = (obj: object, msg: string) => lines.push({ ...obj, msg });
  return { lines, log: { info: log, error: log } };
}

const key = (n: number) => cacheKey(n.toString(16).padStart(16, '0'), 640, 'webp');

function open(dir: string, maxBytes: number) {
  const { lines, log } = logger();
  return openVariantCache({ dir, maxBytes, log }).then((cache) => ({ cache, lines }));
}

t.test('stores, reads back, and creates its folder', async (t) => {
  const dir = path.join(t.testdir(), 'nested/cache');
  const { cache, lines } = await open(dir, 10_000);
  t.equal(await cache.get(key(1)), null);
  await cache.put(key(1), Buffer.from('variant bytes'));
  t.equal((await cache.get(key(1)))?.toString(), 'variant bytes');
  t.same(fs.readdirSync(dir), [key(1)], 'no temporary file left behind');
  t.same(cache.stats, { files: 1, bytes: 13 });
  t.match(lines[0], { msg: 'image cache opened', files: 0 });
});

t.test('a read while an eviction removes the entry leaves the count as the disk is', async (t) => {
  const dir = t.testdir();
  const cap = 6_000_000;
  const { cache } = await open(dir, cap);
  for (let round = 0; round < 20; round++) {
    const [a, b] = [key(2 * round + 1), key(2 * round + 2)];
    await cache.put(a, Buffer.alloc(4_000_000, 1));
    // b's small write pushes the cache over its cap while a (large) is being read.
    await Promise.all([cache.get(a), cache.put(b, Buffer.alloc(2_500_000, 2))]);
    const onDisk = fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).size);
    t.same(cache.stats, { files: onDisk.length, bytes: onDisk.reduce((x, y) => x + y, 0) }, `round ${round}: counted as on disk`);
    t.ok(cache.stats.bytes <= cap, 'within the cap');
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
    await cache.get(b); // finds b gone: forgotten
  }
});

t.test('least recently used out first, within the cap', async (t) => {
  const dir = t.testdir();
  const { cache } = await open(dir, 1000);
  const bytes = Buffer.alloc(400);
  await cache.put(key(1), bytes);
  await cache.put(key(2), bytes);
  t.ok(await cache.get(key(1)), 'key 1 used again: key 2 is now the oldest');
  await cache.put(key(3), bytes);
  t.same(fs.readdirSync(dir).sort(), [key(1), key(3)]);
  t.equal(await cache.get(key(2)), null);
  t.same(cache.stats, { files: 2, bytes: 800 });
  await cache.put(key(3), Buffer.alloc(500));
  t.same(cache.stats, { files: 2, bytes: 900 }, 'a rewrite replaces its size');
});

t.test('a variant larger than the whole cache is not stored', async (t) => {
  const dir = t.testdir();
  const { cache } = await open(dir, 100);
  await cache.put(key(1), Buffer.alloc(101));
  t.same(fs.readdirSync(dir), []);
  t.equal(await cache.get(key(1)), null);
});

t.test('survives a restart: temporary leftovers removed, order rebuilt from the files', async (t) => {
  const dir = t.testdir({
    [key(1)]: 'a'.repeat(400),
    [key(2)]: 'b'.repeat(400),
    [key(3)]: 'c'.repeat(400),
    '.tmp-3f1c': 'half of a variant',
    'notes.txt': 'not ours',
    sub: {},
  });
  // key 2 used last, key 1 longest ago.
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  fs.utimesSync(path.join(dir, key(1)), at(1), at(1));
  fs.utimesSync(path.join(dir, key(3)), at(2), at(2));
  fs.utimesSync(path.join(dir, key(2)), at(3), at(3));
  const { cache, lines } = await open(dir, 800);
  t.same(fs.readdirSync(dir).sort(), ['notes.txt', 'sub', key(2), key(3)].sort(), 'over the cap: the least recently used went');
  t.equal((await cache.get(key(2)))?.toString(), 'b'.repeat(400));
  t.match(lines[0], { msg: 'image cache opened', files: 2, bytes: 800, tempFilesRemoved: 1 });
});

t.test('a hit touches its file, so the order survives the next restart', async (t) => {
  const dir = t.testdir({ [key(1)]: 'x' });
  const old = new Date(Date.UTC(2020, 0, 1));
  fs.utimesSync(path.join(dir, key(1)), old, old);
  const { cache } = await open(dir, 100);
  await cache.get(key(1));
  await waitFor('the touch', () => fs.statSync(path.join(dir, key(1))).mtimeMs > old.getTime());
  t.pass('modification time moved to now');
});

t.test('a file deleted behind its back is a miss, made again later', async (t) => {
  const dir = t.testdir();
  const { cache } = await open(dir, 1000);
  await cache.put(key(1), Buffer.from('x'));
  fs.rmSync(path.join(dir, key(1)));
  t.equal(await cache.get(key(1)), null);
  t.same(cache.stats, { files: 0, bytes: 0 });
});

t.test('a failed write is logged, not thrown', async (t) => {
  const dir = path.join(t.testdir(), 'cache');
  const { cache, lines } = await open(dir, 1000);
  fs.rmSync(dir, { recursive: true });
  await cache.put(key(1), Buffer.from('x'));
  t.match(lines.at(-1), { msg: 'image cache write failed', dir });
  t.equal(await cache.get(key(1)), null);
});

t.test('a folder that cannot be made stops startup, naming IMAGE_CACHE_DIR', async (t) => {
  const dir = t.testdir({ file: 'in the way' });
  await t.rejects(open(path.join(dir, 'file/cache'), 1000), { message: /IMAGE_CACHE_DIR .*file\/cache/ });
});
