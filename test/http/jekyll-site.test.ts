// A Jekyll/Mediumish site moved as it is (issue 10): test/fixtures/mediumish is a site
// of our own making with a Mediumish-style _config.yml (settings, authors, permalink),
// _data/authors.yml, a redirects.yaml and posts using the theme's keys. Every check is
// what a reader, a crawler or a feed reader sees.
import t, { type Test } from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
import { mediumishSite, ORIGIN } from '../helpers/mediumish.js';

/** The app on the fixture with no site settings in the environment: _config.yml's apply. */
async function courier(t: Test, env: Record<string, string> = {}) {
  const site = mediumishSite(t);
  const built = await build(t, site, { SITE_URL: undefined, SITE_TITLE: undefined, ...env });
  const get = (url: string) => built.app.inject(url);
  return { site, ...built, get };
}

function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
}

/** The text of the first element with `class` (a rough cut, enough for these pages). */
function section(html: string, marker: string, end: string): string {
  const start = html.indexOf(marker);
  return start === -1 ? '' : html.slice(start, html.indexOf(end, start + marker.length));
}

t.test('site settings come from _config.yml: title, description, url, time zone, paginate, logo', async (t) => {
  const { app, get, logs } = await courier(t);
  t.equal(app.config.siteTitle, 'The Calder Courier');
  const home = await get('/');
  t.match(home.body, /<title>The Calder Courier<\/title>/);
  t.match(home.body, /<meta name="description" content="News from the Calder Coast, told by the people who live there.">/);
  t.match(home.body, /<link rel="canonical" href="https:\/\/courier\.example\.org\/">/, 'absolute URLs from its url');
  const post = await get('/harbour-tunnel-vote/');
  t.match(post.body, /datetime="2026-03-02T18:30:00\+01:00"/, 'zone-less dates in its time zone');
  const article = jsonLd(post.body).find((d) => d['@type'] === 'NewsArticle') as { publisher: { logo: { url: string } } };
  t.equal(article.publisher.logo.url, `${ORIGIN}/assets/images/courier-logo.png`, 'its logo');
  t.equal(app.site.settings.pageSize, 4, 'its paginate');
  t.ok(logs.some((l) => l.msg === 'site data read'), 'the data files are named in the log');
});

t.test('environment variables win over _config.yml', async (t) => {
  const { get } = await courier(t, { SITE_TITLE: 'Courier (staging)', SITE_URL: 'https://staging.example.org', PAGE_SIZE: '2' });
  const home = await get('/');
  t.match(home.body, /<title>Courier \(staging\)<\/title>/);
  t.match(home.body, /href="https:\/\/staging\.example\.org\/"/);
  t.equal((await get('/page/2/')).statusCode, 200, 'two a page');
  t.equal((await get('/page/3/')).statusCode, 404);
});

t.test('bylines, feeds and JSON-LD use the profiles of both author files', async (t) => {
  const { get, logs } = await courier(t);
  const home = await get('/');
  t.match(home.body, /rel="author">Maria Reyes<\/a>/, 'from the authors map of _config.yml');
  t.match(home.body, /rel="author">Thi Nguyen<\/a>/, 'from _data/authors.yml');
  t.match(home.body, /rel="author">Ben Adeley<\/a>/);
  t.notMatch(home.body, /rel="author">mreyes</, 'never the key when there is a profile');
  const post = await get('/harbour-tunnel-vote/');
  t.match(post.body, /<a href="\/author\/mreyes\/" rel="author">Maria Reyes<\/a>/);
  const person = (jsonLd(post.body).find((d) => d['@type'] === 'NewsArticle') as { author: Record<string, unknown>[] }).author[0];
  t.same(person, {
    '@type': 'Person',
    name: 'Maria Reyes',
    url: `${ORIGIN}/author/mreyes/`,
    image: 'https://www.gravatar.com/avatar/3b2cc14b8a4d5d4ba5e6d4a0b2b0f5a1?s=256&d=identicon',
    sameAs: ['https://courier.example.org/about/maria/', 'https://twitter.com/mariareyes_cc'],
  });
  const rss = (await get('/rss.xml')).body;
  t.match(rss, /<dc:creator>Maria Reyes<\/dc:creator>/, 'RSS names');
  t.match(rss, /<dc:creator>Thi Nguyen<\/dc:creator>/);
  t.match((await get('/feed.xml')).body, /<author>\s*<name>Ben Adeley<\/name>/, 'Atom names');
  t.match((await get('/feed.json')).body, /"name":"Maria Reyes"/, 'JSON Feed names');
  for (const url of ['/', '/harbour-tunnel-vote/', '/author/mreyes/', '/feed.xml', '/rss.xml', '/feed.json']) {
    t.notMatch((await get(url)).body, /maria\.reyes@/, `no e-mail address on ${url}`);
  }
  const authors = (await get('/authors/')).body;
  t.ok(authors.indexOf('Ben Adeley') < authors.indexOf('Maria Reyes') && authors.indexOf('Maria Reyes') < authors.indexOf('Thi Nguyen'), 'the authors page sorts by the shown names');
  const merged = logs.find((l) => l.msg === 'authors in both _config.yml and _data/authors: _data/authors wins field by field');
  t.match(merged, { file: /_data\/authors\.yml$/, over: /_config\.yml$/, authors: ['badely'] }, 'both files: logged, _data wins');
  t.ok(logs.some((l) => l.msg === 'site data file problem' && /favourite_colour/.test(String(l.reason))), 'an unknown key is logged');
});

t.test('an author page shows the profile, then the stories', async (t) => {
  const { get } = await courier(t);
  const ben = await get('/author/badely/');
  t.equal(ben.statusCode, 200);
  t.match(ben.body, /<h1 class="listing__title">Ben Adeley<\/h1>/);
  t.match(ben.body, /<img class="profile__avatar" src="\/assets\/images\/ben-adeley\.svg"/, 'a local avatar');
  t.match(ben.body, /<p class="profile__bio">Science desk: the sea, the shore and the people who study both\.<\/p>/, '_data/authors.yml wins field by field');
  t.match(ben.body, /<meta property="og:type" content="profile">/);
  // Link previews do not show SVG: no og:image for an SVG avatar; JSON-LD names it.
  t.notMatch(ben.body, /<meta property="og:image"/);
  t.match(ben.body, /"image":"https:\/\/courier\.example\.org\/assets\/images\/ben-adeley\.svg"/);
  t.ok(ben.body.indexOf('profile__bio') < ben.body.indexOf('Seagrass survey'), 'the stories after the profile');
  const thi = await get('/author/tnguyen/');
  t.match(thi.body, /<a href="https:\/\/x\.com\/thinguyen_health" rel="me noopener noreferrer">X \(Twitter\)<\/a>/, 'a handle becomes a link');
  t.match(thi.body, /src="\/assets\/images\/thi-nguyen\.svg"/);
  const page = jsonLd(thi.body).find((d) => d['@type'] === 'ProfilePage') as { mainEntity: { name: string } };
  t.equal(page.mainEntity.name, 'Thi Nguyen');
  const hana = await get('/author/hana-okafor/');
  t.match(hana.body, /<h1 class="listing__title">hana\.okafor<\/h1>/, 'no profile: the key is the name');
  t.notMatch(hana.body, /class="profile"/);
});

t.test('the permalink of _config.yml is where posts are served (PERMALINK_MODE=serve)', async (t) => {
  const { get } = await courier(t);
  t.equal((await get('/harbour-tunnel-vote/')).statusCode, 200, '/:title/');
  t.match((await get('/')).body, /href="\/harbour-tunnel-vote\/"/, 'and linked');
  t.equal((await get('/2026/03/02/harbour-tunnel-vote/')).statusCode, 404);
  const old = await get('/harbour-tunnel-vote.html');
  t.equal(old.statusCode, 301, 'the Jekyll .html form leads there');
  t.equal(old.headers.location, '/harbour-tunnel-vote/');
});

t.test('PERMALINK_MODE=redirect: our URLs, and every URL of the old pattern answers 301', async (t) => {
  const { get } = await courier(t, { PERMALINK_MODE: 'redirect' });
  t.equal((await get('/2026/03/02/harbour-tunnel-vote/')).statusCode, 200);
  for (const old of ['/harbour-tunnel-vote/', '/harbour-tunnel-vote', '/harbour-tunnel-vote.html']) {
    const res = await get(old);
    t.equal(res.statusCode, 301, old);
    t.equal(res.headers.location, '/2026/03/02/harbour-tunnel-vote/');
  }
});

t.test('redirect_from, aliases, redirects.yaml and the old baseurl answer 301', async (t) => {
  const { get } = await courier(t);
  const cases: [string, number, string][] = [
    ['/tunnel/', 301, '/harbour-tunnel-vote/'],
    ['/tunnel', 301, '/harbour-tunnel-vote/'],
    ['/2026/03/02/tunnel-vote.html', 301, '/harbour-tunnel-vote/'],
    ['/science/seagrass-2026/', 301, '/seagrass-survey/'],
    ['/old-news/', 301, '/'],
    ['/archive/2019/harbour-tunnel-vote/?utm_source=mail', 301, '/harbour-tunnel-vote/?utm_source=mail'],
    ['/live/', 302, 'https://live.courier.example.org/'],
    ['/courier/harbour-tunnel-vote/', 301, '/harbour-tunnel-vote/'],
    ['/courier/category/politics/?page=1', 301, '/category/politics/?page=1'],
    ['/rowing-results/', 301, 'https://sport.courier.example.org/rowing-2026/'],
  ];
  for (const [url, status, location] of cases) {
    const res = await get(url);
    t.equal(res.statusCode, status, `${url} answers ${status}`);
    t.equal(res.headers.location, location, `${url} leads to ${location}`);
  }
  const res = await get('/tunnel/');
  t.match(res.headers['cache-control'], /max-age=60/, 'redirects carry their Cache-Control');
  t.match(String(res.headers.xkey), /\bmissing\b/, 'and the missing key');
  t.equal((await get('/nowhere/')).statusCode, 404, 'anything else is still a 404');
});

t.test('a redirect_to post stays listed, out of the sitemaps', async (t) => {
  const { get } = await courier(t);
  t.match((await get('/category/sport/')).body, /Rowing club takes three medals/);
  t.notMatch((await get('/sitemap.xml')).body, /rowing-results/);
});

t.test('an expired post is gone from everything and answers 410, after a restart too', async (t) => {
  const { get } = await courier(t);
  t.equal((await get('/market-notice/')).statusCode, 410);
  for (const url of ['/', '/category/business/', '/author/tnguyen/', '/feed.xml', '/sitemap.xml', '/search/?q=market']) {
    t.notMatch((await get(url)).body, /Fish market closes/, `not on ${url}`);
  }
});

t.test('noindex: meta and X-Robots-Tag, out of the sitemaps, still listed', async (t) => {
  const { get } = await courier(t);
  const review = await get('/ferry-review/');
  t.equal(review.headers['x-robots-tag'], 'noindex');
  t.match(review.body, /<meta name="robots" content="noindex">/);
  t.notMatch((await get('/sitemap.xml')).body, /ferry-review/);
  t.match((await get('/feed.xml')).body, /night ferry/);
  const again = await get('/ferry-review/');
  t.equal(again.headers['x-robots-tag'], 'noindex', 'the cached page too');
  t.notOk((await get('/harbour-tunnel-vote/')).headers['x-robots-tag'], 'other posts have none');
});

t.test('rating: stars on the page and a Review in JSON-LD, as Mediumish writes it', async (t) => {
  const { get } = await courier(t);
  const review = await get('/ferry-review/');
  t.match(review.body, /<span class="rating__stars" aria-hidden="true">★★★★<span class="rating__half">★<\/span><\/span> <span class="visually-hidden">Rated 4\.5 out of 5<\/span>/);
  const data = jsonLd(review.body).find((d) => d['@type'] === 'Review') as Record<string, unknown>;
  t.match(data, {
    itemReviewed: { '@type': 'Thing', name: 'Review: the new night ferry to Halloway Bay' },
    author: { '@type': 'Person', name: 'Maria Reyes' },
    datePublished: '2026-03-08T20:00:00+01:00',
    reviewRating: { '@type': 'Rating', ratingValue: 4.5, bestRating: 5 },
  });
  t.notMatch((await get('/harbour-tunnel-vote/')).body, /"Review"|rating__stars/, 'no rating, no stars');
});

t.test('the front page: the featured block (hidden stories too), then the other stories', async (t) => {
  const { get } = await courier(t);
  const home = (await get('/')).body;
  const featured = section(home, '<section class="featured"', '</section>');
  t.match(featured, /<h2 class="featured__title" id="featured-title">Featured<\/h2>/);
  t.match(section(featured, 'card--lead', '</article>'), /Seagrass survey finds meadows/, 'the newest featured story leads, hidden or not');
  t.match(featured, /Council backs a harbour tunnel/, 'the other featured story in the block');
  const list = home.slice(home.indexOf('</section>', home.indexOf('<section class="featured"')));
  t.notMatch(list, /Seagrass survey|harbour tunnel over/, 'neither in the list after it');
  t.match(list, /Clinics open late/);
  t.notMatch((await get('/page/2/')).body, /Seagrass survey/, 'a hidden story is in no page of the list');
  t.match((await get('/category/science/')).body, /Seagrass survey/, 'but listed everywhere else');
});

t.test('FEATURED_SIZE bounds the block', async (t) => {
  const { get } = await courier(t, { FEATURED_SIZE: '1' });
  const home = (await get('/')).body;
  const featured = section(home, '<section class="featured"', '</section>');
  t.match(featured, /Seagrass survey/, 'one featured story: the block holds the lead alone');
  t.notMatch(featured, /Council backs a harbour tunnel/);
  t.match(home, /Council backs a harbour tunnel/, 'the next featured story is back in the list');
});

t.test('toc: true with beforetoc: a table of contents from the headings', async (t) => {
  const { get } = await courier(t);
  const page = (await get('/seagrass-survey/')).body;
  t.match(page, /<p class="toc-intro"><em>The survey in brief, then the details\.<\/em><\/p>\s*<nav class="toc" aria-label="Contents">/);
  t.match(page, /<ol><li><a href="#how-the-survey-worked">How the survey worked<\/a><ol><li><a href="#counting-shoots">Counting shoots<\/a><\/li><\/ol><\/li><li><a href="#what-the-numbers-say">What the numbers say<\/a><\/li><li><a href="#what-the-numbers-say-2">What the numbers say<\/a><\/li><\/ol><\/nav>/);
  t.match(page, /<h2 id="how-the-survey-worked">How the survey worked<\/h2>/, 'the headings are the anchors');
  t.match(page, /<h3 id="counting-shoots">/);
  t.match(page, /<h2 id="what-the-numbers-say-2">/, 'ids are unique');
  t.notMatch((await get('/harbour-tunnel-vote/')).body, /class="toc"/, 'only when asked for');
});

t.test('Liquid in bodies renders as Jekyll rendered it', async (t) => {
  const { get, logs } = await courier(t);
  const page = (await get('/clinic-hours/')).body;
  const body = section(page, '<div class="article__body prose">', '<footer');
  t.match(body, /<a href="\/clinics\/">clinic page<\/a>/, '{{ site.baseurl }}');
  t.match(body, /<a href="https:\/\/courier\.example\.org\/clinics\/all\/">full list<\/a>/, '{{ site.url }}');
  t.match(body, /<a href="\/harbour-tunnel-vote\/">the harbour tunnel<\/a>/, '{% post_url %}');
  t.match(body, /<a href="\/seagrass-survey\/">seagrass survey<\/a>/, '{% link %}');
  t.match(body, /<a href="\/assets\/files\/clinic-hours\.pdf">opening times<\/a>/, '{% link %} to a file that is not a post');
  t.match(body, /<a>last year's story<\/a>/, 'a post that is not there: the text, linking nowhere');
  t.match(body, /<pre><code class="language-yaml">clinic: Port Aldren General\nhours: "08:00-20:00"\n<\/code><\/pre>/, '{% highlight %}');
  t.match(body, /wrap it: \{\{ page\.title \}\}\./, '{% raw %} keeps its text');
  t.notMatch(body.replace('{{ page.title }}', ''), /\{%|%\}|\{\{|\}\}/, 'no other braces');
  t.notMatch(body, /share-buttons/, '{% include %} dropped');
  const warning = logs.find((l) => l.msg === 'post loaded with warnings' && l.file === '2026-03-06-clinic-hours.md');
  t.match(warning?.warnings, [/\{% include share-buttons\.html %\} is not supported/], 'and logged, naming the file');
});

t.test('a rating in whole stars, on a story with no author: the Review is by the publisher', async (t) => {
  const site = makeSite(t, { 'a.md': postText({ title: 'Tasting menu reviewed', date: '2025-09-01T10:00:00Z', rating: 3 }) });
  const { app } = await build(t, site);
  const page = (await app.inject('/2025/09/01/tasting-menu-reviewed/')).body;
  t.match(page, /<span class="rating__stars" aria-hidden="true">★★★☆☆<\/span>/);
  const data = jsonLd(page).find((d) => d['@type'] === 'Review') as Record<string, unknown>;
  t.match(data, { author: { '@type': 'Organization', name: 'The Test Times' }, reviewRating: { ratingValue: 3 } });
});
