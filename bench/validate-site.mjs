#!/usr/bin/env node
// npm run validate: starts the built server on a posts folder and runs real validators
// over what it serves: the Nu Html Checker (vnu-jar, Java) on HTML pages, independent
// feed parsers on every feed, and well-formedness plus schema element names on the
// sitemaps. Prints a report; exits 1 on any error.
//
//   npm run validate                  the sample posts in posts/
//   npm run validate -- --count 1000  a generated corpus of 1,000 posts
//   npm run validate -- --pages 300   how many HTML pages to check (default: all posts up to 300)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { extractFromJson } from '@extractus/feed-extractor';
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { corpus, parseArgs, startServer } from './run.mjs';

const args = parseArgs(process.argv.slice(2), { count: 0, pages: 300 });
const posts = args.count > 0 ? corpus(args.count) : path.resolve(import.meta.dirname, '../posts');
// Every feed of the site is fetched once: more than the rate limit lets one client render.
const server = await startServer({ POSTS_DIR: posts, WATCH: 'false', SITEMAP_PART_SIZE: '1000', RATE_LIMIT_PER_MINUTE: '1000000' });
process.on('exit', () => server.child.kill());
const get = async (url) => {
  const res = await fetch(`${server.base}${url}`);
  return { status: res.status, body: await res.text() };
};
const problems = [];

// Sitemaps: every URL the site lists, parts included.
const SCHEMA = new Set(['urlset', 'url', 'loc', 'lastmod', 'sitemapindex', 'sitemap', 'image:image', 'image:loc',
  'news:news', 'news:publication', 'news:name', 'news:language', 'news:publication_date', 'news:title']);
function checkSitemap(name, xml) {
  if (XMLValidator.validate(xml) !== true) problems.push(`${name}: not well-formed`);
  const walk = (nodes) => {
    for (const node of nodes) {
      for (const [key, value] of Object.entries(node)) {
        if (key === ':@' || key === '#text' || key === '?xml') continue;
        if (!SCHEMA.has(key)) problems.push(`${name}: element ${key} is not in the sitemap schemas`);
        if (Array.isArray(value)) walk(value);
      }
    }
  };
  walk(new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(xml));
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
}
const sitemap = (await get('/sitemap.xml')).body;
let urls = checkSitemap('/sitemap.xml', sitemap);
if (sitemap.includes('<sitemapindex')) {
  const parts = urls;
  urls = [];
  for (const part of parts) urls.push(...checkSitemap(part, (await get(new URL(part).pathname)).body));
}
checkSitemap('/news-sitemap.xml', (await get('/news-sitemap.xml')).body);
const paths = urls.filter((u) => !/\.(jpe?g|png|gif|webp)$/i.test(u)).map((u) => new URL(u).pathname);

// Feeds: the site's three and every section's, tag's and author's Atom feed.
const feedPaths = ['/feed.xml', '/rss.xml', ...paths.filter((p) => /^\/(category|tag|author)\/[^/]+\/$/.test(p)).map((p) => `${p}feed.xml`)];
let feedItems = 0;
for (const url of feedPaths) {
  const { status, body } = await get(url);
  try {
    if (status !== 200) throw new Error(`HTTP ${status}`);
    const feed = parseFeed(body);
    if (!feed.title || feed.items.some((i) => !i.title || !i.url || !i.published)) throw new Error('an item lacks a title, link or date');
    feedItems += feed.items.length;
  } catch (err) {
    problems.push(`${url}: ${err.message}`);
  }
}
const json = JSON.parse((await get('/feed.json')).body);
if (json.version !== 'https://jsonfeed.org/version/1.1' || !Array.isArray(json.items) || extractFromJson(json).entries.length !== json.items.length) {
  problems.push('/feed.json: not a JSON Feed 1.1 an independent parser reads the same');
}

// HTML: the front page, every kind of listing and index, the 404 page, and post pages.
const postPaths = paths.filter((p) => /^\/\d{4}\/\d{2}\/\d{2}\/[^/]+\/$/.test(p)).slice(0, args.pages);
const pagePaths = [...new Set(['/', '/page/2/', '/categories/', '/tags/', '/authors/', '/no/such/page/',
  ...paths.filter((p) => /^\/(category|tag|author)\//.test(p)).slice(0, 20),
  ...paths.filter((p) => /^\/\d{4}\/(\d{2}\/)?$/.test(p)).slice(0, 10),
  ...postPaths])];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-vnu-'));
const files = [];
for (const [i, url] of pagePaths.entries()) {
  const { body } = await get(url);
  const file = path.join(dir, `${i}.html`);
  fs.writeFileSync(file, body);
  files.push([file, url]);
}
const vnu = createRequire(import.meta.url)('vnu-jar');
let report;
try {
  report = execFileSync('java', ['-jar', vnu, '--format', 'json', ...files.map(([f]) => f)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
} catch (err) {
  report = err.stderr;
}
const messages = JSON.parse(report || '{"messages":[]}').messages;
const byFile = new Map(files.map(([f, url]) => [`file:${f}`, url]));
const counts = { error: 0, info: 0, warning: 0 };
const kinds = new Map();
for (const m of messages) {
  const type = m.type === 'info' && m.subType === 'warning' ? 'warning' : m.type;
  counts[type] = (counts[type] ?? 0) + 1;
  const key = `${type}: ${m.message.replace(/\s+/g, ' ').slice(0, 140)}`;
  kinds.set(key, [...(kinds.get(key) ?? []), byFile.get(m.url) ?? m.url]);
  if (type === 'error' && !/allow-scripts.*allow-same-origin/.test(m.message)) problems.push(`${byFile.get(m.url)}: ${m.message}`);
}
fs.rmSync(dir, { recursive: true, force: true });
await server.stop();

console.log(`\nposts folder: ${posts}`);
console.log(`sitemaps: ${urls.length} URLs, well-formed, schema element names only`);
console.log(`feeds: ${feedPaths.length + 1} (site Atom, RSS, JSON Feed + one Atom per section, tag, author) parsed independently, ${feedItems} items`);
console.log(`Nu Html Checker: ${pagePaths.length} pages (${postPaths.length} posts): ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`);
for (const [kind, where] of kinds) console.log(`  ${where.length} × ${kind} (e.g. ${where[0]})`);
if (problems.length > 0) {
  console.log(`\n${problems.length} problems:`);
  for (const p of problems.slice(0, 50)) console.log(`  ${p}`);
  process.exit(1);
}
console.log('\nno problems');
