// Issue 9: posts published by swapping a symbolic link, as git-sync does for a checkout
// (POSTS_DIR inside a link renamed over to a new worktree) and Kubernetes does for
// ConfigMap volumes (`..data` inside the folder). The new revision is read whole and
// lands as one index update; unchanged posts are not purged.
import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { linksOnPath, revisionOf } from '../../src/content/revision-links.js';
import { build, makeSite, postText, type TestSite } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

const story = (title: string, date: string, body = 'Body.') => postText({ title, date }, body);

const REV1 = {
  'a.md': story('Alpha', '2025-09-01T10:00:00Z', 'First version.'),
  'b.md': story('Beta', '2025-09-02T10:00:00Z'),
  'd.md': story('Delta', '2025-09-04T10:00:00Z'),
  'broken.md': '---\ntitle: [unclosed\n---\nBody.',
};
const REV2 = {
  'a.md': story('Alpha', '2025-09-01T10:00:00Z', 'Second version.'),
  'b.md': story('Beta', '2025-09-02T10:00:00Z'),
  'c.md': story('Gamma', '2025-09-03T10:00:00Z'),
};

function writeTree(dir: string, files: Record<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

/** Points `link` at `target` in one step, as git-sync does: a new link renamed over the old. */
function swapLink(link: string, target: string): void {
  fs.symlinkSync(target, `${link}.tmp`);
  fs.renameSync(`${link}.tmp`, link);
}

/** A git-sync layout: `root/site -> .worktrees/rev1`, posts in `site/posts`. */
function gitSyncSite(t: Test): { site: TestSite; root: string } {
  const base = makeSite(t);
  const root = path.join(base.dir, 'git');
  writeTree(path.join(root, '.worktrees/rev1/posts'), REV1);
  writeTree(path.join(root, '.worktrees/rev2/posts'), REV2);
  fs.symlinkSync('.worktrees/rev1', path.join(root, 'site'));
  return { site: { ...base, postsDir: path.join(root, 'site/posts') }, root };
}

async function expectOneRevision(t: Test, app: Awaited<ReturnType<typeof build>>['app'], logs: Awaited<ReturnType<typeof build>>['logs'], swap: () => void) {
  t.equal((await app.inject('/2025/09/04/delta/')).statusCode, 200);
  // Beta's page changes (its newer neighbour is Gamma now); its card and body do not.
  const bKeys = String((await app.inject('/2025/09/02/beta/')).headers.xkey).split(' ').filter((k) => /^(p|b)-/.test(k) && k.endsWith(String(app.content.snapshot.posts.toArray().find((p) => p.title === 'Beta')!.id)));
  t.equal(bKeys.length, 2);
  const updates: { keys: ReadonlySet<string>; posts: number }[] = [];
  app.content.onUpdate(({ keys, snapshot }) => updates.push({ keys, posts: snapshot.posts.length }));
  swap();
  await waitFor('the new revision', async () => (await app.inject('/2025/09/03/gamma/')).statusCode === 200);
  t.equal(updates.length, 1, 'one index update for the whole revision');
  t.equal(updates[0]!.posts, 3);
  t.notOk(app.content.status().skipped.some((s) => s.file === 'broken.md'), 'a file skipped in the old revision is gone with it');
  t.match((await app.inject('/2025/09/01/alpha/')).body, /Second version/, 'an edited post');
  t.equal((await app.inject('/2025/09/04/delta/')).statusCode, 410, 'a post the new revision does not have');
  t.notOk(updates[0]!.keys.has('site'), 'not a whole-site purge');
  t.notOk(bKeys.some((k) => updates[0]!.keys.has(k)), 'an unchanged post keeps its cached card and body');
  t.ok(logs.some((l) => l.msg === 'posts folder: a new revision, read as one batch'));
}

t.test('git-sync: the link above POSTS_DIR is swapped, watched by events', async (t) => {
  const { site, root } = gitSyncSite(t);
  const { app, logs } = await build(t, site, { WATCH: 'true' });
  await expectOneRevision(t, app, logs, () => {
    swapLink(path.join(root, 'site'), '.worktrees/rev2');
    // git-sync removes the old worktree right after the swap.
    fs.rmSync(path.join(root, '.worktrees/rev1'), { recursive: true });
  });
  // And the new checkout is watched: a later change in it is seen.
  fs.writeFileSync(path.join(root, '.worktrees/rev2/posts/e.md'), story('Epsilon', '2025-09-05T10:00:00Z'));
  await waitFor('a post added to the new checkout', async () => (await app.inject('/2025/09/05/epsilon/')).statusCode === 200);
});

t.test('git-sync: POSTS_DIR is the link itself, followed by polling', async (t) => {
  const base = makeSite(t);
  const root = path.join(base.dir, 'git');
  writeTree(path.join(root, 'rev1'), REV1);
  writeTree(path.join(root, 'rev2'), REV2);
  fs.symlinkSync('rev1', path.join(root, 'posts'));
  const { app, logs } = await build(t, { ...base, postsDir: path.join(root, 'posts') }, { WATCH: 'poll', WATCH_POLL_MS: '100' });
  await expectOneRevision(t, app, logs, () => swapLink(path.join(root, 'posts'), 'rev2'));
});

t.test('a Kubernetes ConfigMap volume: `..data` swapped inside the folder', async (t) => {
  const base = makeSite(t);
  const dir = path.join(base.dir, 'volume');
  writeTree(path.join(dir, '..2025_09_01'), REV1);
  writeTree(path.join(dir, '..2025_09_02'), REV2);
  fs.symlinkSync('..2025_09_01', path.join(dir, '..data'));
  for (const name of Object.keys(REV1)) fs.symlinkSync(`..data/${name}`, path.join(dir, name));
  const { app, logs } = await build(t, { ...base, postsDir: dir }, { WATCH: 'true' });
  await expectOneRevision(t, app, logs, () => {
    // The kubelet's order: the new data, the `..data` swap, then the user-visible links.
    swapLink(path.join(dir, '..data'), '..2025_09_02');
    fs.symlinkSync('..data/c.md', path.join(dir, 'c.md'));
    fs.unlinkSync(path.join(dir, 'd.md'));
    fs.unlinkSync(path.join(dir, 'broken.md'));
    fs.rmSync(path.join(dir, '..2025_09_01'), { recursive: true });
  });
});

t.test('a link replaced by hand in two steps: the site stays as it was, then follows', async (t) => {
  const { site, root } = gitSyncSite(t);
  const { app, logs } = await build(t, site, { WATCH: 'true' });
  t.equal((await app.inject('/2025/09/01/alpha/')).statusCode, 200);
  // The link is replaced by hand in two steps: for a moment it points nowhere.
  fs.unlinkSync(path.join(root, 'site'));
  fs.symlinkSync('.worktrees/nowhere', path.join(root, 'site'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal((await app.inject('/2025/09/01/alpha/')).statusCode, 200, 'the site stays as it was meanwhile');
  // A body not yet rendered cannot be read now: a retry soon, never an error page.
  const unreadable = await app.inject('/2025/09/02/beta/');
  t.equal(unreadable.statusCode, 503);
  t.equal(unreadable.headers['retry-after'], '1');
  t.equal(unreadable.headers['cache-control'], 'no-store');
  t.ok(logs.some((l) => l.msg === 'post body unavailable for now'));
  fs.unlinkSync(path.join(root, 'site'));
  fs.symlinkSync('.worktrees/rev2', path.join(root, 'site'));
  await waitFor('the new revision', async () => (await app.inject('/2025/09/03/gamma/')).statusCode === 200);
});

t.test('linksOnPath and revisionOf', async (t) => {
  const { site, root } = gitSyncSite(t);
  t.same(linksOnPath(site.postsDir), [path.join(root, 'site')]);
  t.same(linksOnPath(root), []);
  t.same(linksOnPath(path.join(root, 'missing/posts')), [], 'a path that does not exist yet has no links');
  t.equal(await revisionOf(site.postsDir), fs.realpathSync(path.join(root, '.worktrees/rev1/posts')));
  t.equal(await revisionOf(path.join(root, 'missing')), null);
  fs.symlinkSync('.worktrees/rev1', path.join(root, '..data'));
  t.equal(await revisionOf(root), `${fs.realpathSync(root)}\n.worktrees/rev1`);
});
