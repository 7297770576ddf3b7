// /search/: results, pagination, odd queries, and an index that follows the folder.
import t from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

function files(): Record<string, string> {
  const out: Record<string, string> = {
    'harbour.md': postText({ title: 'Harbour crossing approved', date: '2025-09-05', categories: ['Politics'], tags: ['transport'], author: 'Ana Souza', excerpt: 'The council voted for the bridge.' }, 'A long debate about the harbour bridge.'),
    'market.md': postText({ title: 'Fish market to close', date: '2025-09-04', categories: ['Business'], author: 'Ben Okafor' }, 'Traders move out while the hall is renovated.'),
    'rowing.md': postText({ title: 'Rowing eight wins silver', date: '2025-09-03', categories: ['Sports'], tags: ['harbour'] }, 'The crew trained on the harbour every morning.'),
  };
  for (let i = 1; i <= 12; i++) out[`tide-${i}.md`] = postText({ title: `Tide report ${i}`, date: `2025-08-${String(i).padStart(2, '0')}` }, 'Tide tables for the bay.');
  return out;
}

const titles = (html: string) => [...html.matchAll(/<h2 class="card__title"><a href="[^"]+">([^<]+)</g)].map((m) => m[1]);

t.test('finds posts by words, sections, tags and authors, best first', async (t) => {
  const { app } = await build(t, makeSite(t, files()));
  const res = await app.inject('/search/?q=harbour');
  t.equal(res.statusCode, 200);
  t.match(res.body, /<meta name="robots" content="noindex">/);
  t.match(res.body, /<p class="search__summary">2 stories match “harbour”\.<\/p>/);
  t.same(titles(res.body), ['Harbour crossing approved', 'Rowing eight wins silver'], 'the headline match ranks first');
  t.match(res.body, /<input id="search-page-q" type="search" name="q" value="harbour"/);
  t.same(titles((await app.inject('/search/?q=Okafor')).body), ['Fish market to close'], 'authors');
  t.same(titles((await app.inject('/search/?q=sports')).body), ['Rowing eight wins silver'], 'sections');
  t.same(titles((await app.inject('/search/?q=harbor')).body).length, 2, 'tolerates a typo');
  t.same(titles((await app.inject('/search/?q=renov')).body), ['Fish market to close'], 'prefixes');
  t.same(titles((await app.inject('/search/?q=harbour+bridge')).body), ['Harbour crossing approved'], 'every word must match');
  t.match((await app.inject('/search/?q=zzzzqqq')).body, /No stories match “zzzzqqq”/);
  const empty = await app.inject('/search/');
  t.match(empty.body, /Search every story/);
  t.same(titles(empty.body), []);
});

t.test('pagination and odd input', async (t) => {
  const { app } = await build(t, makeSite(t, files()), { PAGE_SIZE: '5' });
  const p1 = await app.inject('/search/?q=tide');
  t.match(p1.body, /12 stories match “tide”/);
  t.equal(titles(p1.body).length, 5);
  t.match(p1.body, /href="\/search\/\?q=tide&amp;page=2" rel="next"/);
  const p3 = await app.inject('/search/?q=tide&page=3');
  t.equal(titles(p3.body).length, 2);
  t.equal((await app.inject('/search/?q=tide&page=4')).statusCode, 404, 'past the last page');
  t.equal((await app.inject('/search/?q=tide&page=0')).statusCode, 404);
  t.equal((await app.inject('/search/?q=tide&page=abc')).statusCode, 404);
  t.equal((await app.inject(`/search/?q=tide&page=${'9'.repeat(20)}`)).statusCode, 404, 'too long for the schema');
  t.equal((await app.inject('/search/?q=tide&q=b&page=3&page=x')).body, p3.body, 'a repeated parameter counts once: the first value');
  const hostile = await app.inject('/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E');
  t.equal(hostile.statusCode, 200);
  t.notMatch(hostile.body, /<script>alert/, 'the query is escaped wherever it is shown');
  t.match(hostile.body, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;&gt;"/);
  const spaced = await app.inject('/search/?q=%20%20Tide%0A%09report%20');
  t.match(spaced.body, /“Tide report”/, 'whitespace collapsed');
  t.equal((await app.inject('/search')).headers.location, '/search/');
});

t.test('the index follows the folder', async (t) => {
  const s = makeSite(t, files());
  const { app } = await build(t, s, { WATCH: 'true' });
  t.same(titles((await app.inject('/search/?q=lighthouse')).body), []);
  s.write('light.md', postText({ title: 'Lighthouse restored', date: '2025-09-06' }, 'The old lighthouse shines again.'));
  s.write('harbour.md', postText({ title: 'Crossing approved', date: '2025-09-05' }, 'Nothing about water now.'));
  s.write('market.md', '');
  await waitFor('the changes', () => app.content.snapshot.byFile.has('light.md') && !app.content.snapshot.byFile.has('market.md'));
  t.same(titles((await app.inject('/search/?q=lighthouse')).body), ['Lighthouse restored'], 'an added post is found');
  t.same(titles((await app.inject('/search/?q=debate')).body), [], 'a changed post is found by its new words only');
  t.same(titles((await app.inject('/search/?q=crossing')).body), ['Crossing approved']);
  t.same(titles((await app.inject('/search/?q=traders')).body), [], 'a removed post is gone');
});
