// Edits to a sorted post list, made in one copy: the same list as sorting from scratch.
import fc from 'fast-check';
import t from 'tap';
import { compareNewestFirst, type Post } from '../../src/content/post.js';
import { PostList } from '../../src/content/post-list.js';
import { SortedEdit } from '../../src/content/sorted-edit.js';

const post = (file: string, day: number) => ({ file, date: new Date(Date.UTC(2025, 0, 1 + day)) }) as Post;
const files = (posts: readonly Post[]) => posts.map((p) => p.file);

t.test('one post in or out, several, or none', async (t) => {
  const [a, b, c] = [post('a', 3), post('b', 2), post('c', 1)];
  const list = [a, b, c];
  const one = new SortedEdit(list, compareNewestFirst);
  one.add(post('n', 2));
  t.same(files(one.done()), ['a', 'b', 'n', 'c'], 'same day: by file');
  t.same(files(list), ['a', 'b', 'c'], 'the previous list is left as it was');
  const out = new SortedEdit(list, compareNewestFirst);
  t.ok(out.remove(b));
  t.notOk(out.remove(post('b', 2)), 'a post not in the list (an equal copy is not it)');
  t.same(files(out.done()), ['a', 'c']);
  const same = new SortedEdit(list, compareNewestFirst);
  t.equal(same.done(), list, 'nothing changed: the same list');
  const edited = new SortedEdit(list, compareNewestFirst);
  edited.remove(b);
  const moved = post('b', 0);
  edited.add(moved);
  edited.add(post('z', 9));
  t.same(files(edited.done()), ['z', 'a', 'c', 'b'], 'an edit moves the post');
});

t.test('any edits give the list sorting from scratch would', async (t) => {
  const version = fc.record({ file: fc.integer({ min: 0, max: 30 }), day: fc.integer({ min: 0, max: 6 }) });
  fc.assert(
    fc.property(fc.array(version, { maxLength: 25 }), fc.array(fc.record({ file: fc.integer({ min: 0, max: 30 }), gone: fc.boolean(), day: fc.integer({ min: 0, max: 6 }) }), { maxLength: 40 }), fc.boolean(), (start, changes, chunked) => {
      const live = new Map(start.map(({ file, day }) => [file, post(`f${file}`, day)]));
      const list = [...live.values()].sort(compareNewestFirst);
      // The index's chunked list too: a few changes are applied one by one, more merged.
      const edit = new SortedEdit<readonly Post[] | PostList>(chunked ? PostList.from(list) : list, compareNewestFirst);
      const touched = new Map(changes.map((c) => [c.file, c]));
      for (const file of touched.keys()) {
        const before = live.get(file);
        if (before && !edit.remove(before)) return false;
        live.delete(file);
      }
      for (const [file, { gone, day }] of touched) {
        if (gone) continue;
        const after = post(`f${file}`, day);
        edit.add(after);
        live.set(file, after);
      }
      const expected = [...live.values()].sort(compareNewestFirst);
      const result = [...edit.done()];
      return result.length === expected.length && result.every((p, i) => p === expected[i]);
    }),
    { numRuns: 2000 },
  );
  t.pass('the same posts, in the same order');
});
