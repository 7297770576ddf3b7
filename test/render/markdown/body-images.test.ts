// Pictures inside post bodies: public ones become <picture> elements of variants with
// their real size (feeds: the shared variant at an absolute URL), missing or broken ones
// are left out, remote ones stay as the sanitiser wrote them.
import t from 'tap';
import type { ImageFacts } from '../../../src/images/image-facts.js';
import { lookupOf } from '../../../src/images/image-lookup.js';
import { bodyImageSources, renderBodyImages, renderFeedBodyImages } from '../../../src/render/markdown/body-images.js';
import { IMAGE_SIZES } from '../../../src/render/pages/image-slots.js';
import { createMarkdownRenderer } from '../../../src/render/markdown/markdown.js';

const SITE = 'https://news.example.com';
const FP = '0123456789abcdef';
const identity = { size: 1, mtimeMs: 1 };
const md = createMarkdownRenderer({ siteUrl: SITE, embedHosts: [] });

const facts = new Map<string, ImageFacts | null>([
  ['/assets/a b.jpg', { kind: 'raster', source: '/assets/a b.jpg', fingerprint: FP, width: 2000, height: 1000, transparent: false, ...identity }],
  ['/assets/logo.svg', { kind: 'passthrough', format: 'svg', source: '/assets/logo.svg', width: 300, height: 100, ...identity }],
  ['/assets/fluid.svg', { kind: 'passthrough', format: 'svg', source: '/assets/fluid.svg', width: null, height: null, ...identity }],
  ['/assets/bad.jpg', { kind: 'broken', source: '/assets/bad.jpg', reason: 'truncated', ...identity }],
  ['/assets/gone.jpg', null],
]);
const pictures = lookupOf(facts);

const BODY = md.render([
  '![Harbour & "bridge"](assets/a%20b.jpg "At <dawn>")',
  '',
  '<img src="/assets/a b.jpg" width="600" height="10" alt="">',
  '',
  '![](/assets/logo.svg)',
  '',
  '<img src="/assets/fluid.svg">',
  '',
  '![Broken](/assets/bad.jpg) ![Gone](/assets/gone.jpg) <img src="javascript:alert(1)" alt="Unsafe">',
  '',
  '![Remote](https://cdn.example.org/r.jpg)',
].join('\n'));

t.test('the public pictures a body shows, as written', async (t) => {
  t.same(bodyImageSources(BODY), ['/assets/a%20b.jpg', '/assets/a b.jpg', '/assets/logo.svg', '/assets/fluid.svg', '/assets/bad.jpg', '/assets/gone.jpg']);
  t.same(bodyImageSources('<p>no pictures</p>'), []);
});

t.test('on the page: <picture> with the real size, lazy; the rest as it can be', async (t) => {
  const html = renderBodyImages(BODY, pictures);
  const variant = (w: number, ext: string) => `/img/${FP}/${w}/assets/a%20b.jpg.${ext}`;
  t.ok(html.includes(`<picture><source type="image/avif" srcset="${variant(320, 'avif')} 320w, `), 'AVIF first');
  t.ok(html.includes(`sizes="${IMAGE_SIZES.body}"`), 'sizes of the text column');
  t.ok(html.includes(`<img src="${variant(1280, 'jpg')}" srcset="${variant(320, 'jpg')} 320w`), 'a JPEG fallback');
  t.ok(html.includes('width="2000" height="1000" alt="Harbour &amp; &quot;bridge&quot;" title="At &lt;dawn&gt;" loading="lazy" decoding="async"></picture>'), 'alt and title kept, escaped once');
  t.notMatch(html, /width="600"|height="10"/, "a post's own width and height give way to the picture's");
  t.equal(html.match(/<picture>/g)?.length, 2);
  t.ok(html.includes('<img src="/assets/logo.svg" width="300" height="100" alt="" loading="lazy" decoding="async">'), 'SVG as it is, with its size');
  t.ok(html.includes('<img src="/assets/fluid.svg" alt="" loading="lazy" decoding="async">'), 'no size to give: none printed; no alt: decorative');
  t.notMatch(html, /bad\.jpg|gone\.jpg|Unsafe|Broken|Gone/, 'broken, missing and unsafe pictures are left out, not shown broken');
  t.match(html, /<img src="https:\/\/cdn\.example\.org\/r\.jpg" alt="Remote" loading="lazy" decoding="async" \/>/, 'remote: as the sanitiser wrote it');
});

t.test('in feeds: the shared variant at an absolute URL', async (t) => {
  const html = renderFeedBodyImages(BODY, pictures, SITE);
  t.ok(html.includes(`<img src="${SITE}/img/${FP}/1280/assets/a%20b.jpg.jpg" width="1280" height="640" alt="Harbour &amp; &quot;bridge&quot;" title="At &lt;dawn&gt;">`));
  t.ok(html.includes(`<img src="${SITE}/img/${FP}/1280/assets/a%20b.jpg.jpg" width="1280" height="640" alt="">`));
  t.ok(html.includes(`<img src="${SITE}/assets/logo.svg" width="300" height="100" alt="">`), 'SVG: its own file');
  t.ok(html.includes(`<img src="${SITE}/assets/fluid.svg" alt="">`));
  t.notMatch(html, /<picture|bad\.jpg|gone\.jpg|Unsafe/);
  t.match(html, /<img src="https:\/\/cdn\.example\.org\/r\.jpg"/);
});

t.test('the sanitiser keeps no <picture>, <source> or srcset from a post', async (t) => {
  const html = md.render('<picture><source srcset="https://evil.example/x.avif" type="image/avif"><img src="/assets/a.jpg" srcset="https://evil.example/y.jpg 2x" sizes="1px" alt="A"></picture>');
  t.notMatch(html, /<picture|<source|srcset|sizes|evil/);
  t.match(html, /<img src="\/assets\/a\.jpg" alt="A"/);
});

t.test('body pictures and template pictures are the same markup', async (t) => {
  const { Eta } = await import('eta');
  const { default: path } = await import('node:path');
  const { viewOfFacts, OPENING, BELOW_THE_FOLD } = await import('../../../src/render/pages/to-image.js');
  const { renderPicture } = await import('../../../src/render/markdown/body-images.js');
  const eta = new Eta({ views: path.resolve(import.meta.dirname, '../../../views'), autoEscape: true, autoTrim: [false, 'nl'] });
  for (const [source, placement] of [['/assets/a b.jpg', OPENING], ['/assets/logo.svg', BELOW_THE_FOLD], ['/assets/fluid.svg', BELOW_THE_FOLD]] as const) {
    const view = viewOfFacts(pictures.factsOf(source), 'card', placement, 'Alt & "quotes"')!;
    t.equal(eta.render('./partials/picture', { image: view }), renderPicture(view), source);
  }
});
