// Variant URLs follow the source's bytes: a replaced photo gets new URLs, and an old URL
// sends the client on to the current one.
import fs from 'node:fs';
import sharp from 'sharp';
import t from 'tap';
import { buildImages, makeImageSite, makePhoto, srcsetUrl } from '../helpers/images.js';

/** Two different pictures of exactly the same size in bytes: only the camera name differs. */
async function twins(): Promise<[Buffer, Buffer]> {
  const pixels = await makePhoto(1000, 750);
  const as = (make: string) => sharp(pixels).withExif({ IFD0: { Make: make } }).jpeg({ quality: 90 }).toBuffer();
  return [await as('Camera A'), await as('Camera B')];
}

t.test('an old fingerprint redirects to the current one', async (t) => {
  const { app } = await buildImages(t, makeImageSite(t, { 'harbour.jpg': await makePhoto(1000, 750) }));
  const current = srcsetUrl((await app.images.pictureOf('assets/images/harbour.jpg'))!.sources[0]!.srcset, 640);
  const old = current.replace(/\/img\/[0-9a-f]{16}\//, '/img/0000000000000000/');
  const res = await app.inject(old);
  t.equal(res.statusCode, 301);
  t.equal(res.headers.location, current);
  t.match(res.headers['cache-control'], /max-age=60\b/, 'a redirect is not immutable: the source may change again');
  t.equal(app.images.stats.jobs, 0, 'nothing made to redirect');
  t.equal((await app.inject(old.replace('/640/', '/1280/'))).statusCode, 404, 'an old URL of a width that is not made: 404, not a redirect');
});

t.test('a replaced source gets new URLs; its old ones redirect', async (t) => {
  const images = makeImageSite(t, { 'harbour.jpg': await makePhoto(1000, 750, { seed: 1 }) });
  const { app } = await buildImages(t, images);
  const before = (await app.images.pictureOf('assets/images/harbour.jpg'))!;
  const oldUrl = srcsetUrl(before.srcset!, 640);
  t.equal((await app.inject(oldUrl)).statusCode, 200);

  const file = images.put('harbour.jpg', await makePhoto(1200, 800, { seed: 2 }));
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(file, later, later);
  const after = (await app.images.pictureOf('assets/images/harbour.jpg'))!;
  t.not(after.fallbackSrc, before.fallbackSrc, 'a new fingerprint');
  t.same([after.width, after.height], [1200, 800], 'facts read again');
  const res = await app.inject(oldUrl);
  t.equal(res.statusCode, 301);
  t.equal(res.headers.location, srcsetUrl(after.srcset!, 640));
  const fresh = await app.inject(res.headers.location as string);
  t.equal((await sharp(fresh.rawPayload).metadata()).width, 640);
});

t.test('replaced keeping its size and time: the job notices the bytes and redirects', async (t) => {
  const [a, b] = await twins();
  t.equal(a.length, b.length);
  const images = makeImageSite(t);
  // Whole seconds: a time that survives utimes exactly.
  const file = images.put('harbour.jpg', a);
  fs.utimesSync(file, 1_800_000_000, 1_800_000_000);
  const { app, logs } = await buildImages(t, images);
  const before = (await app.images.pictureOf('assets/images/harbour.jpg'))!;
  images.put('harbour.jpg', b);
  fs.utimesSync(file, 1_800_000_000, 1_800_000_000);

  const res = await app.inject(srcsetUrl(before.srcset!, 320));
  t.equal(res.statusCode, 301);
  const after = (await app.images.pictureOf('assets/images/harbour.jpg'))!;
  t.equal(res.headers.location, srcsetUrl(after.srcset!, 320));
  t.not(after.srcset, before.srcset);
  t.ok(logs.some((l) => l.msg === 'image source changed' && l.file === '/assets/images/harbour.jpg'), 'the job found other bytes');
});

t.test('replaced by a broken file while a job was due: 404', async (t) => {
  const [a] = await twins();
  const images = makeImageSite(t);
  const file = images.put('harbour.jpg', a);
  fs.utimesSync(file, 1_800_000_000, 1_800_000_000);
  const { app } = await buildImages(t, images);
  const before = (await app.images.pictureOf('assets/images/harbour.jpg'))!;
  images.put('harbour.jpg', Buffer.alloc(a.length, 7));
  fs.utimesSync(file, 1_800_000_000, 1_800_000_000);
  t.equal((await app.inject(srcsetUrl(before.srcset!, 320))).statusCode, 404);
  t.equal(await app.images.pictureOf('assets/images/harbour.jpg'), null);
});
