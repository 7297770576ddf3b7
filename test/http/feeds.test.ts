// Feeds, checked with independent parsers (@rowanmanning/feed-parser for Atom and RSS,
// @extractus/feed-extractor for JSON Feed) rather than the library that writes them.
import fs from 'node:fs';
import path from 'node:path';
import { extractFromJson } from '@extractus/feed-extractor';
import { parseFeed } from '@rowanmanning/feed-parser';
import t, { type Test } from 'tap';
import { build, leadVariant, makeSite, postText, SITE_URL } from '../helpers/build.js';

const TRICKY = 'Rock & Roll <Live> ]]> "quoted" — café';

async function site(t: Test, env: Record<string, string> = {}) {
  const files: Record<string, string> = {
    'tricky.md': postText(
      {
        title: TRICKY,
        date: '2025-09-10T10:00:00',
        last_modified_at: '2025-09-11T08:30:00',
        author: ['Ana Souza', 'Ben Okafor'],
        categories: ['World'],
        tags: ['AI', 'Music'],
        excerpt: 'Summary with & and <b>markup</b> and ]]> too.',
        image: 'assets/images/lead.jpg',
      },
      'First paragraph with **bold** and ]]> in it.\n\n<script>alert(1)</script>\n',
    ),
  };
  for (let i = 1; i <= 5; i++) {
    files[`p${i}.md`] = postText({ title: `Story ${i}`, date: `2025-09-0${i}T10:00:00`, author: 'Ana Souza', categories: [i % 2 ? 'World' : 'Business'] });
  }
  files['hidden.md'] = postText({ title: 'Hidden notice', date: '2025-09-09T09:00:00', hidden: true, categories: ['Notices'] });
  const s = makeSite(t, files);
  // Files older than their dates, so Last-Modified comes from the front matter.
  for (const file of Object.keys(files)) fs.utimesSync(path.join(s.postsDir, file), new Date('2025-01-01Z'), new Date('2025-01-01Z'));
  return build(t, s, { FEED_SIZE: '4', PAGE_SIZE: '3', SITE_TIMEZONE: 'Europe/Berlin', ...env });
}

t.test('Atom at /feed.xml', async (t) => {
  const { app } = await site(t);
  const res = await app.inject('/feed.xml');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
  const feed = parseFeed(res.body);
  t.equal(feed.meta.type, 'atom');
  t.equal(feed.title, 'The Test Times');
  t.equal(feed.url, `${SITE_URL}/`);
  t.equal(feed.self, `${SITE_URL}/feed.xml`);
  t.equal(feed.items.length, 4, 'FEED_SIZE items');
  t.same(feed.items.map((i) => i.title), [TRICKY, 'Hidden notice', 'Story 5', 'Story 4'], 'newest first, exact titles');
  const first = feed.items[0]!;
  t.equal(first.url, `${SITE_URL}/2025/09/10/rock-and-roll-live-quoted-cafe/`);
  t.equal(first.id, first.url);
  t.equal(first.description, 'Summary with & and markup and ]]> too.', 'summary as plain text');
  t.match(first.content, /<p>First paragraph with <strong>bold<\/strong> and \]\]> in it\.<\/p>/, 'full HTML content');
  t.notMatch(first.content, /<script/, 'sanitised');
  t.same(first.authors.map((a) => a.name), ['Ana Souza', 'Ben Okafor']);
  t.same(first.categories.map((c) => c.label), ['World', 'AI', 'Music']);
  t.equal(first.image?.url, `${SITE_URL}${leadVariant(1280)}`, 'media:thumbnail: the 1280 px JPEG variant');
  t.equal(first.published?.toISOString(), '2025-09-10T08:00:00.000Z', 'published, site time zone applied');
  t.equal(first.updated?.toISOString(), '2025-09-11T06:30:00.000Z', 'updated');
  t.notMatch(res.body, /<script|<Live>|<b>/, 'no raw markup from titles or summaries anywhere in the XML');
});

t.test('RSS 2.0 at /rss.xml', async (t) => {
  const { app } = await site(t);
  const res = await app.inject('/rss.xml');
  t.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8');
  const feed = parseFeed(res.body);
  t.equal(feed.meta.type, 'rss');
  t.equal(feed.meta.version, '2.0');
  t.equal(feed.self, `${SITE_URL}/rss.xml`);
  t.equal(feed.language, 'en');
  t.equal(feed.items.length, 4);
  const first = feed.items[0]!;
  t.equal(first.title, TRICKY, 'the exact title, for readers that decode titles as HTML');
  t.ok(res.body.includes('Rock &amp; Roll &lt;Live&gt; ]]&gt; &quot;quoted&quot; — café'), 'sent HTML-escaped');
  t.match(first.content, /<strong>bold<\/strong>/);
  t.equal(first.url, `${SITE_URL}/2025/09/10/rock-and-roll-live-quoted-cafe/`);
  t.equal(first.published?.toISOString(), '2025-09-10T08:00:00.000Z');
  t.same(first.authors.map((a) => a.name), ['Ana Souza', 'Ben Okafor'], 'dc:creator');
  t.same(first.categories.map((c) => c.label), ['World', 'AI', 'Music']);
  t.equal(first.image?.url, `${SITE_URL}${leadVariant(1280)}`);
  t.ok(res.body.includes(`<media:thumbnail url="${SITE_URL}${leadVariant(1280)}"/>`));
  t.notMatch(res.body, /<author>/, 'RSS <author> wants an e-mail address; names go in dc:creator');
  t.notMatch(res.body, /<script|<Live>|<b>/);
});

t.test('JSON Feed 1.1 at /feed.json', async (t) => {
  const { app } = await site(t);
  const res = await app.inject('/feed.json');
  t.equal(res.headers['content-type'], 'application/feed+json; charset=utf-8');
  const json = res.json() as {
    version: string;
    title: string;
    feed_url: string;
    home_page_url: string;
    items: { id: string; url: string; title: string; summary: string; content_html: string; image?: string; date_published: string; date_modified: string; authors: { name: string; url: string }[]; tags: string[] }[];
  };
  t.equal(json.version, 'https://jsonfeed.org/version/1.1');
  t.equal(json.feed_url, `${SITE_URL}/feed.json`);
  t.equal(json.items.length, 4);
  const first = json.items[0]!;
  t.equal(first.title, TRICKY, 'plain text');
  t.equal(first.summary, 'Summary with & and markup and ]]> too.');
  t.equal(first.image, `${SITE_URL}${leadVariant(1280)}`);
  t.equal(first.date_published, '2025-09-10T08:00:00.000Z');
  t.equal(first.date_modified, '2025-09-11T06:30:00.000Z');
  t.same(first.authors, [
    { name: 'Ana Souza', url: `${SITE_URL}/author/ana-souza/` },
    { name: 'Ben Okafor', url: `${SITE_URL}/author/ben-okafor/` },
  ]);
  t.same(first.tags, ['World', 'AI', 'Music']);
  t.notOk(json.items[1]!.image, 'no image when the post has none');
  t.notMatch(res.body, /</, 'no raw < in the bytes: written as \\u003c');
  const parsed = extractFromJson(json);
  t.equal(parsed.title, 'The Test Times');
  t.same(parsed.entries?.map((e) => e.title), [TRICKY, 'Hidden notice', 'Story 5', 'Story 4'], 'an independent parser reads the same items');
});

t.test('per-section, tag and author feeds', async (t) => {
  const { app } = await site(t);
  const world = parseFeed((await app.inject('/category/world/feed.xml')).body);
  t.equal(world.title, 'World – The Test Times');
  t.equal(world.url, `${SITE_URL}/category/world/`);
  t.equal(world.self, `${SITE_URL}/category/world/feed.xml`);
  t.same(world.items.map((i) => i.title), [TRICKY, 'Story 5', 'Story 3', 'Story 1']);
  t.same(parseFeed((await app.inject('/tag/ai/feed.xml')).body).items.map((i) => i.title), [TRICKY]);
  t.equal(parseFeed((await app.inject('/author/ana-souza/feed.xml')).body).items.length, 4);
  t.equal((await app.inject('/category/nope/feed.xml')).statusCode, 404);
  t.equal((await app.inject('/tag/nope/feed.xml')).statusCode, 404);
});

t.test('feeds carry the caching headers and compress', async (t) => {
  const { app } = await site(t);
  for (const url of ['/feed.xml', '/rss.xml', '/feed.json', '/category/world/feed.xml']) {
    const res = await app.inject({ url, headers: { 'accept-encoding': 'br' } });
    t.match(res.headers.etag, /^"[^"]+-br"$/, url);
    t.equal(res.headers['content-encoding'], 'br');
    t.equal(res.headers['cache-control'], 'public, max-age=60, stale-while-revalidate=600');
    t.equal(res.headers['last-modified'], 'Thu, 11 Sep 2025 06:30:00 GMT', 'the newest change in the feed');
    const again = await app.inject({ url, headers: { 'accept-encoding': 'br', 'if-none-match': String(res.headers.etag) } });
    t.equal(again.statusCode, 304);
  }
});

t.test('autodiscovery links in every page head', async (t) => {
  const { app } = await site(t);
  const siteFeeds = [
    `<link rel="alternate" type="application/atom+xml" title="The Test Times (Atom)" href="${SITE_URL}/feed.xml">`,
    `<link rel="alternate" type="application/rss+xml" title="The Test Times (RSS)" href="${SITE_URL}/rss.xml">`,
    `<link rel="alternate" type="application/feed+json" title="The Test Times (JSON Feed)" href="${SITE_URL}/feed.json">`,
  ];
  for (const url of ['/', '/2025/09/10/rock-and-roll-live-quoted-cafe/', '/tags/', '/2025/', '/nope/']) {
    const html = (await app.inject(url)).body;
    for (const link of siteFeeds) t.ok(html.includes(link), `${url}: ${link}`);
  }
  const world = (await app.inject('/category/world/')).body;
  const own = `<link rel="alternate" type="application/atom+xml" title="World – The Test Times (Atom)" href="${SITE_URL}/category/world/feed.xml">`;
  t.ok(world.includes(own), 'a listing links its own feed');
  t.ok(world.indexOf(own) < world.indexOf(siteFeeds[0]!), 'before the site feeds');
  t.ok((await app.inject('/author/ana-souza/page/2/')).body.includes(`${SITE_URL}/author/ana-souza/feed.xml`));
});

t.test('feeds of an empty site are valid and empty', async (t) => {
  const { app } = await build(t, makeSite(t));
  for (const url of ['/feed.xml', '/rss.xml']) {
    const feed = parseFeed((await app.inject(url)).body);
    t.equal(feed.items.length, 0, url);
    t.equal(feed.title, 'The Test Times');
  }
  t.same((await app.inject('/feed.json')).json().items, []);
});

t.test('a post whose body cannot be rendered in time is left out of the feed, and off the site', async (t) => {
  const { app, logs } = await build(t, makeSite(t, {
    'good.md': postText({ title: 'Good', date: '2025-09-01' }),
    'slow.md': postText({ title: 'Slow', date: '2025-09-02' }, 'para\n\n'.repeat(200_000)),
  }), { RENDER_TIMEOUT_MS: '300', MAX_POST_BYTES: '2000000' });
  const feed = parseFeed((await app.inject('/feed.xml')).body);
  t.same(feed.items.map((i) => i.title), ['Good']);
  t.notOk(app.content.snapshot.byFile.has('slow.md'));
  t.match(logs.find((l) => l.msg === 'post skipped'), { file: 'slow.md', reason: /longer than 300 ms/ });
});
