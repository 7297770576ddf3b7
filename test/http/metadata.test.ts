// Search-engine and social metadata on each page type, and JSON-LD that no field can
// break out of.
import t, { type Test } from 'tap';
import { build, leadVariant, makeSite, postText, SITE_URL } from '../helpers/build.js';

const EVIL = '</script><script>alert(1)</script> & "quotes" <!-- \u2028 -->';
/** Front matter text has its whitespace (U+2028 included) collapsed. */
const EVIL_TEXT = EVIL.replace(/\s+/g, ' ');

async function site(t: Test) {
  return build(t, makeSite(t, {
    'lead.md': postText(
      { title: 'Harbour reopens', date: '2025-09-03T10:00:00', last_modified_at: '2025-09-04T12:30:00', author: ['Ana Souza', 'Ben Okafor'], categories: ['World'], tags: ['Ports', 'AI'], image: 'assets/images/lead.jpg', image_alt: 'Cranes at the reopened quay', excerpt: 'The harbour is open again.' },
    ),
    'plain.md': postText({ title: 'No image here', date: '2025-09-02T10:00:00', categories: ['World'] }),
    'evil.md': postText({ title: EVIL, date: '2025-09-01T10:00:00', author: EVIL, categories: [EVIL], tags: [EVIL], excerpt: EVIL }),
  }), { SITE_TIMEZONE: 'Europe/Berlin', PUBLISHER_NAME: 'Test Media Group', PUBLISHER_LOGO: '/assets/images/lead.jpg', SITE_LANGUAGE: 'en-GB' });
}

function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
}

function meta(html: string, attr: 'property' | 'name', key: string): string[] {
  return [...html.matchAll(new RegExp(`<meta ${attr}="${key}" content="([^"]*)">`, 'g'))].map((m) => m[1]!);
}

t.test('post page: OpenGraph article, Twitter card, NewsArticle and BreadcrumbList', async (t) => {
  const { app } = await site(t);
  const html = (await app.inject('/2025/09/03/harbour-reopens/')).body;
  const url = `${SITE_URL}/2025/09/03/harbour-reopens/`;
  t.match(html, /<title>Harbour reopens – The Test Times<\/title>/);
  t.match(html, /<meta name="description" content="The harbour is open again\.">/);
  t.match(html, `<link rel="canonical" href="${url}">`);
  t.same(meta(html, 'property', 'og:type'), ['article']);
  t.same(meta(html, 'property', 'og:url'), [url]);
  t.same(meta(html, 'property', 'og:image'), [`${SITE_URL}${leadVariant(1280)}`], 'the 1280 px JPEG variant');
  t.same(meta(html, 'property', 'og:image:width'), ['1280']);
  t.same(meta(html, 'property', 'og:image:height'), ['720']);
  t.same(meta(html, 'property', 'og:image:alt'), ['Cranes at the reopened quay']);
  t.same(meta(html, 'property', 'og:locale'), ['en_GB']);
  t.same(meta(html, 'property', 'article:published_time'), ['2025-09-03T10:00:00+02:00']);
  t.same(meta(html, 'property', 'article:modified_time'), ['2025-09-04T12:30:00+02:00']);
  t.same(meta(html, 'property', 'article:section'), ['World']);
  t.same(meta(html, 'property', 'article:tag'), ['Ports', 'AI']);
  t.same(meta(html, 'property', 'article:author'), [`${SITE_URL}/author/ana-souza/`, `${SITE_URL}/author/ben-okafor/`]);
  t.same(meta(html, 'name', 'twitter:card'), ['summary_large_image']);
  t.same(meta(html, 'name', 'twitter:image'), [`${SITE_URL}${leadVariant(1280)}`]);
  t.same(meta(html, 'name', 'twitter:image:alt'), ['Cranes at the reopened quay']);

  const [article, crumbs] = jsonLd(html);
  t.same(article, {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: 'Harbour reopens',
    description: 'The harbour is open again.',
    image: [`${SITE_URL}${leadVariant(1280)}`],
    datePublished: '2025-09-03T10:00:00+02:00',
    dateModified: '2025-09-04T12:30:00+02:00',
    author: [
      { '@type': 'Person', name: 'Ana Souza', url: `${SITE_URL}/author/ana-souza/` },
      { '@type': 'Person', name: 'Ben Okafor', url: `${SITE_URL}/author/ben-okafor/` },
    ],
    publisher: { '@type': 'Organization', name: 'Test Media Group', url: `${SITE_URL}/`, logo: { '@type': 'ImageObject', url: `${SITE_URL}/assets/images/lead.jpg` } },
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    articleSection: 'World',
    keywords: ['Ports', 'AI'],
    inLanguage: 'en-GB',
  });
  t.same(crumbs, {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: [
      { '@type': 'ListItem', position: 1, name: 'The Test Times', item: `${SITE_URL}/` },
      { '@type': 'ListItem', position: 2, name: 'World', item: `${SITE_URL}/category/world/` },
      { '@type': 'ListItem', position: 3, name: 'Harbour reopens', item: url },
    ],
  });
});

t.test('a post without an image gets a summary card and no image fields', async (t) => {
  const { app } = await site(t);
  const html = (await app.inject('/2025/09/02/no-image-here/')).body;
  t.same(meta(html, 'name', 'twitter:card'), ['summary']);
  t.same(meta(html, 'property', 'og:image'), []);
  const [article] = jsonLd(html);
  t.notOk('image' in article!);
  t.equal(article!.dateModified, article!.datePublished, 'dateModified falls back to datePublished');
});

t.test('front page: WebSite JSON-LD and website OpenGraph', async (t) => {
  const { app } = await site(t);
  const html = (await app.inject('/')).body;
  t.same(meta(html, 'property', 'og:type'), ['website']);
  t.same(jsonLd(html), [{
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: 'The Test Times',
    description: 'News, analysis and reporting.',
    url: `${SITE_URL}/`,
    inLanguage: 'en-GB',
    publisher: { '@type': 'Organization', name: 'Test Media Group', url: `${SITE_URL}/`, logo: { '@type': 'ImageObject', url: `${SITE_URL}/assets/images/lead.jpg` } },
    potentialAction: {
      '@type': 'SearchAction',
      target: { '@type': 'EntryPoint', urlTemplate: `${SITE_URL}/search/?q={search_term_string}` },
      'query-input': 'required name=search_term_string',
    },
  }]);
});

t.test('listing and index pages: title, description, canonical, OpenGraph, no JSON-LD', async (t) => {
  const { app } = await site(t);
  for (const [url, title] of [['/category/world/', 'World'], ['/tags/', 'Tags'], ['/2025/09/', 'September 2025']] as const) {
    const html = (await app.inject(url)).body;
    t.match(html, `<title>${title} – The Test Times</title>`, url);
    t.match(html, `<link rel="canonical" href="${SITE_URL}${url}">`);
    t.same(meta(html, 'property', 'og:title'), [title]);
    t.same(meta(html, 'name', 'twitter:card'), ['summary']);
    t.ok(meta(html, 'name', 'description')[0]?.length, 'a description');
    t.same(jsonLd(html), []);
  }
});

t.test('JSON-LD is safe against </script> in any field', async (t) => {
  const { app } = await site(t);
  const html = (await app.inject('/2025/09/01/script-script-alert-1-script-and-quotes/')).body;
  t.equal([...html.matchAll(/<script/g)].length, 2, 'only the two JSON-LD blocks');
  const [article, crumbs] = jsonLd(html) as [Record<string, unknown>, { itemListElement: { name: string }[] }];
  t.equal(article.headline, EVIL_TEXT, 'the headline round-trips exactly');
  t.equal(article.description, 'alert(1) & "quotes"', 'the excerpt, flattened to plain text');
  t.equal((article.author as { name: string }[])[0]!.name, EVIL_TEXT);
  t.equal(article.articleSection, EVIL_TEXT);
  t.same(article.keywords, [EVIL_TEXT]);
  t.equal(crumbs.itemListElement[1]!.name, EVIL_TEXT);
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  for (const block of blocks) t.notMatch(block, /<|>/, 'no raw < or > inside the block');
  t.match(html, /<title>&lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot; &lt;!-- /);
  t.notMatch(html, /<script>alert/);
});
