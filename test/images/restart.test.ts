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

t.test('least recently used variants go when the cache passes IMAGE_CACHE_MB', async (t) => {
  const images = makeImageSite(t, { 'harbour.jpg': await makePhoto(2000, 1500, { seed: 3 }) });
  const { app } = await buildImages(t, images, { IMAGE_CACHE_MB: '1' });
  const picture = (await app.images.pictureOf('assets/images/harbour.jpg'))!;
  const cacheDir = path.join(images.site.dir, 'image-cache');
  const first = srcsetUrl(picture.srcset!, 1600);
  t.equal((await app.inject(first)).statusCode, 200);
  const [firstFile] = fs.readdirSync(cacheDir);
  let evicted = false;
  // Every other variant: about 1.3 MB in all.
  for (const width of [1600, 1280, 960, 640, 320]) {
    for (const srcset of [picture.srcset!, ...picture.sources.map((s) => s.srcset)]) {
      if (srcset === picture.srcset && width === 1600) continue;
      await app.inject(srcsetUrl(srcset, width));
      if (!fs.existsSync(path.join(cacheDir, firstFile!))) evicted = true;
    }
  }
  const { cachedBytes, cachedFiles } = app.images.stats;
  t.ok(cachedBytes <= 1024 * 1024, `${cachedBytes} bytes kept, within 1 MB`);
  t.equal(fs.readdirSync(cacheDir).length, cachedFiles, 'the folder holds what the index counts');
  t.ok(evicted, 'the oldest variant went first');
  const again = await app.inject(first);
  t.equal(again.statusCode, 200, 'an evicted variant is made again');
});

t.test('a cache folder that cannot be made stops startup with its name', async (t) => {
  const images = makeImageSite(t);
  fs.writeFileSync(path.join(images.site.dir, 'blocker'), 'a file');
  const config = loadConfig({
    POSTS_DIR: images.site.postsDir,
    PUBLIC_DIR: images.site.publicDir,
    WATCH: 'false',
    IMAGE_CACHE_DIR: path.join(images.site.dir, 'blocker/cache'),
  });
  await t.rejects(buildApp(config, { logger: false }), { message: /IMAGE_CACHE_DIR .*blocker\/cache cannot be created/ });
});
