// Lead pictures as templates print them, and the one shared previews, feeds and JSON-LD use.
import t from 'tap';
import type { PostImage } from '../../../src/content/post.js';
import type { ImageFacts } from '../../../src/images/image-facts.js';
import { lookupOf, NO_IMAGES } from '../../../src/images/image-lookup.js';
import { IMAGE_SIZES } from '../../../src/render/pages/image-slots.js';
import { BELOW_THE_FOLD, OPENING, toFigureView, toImageView, toShareImage } from '../../../src/render/pages/to-image.js';

const SITE = 'https://news.example.com';
const FP = '0123456789abcdef';
const identity = { size: 1, mtimeMs: 1 };
const image = (src: string, more: Partial<PostImage> = {}): PostImage => ({ src, local: !src.startsWith('http'), alt: null, caption: null, credit: null, ...more });
const pictures = lookupOf(new Map<string, ImageFacts | null>([
  ['/assets/photo.jpg', { kind: 'raster', source: '/assets/photo.jpg', fingerprint: FP, width: 3000, height: 4000, transparent: false, ...identity }],
  ['/assets/small.png', { kind: 'raster', source: '/assets/small.png', fingerprint: FP, width: 999, height: 333, transparent: true, ...identity }],
  ['/assets/loop.gif', { kind: 'passthrough', format: 'gif', source: '/assets/loop.gif', width: 40, height: 30, ...identity }],
  ['/assets/logo.svg', { kind: 'passthrough', format: 'svg', source: '/assets/logo.svg', width: 300, height: 100, ...identity }],
  ['/assets/bad.jpg', { kind: 'broken', source: '/assets/bad.jpg', reason: 'truncated', ...identity }],
]));

t.test('a public photo: a picture of variants, its oriented size, placed as asked', async (t) => {
  const view = toImageView(image('/assets/photo.jpg', { alt: 'The light' }), pictures, 'card', BELOW_THE_FOLD)!;
  t.match(view, { isPicture: true, hasSize: true, width: 3000, height: 4000, alt: 'The light', lazy: true, priority: false, sizes: IMAGE_SIZES.card });
  t.equal(view.src, `/img/${FP}/1280/assets/photo.jpg.jpg`);
  t.same(view.sources.map((s) => s.type), ['image/avif', 'image/webp']);
  t.match(toImageView(image('/assets/photo.jpg'), pictures, 'lead', OPENING), { alt: '', lazy: false, priority: true, sizes: IMAGE_SIZES.lead }, 'no image_alt: decorative, never the file name');
});

t.test('remote, passthrough, broken and missing pictures', async (t) => {
  t.same(toImageView(image('https://cdn.example.org/a.jpg', { alt: 'A' }), pictures, 'card', BELOW_THE_FOLD), {
    lazy: true, priority: false, src: 'https://cdn.example.org/a.jpg', isPicture: false, sources: [], srcset: null, sizes: null, hasSize: false, width: null, height: null, alt: 'A',
  });
  t.match(toImageView(image('/assets/logo.svg'), pictures, 'card', BELOW_THE_FOLD), { isPicture: false, src: '/assets/logo.svg', srcset: null, hasSize: true, width: 300 });
  t.equal(toImageView(image('/assets/bad.jpg'), pictures, 'card', BELOW_THE_FOLD), null, 'broken: no picture rather than a broken one');
  t.equal(toImageView(image('/assets/photo.jpg'), NO_IMAGES, 'card', BELOW_THE_FOLD), null, 'not looked up (not in public/): none');
  t.equal(toImageView(null, pictures, 'card', BELOW_THE_FOLD), null);
});

t.test('the post page figure: caption and credit', async (t) => {
  t.match(toFigureView(image('/assets/photo.jpg', { caption: 'At dusk.', credit: 'Photo: A. B.' }), pictures), { hasCaption: true, caption: 'At dusk.', credit: 'Photo: A. B.', priority: true, lazy: false, sizes: IMAGE_SIZES.article });
  t.match(toFigureView(image('/assets/photo.jpg', { credit: 'Photo: A. B.' }), pictures), { hasCaption: true, caption: null });
  t.match(toFigureView(image('/assets/photo.jpg'), pictures), { hasCaption: false });
  t.equal(toFigureView(image('/assets/bad.jpg', { caption: 'x' }), pictures), null, 'no picture, no caption');
  t.equal(toFigureView(null, pictures), null);
});

t.test('shared previews: the 1280 px JPEG (PNG) variant, a GIF or remote URL as it is, no SVG', async (t) => {
  t.same(toShareImage(image('/assets/photo.jpg', { alt: 'The light' }), pictures, SITE), { url: `${SITE}/img/${FP}/1280/assets/photo.jpg.jpg`, width: 1280, height: 1707, alt: 'The light' });
  t.same(toShareImage(image('/assets/small.png'), pictures, SITE), { url: `${SITE}/img/${FP}/999/assets/small.png.png`, width: 999, height: 333, alt: null }, 'never enlarged; PNG keeps transparency');
  t.same(toShareImage(image('/assets/loop.gif'), pictures, SITE), { url: `${SITE}/assets/loop.gif`, width: 40, height: 30, alt: null });
  t.same(toShareImage(image('https://cdn.example.org/a.jpg', { alt: 'A' }), pictures, SITE), { url: 'https://cdn.example.org/a.jpg', width: null, height: null, alt: 'A' });
  t.equal(toShareImage(image('/assets/logo.svg'), pictures, SITE), null);
  t.equal(toShareImage(image('/assets/bad.jpg'), pictures, SITE), null);
  t.equal(toShareImage(image('/assets/missing.jpg'), pictures, SITE), null);
  t.equal(toShareImage(null, pictures, SITE), null);
});
