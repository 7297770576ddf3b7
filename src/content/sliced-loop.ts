// Passes over every file of a large folder, on the main thread, that let requests in
// between: at 100,000 files one pass at once held up every request for tens of ms.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Items visited between two turns of the event loop. */
export const ITEMS_PER_TURN = 2048;

/** Calls `visit` on each item, letting the event loop run after every `perTurn` of them. */
export async function forEachSliced<T>(items: Iterable<T>, visit: (item: T) => void, perTurn = ITEMS_PER_TURN): Promise<void> {
  let count = 0;
  for (const item of items) {
    visit(item);
    if (++count % perTurn === 0) await nextTurn();
  }
}
