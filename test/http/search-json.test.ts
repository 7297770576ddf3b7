// /search.json: the search page's results as JSON, for apps and front-ends.
import t from 'tap';
import { build, makeSite, postText, SITE_URL } from '../helpers/build.js';

function files(): Record<string, string> {
  const out: Record<string, string> = {
    'harbour.md': postText({ title: 'Harbour crossing approved', date: '2025-09-05', categories: ['Politics'], author: 'Ana Souza', image: 'assets/images/lead.jpg' }, 'A long debate about the harbour bridge.'),
    'rowing.md': postText({ title: 'Rowing eight wins silver', date: '2025-09-03', tags: ['harbour'] }, 'The crew trained on the harbour every morning.'),
  };
  for (let i = 1; i <= 12; i++) out[`tide-${i}.md`] = postText({ title: `Tide report ${i}`, date: `2025-08-${String(i).padStart(2, '0')}` }, 'Tide tables for the bay.');
  return out;
}

interface SearchJson {
  query: string;
  results: { title: string; url: string; section: { name: string; url: string } | null; authors: { name: string }[]; reading_time: number; feature_image: string | null; published_at: string; excerpt: string }[];
  meta: { pagination: { page: number; limit: number; pages: number; total: number; next: number | null; prev: number | null } };
}

t.test('the search page\'s results, as JSON', async (t) => {
  const { app } = await build(t, makeSite(t, files()), { PAGE_SIZE: '5' });
  const res = await app.inject('/search.json?q=harbour');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  t.equal(res.headers['access-control-allow-origin'], '*');
  t.match(res.headers.etag, /^"/);
  const body = res.json<SearchJson>();
  t.equal(body.query, 'harbour');
  t.same(body.results.map((r) => r.title), ['Harbour crossing approved', 'Rowing eight wins silver'], 'ranked as the page ranks them');
  const page = await app.inject('/search/?q=harbour');
  t.same([...page.body.matchAll(/<h2 class="card__title"><a href="[^"]+">([^<]+)</g)].map((m) => m[1]), body.results.map((r) => r.title), 'the same results as the page');
  t.match(body.results[0], {
    url: `${SITE_URL}/2025/09/05/harbour-crossing-approved/`,
    section: { name: 'Politics', url: `${SITE_URL}/category/politics/` },
    authors: [{ name: 'Ana Souza', url: `${SITE_URL}/author/ana-souza/` }],
    reading_time: 1,
    feature_image: `${SITE_URL}/assets/images/lead.jpg`,
    published_at: '2025-09-05T00:00:00+00:00',
    excerpt: 'A long debate about the harbour bridge.',
  });
  t.equal(body.results[1]!.section, null);
  t.same(body.meta.pagination, { page: 1, limit: 5, pages: 1, total: 2, next: null, prev: null });
  t.equal((await app.inject({ url: '/search.json?q=harbour', headers: { 'if-none-match': String(res.headers.etag) } })).statusCode, 304);
});

t.test('pages, an empty query, a bad page', async (t) => {
  const { app } = await build(t, makeSite(t, files()), { PAGE_SIZE: '5' });
  const third = (await app.inject('/search.json?q=tide&page=3')).json<SearchJson>();
  t.same(third.meta.pagination, { page: 3, limit: 5, pages: 3, total: 12, next: null, prev: 2 });
  t.equal(third.results.length, 2);
  const empty = (await app.inject('/search.json')).json<SearchJson>();
  t.same(empty, { query: '', results: [], meta: { pagination: { page: 1, limit: 5, pages: 1, total: 0, next: null, prev: null } } });
  const bad = await app.inject('/search.json?q=tide&page=zero');
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { errors: [{ type: 'BadRequestError', message: /page/ }] });
  t.equal((await app.inject('/search.json?q=%3Cscript%3E')).json<SearchJson>().query, '<script>', 'JSON carries the text; it is never HTML');
});

t.test('authors by their profile names, as the page shows them', async (t) => {
  const site = makeSite(t, { ...files(), '_data/authors.yml': 'ana-souza:\n  name: Ana Souza-Reis\n' });
  const { app } = await build(t, site);
  const body = (await app.inject('/search.json?q=crossing')).json<SearchJson>();
  t.same(body.results[0]!.authors.map((a) => a.name), ['Ana Souza-Reis']);
  t.match((await app.inject('/search/?q=crossing')).body, /Ana Souza-Reis/);
});

t.test('a client over the rate limit gets a JSON error with CORS', async (t) => {
  const { app } = await build(t, makeSite(t, files()), { RATE_LIMIT_PER_MINUTE: '1' });
  t.equal((await app.inject('/search.json?q=harbour')).statusCode, 200);
  const refused = await app.inject('/search.json?q=tide');
  t.equal(refused.statusCode, 429);
  t.equal(refused.headers['access-control-allow-origin'], '*');
  t.match(refused.headers['retry-after'], /^\d+$/);
  t.match(refused.json(), { errors: [{ type: 'TooManyRequestsError' }] });
});
