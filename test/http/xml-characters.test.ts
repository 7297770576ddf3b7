// Characters XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; unpaired
// surrogates), and those HTML calls errors (DEL, C1 controls, the other noncharacters),
// written into every field of a post: raw in the file, as YAML escapes, as character
// references in Markdown and in raw HTML, and in a file name that becomes a title. Every
// XML document stays well-formed (checked strictly, not by a lenient feed parser), no
// page or JSON carries them, and every post is still served.
import t, { type Test } from 'tap';
import { build, makeSite, type TestSite } from '../helpers/build.js';
import { UNUSABLE_CHAR, xmlProblems } from '../helpers/xml.js';

/** One of each kind, in the order of the rule's list. */
const BAD = '\u0001\u0008\u000B\u000C\u001B\u007F\u0085\u009F\uFDD0\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{10FFFF}';
/** The same as YAML escapes, plus an unpaired surrogate (only an escape can write one). */
const ESCAPED = '\\x01\\b\\v\\f\\e\\x7F\\x85\\x9F\\uFDD0\\uFFFE\\uFFFF\\U0001FFFE\\U0010FFFF\\uD800';
/** The same as character references. */
const REFERENCES = '&#1;&#8;&#11;&#12;&#x1B;&#x7F;&#x85;&#x9F;&#xFDD0;&#xFFFE;&#xFFFF;&#x1FFFE;&#x10FFFF;&#xD800;';

const recent = () => new Date(Date.now() - 3600_000).toISOString();

function writePosts(s: TestSite): void {
  s.write('raw.md', [
    '---',
    `title: "Raw${BAD} title"`,
    `date: ${recent()}`,
    `author: "Ana${BAD} Souza"`,
    `categories: [World, "Sec${BAD}tion"]`,
    // A space-separated string: Jekyll's other way of listing tags.
    `tags: "one${BAD} two"`,
    `excerpt: "Raw${BAD} summary"`,
    `image: "https://img.example/raw${BAD}.jpg"`,
    '---',
    `Raw${BAD} body.`,
    '',
    `## Heading${BAD}`,
    '',
    `\`code${BAD}\` and <span title="x${BAD}">html${BAD}</span>`,
    '',
  ].join('\n'));
  s.write('escaped.md', [
    '---',
    `title: "Esc${ESCAPED}aped title"`,
    `date: ${recent()}`,
    `author: ["Ben${ESCAPED} Okafor"]`,
    `categories: ["World${ESCAPED}"]`,
    `tags: ["Tag${ESCAPED}"]`,
    `excerpt: "Escaped${ESCAPED} summary"`,
    `image: "/assets/images/lead.jpg${ESCAPED}"`,
    `permalink: "/news/${ESCAPED}/"`,
    '---',
    'Escaped body.',
    '',
  ].join('\n'));
  s.write('references.md', [
    '---',
    'title: "References"',
    `date: ${recent()}`,
    'categories: [World]',
    `excerpt: "Summary ${REFERENCES} <b>${REFERENCES}</b>"`,
    '---',
    `In Markdown ${REFERENCES} text.`,
    '',
    `<p>In raw HTML ${REFERENCES} <a href="https://x.example/${REFERENCES}" title="${REFERENCES}">link</a>`,
    `<img alt="${REFERENCES}" src="/assets/images/lead.jpg"></p>`,
    '',
    `<div>\n${REFERENCES}\n</div>`,
    '',
    `[link](https://x.example/${REFERENCES} "${REFERENCES}")`,
    '',
  ].join('\n'));
  // No title and no heading: the title comes from the file name.
  s.write(`named${BAD.replace('\u0001', '')}.md`, `---\ndate: ${recent()}\ncategories: [World]\n---\nNameless.\n`);
}

async function site(t: Test, env: Record<string, string> = {}) {
  const s = makeSite(t);
  writePosts(s);
  return build(t, s, env);
}

/** Every string in a parsed JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

function unusable(text: string): string | null {
  const m = UNUSABLE_CHAR.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase()} near ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index))}` : null;
}

t.test('every post is served, its text without the characters', async (t) => {
  const { app } = await site(t);
  const snapshot = app.content.snapshot;
  t.equal(snapshot.posts.length, 4, 'no post skipped');
  const byFile = (file: string) => snapshot.byFile.get(file)!;
  t.equal(byFile('raw.md').title, 'Raw title');
  t.equal(byFile('escaped.md').title, 'Esc\uFFFDaped title', 'an unpaired surrogate becomes U+FFFD; the rest goes');
  t.equal(byFile('references.md').title, 'References');
  t.equal(snapshot.posts.toArray().find((p) => p.file.startsWith('named'))!.title, 'Named');
  t.same(byFile('raw.md').authors.map((a) => a.name), ['Ana Souza']);
  t.same(byFile('raw.md').tags.map((a) => a.name), ['one', 'two'], 'a space-separated list too');
  t.same(byFile('raw.md').categories.map((a) => a.name), ['World', 'Section']);
  t.same(byFile('escaped.md').tags.map((a) => a.name), ['Tag\uFFFD']);
  t.equal(byFile('raw.md').excerpt, 'Raw summary');
  t.equal(byFile('raw.md').image?.src, 'https://img.example/raw.jpg');
  for (const post of snapshot.posts) {
    for (const text of [post.title, post.excerpt ?? '', post.summary, post.image?.src ?? '', ...[...post.authors, ...post.categories, ...post.tags].map((r) => r.name)]) {
      t.equal(unusable(text), null, `${post.file}: ${JSON.stringify(text.slice(0, 40))}`);
    }
  }
});

t.test('every XML document is well-formed', async (t) => {
  const { app } = await site(t);
  const snapshot = app.content.snapshot;
  const urls = ['/feed.xml', '/rss.xml', '/sitemap.xml', '/news-sitemap.xml'];
  for (const kind of ['categories', 'tags', 'authors'] as const) {
    const segment = { categories: 'category', tags: 'tag', authors: 'author' }[kind];
    for (const term of snapshot[kind].terms) urls.push(`/${segment}/${term.slug}/feed.xml`);
  }
  for (const url of urls) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 200, url);
    t.same(xmlProblems(res.body), [], `${url}: well-formed`);
  }
  const feed = (await app.inject('/feed.xml')).body;
  t.equal([...feed.matchAll(/<entry>/g)].length, 4, 'every post is in the feed');
  t.equal([...(await app.inject('/news-sitemap.xml')).body.matchAll(/<news:title>/g)].length, 4, 'and in the news sitemap');
});

t.test('a sitemap index and its parts are well-formed', async (t) => {
  const { app } = await site(t, { SITEMAP_PART_SIZE: '3' });
  const index = (await app.inject('/sitemap.xml')).body;
  t.same(xmlProblems(index), []);
  const parts = [...index.matchAll(/<loc>https:\/\/news\.example\.com(\/sitemap-\d+\.xml)<\/loc>/g)].map((m) => m[1]!);
  t.ok(parts.length > 1, `${parts.length} parts`);
  for (const part of parts) t.same(xmlProblems((await app.inject(part)).body), [], part);
});

t.test('no HTML page or JSON carries the characters', async (t) => {
  const { app } = await site(t);
  const snapshot = app.content.snapshot;
  const pages = ['/', '/categories/', '/tags/', '/authors/', '/search/?q=body', '/search/?q=raw%01%EF%BF%BE%7F', '/nope/', ...snapshot.posts.map((p) => p.url)];
  for (const kind of ['categories', 'tags', 'authors'] as const) {
    const segment = { categories: 'category', tags: 'tag', authors: 'author' }[kind];
    for (const term of snapshot[kind].terms) pages.push(`/${segment}/${term.slug}/`);
  }
  for (const url of pages) {
    const res = await app.inject(url);
    t.equal(unusable(res.body), null, `${url}: HTML`);
    for (const [, json] of res.body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
      t.same(strings(JSON.parse(json!)).map(unusable).filter(Boolean), [], `${url}: JSON-LD`);
    }
  }
  for (const url of ['/feed.json', '/status.json']) {
    const res = await app.inject(url);
    t.same(strings(res.json()).map(unusable).filter(Boolean), [], url);
  }
});

t.test('text cut at a limit keeps whole characters', async (t) => {
  const rocket = '\u{1F680}';
  const s = makeSite(t);
  s.write('long.md', [
    '---',
    // Titles stop at 500 code units, term names at 100, excerpts at 200: each limit
    // falls in the middle of the rocket.
    `title: "${'T'.repeat(499)}${rocket}"`,
    `date: ${recent()}`,
    `tags: ["${'g'.repeat(99)}${rocket}"]`,
    '---',
    `${'b'.repeat(199)}${rocket}${'b'.repeat(20)}`,
    '',
  ].join('\n'));
  const { app } = await build(t, s);
  const post = app.content.snapshot.byFile.get('long.md')!;
  t.equal(post.title, `${'T'.repeat(499)}…`);
  t.equal(post.tags[0]!.name, 'g'.repeat(99));
  t.equal(post.summary, `${'b'.repeat(199)}…`);
  for (const url of ['/feed.xml', '/rss.xml', '/news-sitemap.xml', `/tag/${post.tags[0]!.slug}/feed.xml`]) {
    t.same(xmlProblems((await app.inject(url)).body), [], url);
  }
  t.equal(unusable((await app.inject(post.url)).body), null, 'the post page');
});
