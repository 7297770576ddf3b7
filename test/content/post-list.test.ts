// The index's chunked list reads like the array it stands for, through any edits.
import fc from 'fast-check';
import t from 'tap';
import type { Post } from '../../src/content/post.js';
import { CHUNK, PostList } from '../../src/content/post-list.js';

const post = (n: number) => ({ file: `p${n}.md` }) as Post;
const files = (posts: Iterable<Post>) => [...posts].map((p) => p.file);

t.test('reads as the array it was made from', async (t) => {
  const array = Array.from({ length: 2 * CHUNK + 5 }, (_, i) => post(i));
  const list = PostList.from(array);
  t.equal(list.length, array.length);
  t.same(files(list), files(array), 'in order');
  t.equal(list.at(0), array[0]);
  t.equal(list.at(CHUNK), array[CHUNK], 'across a chunk boundary');
  t.equal(list.at(-1), array.at(-1), 'from the end');
  t.equal(list.at(array.length), undefined);
  t.equal(list.at(1.5), undefined);
  t.same(files(list.slice(CHUNK - 2, CHUNK + 3)), files(array.slice(CHUNK - 2, CHUNK + 3)), 'a slice across chunks');
  t.same(files(list.slice(-3)), files(array.slice(-3)));
  t.same(list.slice(5, 2), []);
  t.same(files(list.toArray()), files(array));
  t.same(files(list.filter((p) => p.file.endsWith('7.md'))), files(array.filter((p) => p.file.endsWith('7.md'))));
  t.same(list.map((p) => p.file).slice(0, 3), ['p0.md', 'p1.md', 'p2.md']);
  const empty = PostList.from([]);
  t.equal(empty.length, 0);
  t.same(empty.slice(), []);
  t.same(files(empty.withInserted(0, post(1))), ['p1.md'], 'the first post of an empty list');
});

t.test('an edit leaves the list it was made from as it was', async (t) => {
  const list = PostList.from([post(1), post(2), post(3)]);
  const inserted = list.withInserted(1, post(9));
  const removed = list.withRemoved(0);
  t.same(files(inserted), ['p1.md', 'p9.md', 'p2.md', 'p3.md']);
  t.same(files(removed), ['p2.md', 'p3.md']);
  t.same(files(list), ['p1.md', 'p2.md', 'p3.md']);
  t.same(files(PostList.from([post(1)]).withRemoved(0)), [], 'the last post out');
});

t.test('through any inserts and removals, the same as an array', async (t) => {
  const op = fc.record({ insert: fc.boolean(), at: fc.nat(), n: fc.nat() });
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3 * CHUNK }), fc.array(op, { maxLength: 60 }), (start, ops) => {
      let array = Array.from({ length: start }, (_, i) => post(i));
      let list = PostList.from(array);
      for (const { insert, at, n } of ops) {
        if (insert || array.length === 0) {
          const i = at % (array.length + 1);
          const added = post(100_000 + n);
          array = array.toSpliced(i, 0, added);
          list = list.withInserted(i, added);
        } else {
          const i = at % array.length;
          array = array.toSpliced(i, 1);
          list = list.withRemoved(i);
        }
        if (list.length !== array.length) return false;
      }
      const probe = [0, 1, CHUNK - 1, CHUNK, array.length - 1].filter((i) => i >= 0 && i < array.length);
      if (probe.some((i) => list.at(i) !== array[i])) return false;
      return files(list).join() === files(array).join() && files(list.slice(3, CHUNK + 7)).join() === files(array.slice(3, CHUNK + 7)).join();
    }),
    { numRuns: 300 },
  );
  t.pass('the same posts, in the same order');
});

t.test('many inserts at one place split its chunk instead of growing it without end', async (t) => {
  let list = PostList.from([post(0)]);
  for (let i = 1; i <= 5 * CHUNK; i++) list = list.withInserted(1, post(i));
  t.equal(list.length, 5 * CHUNK + 1);
  t.equal(list.at(0)?.file, 'p0.md');
  t.equal(list.at(1)?.file, `p${5 * CHUNK}.md`, 'the last inserted comes first after p0');
  // Removals at the front make chunks run low; they join their neighbours.
  for (let i = 0; i < 4 * CHUNK; i++) list = list.withRemoved(0);
  t.equal(list.length, CHUNK + 1);
  t.same(files(list.slice(0, 2)), [`p${CHUNK + 1}.md`, `p${CHUNK}.md`]);
});
