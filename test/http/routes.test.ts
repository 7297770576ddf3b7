// Every HTML page type of SPEC section 3 (search and feeds aside), through app.inject.
import t, { type Test } from 'tap';
import { build, leadVariant, makeSite, postText, SITE_URL } from '../helpers/build.js';

function site(t: Test) {
  const s = makeSite(t, {
    '2025-09-01-oldest.md': postText({ title: 'Oldest story', date: '2025-09-01T08:00:00', author: 'Ana Souza', categories: ['World'], tags: ['Climate'] }),
    'b.md': postText({ title: 'Budget vote tonight', date: '2025-09-02T09:00:00', author: ['Ana Souza', 'Ben Okafor'], categories: ['Politics'], tags: ['budget', 'AI'] }),
    'c.md': postText({ title: 'Harbour reopens', date: '2025-09-03T10:00:00', author: 'Ben Okafor', categories: ['World'], tags: ['ai'], image: 'assets/images/lead.jpg', last_modified_at: '2025-09-04T12:30:00' }, 'First paragraph of the harbour story.\n\n## More\n\nSecond paragraph.\n'),
    'd.md': postText({ title: 'Featured investigation', date: '2025-09-04T11:00:00', author: 'Cleo Park', categories: ['Investigations'], featured: true }),
    'e.md': postText({ title: 'Corrections', date: '2025-09-05T12:00:00', categories: ['Notices'], hidden: true }),
    'f.md': postText({ title: 'Market update', date: '2025-09-06T13:00:00', author: 'Ben Okafor', categories: ['Business'], tags: ['AI'] }),
    'g.md': postText({ title: 'Newest story', date: '2025-09-07T14:00:00', author: 'Ana Souza', categories: ['World'] }),
    'draft.md': postText({ title: 'Secret draft', date: '2025-09-03T00:00:00', published: false }),
    'future.md': postText({ title: 'From the future', date: '2999-01-01T00:00:00' }),
    'special.md': postText({ title: 'Special report', date: '2025-08-15T00:00:00', permalink: '/specials/report/' }),
  });
  return build(t, s, { PAGE_SIZE: '3', SITE_TIMEZONE: 'Europe/Berlin' });
}

t.test('front page: lead slot, then the others newest first, hidden ones left out', async (t) => {
  const { app } = await site(t);
  const res = await app.inject('/');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
  const lead = res.body.indexOf('card--lead');
  t.ok(lead > 0, 'has a lead card');
  t.match(res.body.slice(lead, lead + 800), /Featured investigation/, 'newest featured post leads');
  const cards = [...res.body.matchAll(/<h2 class="card__title"><a href="([^"]+)">([^<]+)</g)].map((m) => m[2]);
  t.same(cards, ['Featured investigation', 'Newest story', 'Market update', 'Harbour reopens'], 'lead + PAGE_SIZE others');
  t.notMatch(res.body, /Corrections/, 'hidden post not on the front page');
  t.notMatch(res.body, /Secret draft|From the future/);
  t.match(res.body, /<title>The Test Times<\/title>/);
  t.match(res.body, new RegExp(`<link rel="canonical" href="${SITE_URL}/">`));
  t.match(res.body, /<link rel="next" href="https:\/\/news\.example\.com\/page\/2\/">/);
  t.match(res.body, /<meta name="description" content="[^"]+">/);
});

t.test('front page pagination reaches every front-page post once', async (t) => {
  const { app } = await site(t);
  const seen: string[] = [];
  let url: string | null = '/';
  while (url) {
    const res: { statusCode: number; body: string } = await app.inject(url);
    t.equal(res.statusCode, 200, url);
    seen.push(...[...res.body.matchAll(/<h2 class="card__title"><a href="([^"]+)"/g)].map((m) => m[1]!));
    url = /<a class="pagination__step" href="([^"]+)" rel="next">/.exec(res.body)?.[1] ?? null;
  }
  t.equal(seen.length, 7, 'featured + 5 others + special report, hidden excluded');
  t.equal(new Set(seen).size, seen.length, 'no post twice');
  const page2 = await app.inject('/page/2/');
  t.match(page2.body, /<title>The Test Times – Page 2<\/title>/);
  t.match(page2.body, /<link rel="prev" href="https:\/\/news\.example\.com\/">/);
  t.match(page2.body, /<link rel="canonical" href="https:\/\/news\.example\.com\/page\/2\/">/);
  t.notMatch(page2.body, /card--lead/, 'the lead is only on page 1');
});

t.test('pagination edges', async (t) => {
  const { app } = await site(t);
  const one = await app.inject('/page/1/');
  t.equal(one.statusCode, 301);
  t.equal(one.headers.location, '/');
  for (const url of ['/page/0/', '/page/3/', '/page/99/', '/page/x/', '/page/02/', '/page/-1/', '/page/1.5/', '/category/world/page/0/', '/category/world/page/9/', '/category/world/page/abc/', '/2025/page/9/']) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 404, url);
    t.match(res.body, /Page not found/, `${url}: the site's own 404 page`);
  }
  const cat1 = await app.inject('/category/world/page/1/');
  t.equal(cat1.statusCode, 301);
  t.equal(cat1.headers.location, '/category/world/');
});

t.test('post page', async (t) => {
  const { app } = await site(t);
  const res = await app.inject('/2025/09/03/harbour-reopens/');
  t.equal(res.statusCode, 200);
  const html = res.body;
  t.match(html, /<h1 class="article__title">Harbour reopens<\/h1>/);
  t.match(html, /<title>Harbour reopens – The Test Times<\/title>/);
  t.match(html, /<a href="\/author\/ben-okafor\/" rel="author">Ben Okafor<\/a>/, 'byline links to the author page');
  t.match(html, /<a class="byline__date" href="\/2025\/09\/03\/"><time datetime="2025-09-03T10:00:00\+02:00">/, 'date with the site offset, linking to the day\'s archive');
  t.match(html, /Updated <time datetime="2025-09-04T12:30:00\+02:00">/, 'Updated when last_modified_at is set');
  t.ok(html.includes(`<figure class="article__image"><picture><source type="image/avif" srcset="${leadVariant(320, 'avif')} 320w`), 'lead image: a picture of variants');
  t.match(html, /<p>First paragraph of the harbour story\.<\/p>/, 'body rendered');
  t.match(html, /<h2>More<\/h2>/);
  t.match(html, /<a href="\/category\/world\/">World<\/a>/, 'category link');
  t.match(html, /<a href="\/tag\/ai\/" rel="tag">AI<\/a>/, "tag link, ai shown in the most common spelling AI");
  t.match(html, /Previous story<\/span> Budget vote tonight/, 'previous (older) post');
  t.match(html, /Next story<\/span> Featured investigation/, 'next (newer) post');
  t.match(html, /<link rel="canonical" href="https:\/\/news\.example\.com\/2025\/09\/03\/harbour-reopens\/">/);
  t.match(html, /<meta name="description" content="First paragraph of the harbour story\.">/, 'description from the first paragraph');
  t.match(html, /<meta property="og:type" content="article">/);
  t.ok(html.includes(`<meta property="og:image" content="${SITE_URL}${leadVariant(1280)}">`));
});

t.test('post pages: drafts and future posts are not served, hidden ones are, permalinks work', async (t) => {
  const { app } = await site(t);
  t.equal((await app.inject('/2025/09/03/secret-draft/')).statusCode, 404);
  t.equal((await app.inject('/2999/01/01/from-the-future/')).statusCode, 404);
  t.equal((await app.inject('/2025/09/05/corrections/')).statusCode, 200, 'hidden posts have their page');
  t.equal((await app.inject('/2025/09/05/nope/')).statusCode, 404);
  const special = await app.inject('/specials/report/');
  t.equal(special.statusCode, 200);
  t.match(special.body, /Special report/);
  const noSlash = await app.inject('/specials/report');
  t.equal(noSlash.statusCode, 301);
  t.equal(noSlash.headers.location, '/specials/report/');
  const oldJekyll = await app.inject('/world/2025/09/03/harbour-reopens.html');
  t.equal(oldJekyll.statusCode, 301, 'old Jekyll URLs redirect');
  t.equal(oldJekyll.headers.location, '/2025/09/03/harbour-reopens/');
  t.equal((await app.inject('/2025/09/03/unknown.html')).statusCode, 404);
  t.equal((await app.inject('/specials/report.html')).headers.location, '/specials/report/');
});

t.test('category, tag and author listings', async (t) => {
  const { app } = await site(t);
  const world = await app.inject('/category/world/');
  t.equal(world.statusCode, 200);
  t.match(world.body, /<h1 class="listing__title">World<\/h1>/);
  t.match(world.body, /<title>World – The Test Times<\/title>/);
  const titles = [...world.body.matchAll(/<h2 class="card__title"><a href="[^"]+">([^<]+)</g)].map((m) => m[1]);
  t.same(titles, ['Newest story', 'Harbour reopens', 'Oldest story']);
  const tag = await app.inject('/tag/ai/');
  t.match(tag.body, /<h1 class="listing__title">AI<\/h1>/, 'the most common spelling (AI twice, ai once)');
  t.equal([...tag.body.matchAll(/card__title/g)].length, 3, 'AI and ai are one tag');
  const author = await app.inject('/author/ben-okafor/');
  t.match(author.body, /<h1 class="listing__title">Ben Okafor<\/h1>/);
  t.equal([...author.body.matchAll(/card__title/g)].length, 3);
  const authorPage2 = await app.inject('/author/ana-souza/page/2/');
  t.equal(authorPage2.statusCode, 404, 'three posts fit on one page');
  t.match((await app.inject('/category/notices/')).body, /Corrections/, 'hidden posts appear in their listings');
  t.equal((await app.inject('/category/nope/')).statusCode, 404);
  t.equal((await app.inject('/tag/nope/')).statusCode, 404);
  t.equal((await app.inject('/author/nope/')).statusCode, 404);
});

t.test('listing pagination with rel=prev/next', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 7; i++) {
    files[`p${i}.md`] = postText({ title: `Story ${i}`, date: `2025-09-${String(i).padStart(2, '0')}`, categories: ['World'] });
  }
  const { app } = await build(t, makeSite(t, files), { PAGE_SIZE: '3' });
  const p1 = await app.inject('/category/world/');
  t.match(p1.body, /<link rel="next" href="https:\/\/news\.example\.com\/category\/world\/page\/2\/">/);
  t.notMatch(p1.body, /rel="prev"/);
  const p2 = await app.inject('/category/world/page/2/');
  t.equal(p2.statusCode, 200);
  t.match(p2.body, /<link rel="prev" href="https:\/\/news\.example\.com\/category\/world\/">/);
  t.match(p2.body, /<link rel="next" href="https:\/\/news\.example\.com\/category\/world\/page\/3\/">/);
  t.match(p2.body, /<link rel="canonical" href="https:\/\/news\.example\.com\/category\/world\/page\/2\/">/);
  t.match(p2.body, /<span aria-current="page">2<\/span>/);
  const p3 = await app.inject('/category/world/page/3/');
  t.equal([...p3.body.matchAll(/card__title/g)].length, 1);
  t.notMatch(p3.body, /rel="next"/);
  t.equal((await app.inject('/category/world/page/4/')).statusCode, 404);
  const year = await app.inject('/2025/page/3/');
  t.equal(year.statusCode, 200);
});

t.test('taxonomy index pages list every term with counts', async (t) => {
  const { app } = await site(t);
  const cats = await app.inject('/categories/');
  t.equal(cats.statusCode, 200);
  t.match(cats.body, /<a href="\/category\/world\/">World<\/a> <span class="term-list__count">3 stories<\/span>/);
  t.match(cats.body, /<a href="\/category\/politics\/">Politics<\/a> <span class="term-list__count">1 story<\/span>/);
  const tags = await app.inject('/tags/');
  t.match(tags.body, /<a href="\/tag\/budget\/">budget<\/a>/);
  const authors = await app.inject('/authors/');
  t.match(authors.body, /<a href="\/author\/ana-souza\/">Ana Souza<\/a> <span class="term-list__count">3 stories<\/span>/);
});

t.test('date archives', async (t) => {
  const { app } = await site(t);
  const year = await app.inject('/2025/');
  t.equal(year.statusCode, 200);
  t.match(year.body, /<h1 class="listing__title">2025<\/h1>/);
  t.match(year.body, /<a href="\/2025\/09\/">September 2025<\/a>/, 'the year links to its months');
  const month = await app.inject('/2025/09/');
  t.match(month.body, /<h1 class="listing__title">September 2025<\/h1>/);
  const day = await app.inject('/2025/09/03/');
  t.match(day.body, /<h1 class="listing__title">September 3, 2025<\/h1>/);
  t.match(day.body, /Harbour reopens/);
  for (const url of ['/2025/13/', '/2025/02/30/', '/2025/09/31/', '/2024/', '/2025/10/', '/0000/', '/2025/9/']) {
    t.equal((await app.inject(url)).statusCode, 404, url);
  }
});

t.test('trailing-slash redirects stay on the site', async (t) => {
  const { app } = await site(t);
  const cases: [string, string][] = [
    ['/category/world', '/category/world/'],
    ['/category/world?utm=x', '/category/world/?utm=x'],
    ['/2025', '/2025/'],
    ['/2025/09/03/harbour-reopens', '/2025/09/03/harbour-reopens/'],
    ['/tags', '/tags/'],
    ['//evil.example/', '/evil.example/'],
    ['//evil.example', '/evil.example'],
    ['/%5Cevil.example/', '/evil.example/'],
    ['///category//world', '/category/world'],
    ['//category/world?utm=x', '/category/world?utm=x'],
  ];
  for (const [url, location] of cases) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 301, url);
    t.equal(res.headers.location, location, url);
    t.notMatch(String(res.headers.location), /^\/\/|^\/\\|^https?:/, `${url}: never another host`);
  }
  t.equal((await app.inject('/no-such-page')).statusCode, 404, 'no redirect to a page that does not exist');
  t.equal((await app.inject('/evil.example/')).statusCode, 404);
});

t.test('other methods answer 405', async (t) => {
  const { app } = await site(t);
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const) {
    const res = await app.inject({ method, url: '/' });
    t.equal(res.statusCode, 405, method);
    t.equal(res.headers.allow, 'GET, HEAD');
  }
  t.equal((await app.inject({ method: 'POST', url: '/nope/' })).statusCode, 405);
});

t.test('the 404 page', async (t) => {
  const { app } = await site(t);
  const res = await app.inject('/this/does/not/exist/');
  t.equal(res.statusCode, 404);
  t.match(res.headers['content-type'], /text\/html/);
  t.match(res.body, /<h1 class="listing__title">Page not found<\/h1>/);
  t.match(res.body, /<meta name="robots" content="noindex">/);
  t.notMatch(res.body, /rel="canonical"/);
  t.match(res.body, /class="masthead"/, 'in the site layout');
});

t.test('health and readiness', async (t) => {
  const { app } = await site(t);
  const health = await app.inject('/healthz');
  t.equal(health.statusCode, 200);
  t.same(health.json(), { status: 'ok' });
  t.equal(health.headers['cache-control'], 'no-store');
  const ready = await app.inject('/readyz');
  t.equal(ready.statusCode, 200);
  t.same(ready.json(), { status: 'ready', posts: 8 });
});

t.test('absolute URLs come from SITE_URL, never the Host header', async (t) => {
  const { app } = await site(t);
  const res = await app.inject({ url: '/', headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } });
  t.notMatch(res.body, /evil\.example/);
  t.match(res.body, /https:\/\/news\.example\.com\//);
});
