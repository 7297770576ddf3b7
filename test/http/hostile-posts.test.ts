// Hostile posts change nothing: one fixture per attack in test/fixtures/hostile/ (plus
// three generated at test time: oversized, slow to render). For each: the site starts,
// every good post is served, and no page, feed or JSON-LD block carries an executable
// script, an event handler or a dangerous URL.
import fs from 'node:fs';
import path from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import t from 'tap';
import { build, makeSite } from '../helpers/build.js';
import { feedHtmlFields, isDangerousUrl, unsafeParts } from '../helpers/safety.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/hostile');

/** What the site does with each file: served (sanitised) or skipped with a reason. */
const EXPECTED: Record<string, 'served' | RegExp> = {
  '00-good-one.md': 'served',
  '00-good-two.md': 'served',
  '01-script-tag.md': 'served',
  '02-img-onerror.md': 'served',
  '03-svg-onload.md': 'served',
  '04-javascript-link.md': 'served',
  '05-vbscript-link.md': 'served',
  '06-data-url-link.md': 'served',
  '07-data-image.md': 'served',
  '08-entity-encoded-javascript.md': 'served',
  '09-style-overlay.md': 'served',
  '10-style-tag.md': 'served',
  '11-iframe-not-allowed.md': 'served',
  '12-iframe-allowed.md': 'served',
  '13-object-embed.md': 'served',
  '14-form.md': 'served',
  '15-meta-refresh.md': 'served',
  '16-base-tag.md': 'served',
  '17-noscript-mutation.md': 'served',
  '18-comment-trick.md': 'served',
  '19-math-xlink.md': 'served',
  '20-iframe-srcdoc.md': 'served',
  '21-event-handlers.md': 'served',
  '22-protocol-relative.md': 'served',
  '23-title-script.md': 'served',
  '24-title-attribute-break.md': 'served',
  '25-title-cdata.md': 'served',
  '26-excerpt-html.md': 'served',
  '27-author-html.md': 'served',
  '28-taxonomy-traversal.md': 'served',
  '29-control-characters.md': 'served',
  '30-slug-traversal.md': 'served',
  '31-permalink-traversal.md': 'served',
  '32-permalink-absolute-url.md': 'served',
  '33-permalink-protocol-relative.md': 'served',
  '34-image-javascript.md': 'served',
  '35-image-traversal.md': 'served',
  '36-image-data-url.md': 'served',
  '37-js-front-matter.md': /JavaScript front matter is not supported/,
  '38-yaml-custom-tag.md': /invalid YAML front matter at line 2: unknown tag/,
  '39-yaml-alias-bomb.md': 'served',
  '40-yaml-deep-nesting.md': /invalid YAML front matter at line 4: nesting exceeded maxDepth/,
  '41-binary.md': /binary/,
  '42-no-front-matter.md': /no front matter/,
  '43-unclosed-front-matter.md': /not closed/,
  '44-pathological-backticks.md': 'served',
  '45-pathological-brackets.md': 'served',
  '46-deep-blockquote.md': 'served',
  '47-invalid-date.md': /day 30 does not exist/,
  '48-future-date-overflow.md': /invalid date/,
  '49-huge-title.md': 'served',
  '50-many-tags.md': 'served',
  '51-utf16.md': 'served',
  '52-too-large.md': /over the limit of 6000000 \(MAX_POST_BYTES\)/,
  '53-slow-render.md': /rendering the body took longer than 1500 ms \(RENDER_TIMEOUT_MS\)/,
  '54-symlink-outside.md': /symbolic link to a file outside the posts folder/,
};

t.test('hostile posts', async (t) => {
  const s = makeSite(t);
  for (const file of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, file), path.join(s.postsDir, file));
  s.write('52-too-large.md', `---\ntitle: Too large\ndate: 2025-09-01\n---\n${'x'.repeat(6_100_000)}`);
  // About 4.8 MB of paragraphs: some five seconds of rendering. The limit (1.5 s) leaves
  // the other hostile bodies (0.5 s at most alone) room while other tests load the machine.
  s.write('53-slow-render.md', `---\ntitle: Slow to render\ndate: 2025-09-01\n---\n${'para\n\n'.repeat(800_000)}`);
  fs.writeFileSync(path.join(s.dir, 'secret.md'), '---\ntitle: TOP-SECRET\ndate: 2025-09-01\n---\nTOP-SECRET-CONTENT\n');
  fs.symlinkSync(path.join(s.dir, 'secret.md'), path.join(s.postsDir, '54-symlink-outside.md'));
  t.same(Object.keys(EXPECTED).sort(), [...fs.readdirSync(s.postsDir)].sort(), 'the table covers every fixture');

  const { app, logs } = await build(t, s, { MAX_POST_BYTES: '6000000', RENDER_TIMEOUT_MS: '1500', PAGE_SIZE: '100', FEED_SIZE: '100' });
  t.equal((await app.inject('/readyz')).statusCode, 200, 'the site starts');
  t.equal((globalThis as { hostilePwned?: boolean }).hostilePwned, undefined, 'no front matter code ran');

  // The slow post is taken off the site when its body is first rendered.
  const slow = app.content.snapshot.byFile.get('53-slow-render.md');
  t.ok(slow, 'the slow post is listed until its body is rendered');
  const slowPage = await app.inject(slow!.url);
  t.equal(slowPage.statusCode, 410, 'then its URL answers like a removed post');
  t.notOk(app.content.snapshot.byFile.has('53-slow-render.md'));

  const skipped = new Map(logs.filter((l) => l.msg === 'post skipped').map((l) => [String(l.file), String(l.reason)]));
  for (const [file, expected] of Object.entries(EXPECTED)) {
    if (expected === 'served') {
      const post = app.content.snapshot.byFile.get(file);
      t.ok(post, `${file}: served`);
      if (!post) continue;
      const res = await app.inject(post.url);
      t.equal(res.statusCode, 200, `${file}: ${post.url}`);
      t.same(unsafeParts(res.body, { allowSearchForm: true }), [], `${file}: nothing executable on its page`);
      t.match(post.url, /^\/[a-z0-9/-]+\/$/, `${file}: a plain URL inside the site`);
    } else {
      t.match(skipped.get(file), expected, `${file}: skipped, logged with the reason`);
    }
  }
  t.equal(logs.filter((l) => l.msg === 'post skipped').length, Object.values(EXPECTED).filter((e) => e !== 'served').length, 'one line per skipped file');

  await t.test('every page, feed and JSON-LD block is safe', async (t) => {
    const snapshot = app.content.snapshot;
    const pages = ['/', '/categories/', '/tags/', '/authors/', '/2025/', '/2025/09/', '/search/?q=script'];
    for (const kind of ['categories', 'tags', 'authors'] as const) {
      const segment = { categories: 'category', tags: 'tag', authors: 'author' }[kind];
      for (const term of snapshot[kind].terms) {
        t.match(term.slug, /^[a-z0-9-]+$/, `${kind} slug ${term.slug}`);
        pages.push(`/${segment}/${term.slug}/`);
      }
    }
    for (const url of pages) {
      const res = await app.inject(url);
      t.equal(res.statusCode, 200, url);
      t.same(unsafeParts(res.body, { allowSearchForm: true }), [], `${url}: safe`);
      for (const [, json] of res.body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
        t.doesNotThrow(() => JSON.parse(json!), `${url}: JSON-LD parses`);
        t.notMatch(json, /</, `${url}: no raw < in JSON-LD`);
      }
    }
    for (const url of ['/feed.xml', '/rss.xml', '/category/world/feed.xml']) {
      const xml = (await app.inject(url)).body;
      for (const html of feedHtmlFields(xml)) t.same(unsafeParts(html), [], `${url}: every field readers render as HTML`);
      const feed = parseFeed(xml);
      t.ok(feed.items.length > 0, url);
      for (const item of feed.items) {
        t.notOk(isDangerousUrl(item.url ?? ''), `${url}: item link`);
        if (item.image) t.notOk(isDangerousUrl(item.image.url), `${url}: item image`);
      }
    }
    const json = (await app.inject('/feed.json')).json() as { items: { content_html: string; url: string; image?: string }[] };
    for (const item of json.items) {
      t.same(unsafeParts(item.content_html), [], `feed.json: ${item.url}`);
      if (item.image) t.notOk(isDangerousUrl(item.image));
    }
    const sitemap = (await app.inject('/sitemap.xml')).body;
    for (const [, loc] of sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)) t.match(loc, /^https:\/\/news\.example\.com\//, `sitemap: ${loc}`);
    t.notMatch(JSON.stringify(await Promise.all(pages.map(async (u) => (await app.inject(u)).body))), /TOP-SECRET/, 'the linked file outside the folder never shows');
  });

  await t.test('what the sanitiser kept', async (t) => {
    const body = async (file: string) => (await app.inject(app.content.snapshot.byFile.get(file)!.url)).body;
    t.match(await body('12-iframe-allowed.md'), /<iframe src="https:\/\/www\.youtube\.com\/embed\/abc123"[^>]*sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"/, 'allowed embeds stay, sandboxed');
    t.notMatch(await body('11-iframe-not-allowed.md'), /<iframe/, 'other iframes go');
    t.match(await body('01-script-tag.md'), /Before\s+after\./, 'the text around a script stays');
    t.match(await body('23-title-script.md'), /<h1 class="article__title">&lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/h1>/, 'a hostile title is shown as text');
    t.match(await body('51-utf16.md'), /Decoded body/, 'UTF-16 with a BOM is decoded');
    const huge = app.content.snapshot.byFile.get('49-huge-title.md')!;
    t.equal(huge.title.length, 501, 'titles are capped at 500 characters');
    t.equal(app.content.snapshot.byFile.get('50-many-tags.md')!.tags.length, 50, 'at most 50 tags');
    t.same(app.content.snapshot.byFile.get('39-yaml-alias-bomb.md')!.tags, [], 'aliases that expand to lists of lists give no tags');
    t.equal(app.content.snapshot.byFile.get('30-slug-traversal.md')!.url, '/2025/09/01/etc-passwd/');
    for (const file of ['31-permalink-traversal.md', '32-permalink-absolute-url.md', '33-permalink-protocol-relative.md']) {
      t.match(app.content.snapshot.byFile.get(file)!.url, /^\/2025\/09\/01\/permalink-/, `${file}: the default URL`);
    }
    for (const file of ['34-image-javascript.md', '35-image-traversal.md', '36-image-data-url.md']) {
      t.equal(app.content.snapshot.byFile.get(file)!.image, null, `${file}: no lead image`);
    }
  });
});
