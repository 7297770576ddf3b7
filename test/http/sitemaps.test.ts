// Sitemaps: contents, splitting into an index of parts, the Google News sitemap's
// window and limit, robots.txt. XML is checked for well-formedness and for element
// names from the sitemap, image and news schemas.
import fs from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import t, { type Test } from 'tap';
import { build, leadVariant, makeSite, postText, SITE_URL } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

/** Element names the sitemap 0.9, image 1.1 and news 0.9 schemas define. */
const SCHEMA_ELEMENTS = new Set([
  'urlset', 'url', 'loc', 'lastmod', 'changefreq', 'priority', 'sitemapindex', 'sitemap',
  'image:image', 'image:loc', 'image:caption', 'image:title', 'image:geo_location', 'image:license',
  'news:news', 'news:publication', 'news:name', 'news:language', 'news:publication_date', 'news:title',
  'news:keywords', 'news:stock_tickers', 'news:access', 'news:genres',
]);

function elementNames(xml: string): Set<string> {
  const names = new Set<string>();
  const walk = (nodes: unknown[]) => {
    for (const node of nodes) {
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (key === ':@' || key === '#text' || key === '?xml') continue;
        names.add(key);
        if (Array.isArray(value)) walk(value);
      }
    }
  };
  walk(new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(xml) as unknown[]);
  return names;
}

function checkXml(t: Test, xml: string, what: string) {
  t.equal(XMLValidator.validate(xml), true, `${what}: well-formed`);
  const unknown = [...elementNames(xml)].filter((n) => !SCHEMA_ELEMENTS.has(n));
  t.same(unknown, [], `${what}: only schema element names`);
}

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);

async function site(t: Test, env: Record<string, string> = {}) {
  const files: Record<string, string> = {
    'a.md': postText({ title: 'Alpha', date: '2025-09-01T10:00:00Z', categories: ['World'], tags: ['x'], author: 'Ana', image: 'assets/images/lead.jpg' }),
    'b.md': postText({ title: 'Beta', date: '2025-09-02T10:00:00Z', categories: ['World'], author: 'Ana', last_modified_at: '2025-09-05T10:00:00Z' }),
    'c.md': postText({ title: 'Gamma', date: '2025-10-03T10:00:00Z', categories: ['Business'], hidden: true }),
    'draft.md': postText({ title: 'Draft', date: '2025-09-03T10:00:00Z', published: false }),
  };
  const s = makeSite(t, files);
  for (const file of Object.keys(files)) fs.utimesSync(path.join(s.postsDir, file), new Date('2025-01-01Z'), new Date('2025-01-01Z'));
  return build(t, s, { PAGE_SIZE: '1', ...env });
}

t.test('/sitemap.xml lists every post, listing page and taxonomy page with lastmod', async (t) => {
  const { app } = await site(t);
  const res = await app.inject('/sitemap.xml');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
  t.ok(res.headers.etag);
  t.equal(res.headers['cache-control'], 'public, max-age=60, stale-while-revalidate=600');
  checkXml(t, res.body, 'sitemap');
  const urls = locs(res.body).filter((u) => !u.endsWith('.jpg'));
  const expected = [
    '/', '/2025/10/03/gamma/', '/2025/09/02/beta/', '/2025/09/01/alpha/',
    '/categories/', '/category/business/', '/category/world/', '/category/world/page/2/',
    '/tags/', '/tag/x/', '/authors/', '/author/ana/', '/author/ana/page/2/',
    '/2025/', '/2025/page/2/', '/2025/page/3/', '/2025/10/', '/2025/10/03/', '/2025/09/', '/2025/09/page/2/', '/2025/09/02/', '/2025/09/01/',
  ].map((p) => `${SITE_URL}${p}`);
  t.same([...urls].sort(), [...expected].sort(), 'every page once, drafts left out');
  t.match(res.body, /<url><loc>https:\/\/news\.example\.com\/2025\/09\/02\/beta\/<\/loc><lastmod>2025-09-05T10:00:00\.000Z<\/lastmod><\/url>/, 'a post dated by its last update');
  const image = `${SITE_URL}${leadVariant(1280)}`.replace(/[./]/g, (c) => `\\${c}`);
  t.match(res.body, new RegExp(`<loc>https://news\\.example\\.com/2025/09/01/alpha/</loc><lastmod>[^<]+</lastmod><image:image><image:loc>${image}</image:loc></image:image>`), 'image entry for a lead image: its share variant (metadata stripped), not the original');
  t.notMatch(res.body, /assets\/images\/lead\.jpg</, 'the original is named nowhere');
  t.match(res.body, /<loc>https:\/\/news\.example\.com\/category\/world\/<\/loc><lastmod>2025-09-05T10:00:00\.000Z<\/lastmod>/, 'a listing dated by the newest post it shows');
  t.equal((await app.inject('/sitemap-1.xml')).statusCode, 404, 'no parts when one file holds everything');
});

t.test('over the part size, /sitemap.xml is an index of parts', async (t) => {
  const { app } = await site(t, { SITEMAP_PART_SIZE: '5' });
  const index = await app.inject('/sitemap.xml');
  checkXml(t, index.body, 'sitemap index');
  t.match(index.body, /^<\?xml[^>]*\?><sitemapindex xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">/);
  const parts = locs(index.body);
  t.same(parts, [1, 2, 3, 4, 5].map((n) => `${SITE_URL}/sitemap-${n}.xml`), '22 URLs in parts of 5');
  t.equal([...index.body.matchAll(/<lastmod>/g)].length, 5, 'each part has a lastmod');
  const all: string[] = [];
  for (const part of parts) {
    const res = await app.inject(part.slice(SITE_URL.length));
    t.equal(res.statusCode, 200, part);
    checkXml(t, res.body, part);
    const urls = locs(res.body).filter((u) => !u.endsWith('.jpg'));
    t.ok(urls.length <= 5, `${part}: at most the part size`);
    all.push(...urls);
  }
  t.equal(all.length, 22);
  t.equal(new Set(all).size, 22, 'no URL twice, none lost');
  for (const url of ['/sitemap-6.xml', '/sitemap-0.xml', '/sitemap-01.xml', '/sitemap-x.xml']) {
    t.equal((await app.inject(url)).statusCode, 404, url);
  }
});

t.test('/news-sitemap.xml: the last 48 hours, at most 1,000 posts', async (t) => {
  const now = Date.now();
  const files: Record<string, string> = {};
  for (let i = 0; i < 1003; i++) {
    const date = new Date(now - 3600_000 - i * 60_000).toISOString();
    files[`n${i}.md`] = postText({ title: `News ${i} & more`, date });
  }
  files['old.md'] = postText({ title: 'Two days and a bit', date: new Date(now - 49 * 3600_000).toISOString() });
  files['future.md'] = postText({ title: 'Not yet', date: new Date(now + 3600_000).toISOString() });
  const { app } = await build(t, makeSite(t, files), { SITE_LANGUAGE: 'en-GB', PUBLISHER_NAME: 'The Test & Times' });
  const res = await app.inject('/news-sitemap.xml');
  t.equal(res.statusCode, 200);
  checkXml(t, res.body, 'news sitemap');
  const urls = locs(res.body);
  t.equal(urls.length, 1000, 'at most 1,000');
  t.equal(urls[0], `${SITE_URL}${app.content.snapshot.posts.at(0)!.url}`, 'newest first');
  t.notMatch(res.body, /two-days-and-a-bit|not-yet/, 'older than 48 hours and future posts left out');
  t.match(res.body, /<news:publication><news:name>The Test &amp; Times<\/news:name><news:language>en<\/news:language><\/news:publication>/);
  t.match(res.body, /<news:publication_date>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00<\/news:publication_date><news:title>News 0 &amp; more<\/news:title>/);
});

t.test('the news sitemap moves with the clock, not only with the index', async (t) => {
  // Two seconds short of 48 hours old: in the news sitemap now, out of it shortly.
  const edge = new Date(Date.now() - 48 * 3600_000 + 2000);
  const files = {
    'recent.md': postText({ title: 'Recent', date: new Date(Date.now() - 3600_000).toISOString() }),
    'edge.md': postText({ title: 'Edge', date: edge.toISOString() }),
    'old.md': postText({ title: 'Old', date: '2020-01-01T00:00:00Z' }),
  };
  const { app } = await build(t, makeSite(t, files));
  const slugs = (xml: string) => locs(xml).map((u) => u.replace(SITE_URL, '').split('/').at(-2));
  const res = await app.inject('/news-sitemap.xml');
  t.same(slugs(res.body), ['recent', 'edge']);
  const version = app.content.snapshot.version;
  const later = await waitFor('the post to leave the window', async () => {
    const next = await app.inject('/news-sitemap.xml');
    return slugs(next.body).length === 1 && next;
  });
  t.same(slugs(later.body), ['recent'], 'the post left the window');
  t.equal(app.content.snapshot.version, version, 'with no change to the index');
  t.not(later.headers.etag, res.headers.etag);
  const empty = await build(t, makeSite(t, { 'old.md': files['old.md'] }));
  const none = await empty.app.inject('/news-sitemap.xml');
  t.equal(none.statusCode, 200);
  checkXml(t, none.body, 'empty news sitemap');
  t.same(locs(none.body), []);
});

t.test('/robots.txt allows all and names both sitemaps', async (t) => {
  const { app } = await site(t);
  const res = await app.inject('/robots.txt');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  t.equal(res.body, `User-agent: *\nAllow: /\n\nSitemap: ${SITE_URL}/sitemap.xml\nSitemap: ${SITE_URL}/news-sitemap.xml\n`);
});

t.test('an empty site still has a sitemap; Google News language codes', async (t) => {
  const { app } = await build(t, makeSite(t));
  const res = await app.inject('/sitemap.xml');
  checkXml(t, res.body, 'empty site sitemap');
  t.same(locs(res.body), ['/', '/categories/', '/tags/', '/authors/'].map((p) => `${SITE_URL}${p}`));
  const { newsLanguage } = await import('../../src/render/syndication/sitemap-entries.js');
  t.equal(newsLanguage('en-GB'), 'en');
  t.equal(newsLanguage('de'), 'de');
  t.equal(newsLanguage('zh-CN'), 'zh-cn');
  t.equal(newsLanguage('zh-TW'), 'zh-tw');
  t.equal(newsLanguage('zh-Hant'), 'zh');
});
