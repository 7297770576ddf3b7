// The site's data files are followed like posts (issue 10): an edit to an author file
// or to redirects.yaml shows with no restart, and expiry happens on time with no file
// change. Real folders, real watchers; every wait is a condition with a deadline.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import t, { type Test } from 'tap';
import { build, makeSite, postText, warmWorkers } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

const story = (title: string, date: string, extra: Record<string, unknown> = {}) => postText({ title, date, ...extra });

t.test('editing _data/authors.yml in the parent folder updates every byline, no restart', async (t) => {
  const site = makeSite(t, { 'a.md': story('Harbour story', '2025-09-01T10:00:00Z', { author: 'mreyes', categories: ['World'] }) });
  const { app, logs } = await build(t, site, { WATCH: 'true' });
  const get = async (url: string) => (await app.inject(url)).body;
  t.match(await get('/2025/09/01/harbour-story/'), /rel="author">mreyes<\/a>/, 'no profile yet: the key');
  const home = await app.inject('/');
  const category = await app.inject('/category/world/');
  t.match(await get('/search/?q=harbour'), /mreyes/, 'search results cached with the key as the name');
  t.match(await get('/search.json?q=harbour'), /"name":"mreyes"/);
  fs.mkdirSync(path.join(site.dir, '_data'));
  fs.writeFileSync(path.join(site.dir, '_data/authors.yml'), 'mreyes:\n  name: Maria Reyes\n  bio: Port and council.\n');
  await waitFor('the new name on the post page', async () => /rel="author">Maria Reyes<\/a>/.test(await get('/2025/09/01/harbour-story/')));
  t.match(await get('/'), /rel="author">Maria Reyes<\/a>/, 'the front page');
  t.not((await app.inject('/')).headers.etag, home.headers.etag);
  t.match(await get('/category/world/'), /Maria Reyes/, 'every listing');
  t.not((await app.inject('/category/world/')).headers.etag, category.headers.etag);
  t.match(await get('/author/mreyes/'), /<p class="profile__bio">Port and council\.<\/p>/, 'the author page');
  t.match(await get('/feed.xml'), /<name>Maria Reyes<\/name>/, 'the feeds');
  t.match(await get('/search/?q=harbour'), /Maria Reyes/, 'search results');
  t.match(await get('/search.json?q=harbour'), /"name":"Maria Reyes"/, 'and their JSON');

  fs.writeFileSync(path.join(site.dir, '_data/authors.yml'), 'mreyes:\n  name: [not, a, name]\n  twitter: "@@@"\n');
  await waitFor('the bad name dropped', async () => /rel="author">mreyes<\/a>/.test(await get('/')));
  fs.writeFileSync(path.join(site.dir, '_data/authors.yml'), 'mreyes:\n  name: Maria Reyes\n');
  await waitFor('the name back', async () => /rel="author">Maria Reyes<\/a>/.test(await get('/')));
  fs.writeFileSync(path.join(site.dir, '_data/authors.yml'), 'mreyes: [\n');
  await waitFor('an invalid file logged', () => logs.some((l) => l.msg === 'site data kept as it was until the file can be read'));
  t.match(await get('/'), /rel="author">Maria Reyes<\/a>/, 'a file that cannot be parsed keeps the last profiles');
  t.equal((await app.inject('/')).statusCode, 200, 'never fatal');
  fs.rmSync(path.join(site.dir, '_data/authors.yml'));
  await waitFor('a removed file takes its profiles along', async () => /rel="author">mreyes<\/a>/.test(await get('/')));
});

t.test('editing the authors map of _config.yml in the posts folder, and redirects.yaml, no restart', async (t) => {
  const site = makeSite(t, { 'a.md': story('Bridge story', '2025-09-01T10:00:00Z', { author: 'badely' }) });
  const { app } = await build(t, site, { WATCH: 'true' });
  site.write('_config.yml', 'authors:\n  badely:\n    display_name: Ben Adeley\n');
  await waitFor('the profile name', async () => /rel="author">Ben Adeley<\/a>/.test((await app.inject('/')).body));
  t.equal((await app.inject('/bridge/')).statusCode, 404);
  site.write('redirects.yaml', '301:\n  /bridge/: /2025/09/01/bridge-story/\n');
  await waitFor('the new redirect', async () => (await app.inject('/bridge/')).statusCode === 301);
  t.equal((await app.inject('/bridge/')).headers.location, '/2025/09/01/bridge-story/');
  fs.rmSync(path.join(site.postsDir, 'redirects.yaml'));
  await waitFor('the redirect gone', async () => (await app.inject('/bridge/')).statusCode === 404);
});

t.test("editing _config.yml's settings shows on every page with no restart; the environment still wins", async (t) => {
  const site = makeSite(t, {
    'a.md': story('Tide story', '2025-09-01 10:00:00', { categories: ['Coast'] }),
    'b.md': story('Wind story', '2025-09-02 10:00:00'),
    'c.md': story('Rain story', '2025-09-03 10:00:00'),
  });
  const { app, logs } = await build(t, site, { WATCH: 'true', SITE_TITLE: undefined, SITE_DESCRIPTION: 'From the environment' });
  const get = (url: string) => app.inject(url);
  const home = await get('/');
  const category = await get('/category/coast/');
  t.match(home.body, /<title>Newsroom<\/title>/, 'no file: the default title');
  t.equal((await get('/2025/09/01/tide-story/')).statusCode, 200);

  fs.writeFileSync(path.join(site.dir, '_config.yml'), 'title: The Coast Times\ndescription: From the file\npaginate: 1\ntimezone: Europe/Berlin\npermalink: /:title/\n');
  await waitFor('the new title', async () => /<title>The Coast Times<\/title>/.test((await get('/')).body));
  t.not((await get('/')).headers.etag, home.headers.etag, 'the front page is purged');
  t.match((await get('/category/coast/')).body, /The Coast Times/, 'every page');
  t.not((await get('/category/coast/')).headers.etag, category.headers.etag);
  t.match((await get('/feed.xml')).body, /<name>The Coast Times<\/name>/, 'the feeds (the publisher follows the title)');
  t.match((await get('/')).body, /<meta name="description" content="From the environment">/, 'the environment wins');
  t.equal((await get('/page/2/')).statusCode, 200, 'paginate: one a page');
  t.equal((await get('/page/3/')).statusCode, 404);
  const moved = await get('/tide-story/');
  t.equal(moved.statusCode, 200, 'the new permalink');
  t.match(moved.body, /datetime="2025-09-01T10:00:00\+02:00"/, 'dates without a zone in the new time zone');
  const old = await get('/2025/09/01/tide-story/');
  t.equal(old.statusCode, 301, 'the old URL answers 301');
  t.equal(old.headers.location, '/tide-story/');
  t.ok(logs.some((l) => l.msg === 'site settings changed how posts are read: reading them again'));

  fs.writeFileSync(path.join(site.dir, '_config.yml'), 'title: [\n');
  await waitFor('the broken file logged', () => logs.some((l) => l.msg === 'site data kept as it was until the file can be read'));
  t.match((await get('/')).body, /<title>The Coast Times<\/title>/, 'a file caught half-written changes nothing');
  t.equal((await get('/tide-story/')).statusCode, 200);

  fs.rmSync(path.join(site.dir, '_config.yml'));
  await waitFor('the defaults back', async () => /<title>Newsroom<\/title>/.test((await get('/')).body));
  await waitFor('the date URL back', async () => (await get('/2025/09/01/tide-story/')).statusCode === 200);
  t.equal((await get('/tide-story/')).headers.location, '/2025/09/01/tide-story/', 'and the permalink URL leads there');
});

t.test('WATCH=poll notices site data changes too', async (t) => {
  const site = makeSite(t, { 'a.md': story('Polled story', '2025-09-01T10:00:00Z', { author: 'tnguyen' }) });
  const { app } = await build(t, site, { WATCH: 'poll', WATCH_POLL_MS: '100' });
  site.write('_data/authors.json', JSON.stringify({ tnguyen: { name: 'Thi Nguyen' } }));
  await waitFor('the profile name', async () => /Thi Nguyen/.test((await app.inject('/')).body));
  t.pass('picked up by polling');
});

t.test('a post expires on time with no file change: 410, and gone from every listing', async (t) => {
  await warmWorkers(t);
  const at = new Date(Date.now() + 2500);
  const site = makeSite(t, {
    'a.md': story('Staying story', '2025-09-01T10:00:00Z', { categories: ['News'] }),
    'b.md': story('Leaving story', '2025-09-02T10:00:00Z', { categories: ['News'], expires: at.toISOString(), redirect_from: '/leaving/' }),
  });
  const { app } = await build(t, site);
  const url = '/2025/09/02/leaving-story/';
  const before = await app.inject(url);
  t.equal(before.statusCode, 200);
  t.match(before.body, new RegExp(`<meta name="robots" content="unavailable_after: ${at.toISOString().slice(0, 19)}\\+00:00">`), 'robots told beforehand');
  t.equal((await app.inject('/leaving/')).statusCode, 301);
  const home = await app.inject('/');
  t.match(home.body, /Leaving story/);
  await waitFor('expiry', async () => (await app.inject(url)).statusCode === 410, 8000);
  t.ok(Date.now() >= at.getTime(), 'not early');
  t.match((await app.inject(url)).body, /This story has been removed/);
  t.equal((await app.inject('/leaving/')).statusCode, 410, 'its old addresses too');
  for (const page of ['/', '/category/news/', '/feed.xml', '/sitemap.xml', '/2025/09/']) {
    t.notMatch((await app.inject(page)).body, /Leaving story/, `gone from ${page}`);
  }
  t.not((await app.inject('/')).headers.etag, home.headers.etag);
  t.match((await app.inject('/2025/09/01/staying-story/')).body, /Staying story/);
});

t.test('an expiring post with redirect_to follows it once expired', async (t) => {
  const at = new Date(Date.now() + 1500);
  const site = makeSite(t, {
    'a.md': story('Staying', '2025-09-01T10:00:00Z'),
    'b.md': story('Offer', '2025-09-02T10:00:00Z', { expires: at.toISOString(), redirect_to: 'https://shop.example.org/' }),
  });
  const { app } = await build(t, site);
  t.equal((await app.inject('/2025/09/02/offer/')).statusCode, 301, 'live with redirect_to: its URL redirects');
  t.match((await app.inject('/')).body, /Offer/, 'and it is listed');
  await waitFor('expiry', () => app.content.snapshot.posts.length === 1, 8000);
  const res = await app.inject('/2025/09/02/offer/');
  t.equal(res.statusCode, 301, 'expired: follows redirect_to');
  t.equal(res.headers.location, 'https://shop.example.org/');
  t.notMatch((await app.inject('/')).body, /Offer/, 'no longer listed');
});

/** A stand-in for Varnish: the keys of every purge it receives. */
async function purgeEndpoint(t: Test) {
  const keys: string[][] = [];
  const server = http.createServer((req, res) => {
    keys.push([req.headers['xkey-purge'], req.headers['xkey-softpurge']].flatMap((h) => (typeof h === 'string' ? h.split(' ') : [])));
    res.end('Purged\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return { keys, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

t.test('edits to the data files purge shared caches of exactly what they change', async (t) => {
  const endpoint = await purgeEndpoint(t);
  const site = makeSite(t, {
    'a.md': story('Harbour story', '2025-09-01T10:00:00Z', { author: 'mreyes' }),
    'b.md': story('Other story', '2025-09-02T10:00:00Z', { author: 'lwu' }),
  });
  const { app } = await build(t, site, { WATCH: 'true', CACHE_PURGE_URLS: endpoint.url });
  const keysOf = async (url: string) => String((await app.inject(url)).headers.xkey).split(' ');
  const card = (await keysOf('/2025/09/01/harbour-story/')).find((k) => k.startsWith('p-'))!;
  const other = (await keysOf('/2025/09/02/other-story/')).find((k) => k.startsWith('p-'))!;
  const purged = async (what: string) => {
    await waitFor(what, () => endpoint.keys.length > 0);
    await app.cachePurger!.settled();
    const keys = endpoint.keys.flat();
    endpoint.keys.length = 0;
    return keys;
  };

  site.write('_data/authors.yml', 'mreyes:\n  name: Maria Reyes\n');
  const author = await purged('a profile purge');
  t.ok(author.includes('author-mreyes') && author.includes('authors'), "the author's page and the authors index");
  t.ok(author.includes(card), 'every page with their byline (their cards, pages and feeds)');
  t.notOk(author.includes(other), "nobody else's");
  t.notOk(author.includes('site'), 'not the whole site');

  site.write('redirects.yaml', '301:\n  /harbour/: /2025/09/01/harbour-story/\n');
  t.same(await purged('a redirects purge'), ['missing'], 'redirects, 404s and 410s');
  const redirect = await app.inject('/harbour/');
  t.equal(redirect.statusCode, 301);
  t.equal(redirect.headers.xkey, 'site missing', 'the redirect carries the key its purge names');
  t.match(redirect.headers['cache-control'], /s-maxage=/, 'so shared caches may keep it long');

  site.write('_config.yml', 'description: A new description\n');
  t.ok((await purged('a settings purge')).includes('site'), 'a setting: everything');
});

t.test('an avatar uploaded after its profile appears with no restart', async (t) => {
  const site = makeSite(t, { 'a.md': story('Harbour story', '2025-09-01T10:00:00Z', { author: 'mreyes' }) });
  site.write('_data/authors.yml', 'mreyes:\n  name: Maria Reyes\n  avatar: /assets/images/maria.svg\n');
  const { app } = await build(t, site, { WATCH: 'true' });
  const author = await app.inject('/author/mreyes/');
  t.notMatch(author.body, /profile__avatar/, 'a local avatar that is not there is not shown');
  fs.writeFileSync(path.join(site.publicDir, 'assets/images/maria.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await waitFor('the avatar', async () => /<img class="profile__avatar" src="\/assets\/images\/maria\.svg"/.test((await app.inject('/author/mreyes/')).body));
  t.match((await app.inject('/2025/09/01/harbour-story/')).body, /"image":"https:\/\/news\.example\.com\/assets\/images\/maria\.svg"/, "in the JSON-LD of the writer's posts too");
});

t.test('redirects that cannot be served are logged when the posts are read and after each change', async (t) => {
  const site = makeSite(t, {
    'a.md': story('First story', '2025-09-01T10:00:00Z', { redirect_from: '/shared/' }),
    'b.md': story('Second story', '2025-09-02T10:00:00Z', { redirect_from: '/shared/' }),
  });
  const { app, logs } = await build(t, site, { WATCH: 'true' });
  const problems = () => logs.filter((l) => l.msg === 'redirect not served').map((l) => String(l.reason));
  t.match(problems(), [/redirect_from \/shared\/ is claimed by a\.md, b\.md: not served/, /claimed by a\.md, b\.md/], 'at load');
  t.equal((await app.inject('/shared/')).statusCode, 404, 'and not served');
  site.write('c.md', story('Third story', '2025-09-03T10:00:00Z', { redirect_to: '/2025/09/03/third-story/' }));
  await waitFor('the loop logged', () => problems().some((p) => /c\.md: redirect_to .* leads back to the post/.test(p)));
  t.equal((await app.inject('/2025/09/03/third-story/')).statusCode, 200, 'a redirect to itself: the page is served');
});

t.test('a scheduled post and an expiring one: each on time', async (t) => {
  const soon = new Date(Date.now() + 1200);
  const later = new Date(Date.now() + 2400);
  const site = makeSite(t, {
    'a.md': story('Coming story', soon.toISOString()),
    'b.md': story('Leaving story', '2025-09-02T10:00:00Z', { expires: later.toISOString() }),
  });
  const { app } = await build(t, site);
  const listed = async () => (await app.inject('/')).body;
  t.notMatch(await listed(), /Coming story/);
  await waitFor('the scheduled post', async () => /Coming story/.test(await listed()), 8000);
  t.match(await listed(), /Leaving story/, 'the other not gone yet');
  await waitFor('the expiry', async () => !/Leaving story/.test(await listed()), 8000);
  t.ok(Date.now() >= later.getTime(), 'not early');
});
