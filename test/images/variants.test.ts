// Variants as a browser and a CDN see them: real AVIF, WebP, JPEG and PNG bytes at the
// widths the srcset lists, upright, without metadata, cacheable forever; anything off
// the menu is the site's 404 page.
import sharp from 'sharp';
import t from 'tap';
import { buildImages, makeImageSite, makePhoto, srcsetUrl } from '../helpers/images.js';

t.test('a photo: AVIF, WebP and JPEG at every width the srcset lists, immutable', async (t) => {
  const { app } = await buildImages(t, makeImageSite(t, { 'harbour.jpg': await makePhoto(2000, 1500) }));
  const picture = (await app.images.pictureOf('assets/images/harbour.jpg', { sizes: '50vw' }))!;
  t.same([picture.width, picture.height, picture.sizes], [2000, 1500, '50vw']);
  const [avif, webp] = picture.sources;
  t.same([avif!.type, webp!.type], ['image/avif', 'image/webp']);
  for (const [srcset, format, type] of [
    [avif!.srcset, 'heif', 'image/avif'],
    [webp!.srcset, 'webp', 'image/webp'],
    [picture.srcset!, 'jpeg', 'image/jpeg'],
  ] as const) {
    t.same(srcset.split(', ').map((e) => e.split(' ')[1]), ['320w', '480w', '640w', '800w', '960w', '1280w', '1600w']);
    const res = await app.inject(srcsetUrl(srcset, 640));
    t.equal(res.statusCode, 200, type);
    t.equal(res.headers['content-type'], type);
    t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    t.match(res.headers.etag, /^"[\w-]+"$/, 'a strong ETag');
    t.equal(res.headers.vary, undefined, 'no Vary: the format is in the URL');
    const meta = await sharp(res.rawPayload).metadata();
    t.same([meta.format, meta.width, meta.height], [format, 640, 480], `${type} bytes, 640 px wide`);
    if (format === 'heif') t.equal(meta.compression, 'av1', 'AVIF, not HEIC');

    const again = await app.inject({ url: srcsetUrl(srcset, 640), headers: { 'if-none-match': res.headers.etag as string } });
    t.equal(again.statusCode, 304, 'If-None-Match');
    t.equal(again.rawPayload.length, 0);
  }
  const head = await app.inject({ method: 'HEAD', url: srcsetUrl(picture.srcset!, 320) });
  t.equal(head.statusCode, 200);
  t.equal(head.headers['content-type'], 'image/jpeg');
  t.equal(head.rawPayload.length, 0, 'HEAD: no body');
  t.equal(picture.ogImage, srcsetUrl(picture.srcset!, 1280), 'og:image: the 1280 px JPEG');
  const og = await sharp((await app.inject(picture.ogImage!)).rawPayload).metadata();
  t.same([og.format, og.width], ['jpeg', 1280]);
});

t.test('never enlarged: a narrow source lists its own width and nothing wider', async (t) => {
  const { app } = await buildImages(t, makeImageSite(t, { 'narrow.jpg': await makePhoto(700, 400) }));
  const picture = (await app.images.pictureOf('/assets/images/narrow.jpg'))!;
  t.equal(picture.sizes, '100vw', 'sizes by default');
  t.equal(picture.srcset, [320, 480, 640, 700].map((w) => `${srcsetUrl(picture.srcset!, w)} ${w}w`).join(', '));
  const own = await app.inject(srcsetUrl(picture.srcset!, 700));
  t.equal((await sharp(own.rawPayload).metadata()).width, 700);
  for (const width of [960, 1600, 641, 100]) {
    const res = await app.inject(srcsetUrl(picture.srcset!, 640).replace('/640/', `/${width}/`));
    t.equal(res.statusCode, 404, `${width} px is not made of a 700 px source`);
  }
});

t.test('a transparent source gets PNG instead of JPEG, with its alpha', async (t) => {
  const { app } = await buildImages(t, makeImageSite(t, { 'map.png': await makePhoto(800, 600, { format: 'png', transparent: true }) }));
  const picture = (await app.images.pictureOf('assets/images/map.png'))!;
  t.match(picture.srcset, /\.png\.png 320w/);
  const png = await app.inject(srcsetUrl(picture.srcset!, 640));
  t.equal(png.headers['content-type'], 'image/png');
  const meta = await sharp(png.rawPayload).metadata();
  t.same([meta.format, meta.hasAlpha], ['png', true]);
  const webp = await sharp((await app.inject(srcsetUrl(picture.sources[1]!.srcset, 640))).rawPayload).metadata();
  t.ok(webp.hasAlpha, 'WebP keeps the alpha too');
  t.equal((await app.inject(srcsetUrl(picture.srcset!, 640).replace(/\.png$/, '.jpg'))).statusCode, 404, 'no JPEG of a transparent source');

  const flat = await makePhoto(800, 600, { format: 'png' });
  const opaque = makeImageSite(t, { 'flat.png': flat, 'alpha-but-opaque.png': await sharp(flat).ensureAlpha(1).png().toBuffer() });
  const second = await buildImages(t, opaque);
  t.match((await second.app.images.pictureOf('assets/images/flat.png'))!.srcset, /\.png\.jpg 320w/, 'an opaque PNG gets JPEG');
  t.match((await second.app.images.pictureOf('assets/images/alpha-but-opaque.png'))!.srcset, /\.png\.jpg 320w/, 'so does one with an alpha band and no see-through pixel');
});

t.test('WebP, AVIF and still GIF sources get variants too', async (t) => {
  const avifSource = await sharp(await makePhoto(400, 300)).avif({ effort: 0 }).toBuffer();
  const files = { 'a.webp': await makePhoto(400, 300, { format: 'webp' }), 'b.avif': avifSource, 'c.gif': await makePhoto(400, 300, { format: 'gif' }) };
  const { app } = await buildImages(t, makeImageSite(t, files));
  for (const name of Object.keys(files)) {
    const picture = (await app.images.pictureOf(`assets/images/${name}`))!;
    t.equal(picture.width, 400, name);
    const res = await app.inject(srcsetUrl(picture.sources[1]!.srcset, 320));
    t.equal((await sharp(res.rawPayload).metadata()).format, 'webp', name);
  }
});

t.test('EXIF orientation applied; EXIF, GPS and the orientation tag gone from every variant', async (t) => {
  const stored = await makePhoto(1200, 900, { orientation: 6, gps: true });
  const source = await sharp(stored).metadata();
  t.same([source.width, source.height, source.orientation], [1200, 900, 6], 'stored sideways, as cameras do');
  t.match(source.exif?.toString('latin1'), /Test Camera/);
  const { app } = await buildImages(t, makeImageSite(t, { 'upright.jpg': stored }));
  const picture = (await app.images.pictureOf('assets/images/upright.jpg'))!;
  t.same([picture.width, picture.height], [900, 1200], 'the size as seen: portrait');
  for (const srcset of [picture.srcset!, picture.sources[0]!.srcset, picture.sources[1]!.srcset]) {
    const meta = await sharp((await app.inject(srcsetUrl(srcset, 640))).rawPayload).metadata();
    t.same([meta.width, meta.height], [640, 853], `${meta.format}: portrait`);
    t.equal(meta.orientation, undefined, 'no orientation tag');
    t.equal(meta.exif, undefined, 'no EXIF (so no GPS)');
    t.equal(meta.xmp, undefined);
    t.equal(meta.iptc, undefined);
  }
});

t.test('anything off the menu is the site 404 page', async (t) => {
  const { app } = await buildImages(t, makeImageSite(t, { 'harbour.jpg': await makePhoto(1000, 800) }));
  const picture = (await app.images.pictureOf('assets/images/harbour.jpg'))!;
  const good = srcsetUrl(picture.srcset!, 640);
  const fp = good.split('/')[2]!;
  for (const url of [
    good.replace(/\.jpg$/, '.gif'),
    good.replace(/\.jpg$/, '.jpeg'),
    good.replace(/\.jpg$/, ''),
    good.replace('/640/', '/0640/'),
    good.replace('/640/', '/650/'),
    good.replace(fp, 'not-a-fingerprint'),
    good.replace('harbour.jpg', 'missing.jpg'),
    `/img/${fp}/640/css/site.css.jpg`,
    `/img/${fp}/640/favicon.svg.png`,
    `/img/${fp}/640/assets/images.jpg`,
    `/img/${fp}/640/`,
    '/img/',
  ]) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 404, url);
    t.match(res.headers['content-type'], /^text\/html/, 'the site page, not a bare error');
    t.match(res.body, /<title>[^<]*(Not found|404)/i);
  }
  t.equal(app.images.stats.jobs, 0, 'no job for any of them');
});
