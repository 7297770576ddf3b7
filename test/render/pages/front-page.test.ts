import fc from 'fast-check';
import t from 'tap';
import type { IndexSnapshot } from '../../../src/content/build-index.js';
import { compareNewestFirst, type Post } from '../../../src/content/post.js';
import { frontPageOf, Without } from '../../../src/render/pages/front-page.js';

/** Only what the front page's split reads of a post. */
const story = (n: number, extra: Partial<Post> = {}) =>
  ({ file: `${String(n).padStart(4, '0')}.md`, date: new Date(Date.UTC(2025, 0, 1) - n * 3_600_000), hidden: false, featured: false, ...extra }) as Post;

t.test('a list without some entries slices as the filtered list would, without copying it', async (t) => {
  const position = fc.option(fc.integer({ min: -40, max: 40 }), { nil: undefined });
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 30 }), fc.uniqueArray(fc.nat(29), { maxLength: 6 }), position, position, (size, skip, start, end) => {
      const posts = Array.from({ length: size }, (_, i) => story(i));
      const skipped = skip.filter((i) => i < size).sort((a, b) => a - b);
      const expected = posts.filter((_, i) => !skipped.includes(i));
      const view = new Without(posts, skipped);
      t.equal(view.length, expected.length);
      t.same(view.slice(start, end), expected.slice(start, end), `slice(${start}, ${end}) of ${size} without [${skipped.join(', ')}]`);
    }),
  );
});

t.test('the front page: the featured block first, then every other post not hidden, in order', async (t) => {
  const posts = Array.from({ length: 40 }, (_, i) => story(i));
  // Featured: an old story deep in the list, a hidden one, and a recent one.
  posts[31] = story(31, { featured: true });
  posts[12] = story(12, { featured: true, hidden: true });
  posts[3] = story(3, { featured: true });
  posts[20] = story(20, { hidden: true });
  const frontPage = posts.filter((p) => !p.hidden);
  const featured = posts.filter((p) => p.featured).sort(compareNewestFirst);
  const snapshot = { frontPage, featured } as unknown as IndexSnapshot;

  const front = frontPageOf(snapshot, 3);
  t.equal(front.lead, posts[3]);
  t.same(front.featured, [posts[12], posts[31]], 'hidden ones too, in the block');
  const rest = front.rest.slice();
  t.same(rest, frontPage.filter((p) => !p.featured));
  t.equal(front.rest.length, 36, '40 posts, one hidden, three in the block (one of them hidden)');
  t.same(front.rest.slice(28, 32), rest.slice(28, 32), 'a page across the old featured story');
  t.equal(frontPageOf(snapshot, 3), front, 'once per snapshot');

  const none = frontPageOf({ frontPage, featured: [] } as unknown as IndexSnapshot, 3);
  t.equal(none.lead, posts[0], 'with nothing featured, the newest post leads');
  t.same(none.rest.slice(0, 2), [posts[1], posts[2]]);
  const empty = frontPageOf({ frontPage: [], featured: [] } as unknown as IndexSnapshot, 3);
  t.equal(empty.lead, null);
  t.same(empty.rest.slice(), []);
});
