// Property-based: random strings (hostile characters over-represented) in every front
// matter field of several posts. Whatever they are, the site starts, the good post is
// served, URLs stay plain paths on the site, every feed and sitemap is well-formed XML,
// and no page, feed or JSON-LD block carries an executable script, an event handler or
// a dangerous URL.
import fc from 'fast-check';
import { parseFeed } from '@rowanmanning/feed-parser';
import t from 'tap';
import { build, makeSite } from '../helpers/build.js';
import { feedHtmlFields, unsafeParts } from '../helpers/safety.js';
import { xmlProblems } from '../helpers/xml.js';

const NASTY = [
  '</script><script>alert(1)</script>', '"><img src=x onerror=alert(1)>', ']]>', '<![CDATA[', '&amp;', '&', '<', '>', '"', "'",
  'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '../../etc/passwd', '//evil.example/x/', '\\', '\u2028',
  '\u202e', '\u0000', '\u0007', '{{ site.baseurl }}', '---', '#', '*', '`', '[x](javascript:alert(1))', 'onload=', '%2e%2e/',
  '<svg onload=alert(1)>', ':year/:title', 'ü', '北京', '🚀',
];

const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...NASTY),
  fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 4 })), { maxLength: 8 }).map((parts) => parts.join('')),
);

const frontMatterValue = fc.oneof(hostileString, fc.array(hostileString, { maxLength: 4 }));

const post = fc.record({
  title: hostileString,
  author: frontMatterValue,
  categories: frontMatterValue,
  tags: frontMatterValue,
  excerpt: hostileString,
  image: hostileString,
  slug: hostileString,
  permalink: hostileString,
  featured: hostileString,
  date: fc.oneof(fc.constant('2025-09-01T10:00:00'), hostileString),
  body: hostileString,
});

/** YAML from JSON values: JSON is YAML's flow syntax, so any string survives quoting. */
function toFile(fields: Record<string, unknown>): string {
  const { body, ...front } = fields;
  return `---\n${Object.entries(front).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n')}\n---\n${String(body)}\n`;
}

t.test('random front matter never breaks the site or its safety', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(post, { minLength: 1, maxLength: 4 }), async (posts) => {
      const files: Record<string, string> = {
        'good.md': '---\ntitle: "The good story"\ndate: 2025-08-01T10:00:00\ncategories: [World]\n---\nGood body.\n',
      };
      posts.forEach((p, i) => (files[`random-${i}.md`] = toFile(p)));
      const { app } = await build(t, makeSite(t, files), { PAGE_SIZE: '50' });
      try {
        if ((await app.inject('/readyz')).statusCode !== 200) return false;
        const snapshot = app.content.snapshot;
        const good = snapshot.byFile.get('good.md');
        if (!good || (await app.inject(good.url)).statusCode !== 200) return false;
        const urls = ['/', '/categories/', '/tags/', '/authors/', ...snapshot.posts.map((p) => p.url)];
        for (const kind of ['categories', 'tags', 'authors'] as const) {
          const segment = { categories: 'category', tags: 'tag', authors: 'author' }[kind];
          urls.push(...snapshot[kind].terms.map((term) => `/${segment}/${term.slug}/`));
        }
        for (const url of urls) {
          if (!/^\/(?:[A-Za-z0-9._~-]+\/)*$/.test(url) || /\/\.\.?\//.test(url)) throw new Error(`URL ${JSON.stringify(url)} is not a plain path`);
          const res = await app.inject(url);
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
          const problems = unsafeParts(res.body, { allowSearchForm: true });
          if (problems.length > 0) throw new Error(`${url}: ${problems.join('; ')}`);
          for (const [, json] of res.body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
            JSON.parse(json!);
            if (json!.includes('<')) throw new Error(`${url}: raw < in JSON-LD`);
          }
        }
        for (const url of ['/sitemap.xml', '/news-sitemap.xml']) {
          const problems = xmlProblems((await app.inject(url)).body);
          if (problems.length > 0) throw new Error(`${url}: ${problems.join('; ')}`);
        }
        for (const url of ['/feed.xml', '/rss.xml']) {
          const xml = (await app.inject(url)).body;
          const problems = xmlProblems(xml);
          if (problems.length > 0) throw new Error(`${url}: ${problems.join('; ')}`);
          if (parseFeed(xml).items.length === 0) throw new Error(`${url}: no items`);
          for (const html of feedHtmlFields(xml)) {
            const problems = unsafeParts(html);
            if (problems.length > 0) throw new Error(`${url}: ${problems.join('; ')}`);
          }
        }
        const json = (await app.inject('/feed.json')).json() as { items: { content_html: string }[] };
        for (const item of json.items) if (unsafeParts(item.content_html).length > 0) throw new Error('feed.json: unsafe content');
        return true;
      } finally {
        await app.close();
      }
    }),
    { numRuns: 40 },
  );
  t.pass('40 random sites held every invariant');
});
