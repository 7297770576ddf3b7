// Which variants exist: widths up to the source's (never enlarged), formats by transparency.
import t from 'tap';
import {
  fingerprintOf,
  shareWidth,
  variantFormats,
  variantWidths,
  VARIANT_WIDTHS,
} from '../../src/images/variant-formats.js';

t.test('widths: the listed ones up to the source width, plus the source width below the widest', async (t) => {
  t.same(variantWidths(4000, 3000), [320, 480, 640, 800, 960, 1280, 1600], 'a camera photo: all of them');
  t.same(variantWidths(1600, 900), [320, 480, 640, 800, 960, 1280, 1600], 'exactly the widest');
  t.same(variantWidths(1000, 1000), [320, 480, 640, 800, 960, 1000]);
  t.same(variantWidths(640, 480), [320, 480, 640], 'a listed width is not repeated');
  t.same(variantWidths(200, 100), [200], 'smaller than every listed width: only its own');
  for (const w of [1, 319, 321, 1599, 5000]) t.ok(variantWidths(w, w).every((v) => v <= w), `never wider than ${w}`);
  t.equal(VARIANT_WIDTHS.at(-1), 1600);
});

t.test('widths: none taller than a WebP can be (16,383 px)', async (t) => {
  t.same(variantWidths(1000, 25_000), [320, 480, 640], 'a tall scan: 640 px wide is 16,000 px tall; 800 would be 20,000');
  t.same(variantWidths(300, 16_383), [300], 'exactly the limit');
  t.same(variantWidths(300, 16_384), [], 'past it at every width: no variant (the picture is not shown)');
  t.equal(shareWidth(1000, 25_000), 640, 'share previews: the widest that can be made');
});

t.test('formats: AVIF and WebP, then JPEG, or PNG to keep transparency', async (t) => {
  t.same(variantFormats(false), ['avif', 'webp', 'jpg']);
  t.same(variantFormats(true), ['avif', 'webp', 'png']);
});

t.test('share width: 1280, or the source width when narrower', async (t) => {
  t.equal(shareWidth(4000, 3000), 1280);
  t.equal(shareWidth(1000, 750), 1000);
  for (const w of [100, 1000, 1280, 1500, 4000]) t.ok(variantWidths(w, w).includes(shareWidth(w, w)), `a variant that exists for ${w}`);
});

t.test('the fingerprint follows the bytes', async (t) => {
  const a = fingerprintOf(Buffer.from('one'));
  t.match(a, /^[0-9a-f]{16}$/);
  t.equal(fingerprintOf(Buffer.from('one')), a, 'same bytes, same fingerprint');
  t.not(fingerprintOf(Buffer.from('two')), a);
});
