// A scheduled post goes live at its time with no restart and no file change; pages
// render again, and those whose bytes did not change keep their ETag.
import t from 'tap';
import { build, makeSite, postText, warmWorkers } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

t.test('a post dated a moment ahead appears when its time comes', async (t) => {
  await warmWorkers(t);
  const at = new Date(Date.now() + 3000);
  const s = makeSite(t, {
    'a.md': postText({ title: 'Yesterday in A', date: '2025-09-01T10:00:00Z', categories: ['A'] }),
    'b.md': postText({ title: 'Story in B', date: '2025-09-02T10:00:00Z', categories: ['B'] }),
    'soon.md': postText({ title: 'Breaking in A', date: at.toISOString(), categories: ['A'] }),
  });
  const { app } = await build(t, s);
  const soonUrl = `/${at.toISOString().slice(0, 10).replace(/-/g, '/')}/breaking-in-a/`;
  const before = {
    home: await app.inject('/'),
    a: await app.inject('/category/a/'),
    b: await app.inject('/category/b/'),
    newestB: await app.inject('/2025/09/02/story-in-b/'),
    soon: await app.inject(soonUrl),
  };
  t.equal(before.soon.statusCode, 404, 'not served before its time');
  t.notMatch(before.home.body, /Breaking in A/);

  await waitFor('publication', async () => (await app.inject(soonUrl)).statusCode === 200);
  t.ok(Date.now() >= at.getTime(), 'not early');
  t.equal((await app.inject(soonUrl)).statusCode, 200, 'live without a restart');
  const home = await app.inject('/');
  t.match(home.body, /Breaking in A/);
  t.not(home.headers.etag, before.home.headers.etag);
  const a = await app.inject('/category/a/');
  t.not(a.headers.etag, before.a.headers.etag, 'its category page changed');
  const b = await app.inject('/category/b/');
  t.equal(b.headers.etag, before.b.headers.etag, 'another category keeps its ETag');
  t.equal(b.headers['last-modified'], before.b.headers['last-modified']);
  const newestB = await app.inject('/2025/09/02/story-in-b/');
  t.not(newestB.headers.etag, before.newestB.headers.etag, 'its neighbour gained a "next story" link');
  t.ok(
    Date.parse(String(newestB.headers['last-modified'])) > Date.parse(String(before.newestB.headers['last-modified'])),
    'changed bytes never keep an old Last-Modified',
  );
  const revalidate = await app.inject({ url: '/2025/09/02/story-in-b/', headers: { 'if-modified-since': String(before.newestB.headers['last-modified']) } });
  t.equal(revalidate.statusCode, 200, 'a cache holding the old page gets the new one');
});
