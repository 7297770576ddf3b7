// The disk cache across restarts and under its size cap, as the app uses it.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildImages, makeImageSite, makePhoto, srcsetUrl } from '../helpers/images.js';

t.test('the cache survives a restart: the next process serves from disk, no job', async (t) => {
  const images = makeImageSite(t, { 'harbour.jpg': await makePhoto(1600, 1200) });
  const first = await buildImages(t, images);
  const url = srcsetUrl((await first.app.images.pictureOf('assets/images/harbour.jpg'))!.sources[1]!.srcset, 640);
  const made = await first.app.inject(url);
  t.equal(first.app.images.stats.jobs, 1);
  await first.app.close();

  const second = await buildImages(t, images);
  t.match(second.logs.find((l) => l.msg === 'image cache opened'), { files: 1 });
  const served = await second.app.inject(url);
  t.equal(served.statusCode, 200);
  t.equal(served.headers.etag, made.headers.etag, 'the same bytes');
  t.equal(second.app.images.stats.jobs, 0, 'no job');
});

t.test('temporary files an interrupted write left are removed at start', async (t) => {
  const images = makeImageSite(t);
  const cacheDir = path.join(images.site.dir, 'image-cache');
  fs.mkdirSync(cacheDir);
  fs.writeFileSync(path.join(cacheDir, '.tmp-0b7e2d35-half'), 'half a variant');
  fs.writeFileSync(path.join(cacheDir, 'README'), 'an operator note');
  const { logs } = await buildImages(t, images);
  t.same(fs.readdirSync(cacheDir), ['README'], 'leftover gone, other files kept');
  t.match(logs.find((l) => l.msg === 'image cache opened'), { tempFilesRemoved: 1 });
});

t.test('the cache stays within IMAGE_CACHE_MB, the least recently used out first', async (t) => {
  // Lossless PNG variants of noise: over half a megabyte each at 640 px. (The order of
  // eviction is tested in detail in variant-cache.test.ts.)
  const files: Record<string, Buffer> = {};
  for (const seed of [1, 2, 3]) files[`map-${seed}.png`] = await makePhoto(700, 525, { format: 'png', transparent: true, seed });
  const images = makeImageSite(t, files);
  const { app } = await buildImages(t, images, { IMAGE_CACHE_MB: '1' });
  const cacheDir = path.join(images.site.dir, 'image-cache');
  const urls: string[] = [];
  for (const name of Object.keys(files)) urls.push(srcsetUrl((await app.images.pictureOf(`assets/images/${name}`))!.srcset!, 640));
  t.equal((await app.inject(urls[0]!)).statusCode, 200);
  const [first] = fs.readdirSync(cacheDir);
  t.equal((await app.inject(urls[1]!)).statusCode, 200);
  t.equal((await app.inject(urls[2]!)).statusCode, 200);
  const { cachedBytes, cachedFiles } = app.images.stats;
  t.ok(cachedBytes <= 1024 * 1024, `${cachedBytes} bytes kept, within 1 MB`);
  t.equal(fs.readdirSync(cacheDir).length, cachedFiles, 'the folder holds what the index counts');
  t.notOk(fs.existsSync(path.join(cacheDir, first!)), 'the oldest went');
  t.equal(app.images.stats.jobs, 3);
  t.equal((await app.inject(urls[0]!)).statusCode, 200, 'an evicted variant is made again');
  t.equal(app.images.stats.jobs, 4);
});

t.test('a cache folder that cannot be made stops startup with its name', async (t) => {
  const images = makeImageSite(t);
  fs.writeFileSync(path.join(images.site.dir, 'blocker'), 'a file');
  const config = loadConfig({
    POSTS_DIR: images.site.postsDir,
    PUBLIC_DIR: images.site.publicDir,
    WATCH: 'false',
    IMAGE_CACHE_DIR: path.join(images.site.dir, 'blocker/cache'),
    POST_CACHE_DIR: 'off',
  });
  await t.rejects(buildApp(config, { logger: false }), { message: /IMAGE_CACHE_DIR .*blocker\/cache cannot be created/ });
});
