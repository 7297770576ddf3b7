// Every front matter rule of SPEC section 2, one small fixture post each
// (test/fixtures/front-matter/), read through the same path as the server.
import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { loadPost, type LoadResult } from '../../src/content/load-posts.js';
import type { Post } from '../../src/content/post.js';
import { parsePost } from '../../src/content/parse-post.js';
import { loadPostBody } from '../../src/content/post-body.js';
import { toRootPath } from '../../src/content/paths.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/front-matter');
const MTIME = new Date('2025-06-01T12:00:00Z');

function load(file: string, timeZone = 'UTC'): LoadResult {
  const abs = path.join(FIXTURES, file);
  if (fs.existsSync(abs)) fs.utimesSync(abs, MTIME, MTIME);
  return loadPost(
    file,
    { postsDir: FIXTURES, publicDir: '/nonexistent', timeZone, maxPostBytes: 1_000_000 },
    { timeZone },
  );
}

function post(t: Test, file: string, timeZone = 'UTC'): { post: Post; body: string; warnings: readonly string[] } {
  const result = load(file, timeZone);
  if (!result.ok) {
    t.fail(`${file} should load: ${result.error.message}`);
    throw result.error;
  }
  return result.parsed;
}

t.test('the Mediumish/Jekyll example from the spec', async (t) => {
  const { post: p, warnings } = post(t, 'mediumish.md');
  t.equal(p.title, 'Update: Harbour authority cuts off some services used by ferry operator');
  t.equal(p.date.toISOString(), '2025-09-25T22:01:15.000Z');
  t.same(p.authors, [{ name: 'badely', slug: 'badely' }]);
  t.same(p.categories, [{ name: 'Technology', slug: 'technology' }]);
  t.same(p.tags, []);
  t.equal(p.excerpt, 'The authority said its systems were not intended for that use.');
  t.same(p.image, { src: '/assets/images/lead.jpg', local: true, alt: null, caption: null, credit: null });
  t.equal(p.url, '/2025/09/25/update-harbour-authority-cuts-off-some-services-used-by-ferry-operator/');
  t.notOk(p.featured);
  t.notOk(p.hidden);
  t.notOk(p.draft);
  t.same(warnings, []);
});

t.test('field rules', async (t) => {
  const cases: { file: string; check: (p: Post, warnings: readonly string[], body: string) => void }[] = [
    {
      file: '2025-09-25-jekyll-name-slug.md',
      check: (p) => {
        t.equal(p.url, '/2025/09/25/jekyll-name-slug/', 'slug and date from the Jekyll file name');
        t.equal(p.date.toISOString(), '2025-09-25T00:00:00.000Z');
      },
    },
    {
      file: '000_76a0201d3f52631f.txt',
      check: (p) => t.equal(p.url, '/2025/09/24/hash-named-posts-take-their-slug-from-the-title/', 'never a hash slug'),
    },
    {
      file: 'title-from-heading.md',
      check: (p, w, body) => {
        t.equal(p.title, 'The first heading becomes the title');
        t.ok(p.titleFromHeading);
        t.notMatch(body, /first\* heading/, 'the heading is not repeated in the body');
        t.match(w.join(), /first heading/);
      },
    },
    {
      file: 'no-title.md',
      check: (p, w) => {
        t.equal(p.title, 'No title', 'from the file name');
        t.match(w.join(), /using the file name/);
      },
    },
    {
      file: 'no-date.md',
      check: (p, w) => {
        t.equal(p.date.toISOString(), MTIME.toISOString(), 'the file modification time');
        t.match(w.join(), /modification time/);
      },
    },
    {
      file: 'zoned-date.md',
      check: (p) => {
        t.equal(p.date.toISOString(), '2025-09-25T20:01:15.000Z');
        t.equal(p.updated?.toISOString(), '2025-09-26T08:00:00.000Z', 'last_modified_at');
        t.same(p.localDate, { year: '2025', month: '09', day: '25' });
      },
    },
    { file: 'updated-key.md', check: (p) => t.equal(p.updated?.toISOString(), '2025-09-27T10:00:00.000Z', 'updated') },
    { file: 'updated-before-date.md', check: (p) => t.equal(p.updated, null, 'an update before publication is not shown') },
    {
      file: 'updated-invalid.md',
      check: (p, w) => {
        t.equal(p.updated, null);
        t.match(w.join(), /last_modified_at ignored/);
      },
    },
    {
      file: 'authors-list.md',
      check: (p) => t.same(p.authors.map((a) => a.slug), ['ana-souza', 'ben-okafor']),
    },
    {
      file: 'taxonomy-strings.md',
      check: (p) => {
        t.same(p.categories.map((c) => c.name), ['World', 'News'], 'categories: space-separated string');
        t.same(p.tags.map((c) => c.name), ['AI', 'climate'], 'tags: string, AI and ai are one tag');
      },
    },
    {
      file: 'taxonomy-singular.md',
      check: (p) => {
        t.same(p.categories.map((c) => c.name), ['World News'], 'category: one value, as Jekyll reads it');
        t.same(p.tags.map((c) => c.slug), ['data-journalism']);
      },
    },
    {
      file: 'taxonomy-unusable.md',
      check: (p, w) => {
        t.same(p.tags.map((c) => c.slug), ['c']);
        t.match(w.join(), /no letters or digits/);
      },
    },
    { file: 'description-excerpt.md', check: (p) => t.equal(p.excerpt, 'From the description key.') },
    {
      file: 'image-missing.md',
      check: (p) => t.same(p.image, { src: '/assets/images/not-there.jpg', local: true, alt: null, caption: null, credit: null }, 'as named: the index decides whether it is shown'),
    },
    { file: 'image-absolute.md', check: (p) => t.same(p.image, { src: 'https://cdn.example.org/photos/a.jpg', local: false, alt: null, caption: null, credit: null }) },
    { file: 'image-root.md', check: (p) => t.same(p.image, { src: '/assets/images/lead.jpg', local: true, alt: null, caption: null, credit: null }) },
    {
      file: 'image-traversal.md',
      check: (p, w) => {
        t.equal(p.image, null);
        t.match(w.join(), /not a path inside the site/);
      },
    },
    {
      file: 'flags.md',
      check: (p) => {
        t.ok(p.featured);
        t.ok(p.hidden);
      },
    },
    { file: 'draft.md', check: (p) => t.ok(p.draft, 'published: false is a draft') },
    {
      file: 'flag-nonsense.md',
      check: (p, w) => {
        t.notOk(p.featured);
        t.match(w.join(), /featured.*not true or false/);
      },
    },
    { file: 'slug-override.md', check: (p) => t.equal(p.url, '/2025/09/25/my-custom-slug/') },
    {
      file: 'permalink.md',
      check: (p) => {
        t.equal(p.permalink, '/specials/2025/election-night/', 'placeholders expanded, .html dropped');
        t.equal(p.url, '/specials/2025/election-night/');
      },
    },
    {
      file: 'permalink-reserved.md',
      check: (p, w) => {
        t.equal(p.url, '/2025/09/25/permalink-on-a-reserved-path/');
        t.match(w.join(), /permalink/);
      },
    },
    { file: 'permalink-traversal.md', check: (p) => t.equal(p.permalink, null) },
    { file: 'accents.md', check: (p) => t.equal(p.slug, 'elections-a-zurich-ca-change') },
    {
      file: 'crlf.md',
      check: (p, _w, body) => {
        t.equal(p.title, 'CRLF line endings');
        t.equal(body, 'Line one\nLine two\n');
      },
    },
    { file: 'bom.md', check: (p) => t.equal(p.title, 'With a BOM') },
    {
      file: 'windows-1252.md',
      check: (p, _w, body) => {
        t.equal(p.title, 'Café “menu” € 5');
        t.equal(body, 'Naïve body.\n');
      },
    },
    {
      file: 'mojibake.md',
      check: (p, _w, body) => {
        t.equal(p.title, 'Here’s the café', 'title repaired');
        t.equal(p.excerpt, '“Quoted”', 'excerpt repaired');
        t.equal(body, 'Body with — a dash.\n', 'body repaired');
      },
    },
    { file: 'future.md', check: (p) => t.equal(p.date.getUTCFullYear(), 2999) },
    { file: 'unknown-keys.md', check: (p) => t.equal(p.title, 'Unknown keys are kept and ignored') },
  ];
  for (const { file, check } of cases) {
    await t.test(file, async (t2) => {
      const result = post(t2, file);
      check(result.post, result.warnings, result.body);
      // Pages read the body from the file again: the same text the parse saw.
      const again = loadPostBody(result.post, { postsDir: FIXTURES, maxPostBytes: 1_000_000 });
      t2.equal(again, result.body, 'read again, the same body');
    });
  }
});

t.test('files that cannot be used are refused, naming the file and reason', async (t) => {
  const cases: [string, RegExp][] = [
    ['invalid-date.md', /invalid date "2025-13-45": month 13 does not exist/],
    ['js-front-matter.md', /JavaScript front matter is not supported/],
    ['empty.md', /empty/],
    ['no-front-matter.md', /no front matter/],
    ['invalid-yaml.md', /invalid YAML/],
    ['does-not-exist.md', /ENOENT/],
  ];
  for (const [file, reason] of cases) {
    const result = load(file);
    t.notOk(result.ok, file);
    if (!result.ok) {
      t.equal(result.error.file, file);
      t.match(result.error.reason, reason, file);
      t.match(result.error.message, new RegExp(`^${file.replace('.', '\\.')}: `));
    }
  }
  t.equal((globalThis as { pwned?: boolean }).pwned, undefined, 'JavaScript front matter did not run');
});

t.test('dates are read in the site time zone', async (t) => {
  const { post: p } = post(t, 'mediumish.md', 'America/New_York');
  t.equal(p.date.toISOString(), '2025-09-26T02:01:15.000Z');
  t.same(p.localDate, { year: '2025', month: '09', day: '25' }, 'URL and archives use the local day');
});

t.test('oversized files are refused', async (t) => {
  const result = loadPost(
    'mediumish.md',
    { postsDir: FIXTURES, publicDir: '/nonexistent', timeZone: 'UTC', maxPostBytes: 100 },
    { timeZone: 'UTC' },
  );
  t.notOk(result.ok);
  if (!result.ok) t.match(result.error.reason, /over the limit of 100 \(MAX_POST_BYTES\)/);
});

t.test('parsePost limits and fallbacks', async (t) => {
  const ctx = { timeZone: 'UTC' };
  const make = (fm: string, body = 'Body.') => parsePost({ file: 'x.md', text: `---\n${fm}\n---\n${body}`, modified: MTIME }, ctx).post;
  t.equal(make(`title: "${'x'.repeat(600)}"\ndate: 2025-01-01`).title.length, 501, 'titles are capped');
  t.equal(make('title: "北京"\ndate: 2025-01-01').slug, 'post', 'a title without ASCII letters still gets a slug');
  t.equal(make(`title: t\ndate: 2025-01-01\ntags: [${Array.from({ length: 80 }, (_, i) => `t${i}`).join(', ')}]`).tags.length, 50);
  t.same(make('title: t\ndate: 2025-01-01\nimage: { path: "https://x.example/a.png" }').image, { src: 'https://x.example/a.png', local: false, alt: null, caption: null, credit: null });
  t.equal(make('title: t\ndate: 2025-01-01\nimage: "https://exa mple.com/a.png"').image, null, 'an invalid URL is dropped');
  t.equal(make('title: 2024\ndate: 2025-01-01').title, '2024', 'numbers are text');
  t.equal(make('title: t\ndate: 2025-01-01\nhidden: false\nfeatured: 1').featured, true);
  t.equal(make('title: t\ndate: 2025-01-01\npermalink: relative/path/').permalink, null, 'permalinks start with /');
  t.equal(make('title: t\ndate: 2025-01-01\npermalink: /2025/09/').permalink, null, 'archive paths are taken');
  t.equal(make('title: t\ndate: 2025-01-01\npermalink: /news/:categories/:slug/\ncategories: [World]').permalink, '/news/world/t/');
  t.equal(make('title: t\ndate: 2025-01-01\npermalink: /:categories/:slug/').permalink, '/t/', 'no categories: the part collapses, as in Jekyll');
  t.equal(make('title: t\ndate: 2025-01-01\npermalink: //evil.example/x/').permalink, null, 'no protocol-relative paths');
  t.throws(() => parsePost({ file: 'y.md', text: 'no front matter', modified: MTIME }, ctx), { name: 'PostError', file: 'y.md' });
});

t.test('toRootPath keeps image paths inside the site', async (t) => {
  t.equal(toRootPath('assets/images/a b.jpg'), '/assets/images/a%20b.jpg');
  t.equal(toRootPath('./assets//x.jpg?v=2'), '/assets/x.jpg');
  t.equal(toRootPath('/assets/%2e%2e/secret'), null);
  t.equal(toRootPath('assets/.hidden/x.jpg'), null);
  t.equal(toRootPath('javascript:alert(1)'), null);
  t.equal(toRootPath('a\\b.jpg'), null);
  t.equal(toRootPath('%E0%A4%A'), null, 'broken percent-encoding');
  t.equal(toRootPath('/'), null);
});

t.test('more front matter edge cases', async (t) => {
  const ctx = { timeZone: 'UTC' };
  const make = (fm: string, body = 'Body.', file = 'x.md') => parsePost({ file, text: `---\n${fm}\n---\n${body}`, modified: MTIME }, ctx);
  t.equal(make('title: t\ndate: 2025-01-01\nfeatured: "no"').post.featured, false);
  t.equal(make('date: 2025-01-01', '# **\n\nText').post.title, 'X', 'an empty heading is not a title');
  t.equal(make('date: 2025-01-01', 'Text', '2025-09-25-.md').post.title, 'Untitled');
  t.same(make('title: t\ndate: 2025-01-01\nimage: { url: "https://x.example/b.png" }').post.image, { src: 'https://x.example/b.png', local: false, alt: null, caption: null, credit: null });
  t.same(make('title: t\ndate: 2025-01-01\nimage: //cdn.example.org/c.png').post.image, { src: 'https://cdn.example.org/c.png', local: false, alt: null, caption: null, credit: null });
  t.equal(make('title: t\ndate: 2025-09-25T10:00:00+02').post.date.toISOString(), '2025-09-25T08:00:00.000Z', 'hour-only offsets');
});

t.test('toPostError wraps anything thrown', async (t) => {
  const { toPostError, PostError } = await import('../../src/content/post-error.js');
  const e = toPostError('a.md', 'plain string');
  t.type(e, PostError);
  t.equal(e.message, 'a.md: plain string');
  t.equal(toPostError('a.md', e), e, 'a PostError is kept');
});

t.test('reading a body again: gone, or rewritten since it was read', async (t) => {
  const dir = t.testdir({ 'a.md': '---\ntitle: A\n---\nThe body.\n' });
  const options = { postsDir: dir, maxPostBytes: 1000 };
  const { bodyOf, hashBody } = await import('../../src/content/parse-post.js');
  const known = { file: 'a.md', titleFromHeading: false, bodyHash: hashBody(bodyOf('The body.\n', false)) };
  t.equal(loadPostBody(known, options), 'The body.\n');
  t.throws(() => loadPostBody({ ...known, file: 'gone.md' }, options), { name: 'PostError', code: 'ENOENT' });
  t.throws(() => loadPostBody({ ...known, bodyHash: 'other' }, options), { message: /changed since it was read/ });
});

t.test('image_alt, image_caption and image_credit go with the lead image', async (t) => {
  const ctx = { timeZone: 'UTC' };
  const make = (fm: string) => parsePost({ file: 'x.md', text: `---\ntitle: t\ndate: 2025-01-01\n${fm}\n---\nBody.`, modified: MTIME }, ctx).post;
  t.same(
    make('image: assets/a.jpg\nimage_alt: "Cranes  at\\tdawn"\nimage_caption: The quay.\nimage_credit: "Photo: A. B."').image,
    { src: '/assets/a.jpg', local: true, alt: 'Cranes at dawn', caption: 'The quay.', credit: 'Photo: A. B.' },
  );
  t.same(
    make('image: { path: "https://x.example/a.png", alt: A map, caption: Routes, credit: Desk }').image,
    { src: 'https://x.example/a.png', local: false, alt: 'A map', caption: 'Routes', credit: 'Desk' },
    'or inside an image map',
  );
  t.equal(make(`image: a.jpg\nimage_caption: "${'c'.repeat(1500)}"`).image!.caption!.length, 1000, 'captions are capped');
  t.equal(make('image_alt: Alt without an image').image, null, 'no image, nothing to describe');
  t.equal(make('image: a.jpg\nimage_alt: ""').image!.alt, null, 'an empty alt is no alt');
});

t.test('a changed alt text, caption or credit is a change cards show', async (t) => {
  const { sameShown } = await import('../../src/content/post.js');
  const ctx = { timeZone: 'UTC' };
  const make = (fm: string) => parsePost({ file: 'x.md', text: `---\ntitle: t\ndate: 2025-01-01\n${fm}\n---\nBody.`, modified: MTIME }, ctx).post;
  const base = make('image: a.jpg');
  t.ok(sameShown(base, make('image: a.jpg')));
  t.notOk(sameShown(base, make('image: a.jpg\nimage_alt: x')));
  t.notOk(sameShown(base, make('image: a.jpg\nimage_caption: x')));
  t.notOk(sameShown(base, make('image: a.jpg\nimage_credit: x')));
  t.notOk(sameShown(base, make('')), 'the image taken away');
  t.ok(sameShown(make(''), make('')), 'no image either side');
});
