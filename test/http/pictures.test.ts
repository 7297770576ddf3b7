// Pictures on pages: leads and cards as <picture> elements of variants with their real
// size, placed (lazy or first) by where they sit; captions and credits; alt text only
// when given; no picture for a broken file; pages carry each picture's cache key and
// follow its file.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { imageKey } from '../../src/content/cache-keys.js';
import { IMAGE_SIZES } from '../../src/render/pages/image-slots.js';
import { build, leadVariant, makeSite, postText, SITE_URL } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

const LEAD = 'assets/images/lead.jpg';

/** Every <img> tag of `html`, in order. */
function imgTags(html: string): string[] {
  return [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
}

t.test('the front page: the lead picture first and at once, the grid lazy', async (t) => {
  const files: Record<string, string> = {
    'lead.md': postText({ title: 'Lead story', date: '2025-09-09', featured: true, image: LEAD, image_alt: 'Cranes at dawn' }),
  };
  for (let i = 1; i <= 4; i++) files[`p${i}.md`] = postText({ title: `Story ${i}`, date: `2025-09-0${i}`, image: LEAD });
  const { app } = await build(t, makeSite(t, files));
  const html = (await app.inject('/')).body;
  const [lead, ...grid] = imgTags(html);
  t.ok(html.includes(`<article class="card card--lead">\n  <a class="card__media" href="/2025/09/09/lead-story/" tabindex="-1" aria-hidden="true"><picture><source type="image/avif" srcset="${leadVariant(320, 'avif')} 320w, `));
  t.ok(lead!.startsWith(`<img src="${leadVariant(1280)}" srcset="${leadVariant(320)} 320w, ${leadVariant(480)} 480w, ${leadVariant(640)} 640w, ${leadVariant(800)} 800w, ${leadVariant(960)} 960w, ${leadVariant(1280)} 1280w, ${leadVariant(1600)} 1600w" sizes="${IMAGE_SIZES.lead}"`));
  t.match(lead, / width="1600" height="900" alt="Cranes at dawn" fetchpriority="high" decoding="async">$/, 'real size, image_alt, first, not lazy');
  t.equal(grid.length, 4);
  for (const img of grid) t.match(img, new RegExp(`sizes="${IMAGE_SIZES.card.replace(/[()]/g, '\\$&')}" width="1600" height="900" alt="" loading="lazy" decoding="async">$`), 'grid: lazy, decorative');
  t.notMatch(html, /alt="lead\.jpg"|alt="lead"/, 'never the file name');
});

t.test('a listing opens with its grid: the first row at once, the first picture first', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 5; i++) files[`p${i}.md`] = postText({ title: `Story ${i}`, date: `2025-09-0${i}`, categories: ['World'], image: LEAD });
  const { app } = await build(t, makeSite(t, files));
  const imgs = imgTags((await app.inject('/category/world/')).body);
  t.equal(imgs.length, 5);
  t.match(imgs[0], /fetchpriority="high"/);
  t.notMatch(imgs[0], /loading="lazy"/);
  for (const img of imgs.slice(1, 3)) t.notMatch(img, /loading="lazy"|fetchpriority/, 'the rest of the first row: at once');
  for (const img of imgs.slice(3)) t.match(img, /loading="lazy"/, 'below: lazy');
  const front = imgTags((await app.inject('/')).body);
  t.match(front[0], /fetchpriority="high"/, 'the front page with a lead story without a picture opens with its grid too');
});

t.test('the post page: figure with caption and credit, body pictures, keys of every picture', async (t) => {
  const s = makeSite(t, {
    'a.md': postText(
      { title: 'Harbour', date: '2025-09-01', image: LEAD, image_alt: 'Cranes at dawn', image_caption: 'The quay at 6 a.m.', image_credit: 'Photo: Ana' },
      'Text.\n\n![A map](/assets/images/map.jpg)\n\n![Missing](/assets/images/missing.jpg)\n',
    ),
    'b.md': postText({ title: 'Plain', date: '2025-09-02', image: LEAD }),
  });
  fs.copyFileSync(path.join(s.publicDir, LEAD), path.join(s.publicDir, 'assets/images/map.jpg'));
  const { app } = await build(t, s);
  const res = await app.inject('/2025/09/01/harbour/');
  const html = res.body;
  t.ok(html.includes(`sizes="${IMAGE_SIZES.article}" width="1600" height="900" alt="Cranes at dawn" fetchpriority="high" decoding="async"></picture>`), 'the lead: first, not lazy');
  t.match(html, /<figcaption>The quay at 6 a\.m\. <span class="article__credit">Photo: Ana<\/span><\/figcaption>/);
  t.match(html, /<p><picture><source type="image\/avif" srcset="\/img\/[0-9a-f]{16}\/320\/assets\/images\/map\.jpg\.avif 320w/, 'a body picture from public/');
  t.match(html, /alt="A map" loading="lazy" decoding="async"><\/picture><\/p>/);
  t.notMatch(html, /missing\.jpg|alt="Missing"/, 'a missing body picture is left out');
  const keys = String(res.headers.xkey).split(' ');
  for (const source of ['/assets/images/lead.jpg', '/assets/images/map.jpg', '/assets/images/missing.jpg']) t.ok(keys.includes(imageKey(source)), `keyed by ${source}`);
  t.ok(String((await app.inject('/')).headers.xkey).split(' ').includes(imageKey('/assets/images/lead.jpg')), 'listings too');

  const plain = (await app.inject('/2025/09/02/plain/')).body;
  t.notMatch(plain, /<figcaption>/, 'no caption or credit: no figcaption');
  t.match(plain, /alt="" fetchpriority="high"/, 'no image_alt: decorative');
});

t.test('a broken or remote lead image', async (t) => {
  const s = makeSite(t, {
    'broken.md': postText({ title: 'Broken', date: '2025-09-01', image: 'assets/images/broken.jpg' }),
    'remote.md': postText({ title: 'Remote', date: '2025-09-02', image: 'https://cdn.example.org/r.jpg', image_alt: 'R' }),
  });
  fs.writeFileSync(path.join(s.publicDir, 'assets/images/broken.jpg'), 'not a picture');
  const { app, logs } = await build(t, s);
  const broken = (await app.inject('/2025/09/01/broken/')).body;
  t.notMatch(broken, /broken\.jpg|<figure class="article__image">|og:image/, 'no picture, no preview: never a broken one');
  t.notMatch((await app.inject('/')).body, /broken\.jpg/, 'nor on cards');
  t.equal(logs.filter((l) => l.msg === 'image unusable').length, 1, 'logged once');
  const remote = (await app.inject('/2025/09/02/remote/')).body;
  t.match(remote, /<figure class="article__image"><img src="https:\/\/cdn\.example\.org\/r\.jpg" alt="R" fetchpriority="high" decoding="async">/);
  t.match(remote, /<meta property="og:image" content="https:\/\/cdn\.example\.org\/r\.jpg">\n<meta property="og:image:alt"/, 'no size known: none given');
});

t.test('feeds: lead and body pictures as the shared variant', async (t) => {
  const { app } = await build(t, makeSite(t, {
    'a.md': postText({ title: 'A', date: '2025-09-01', image: LEAD }, '![Quay](/assets/images/lead.jpg)\n'),
  }));
  const feed = (await app.inject('/feed.xml')).body;
  t.ok(feed.includes(`<img src="${SITE_URL}${leadVariant(1280)}" width="1280" height="720" alt="Quay">`), 'body picture');
  const json = (await app.inject('/feed.json')).json() as { items: { image: string; content_html: string }[] };
  t.equal(json.items[0]!.image, `${SITE_URL}${leadVariant(1280)}`);
});

t.test('a picture replaced in public/ while nothing else changes: cached pages kept until it does', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-09-01', image: LEAD }) });
  const { app } = await build(t, s, { WATCH: 'true' });
  await app.inject('/2025/09/01/a/');
  const renders = app.pageCache.renders;
  fs.writeFileSync(path.join(s.publicDir, 'assets/images/other.txt'), 'unrelated');
  await waitFor('the public folder to be read again', async () => app.content.snapshot.publicFiles.has('/assets/images/other.txt'));
  await app.inject('/2025/09/01/a/');
  t.equal(app.pageCache.renders, renders, 'an unrelated file: the page is not rendered again');
});
