import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { watchPosts } from '../../src/content/watch-posts.js';
import { waitFor } from '../helpers/wait.js';

t.test('reports changes in the folder and its subfolders, one watch per folder', async (t) => {
  const root = t.testdir({ 'a.md': 'x', sub: { 'b.md': 'x', deeper: { 'e.md': 'x' } }, '.git': { 'c.md': 'x' } });
  const seen = new Set<string>();
  const watcher = watchPosts(root, (rel) => seen.add(rel), () => t.fail('no error expected'));
  t.teardown(() => watcher.close());

  fs.writeFileSync(path.join(root, 'new.md'), 'x');
  await waitFor('new.md', () => seen.has('new.md'));
  fs.writeFileSync(path.join(root, 'sub/b.md'), 'changed');
  await waitFor('sub/b.md', () => seen.has('sub/b.md'));
  fs.writeFileSync(path.join(root, 'sub/deeper/e.md'), 'changed');
  await waitFor('sub/deeper/e.md', () => seen.has('sub/deeper/e.md'));
  seen.clear();
  fs.utimesSync(path.join(root, 'sub'), new Date(), new Date());
  await waitFor('a touched folder', () => seen.has('sub'));
  fs.writeFileSync(path.join(root, '.hidden.md'), 'x');
  fs.writeFileSync(path.join(root, '.git/c.md'), 'changed');

  // A folder moved in is watched from then on.
  const outside = path.join(path.dirname(root), `${path.basename(root)}-incoming`);
  fs.mkdirSync(outside);
  fs.renameSync(outside, path.join(root, 'incoming'));
  await waitFor('incoming', () => seen.has('incoming'));
  fs.writeFileSync(path.join(root, 'incoming/d.md'), 'x');
  await waitFor('incoming/d.md', () => seen.has('incoming/d.md'));

  // A folder removed is reported and no longer watched.
  fs.rmSync(path.join(root, 'sub'), { recursive: true });
  await waitFor('sub removed', () => seen.has('sub'));
  fs.unlinkSync(path.join(root, 'a.md'));
  await waitFor('a.md removed', () => seen.has('a.md'));
  t.notOk([...seen].some((rel) => rel.startsWith('.') || rel.includes('/.')), 'hidden files and folders are not reported');
});

t.test("a volume's `..data` link is no post, and nobody needs to follow it", async (t) => {
  const root = t.testdir({ 'a.md': 'x' });
  const seen: string[] = [];
  const watcher = watchPosts(root, (rel) => seen.push(rel), () => t.fail('no error expected'));
  t.teardown(() => watcher.close());
  fs.symlinkSync('.', path.join(root, '..data'));
  fs.writeFileSync(path.join(root, 'b.md'), 'x');
  await waitFor('b.md', () => seen.includes('b.md'));
  t.same([...new Set(seen)], ['b.md'], 'only the post (create and write may be two events)');
});

t.test('close stops all reports', async (t) => {
  const root = t.testdir({ sub: {} });
  const seen: string[] = [];
  const watcher = watchPosts(root, (rel) => seen.push(rel), () => {});
  watcher.close();
  fs.writeFileSync(path.join(root, 'sub/x.md'), 'x');
  fs.writeFileSync(path.join(root, 'y.md'), 'x');
  await new Promise((r) => setTimeout(r, 300));
  t.same(seen, []);
});
