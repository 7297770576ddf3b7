// The front matter keys a Jekyll, Hugo or Mediumish site brings along (issue 10):
// redirects, expiry, indexing controls, rating, table of contents, Liquid links and the
// site's permalink pattern. Pure: parsePost on fixture strings.
import t from 'tap';
import { parsePost, type ParseContext } from '../../src/content/parse-post.js';

const MTIME = new Date('2025-06-01T12:00:00Z');

function make(fm: string, ctx: ParseContext = { timeZone: 'UTC' }, body = 'Body.', file = 'x.md') {
  return parsePost({ file, text: `---\ntitle: The story\ndate: 2025-09-25 10:00:00\n${fm}\n---\n${body}`, modified: MTIME }, ctx);
}

t.test('redirect_from and aliases: old addresses as redirect keys', async (t) => {
  t.same(make('redirect_from: /old-story.html').post.redirectFrom, ['/old-story/']);
  t.same(make('redirect_from: [/a/, /a/index.html, b, "https://old.example.org/c/?x=1"]\naliases: /d').post.redirectFrom, ['/a/', '/b/', '/c/', '/d/']);
  const bad = make('redirect_from: ["/", "javascript:alert(1)", "/../etc/passwd", "/x/%2e%2e/y", "/a\\\\b", "//evil.example/"]');
  t.same(bad.post.redirectFrom, [], 'nothing that is not a plain path on this site');
  t.equal(bad.warnings.filter((w) => /redirect_from .* is not a path on this site: ignored/.test(w)).length, 6, 'each one logged');
  t.same(make('redirect_from: /2025/09/25/the-story/').post.redirectFrom, [], 'its own URL is not a redirect');
  t.same(make('redirect_from: "https://exa mple.com/x/"').post.redirectFrom, [], 'a URL that does not parse');
});

t.test('redirect_to: http(s) or a site path, nothing else', async (t) => {
  t.equal(make('redirect_to: https://sport.example.org/rowing/').post.redirectTo, 'https://sport.example.org/rowing/');
  t.equal(make('redirect_to: [/moved/, /other/]').post.redirectTo, '/moved/', 'the first of a list');
  t.equal(make('redirect_to: HTTP://Example.ORG/a/../b').post.redirectTo, 'http://example.org/b', 'normalised, dot segments gone');
  for (const value of ['javascript:alert(1)', '//evil.example/', 'relative/path', 'ftp://x.example/', '"/a b/"', '"https://exa mple.com/"', '"/a\\\\b"']) {
    const { post, warnings } = make(`redirect_to: ${value}`);
    t.equal(post.redirectTo, null, `${value} refused`);
    t.match(warnings, [/redirect_to .* is not an http\(s\) URL or a path from the site root: ignored/]);
  }
  t.equal(make('redirect_to: ""').post.redirectTo, null);
});

t.test('expires, expiryDate, unpublishdate: in the site time zone; bad values logged', async (t) => {
  t.equal(make('expires: 2025-10-01').post.expires?.toISOString(), '2025-10-01T00:00:00.000Z');
  t.equal(make('expiryDate: 2025-10-01 12:00:00', { timeZone: 'Europe/Berlin' }).post.expires?.toISOString(), '2025-10-01T10:00:00.000Z');
  t.equal(make('unpublishdate: 2025-10-01T00:00:00Z').post.expires?.toISOString(), '2025-10-01T00:00:00.000Z');
  t.equal(make('expirydate: 2025-10-02').post.expires?.toISOString(), '2025-10-02T00:00:00.000Z');
  const bad = make('expires: next tuesday');
  t.equal(bad.post.expires, null);
  t.match(bad.warnings, [/^expires ignored: /]);
  const early = make('expires: 2025-09-01');
  t.ok(early.post.expires, 'kept');
  t.match(early.warnings, [/expires is not after date: the post is never shown/]);
  t.equal(make('expires: ""').post.expires, null);
});

t.test('sitemap and noindex', async (t) => {
  t.equal(make('').post.sitemap, true);
  t.equal(make('sitemap: false').post.sitemap, false, "jekyll-sitemap's key");
  t.equal(make('sitemap: { disable: true }').post.sitemap, false, "Hugo's");
  t.equal(make('sitemap: { changefreq: weekly }').post.sitemap, true);
  t.equal(make('noindex: true').post.noindex, true);
  t.equal(make('').post.noindex, false);
});

t.test('rating: 0 to 5 in half steps', async (t) => {
  t.equal(make('rating: 4.5').post.rating, 4.5);
  t.equal(make('rating: "3"').post.rating, 3);
  t.equal(make('rating: 4.3').post.rating, 4.5, 'rounded to a half star');
  t.equal(make('').post.rating, null);
  for (const value of ['6', '-1', 'great', '[4]']) {
    const { post, warnings } = make(`rating: ${value}`);
    t.equal(post.rating, null, `${value} refused`);
    t.match(warnings, [/rating .* is not a number from 0 to 5: ignored/]);
  }
});

t.test('toc and beforetoc', async (t) => {
  t.same([make('toc: true\nbeforetoc: "In brief."').post.toc, make('toc: true\nbeforetoc: "In brief."').post.beforeToc], [true, 'In brief.']);
  t.equal(make('beforetoc: "In brief."').post.beforeToc, null, 'only with a table of contents');
  t.equal(make('toc: true').post.beforeToc, null);
});

t.test('Liquid in the body: links to resolve, includes and unknown tags logged', async (t) => {
  const { post, warnings } = make('', { timeZone: 'UTC' }, [
    '[a]({% post_url 2025-01-01-other %}) [b]({% link _posts/2025-01-02-more.md %})',
    '{% include share.html %} {% include_relative notes.md %} {% include %}',
    '{% assign x = 1 %}{% seo %}{% tweet 123 %}',
  ].join('\n'));
  t.same(post.links, ['post_url:2025-01-01-other', 'link:_posts/2025-01-02-more.md']);
  t.same(warnings, [
    'Liquid {% include share.html %} is not supported here: dropped from the body',
    'Liquid {% include notes.md %} is not supported here: dropped from the body',
    'Liquid {% include (unnamed) %} is not supported here: dropped from the body',
    'Liquid tag {% tweet %} is not supported here: dropped from the body',
  ]);
  t.same(make('').post.links, [], 'no Liquid, nothing to resolve');
});

t.test("the site's permalink pattern: served there, or an old address", async (t) => {
  const serve: ParseContext = { timeZone: 'UTC', sitePermalink: '/:title/' };
  const served = make('', serve).post;
  t.equal(served.url, '/the-story/');
  t.same(served.redirectFrom, [], 'served there: no redirect');
  const redirect = make('', { ...serve, permalinkMode: 'redirect' }).post;
  t.equal(redirect.url, '/2025/09/25/the-story/', 'redirect mode: our URL');
  t.same(redirect.redirectFrom, ['/the-story/'], 'and the pattern leads there');
  t.equal(make('permalink: /special/', serve).post.url, '/special/', "a post's own permalink wins");
  t.equal(make('categories: [World News]', { timeZone: 'UTC', sitePermalink: '/:categories/:year/:month/:day/:title:output_ext' }).post.url, '/world-news/2025/09/25/the-story/', "Jekyll's date style");
  const ordinal = make('', { timeZone: 'UTC', sitePermalink: '/:short_year/:i_month/:i_day/:y_day/:slug/' }).post;
  t.equal(ordinal.url, '/25/9/25/268/the-story/', 'every placeholder');
  t.equal(make('', { timeZone: 'UTC', sitePermalink: '/:title/', permalinkMode: 'redirect' }).post.redirectFrom.length, 1);
  t.equal(make('redirect_from: /the-story/', { timeZone: 'UTC', sitePermalink: '/:title/', permalinkMode: 'redirect' }).post.redirectFrom.length, 1, 'once');
});
