// The <picture> view-model, from facts alone: which URLs a template prints.
import t from 'tap';
import type { ImageFacts } from '../../src/images/image-facts.js';
import { toPicture } from '../../src/images/to-picture.js';

const FP = '0123456789abcdef';
const identity = { size: 1000, mtimeMs: 1 };

t.test('a photo: AVIF and WebP sources, a JPEG srcset, 1280 px for sharing', async (t) => {
  const facts: ImageFacts = { kind: 'raster', source: '/assets/images/harbour.jpg', fingerprint: FP, width: 3000, height: 4000, transparent: false, ...identity };
  const picture = toPicture(facts, { sizes: '(min-width: 60rem) 40rem, 100vw' });
  const set = (ext: string) =>
    [320, 480, 640, 800, 960, 1280, 1600].map((w) => `/img/${FP}/${w}/assets/images/harbour.jpg.${ext} ${w}w`).join(', ');
  t.same(picture, {
    width: 3000,
    height: 4000,
    fallbackSrc: `/img/${FP}/1280/assets/images/harbour.jpg.jpg`,
    srcset: set('jpg'),
    sizes: '(min-width: 60rem) 40rem, 100vw',
    sources: [
      { type: 'image/avif', srcset: set('avif') },
      { type: 'image/webp', srcset: set('webp') },
    ],
    ogImage: `/img/${FP}/1280/assets/images/harbour.jpg.jpg`,
  });
});

t.test('a small transparent illustration: its own width, PNG for the fallback', async (t) => {
  const facts: ImageFacts = { kind: 'raster', source: '/assets/map 2.png', fingerprint: FP, width: 700, height: 500, transparent: true, ...identity };
  const picture = toPicture(facts, { sizes: '100vw' })!;
  t.equal(picture.srcset, [320, 480, 640, 700].map((w) => `/img/${FP}/${w}/assets/map%202.png.png ${w}w`).join(', '));
  t.equal(picture.ogImage, `/img/${FP}/700/assets/map%202.png.png`, 'never enlarged for sharing either');
  t.equal(picture.fallbackSrc, picture.ogImage);
});

t.test('SVG and animated GIF: their own URL, no srcset', async (t) => {
  const svg = toPicture({ kind: 'passthrough', format: 'svg', source: '/assets/logo.svg', width: 300, height: 150, ...identity }, { sizes: '100vw' });
  t.same(svg, { width: 300, height: 150, fallbackSrc: '/assets/logo.svg', srcset: null, sizes: null, sources: [], ogImage: null });
  const gif = toPicture({ kind: 'passthrough', format: 'gif', source: '/assets/loop.gif', width: null, height: null, ...identity }, { sizes: '100vw' });
  t.same(gif, { width: null, height: null, fallbackSrc: '/assets/loop.gif', srcset: null, sizes: null, sources: [], ogImage: '/assets/loop.gif' });
});

t.test('a broken image has no picture', async (t) => {
  t.equal(toPicture({ kind: 'broken', source: '/assets/x.jpg', reason: 'truncated', ...identity }, { sizes: '100vw' }), null);
});
