import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { createContentStore, type Logger } from '../../src/content/content-store.js';
import { makeSite, postText } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

function logger(lines: { msg: string; obj: object }[]): Logger {
  const push = (obj: object, msg: string) => lines.push({ msg, obj });
  return { info: push, warn: push, error: push, debug: push };
}

t.test('a scheduled post goes live at its time, without a file change', async (t) => {
  const at = new Date(Date.now() + 3000);
  const s = makeSite(t, {
    'now.md': postText({ title: 'Now', date: '2025-01-01T00:00:00Z' }),
    'soon.md': postText({ title: 'Soon', date: at.toISOString() }),
  });
  const lines: { msg: string; obj: object }[] = [];
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: false, log: logger(lines) });
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
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: false, log: logger([]) });
  t.teardown(() => store.close());
  t.notOk(store.status().ready);
  await store.load();
  const status = store.status();
  t.match(status, { ready: true, posts: 1, scheduled: 1, drafts: 1, version: 1, watching: false, pending: 0 });
  t.same(status.skipped, [{ file: 'x.md', reason: 'no front matter: the file must start with a line "---"' }]);
  t.type(status.lastUpdate, Date);
});

t.test('closing during a load stops it', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 600; i++) files[`p${i}.md`] = postText({ title: `P${i}`, date: '2025-01-01' });
  const s = makeSite(t, files);
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: false, log: logger([]) });
  const loading = store.load();
  store.close();
  await loading;
  t.notOk(store.ready, 'never became ready');
});

t.test('watching: a skipped file that is deleted is forgotten', async (t) => {
  const s = makeSite(t, { 'bad.md': 'not a post', 'a.md': postText({ title: 'A', date: '2025-01-01' }) });
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: true, log: logger([]) });
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
    postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: true, log: logger(lines),
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
  const store = createContentStore({ postsDir: s.postsDir, publicDir: s.publicDir, timeZone: 'UTC', maxPostBytes: 1e6, watch: false, log: logger(lines) });
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
