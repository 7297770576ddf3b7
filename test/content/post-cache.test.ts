import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createContentStore, type ContentStoreOptions, type Logger } from '../../src/content/content-store.js';
import { RACY_MS } from '../../src/content/parse-cache.js';
import { build, makeSite, postText, type TestSite } from '../helpers/build.js';

type Line = { msg: string; obj: object };

function logger(lines: Line[]): Logger {
  const push = (obj: object, msg: string) => lines.push({ msg, obj });
  return { info: push, warn: push, error: push, debug: push };
}

/** Loads the site as a server start does; what it saw, and what it logged. */
async function start(site: TestSite, cacheDir: string | null, extra: Partial<ContentStoreOptions> = {}) {
  const lines: Line[] = [];
  const store = createContentStore({
    postsDir: site.postsDir, publicDir: site.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'off', log: logger(lines), cacheDir, ...extra,
  });
  await store.load();
  const seen = {
    posts: store.snapshot.posts.map((p) => ({ ...p })),
    skipped: store.status().skipped,
    found: (await store.search(['harbour'], 10)).map(([file]) => file).sort(),
    // Words, a prefix, a typo, two words: files with their scores.
    hits: await Promise.all([['harbour'], ['harb'], ['harbor'], ['vote'], ['harbour', 'dawn'], ['strike'], ['lighthouse']].map((terms) => store.search(terms, 10))),
    lines,
  };
  await store.close();
  return seen;
}

const cacheSize = (dir: string) => fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);

t.test('a restart reads the unchanged posts from the cache and sees every change made meanwhile', async (t) => {
  const site = makeSite(t, {
    'a.md': postText({ title: 'Harbour reopens', date: '2025-03-01T09:00:00', tags: ['port'] }, 'The harbour opened at dawn.\n'),
    'b.md': postText({ title: 'Council vote', date: '2025-03-02' }, 'A vote on the harbour fees.\n'),
    'sub/c.md': postText({ title: 'Rail strike', date: '2025-03-03' }),
    'broken.md': 'no front matter',
    'elsewhere/e.md': postText({ title: 'Linked story', date: '2025-02-01' }),
  });
  fs.symlinkSync(path.join(site.postsDir, 'elsewhere/e.md'), path.join(site.postsDir, 'linked.md')); // read every time
  const cacheDir = path.join(site.dir, 'post-cache');
  // Files written this recently are read, not cached (their next edit could keep the same times).
  await sleep(RACY_MS + 100);

  const first = await start(site, cacheDir);
  t.same(first.posts.map((p) => p.title), ['Rail strike', 'Council vote', 'Harbour reopens', 'Linked story', 'Linked story']);
  t.same(first.found, ['a.md', 'b.md']);
  const names = fs.readdirSync(cacheDir).sort();
  t.ok(names.length > 0 && names.every((name) => name.endsWith('.posts') ? names.includes(`${name}.search`) : name.endsWith('.posts.search')), 'one file per parse worker, and its search index');
  const uncached = await start(site, null);
  t.same(first.hits, uncached.hits, 'the same hits and scores as a start without a cache');
  const size = cacheSize(cacheDir);
  const indexes = () => fs.readdirSync(cacheDir).filter((name) => name.endsWith('.search')).map((name) => {
    return [name, fs.statSync(path.join(cacheDir, name)).ino]; // written anew: a new file renamed over it
  });
  const written = indexes();

  const second = await start(site, cacheDir);
  t.same(second.posts, first.posts, 'the same posts, field for field');
  t.same(second.skipped, first.skipped, 'the broken file is still reported');
  t.same(second.found, first.found, 'and searched alike');
  t.same(second.hits, first.hits, 'the search index read back ranks alike');
  t.equal(cacheSize(cacheDir), size, 'all from the cache: nothing was written');
  t.same(indexes(), written, 'the search index was read back, not written again (the linked post is indexed anew at every start)');

  site.write('b.md', postText({ title: 'Council vote postponed', date: '2025-03-02' }, 'No word on the harbour.\n'));
  fs.rmSync(path.join(site.postsDir, 'sub/c.md'));
  site.write('d.md', postText({ title: 'Harbour master retires', date: '2025-03-04' }));
  const third = await start(site, cacheDir);
  t.same(third.posts.map((p) => p.title), ['Harbour master retires', 'Council vote postponed', 'Harbour reopens', 'Linked story', 'Linked story']);
  t.same(third.found, ['a.md', 'b.md', 'd.md']);
  t.notOk(third.hits.flat().some(([file]) => file === 'sub/c.md'), 'a deleted post is not found');
  t.same(third.hits, (await start(site, null)).hits, 'changes to the index read back rank as in a start without a cache');
  t.ok(cacheSize(cacheDir) > size, 'the changes were written');

  // A search index that does not read back whole is built anew from the posts, and written again.
  const damaged = fs.readdirSync(cacheDir).filter((name) => name.endsWith('.search')).map((name) => path.join(cacheDir, name));
  for (const file of damaged) fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 100));
  const fourth = await start(site, cacheDir);
  t.same(fourth.hits, third.hits, 'a damaged index is not used');
  t.ok(damaged.every((file) => fs.statSync(file).size > 100), 'and is written anew');

  // Settings that change what a file means (here: dates without a zone) are not read from a cache made with others.
  const zoned = await start(site, cacheDir, { timeZone: 'America/New_York' });
  t.equal(zoned.posts.find((p) => p.file === 'a.md')!.date.toISOString(), '2025-03-01T14:00:00.000Z');
  t.equal(third.posts.find((p) => p.file === 'a.md')!.date.toISOString(), '2025-03-01T09:00:00.000Z');
});

t.test('a post changed while the server ran is indexed anew at the next start', async (t) => {
  const site = makeSite(t, {
    'a.md': postText({ title: 'Harbour reopens', date: '2025-03-01' }, 'Ferries at dawn.\n'),
    'b.md': postText({ title: 'Council vote', date: '2025-03-02' }),
  });
  const cacheDir = path.join(site.dir, 'post-cache');
  await sleep(RACY_MS + 100);
  await start(site, cacheDir); // writes the cache and the search index
  const store = createContentStore({
    postsDir: site.postsDir, publicDir: site.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'off', log: logger([]), cacheDir,
  });
  await store.load();
  site.write('a.md', postText({ title: 'Lighthouse reopens', date: '2025-03-01' }, 'Ferries at dusk.\n'));
  // Read again once the write is settled, as the live folder would: its new version goes to the cache, not to the index kept on disk.
  await sleep(RACY_MS + 100);
  const size = cacheSize(cacheDir);
  store.recheck('a.md');
  while ((await store.search(['lighthouse'], 10)).length === 0) await sleep(20);
  await store.close();
  t.ok(cacheSize(cacheDir) > size, 'the new version was appended to the cache');
  const next = await start(site, cacheDir);
  t.same(next.hits[0], [], 'the old headline is not found');
  t.same(next.hits[6]!.map(([file]) => file), ['a.md'], 'the new one is');
});

t.test('a cache folder that cannot be written is logged, and the site loads', async (t) => {
  const site = makeSite(t, { 'a.md': postText({ title: 'Harbour reopens', date: '2025-03-01' }) });
  const blocker = path.join(site.dir, 'blocker');
  fs.writeFileSync(blocker, 'a file where the cache folder should be');
  const seen = await start(site, path.join(blocker, 'cache'));
  t.same(seen.posts.map((p) => p.title), ['Harbour reopens']);
  const warning = seen.lines.find((l) => /the post cache .* cannot be used/.test(l.msg));
  t.ok(warning, 'a warning names the cache file and why');
  t.match(warning?.obj, { postCacheDir: path.join(blocker, 'cache') });
});

t.test('the server keeps its post cache in POST_CACHE_DIR', async (t) => {
  const site = makeSite(t, { 'a.md': postText({ title: 'Harbour reopens', date: '2025-03-01' }) });
  const { app } = await build(t, site, { POST_CACHE_DIR: path.join(site.dir, 'elsewhere') });
  t.equal((await app.inject('/')).statusCode, 200);
  t.ok(fs.readdirSync(path.join(site.dir, 'elsewhere')).length > 0);
});
