import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { listPostFiles, listPublicFiles } from '../../src/content/list-files.js';
import { isInside } from '../../src/content/paths.js';
import { baseNameOf, isPostFile } from '../../src/content/post-files.js';

t.test('which files are posts', async (t) => {
  const yes = ['a.md', 'b.markdown', '000_76a0201d3f52631f.txt', 'sub/dir/c.md', 'UPPER.MD', '2025-09-25-x.md'];
  const no = [
    '.hidden.md', '.git/a.md', 'sub/.drafts/a.md', 'a.md~', 'a.md.swp', '.a.md.swp', 'a.md.tmp', 'a.tmp', '#a.md#',
    '.#a.md', 'a.html', 'image.jpg', 'README', '.md', 'a.md.bak', 'a.md.part', 'node_modules/x.md',
  ];
  for (const f of yes) t.ok(isPostFile(f), f);
  for (const f of no) t.notOk(isPostFile(f), f);
  t.equal(baseNameOf('a/b/2025-09-25-title.md'), '2025-09-25-title');
  t.equal(baseNameOf('noext'), 'noext');
});

t.test('listPostFiles walks subfolders, skips hidden ones, and follows only links that stay inside', async (t) => {
  const dir = t.testdir({
    posts: {
      'b.md': 'x',
      'a.txt': 'x',
      'notes.pdf': 'x',
      sub: { 'c.md': 'x', deeper: { 'd.markdown': 'x' } },
      '.git': { 'e.md': 'x' },
      'f.md~': 'x',
    },
    outside: { 'secret.md': 'x' },
  });
  const posts = path.join(dir, 'posts');
  fs.symlinkSync(path.join(posts, 'b.md'), path.join(posts, 'link-inside.md'));
  fs.symlinkSync(path.join(dir, 'outside/secret.md'), path.join(posts, 'link-outside.md'));
  fs.symlinkSync(path.join(dir, 'outside'), path.join(posts, 'linked-dir'));
  fs.symlinkSync(path.join(posts, 'missing.md'), path.join(posts, 'dangling.md'));
  t.same(
    listPostFiles(posts),
    ['a.txt', 'b.md', 'dangling.md', 'link-inside.md', 'link-outside.md', 'sub/c.md', 'sub/deeper/d.markdown'],
    'linked files are listed (loadPost decides), linked folders are not entered',
  );
});

t.test('listPublicFiles lists the files of the public folder, hidden ones left out', async (t) => {
  const dir = t.testdir({ public: { assets: { 'a b.jpg': 'x', '.hidden.jpg': 'x', sub: { 'c.png': 'x' } }, '.git': { x: 'x' } }, 'secret.jpg': 'x' });
  t.same([...listPublicFiles(path.join(dir, 'public'))].sort(), ['/assets/a b.jpg', '/assets/sub/c.png']);
  t.same([...listPublicFiles(path.join(dir, 'no-such-folder'))], [], 'a missing public folder has no files');
  t.ok(isInside('/a/b/c', '/a/b'));
  t.notOk(isInside('/a/b', '/a/b'));
  t.notOk(isInside('/a/bc', '/a/b'));
  t.notOk(isInside('/a', '/a/b'));
  t.notOk(isInside('/a/c/d', '/a/b'));
  t.ok(isInside('/a/b/..2025_09_01/d.md', '/a/b'), 'a name that starts with two dots is inside');
});

t.test('loadPost follows a link inside the folder and refuses one that leaves it', async (t) => {
  const { loadPost } = await import('../../src/content/load-posts.js');
  const dir = t.testdir({
    posts: { 'real.md': '---\ntitle: Real\ndate: 2025-01-01\n---\nx' },
    outside: { 'secret.md': '---\ntitle: Secret\ndate: 2025-01-01\n---\nx' },
  });
  const posts = path.join(dir, 'posts');
  fs.symlinkSync(path.join(posts, 'real.md'), path.join(posts, 'inside.md'));
  fs.symlinkSync(path.join(dir, 'outside/secret.md'), path.join(posts, 'outside.md'));
  const options = { postsDir: posts, publicDir: dir, timeZone: 'UTC', maxPostBytes: 20 };
  const ctx = { timeZone: 'UTC' };
  const inside = loadPost('inside.md', options, ctx);
  t.notOk(inside.ok);
  if (!inside.ok) t.match(inside.error.reason, /over the limit of 20/, 'the size is the target\'s');
  const big = loadPost('inside.md', { ...options, maxPostBytes: 1000 }, ctx);
  t.ok(big.ok);
  if (big.ok) t.equal(big.parsed.post.title, 'Real');
  const outside = loadPost('outside.md', { ...options, maxPostBytes: 1000 }, ctx);
  t.notOk(outside.ok);
  if (!outside.ok) t.match(outside.error.reason, /outside the posts folder/);
  fs.symlinkSync(path.join(posts, 'gone.md'), path.join(posts, 'dangling.md'));
  const dangling = loadPost('dangling.md', { ...options, maxPostBytes: 1000 }, ctx);
  t.notOk(dangling.ok);
  if (!dangling.ok) t.match(dangling.error.reason, /or to nothing/);
});
