// The posts changed last, carried through index updates without a pass over every post.
import fc from 'fast-check';
import t from 'tap';
import { lastChange, type Post } from '../../src/content/post.js';
import { KEPT_CHANGES, NewestChangesEditor, newestChanges } from '../../src/content/newest-changes.js';

const at = (minutes: number) => new Date(Date.UTC(2025, 8, 1) + minutes * 60_000);

/** Only what a change time needs: the date shown, an update, the file's time. */
function post(file: string, date: number, modified = date, updated: number | null = null): Post {
  return { file, date: at(date), modified: at(modified), updated: updated === null ? null : at(updated) } as Post;
}

/** Posts nobody may walk through: a pass over them would be the cost this avoids. */
function unwalkable(length: number): readonly Post[] {
  return {
    length,
    [Symbol.iterator]: () => {
      throw new Error('walked every post');
    },
  } as unknown as readonly Post[];
}

const files = (posts: readonly Post[]) => posts.map((p) => p.file);

t.test('the posts changed last, newest first, counting edits and updated dates', async (t) => {
  const posts = [post('a', 10), post('b', 20), post('c', 5, 30), post('d', 1, 1, 25), post('e', 15)];
  t.same(files(newestChanges(posts)), ['c', 'd', 'b', 'e', 'a']);
  t.same(files(newestChanges(posts, 2)), ['c', 'd'], 'at most as many as kept');
  t.same(newestChanges([]), []);
  const many = Array.from({ length: 100 }, (_, i) => post(`p${i}`, i));
  t.equal(newestChanges(many).length, KEPT_CHANGES);
  t.equal(newestChanges(many)[0]?.file, 'p99');
});

t.test('when the post changed last goes, the next is at hand', async (t) => {
  const [a, b, c] = [post('a', 30), post('b', 20), post('c', 10)];
  const editor = new NewestChangesEditor([a, b, c], 100_000);
  editor.remove(a);
  t.same(files(editor.done(unwalkable(99_999))), ['b', 'c'], 'no pass over the other posts');
});

t.test('an added post goes in by its change time, and the list stays bounded', async (t) => {
  const [a, b] = [post('a', 30), post('b', 20)];
  const editor = new NewestChangesEditor([a, b], 1000, 2);
  editor.add(post('new', 1, 25));
  editor.add(post('old', 5));
  t.same(files(editor.done(unwalkable(1002))), ['a', 'new'], 'an old one stays out; the list keeps two');
});

t.test('a list that runs out with posts left is made again from every post', async (t) => {
  const [a, b, c] = [post('a', 30), post('b', 20), post('c', 10)];
  const editor = new NewestChangesEditor([a], 3, 1);
  editor.remove(a);
  editor.add(post('d', 5));
  t.same(files(editor.done([b, c, post('d', 5)])), ['b'], 'd ranks below posts the list had lost');
  const emptied = new NewestChangesEditor([a], 1, 1);
  emptied.remove(a);
  t.same(emptied.done([]), [], 'no posts left: nothing');
  const first = new NewestChangesEditor([], 0);
  first.add(b);
  t.same(files(first.done(unwalkable(1))), ['b'], 'the first post of an empty site');
});

t.test('through any updates, the list leads with the newest change of the posts left', async (t) => {
  const op = fc.record({ file: fc.integer({ min: 0, max: 7 }), gone: fc.boolean(), date: fc.integer({ min: 0, max: 9 }), modified: fc.integer({ min: 0, max: 9 }) });
  const batches = fc.array(fc.array(op, { maxLength: 4 }), { minLength: 1, maxLength: 8 });
  fc.assert(
    fc.property(batches, fc.integer({ min: 1, max: 3 }), (batches, kept) => {
      const live = new Map<number, Post>();
      let list = newestChanges([], kept);
      for (const batch of batches) {
        const editor = new NewestChangesEditor(list, live.size, kept);
        // One change per file, the last of the batch; removals first, then additions,
        // as an index update applies them.
        const touched = new Map(batch.map((change) => [change.file, change]));
        for (const file of touched.keys()) {
          const before = live.get(file);
          if (before) editor.remove(before);
          live.delete(file);
        }
        for (const [file, { gone, date, modified }] of touched) {
          if (gone) continue;
          const after = post(`f${file}`, date, modified);
          editor.add(after);
          live.set(file, after);
        }
        list = editor.done([...live.values()]);
        const newest = Math.max(...[...live.values()].map((p) => lastChange(p).getTime()));
        if (live.size === 0 ? list.length !== 0 : lastChange(list[0]!).getTime() !== newest) return false;
        if (list.length > kept || list.some((p) => ![...live.values()].includes(p))) return false;
      }
      return true;
    }),
    { numRuns: 3000 },
  );
  t.pass('the same newest change as a pass over every post');
});
