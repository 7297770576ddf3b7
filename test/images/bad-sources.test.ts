// Files that must not become variants: broken, oversized, too many pixels, outside the
// public folder by any spelling; and SVG and animated GIF, which are served as they are.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import t from 'tap';
import { fingerprintOf } from '../../src/images/variant-formats.js';
import { buildImages, makeAnimatedGif, makeImageSite, makePhoto } from '../helpers/images.js';

t.test('SVG and animated GIF are passed through, never rasterised', async (t) => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150"><rect width="300" height="150" fill="#369"/></svg>';
  const unsized = '<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%"></svg>';
  const { app } = await buildImages(t, makeImageSite(t, { 'logo.svg': svg, 'fluid.svg': unsized, 'loop.gif': await makeAnimatedGif(40, 30) }));
  t.same(await app.images.pictureOf('assets/images/logo.svg'), {
    width: 300,
    height: 150,
    fallbackSrc: '/assets/images/logo.svg',
    srcset: null,
    sizes: null,
    sources: [],
    ogImage: null,
  });
  t.match(await app.images.pictureOf('assets/images/fluid.svg'), { width: null, height: null, fallbackSrc: '/assets/images/fluid.svg' }, 'no size librsvg can read: none printed');
  t.match(await app.images.pictureOf('assets/images/loop.gif'), { width: 40, height: 30, fallbackSrc: '/assets/images/loop.gif', srcset: null, ogImage: '/assets/images/loop.gif' });
  const fp = fingerprintOf(Buffer.from(svg));
  for (const url of [`/img/${fp}/320/assets/images/logo.svg.png`, `/img/${fp}/40/assets/images/loop.gif.webp`]) {
    t.equal((await app.inject(url)).statusCode, 404, url);
  }
  const own = await app.inject('/assets/images/logo.svg');
  t.equal(own.statusCode, 200, 'served by the static files as it is');
  t.equal(own.body, svg);
  t.equal(app.images.stats.jobs, 0);
});

t.test('a broken image: null for the page, 404 for its URLs, one log line', async (t) => {
  const good = await makePhoto(800, 600);
  const { app, logs } = await buildImages(t, makeImageSite(t, {
    'garbage.jpg': 'this is not a picture',
    'truncated.jpg': good.subarray(0, Math.floor(good.length / 2)),
    'empty.png': '',
    'tiff.jpg': await sharp(good).tiff().toBuffer(),
  }));
  for (const name of ['garbage.jpg', 'truncated.jpg', 'empty.png', 'tiff.jpg']) {
    t.equal(await app.images.pictureOf(`assets/images/${name}`), null, name);
    t.equal(await app.images.pictureOf(`/assets/images/${name}`), null, 'asked again');
    const bytes = fs.readFileSync(path.join(app.config.publicDir, 'assets/images', name));
    for (const format of ['jpg', 'avif']) {
      t.equal((await app.inject(`/img/${fingerprintOf(bytes)}/320/assets/images/${name}.${format}`)).statusCode, 404);
    }
    const lines = logs.filter((l) => l.msg === 'image unusable' && l.file === `/assets/images/${name}`);
    t.equal(lines.length, 1, `${name}: one log line`);
    t.ok(lines[0]?.reason, String(lines[0]?.reason));
  }
  t.match(logs.find((l) => l.file === '/assets/images/truncated.jpg'), { reason: /premature end/i, level: 40 });
  t.match(logs.find((l) => l.file === '/assets/images/tiff.jpg'), { reason: 'tiff is not an image format for the web' });
  t.equal(app.images.stats.jobs, 0);
});

t.test('a tall, narrow picture: only variants a WebP can hold (16,383 px tall), none if no width fits', async (t) => {
  const scan = await makePhoto(400, 20_000);
  const ribbon = await makePhoto(100, 20_000);
  const { app, logs } = await buildImages(t, makeImageSite(t, { 'scan.jpg': scan, 'ribbon.jpg': ribbon }));
  const picture = await app.images.pictureOf('assets/images/scan.jpg');
  t.match(picture, { width: 400, height: 20_000 });
  t.same(picture!.sources.map((s) => s.srcset.split(', ').map((c) => c.split(' ')[1])), [['320w'], ['320w']], '320 px is 16,000 px tall; 400 would be 20,000');
  const fp = fingerprintOf(scan);
  const made = await app.inject(`/img/${fp}/320/assets/images/scan.jpg.webp`);
  t.equal(made.statusCode, 200);
  t.match(await sharp(made.rawPayload).metadata(), { width: 320, height: 16_000 });
  t.equal((await app.inject(`/img/${fp}/400/assets/images/scan.jpg.webp`)).statusCode, 404, 'a width that cannot be made is not a variant (not a 500)');
  t.equal(await app.images.pictureOf('assets/images/ribbon.jpg'), null, 'no width fits: not shown');
  t.match(logs.find((l) => l.msg === 'image unusable'), { file: '/assets/images/ribbon.jpg', reason: /too tall and narrow for any variant/ });
});

t.test('an oversized file is refused before it is read', async (t) => {
  // A real picture padded past 1 MB after its end marker.
  const padded = Buffer.concat([await makePhoto(400, 300), Buffer.alloc(1024 * 1024)]);
  const { app, logs } = await buildImages(t, makeImageSite(t, { 'huge.jpg': padded }), { IMAGE_MAX_INPUT_MB: '1' });
  t.equal(await app.images.pictureOf('assets/images/huge.jpg'), null);
  t.equal((await app.inject(`/img/${fingerprintOf(padded)}/320/assets/images/huge.jpg.jpg`)).statusCode, 404);
  t.match(logs.find((l) => l.msg === 'image unusable'), { file: '/assets/images/huge.jpg', reason: /over the limit of 1048576 \(IMAGE_MAX_INPUT_MB\)/ });
});

t.test('a picture with too many pixels is refused before it is decoded', async (t) => {
  const big = await makePhoto(1200, 1000);
  const { app, logs } = await buildImages(t, makeImageSite(t, { 'big.jpg': big, 'fits.jpg': await makePhoto(1000, 1000) }), { IMAGE_MAX_PIXELS: '1000000' });
  t.equal(await app.images.pictureOf('assets/images/big.jpg'), null);
  t.ok(await app.images.pictureOf('assets/images/fits.jpg'), 'exactly at the limit is fine');
  t.equal((await app.inject(`/img/${fingerprintOf(big)}/320/assets/images/big.jpg.webp`)).statusCode, 404);
  t.match(logs.find((l) => l.msg === 'image unusable'), { file: '/assets/images/big.jpg', reason: /pixel limit/ });
});

t.test('no spelling of a path reads a file outside public/', async (t) => {
  const images = makeImageSite(t);
  // A real picture beside public/, and a link to it inside.
  const secret = await makePhoto(800, 600);
  fs.writeFileSync(path.join(images.site.dir, 'secret.jpg'), secret);
  fs.symlinkSync(path.join(images.site.dir, 'secret.jpg'), path.join(images.images, 'link.jpg'));
  const { app, logs } = await buildImages(t, images);
  const fp = fingerprintOf(secret);
  /** The status at the end: the site folds backslashes and double slashes with a 301 first. */
  const finalStatus = async (url: string): Promise<number> => {
    const res = await app.inject(url);
    return res.statusCode === 301 ? finalStatus(res.headers.location as string) : res.statusCode;
  };
  for (const source of [
    '../../../secret.jpg',
    '..%2f..%2f..%2fsecret.jpg',
    '%2e%2e/%2e%2e/%2e%2e/secret.jpg',
    '%2E%2E%2F%2E%2E%2F%2E%2E%2Fsecret.jpg',
    '%252e%252e/%252e%252e/%252e%252e/secret.jpg',
    '..%5c..%5c..%5csecret.jpg',
    '..\\..\\..\\secret.jpg',
    encodeURIComponent(path.join(images.site.dir, 'secret.jpg')),
    `/${path.join(images.site.dir, 'secret.jpg')}`,
    `C:%5c${encodeURIComponent(images.site.dir)}%5csecret.jpg`,
    'assets/images/link.jpg',
  ]) {
    const url = `/img/${fp}/320/${source}.jpg`;
    t.equal(await finalStatus(url), 404, url);
  }
  t.equal(app.images.stats.jobs, 0, 'no variant made');
  t.equal(await app.images.pictureOf('assets/images/link.jpg'), null, 'the link inside public/ is not followed out');
  t.equal(await app.images.pictureOf('../secret.jpg'), null);
  t.equal(await app.images.pictureOf('https://example.com/a.jpg'), null, 'remote images are not ours to resize');
  t.match(logs.find((l) => l.msg === 'image unusable'), { file: '/assets/images/link.jpg', reason: /symbolic link/ });
});

t.test('a file gone since the index listed it: no picture, 404', async (t) => {
  const photo = await makePhoto(800, 600);
  const images = makeImageSite(t, { 'gone.jpg': photo });
  const { app } = await buildImages(t, images);
  const picture = (await app.images.pictureOf('assets/images/gone.jpg'))!;
  fs.rmSync(path.join(images.images, 'gone.jpg'));
  t.ok(app.content.snapshot.publicFiles.has('/assets/images/gone.jpg'), 'still listed (the folder is not watched here)');
  t.equal(await app.images.pictureOf('assets/images/gone.jpg'), null);
  t.equal((await app.inject(picture.fallbackSrc)).statusCode, 404);
});
