// A pass over a large folder's files lets the event loop run every few thousand of them.
import t from 'tap';
import { forEachSliced, ITEMS_PER_TURN } from '../../src/content/sliced-loop.js';

t.test('every item, in order, with turns of the event loop between slices', async (t) => {
  const seen: string[] = [];
  let turns = 0;
  const tick = () => {
    turns++;
    seen.push('turn');
    if (turns < 10) setImmediate(tick);
  };
  setImmediate(tick);
  await forEachSliced([1, 2, 3, 4, 5], (n) => seen.push(String(n)), 2);
  t.same(seen.filter((s) => s !== 'turn'), ['1', '2', '3', '4', '5']);
  t.same(seen.slice(0, 6), ['1', '2', 'turn', '3', '4', 'turn'], 'requests get their turn after every two items');
});

t.test('a slice as long as the default visits without a turn until it is done', async (t) => {
  let turned = false;
  setImmediate(() => (turned = true));
  const items = Array.from({ length: ITEMS_PER_TURN - 1 }, (_, i) => i);
  let count = 0;
  const pass = forEachSliced(items, () => count++);
  t.equal(count, items.length, 'all visited before the first await');
  await pass;
  t.notOk(turned, 'no turn was needed');
});
