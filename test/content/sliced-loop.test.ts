// A pass over a large folder's files lets the event loop run whenever a slice has run
// its time.
import t from 'tap';
import { forEachSliced } from '../../src/content/sliced-loop.js';

/** Keeps the thread busy for `ms`, as a slow visit would. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

t.test('every item, in order, with a turn of the event loop once a slice has run its time', async (t) => {
  const seen: string[] = [];
  let turns = 0;
  const tick = () => {
    turns++;
    seen.push('turn');
    if (turns < 10) setImmediate(tick);
  };
  setImmediate(tick);
  // Each visit takes longer than the slice's budget: requests get a turn after each.
  await forEachSliced([1, 2, 3, 4, 5], (n) => {
    busyFor(3);
    seen.push(String(n));
  }, 1);
  t.same(seen.filter((s) => s !== 'turn'), ['1', '2', '3', '4', '5']);
  t.same(seen.slice(0, 6), ['1', 'turn', '2', 'turn', '3', 'turn']);
});

t.test('a pass shorter than its budget visits everything without a turn', async (t) => {
  let turned = false;
  setImmediate(() => (turned = true));
  const items = Array.from({ length: 2000 }, (_, i) => i);
  let count = 0;
  const pass = forEachSliced(items, () => count++, 60_000);
  t.equal(count, items.length, 'all visited before the first await');
  await pass;
  t.notOk(turned, 'no turn was needed');
});

t.test('without a budget given, a slice runs SLICE_MS', async (t) => {
  const { SLICE_MS } = await import('../../src/content/sliced-loop.js');
  const seen: string[] = [];
  setImmediate(() => seen.push('turn'));
  await forEachSliced([1, 2], (n) => {
    busyFor(SLICE_MS + 1);
    seen.push(String(n));
  });
  t.same(seen, ['1', 'turn', '2'], 'a visit that overruns it is followed by a turn');
});
