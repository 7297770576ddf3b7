import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { createContentStore, type Logger } from '../../src/content/content-store.js';
import { makeSite, postText, warmWorkers } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

function logger(lines: { msg: string; obj: object }[]): Logger {
  const push = (obj: object, msg: string) => lines.push({ msg, obj });
  return { info: push, warn: push, error: push, debug: push };
}

t.test('a scheduled post goes live at its time, without a file change', async (t) => {
  await warmWorkers(t);
  const at = new Date(Date.now() + 3000);
  const s = makeSite(t, {
    'now.md': postText({ title: 'Now', date: '2025-01-01T00:00:00Z' }),
    'soon.md': postText({ title: 'Soon', date: at.toISOString() }),
  });
  const lines: { msg: string; obj: object }[] = [];
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'off', log: logger(lines) });
  t.teardown(() => store.close());
  await store.load();
  t.same(store.snapshot.posts.map((p) => p.title), ['Now']);
  t.equal(store.status().scheduled, 1);
  await waitFor('publication', () => store.snapshot.posts.length === 2);
  t.same(store.snapshot.posts.map((p) => p.title), ['Soon', 'Now'], 'published by the timer');
  t.ok(Date.now() >= at.getTime(), 'not before its time');
  t.ok(lines.some((l) => l.msg === 'scheduled posts published'));
});

t.test('status reports posts, drafts, scheduled and skipped files', async (t) => {
  const s = makeSite(t, {
    'a.md': postText({ title: 'A', date: '2025-01-01' }),
    'd.md': postText({ title: 'D', date: '2025-01-01', published: false }),
    'f.md': postText({ title: 'F', date: '2999-01-01' }),
    'x.md': 'broken',
  });
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'off', log: logger([]) });
  t.teardown(() => store.close());
  t.notOk(store.status().ready);
  await store.load();
  const status = store.status();
  t.match(status, { ready: true, posts: 1, scheduled: 1, drafts: 1, version: 0, watching: false, pending: 0 });
  t.same(status.skipped, [{ file: 'x.md', reason: 'no front matter: the file must start with a line "---"' }]);
  t.type(status.lastUpdate, Date);
});

t.test('the drafts count follows drafts published, added, broken, rejected and deleted', async (t) => {
  const s = makeSite(t, {
    'a.md': postText({ title: 'A', date: '2025-01-01' }),
    'd.md': postText({ title: 'D', date: '2025-01-01', published: false }),
  });
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'off', log: logger([]) });
  t.teardown(() => store.close());
  await store.load();
  t.equal(store.status().drafts, 1);
  const change = async (file: string, text: string | null, drafts: number, posts: number) => {
    if (text === null) fs.rmSync(path.join(s.postsDir, file));
    else fs.writeFileSync(path.join(s.postsDir, file), text);
    store.recheck(file);
    await waitFor(`${file}: ${drafts} drafts`, () => store.status().drafts === drafts && store.status().posts === posts && store.status().pending === 0);
  };
  await change('d.md', postText({ title: 'D', date: '2025-01-01' }), 0, 2);
  await change('e.md', postText({ title: 'E', date: '2025-01-02', published: false }), 1, 2);
  await change('e.md', postText({ title: 'E, still a draft', date: '2025-01-02', published: false }), 1, 2);
  await change('f.md', postText({ title: 'F', date: '2025-01-03', published: false }), 2, 2);
  await change('f.md', 'broken', 1, 2);
  await change('a.md', postText({ title: 'A', date: '2025-01-01', published: false }), 2, 1);
  store.reject('a.md', 'its body cannot be rendered');
  t.equal(store.status().drafts, 1, 'a rejected draft is no longer counted');
  await change('e.md', null, 0, 1);
});

t.test('onRead runs once every file is read, before the index is built; later, at once', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-01-01' }), 'b.md': postText({ title: 'B', date: '2025-01-02' }) });
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'off', log: logger([]) });
  t.teardown(() => store.close());
  const seen: string[] = [];
  store.onRead(() => seen.push(`read (ready: ${store.ready}, posts indexed: ${store.snapshot.posts.length})`));
  t.same(seen, [], 'not before the load');
  await store.load();
  t.same(seen, ['read (ready: false, posts indexed: 0)'], 'once, before the index');
  store.onRead(() => seen.push('late'));
  t.same(seen.at(-1), 'late', 'a listener that comes after is called at once');
});

t.test('closing during a load stops it', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 600; i++) files[`p${i}.md`] = postText({ title: `P${i}`, date: '2025-01-01' });
  const s = makeSite(t, files);
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'off', log: logger([]) });
  const loading = store.load();
  store.close();
  await loading;
  t.notOk(store.ready, 'never became ready');
});

t.test('closing during a load while changes wait for it: the changes are dropped, close ends', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1500; i++) files[`p${i}.md`] = postText({ title: `P${i}`, date: '2025-01-01' });
  const s = makeSite(t, files);
  const store = createContentStore({
    postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'events', log: logger([]),
    timing: { settleMs: 1, maxWaitMs: 1 },
  });
  const loading = store.load();
  await waitFor('the watchers', () => store.status().watching);
  // A volume's revision link swapped, then a new post: both wait for the load to end.
  fs.symlinkSync('.', path.join(s.postsDir, '..data'));
  fs.writeFileSync(path.join(s.postsDir, 'new.md'), postText({ title: 'New', date: '2025-01-02' }));
  await waitFor('the change queued', () => store.status().pending > 0);
  // Ordering, not time: this timer fires after the batch's (1 ms, set before it).
  await new Promise((resolve) => setTimeout(resolve, 2));
  t.notOk(store.ready, 'still loading');
  await store.close();
  await loading;
  t.notOk(store.ready, 'closed, not hung waiting for a load that will never end');
});

t.test('watching: a skipped file that is deleted is forgotten', async (t) => {
  const s = makeSite(t, { 'bad.md': 'not a post', 'a.md': postText({ title: 'A', date: '2025-01-01' }) });
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'events', log: logger([]) });
  t.teardown(() => store.close());
  await store.load();
  t.equal(store.status().skipped.length, 1);
  fs.unlinkSync(path.join(s.postsDir, 'bad.md'));
  await waitFor('bad.md to be forgotten', () => store.status().skipped.length === 0);
  t.equal(store.snapshot.posts.length, 1);
});

t.test('closing stops pending retries', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-01-01' }) });
  const lines: { msg: string; obj: object }[] = [];
  const store = createContentStore({
    postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'events', log: logger(lines),
    timing: { retryMs: 300 },
  });
  await store.load();
  s.write('a.md', '---\ntitle: [broken\n');
  await waitFor('a retry to be pending', () => lines.some((l) => l.msg === 'post unreadable: retrying'));
  await store.close();
  await new Promise((r) => setTimeout(r, 700));
  t.notOk(lines.some((l) => l.msg === 'post skipped'), 'no retry ran after close');
  t.equal(store.snapshot.posts.length, 1, 'the live copy was never replaced');
});

t.test('reject takes a post off the site once', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-01-01' }), 'b.md': postText({ title: 'B', date: '2025-01-02' }) });
  const lines: { msg: string; obj: object }[] = [];
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'off', log: logger(lines) });
  t.teardown(() => store.close());
  await store.load();
  const version = store.snapshot.version;
  store.reject('a.md', 'too slow');
  store.reject('a.md', 'too slow');
  t.same(store.snapshot.posts.map((p) => p.file), ['b.md']);
  t.equal(store.snapshot.version, version + 1, 'one rebuild');
  t.same(store.status().skipped, [{ file: 'a.md', reason: 'too slow' }]);
  t.equal(lines.filter((l) => l.msg === 'post skipped').length, 1, 'logged once');
});

t.test('polling: adds, edits, deletes and lead images are found without file system events', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-01-01' }), 'bad.md': 'not a post' });
  const store = createContentStore({
    postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: 'poll', timing: { pollMs: 100 }, log: logger([]),
  });
  t.teardown(() => store.close());
  await store.load();
  t.match(store.status(), { watching: true, watch: 'poll', posts: 1 });
  const titles = () => store.snapshot.posts.map((p) => p.title).sort();
  s.write('b.md', postText({ title: 'B', date: '2025-01-02' }));
  await waitFor('the added post', () => titles().join() === 'A,B');
  s.write('a.md', postText({ title: 'A, edited', date: '2025-01-01' }));
  // Same second as the first write on some file systems: move the time on to be sure.
  fs.utimesSync(path.join(s.postsDir, 'a.md'), new Date(), new Date(Date.now() + 5000));
  await waitFor('the edit', () => titles().join() === 'A, edited,B');
  s.write('bad.md', postText({ title: 'Fixed', date: '2025-01-03' }));
  fs.utimesSync(path.join(s.postsDir, 'bad.md'), new Date(), new Date(Date.now() + 5000));
  await waitFor('the fixed file', () => titles().length === 3 && store.status().skipped.length === 0);
  fs.unlinkSync(path.join(s.postsDir, 'b.md'));
  await waitFor('the deletion', () => titles().join() === 'A, edited,Fixed');
  fs.writeFileSync(path.join(s.publicDir, 'assets/images/new.jpg'), 'x');
  await waitFor('the new image', () => store.snapshot.publicFiles.has('/assets/images/new.jpg'));
});
