import t from 'tap';
import { draftOf, LayeredMap } from '../../src/content/layered-map.js';

const entries = <K, V>(map: ReadonlyMap<K, V>) => [...map];

t.test('a draft changes its own copy: the map it came from stays as it was', async (t) => {
  const base = new Map([['a', 1], ['b', 2], ['c', 3]]);
  const draft = draftOf(base);
  t.equal(draft.set('b', 20), draft, 'set chains, as on a Map');
  draft.set('d', 4);
  t.equal(draft.delete('a'), true);
  t.equal(draft.delete('a'), false, 'already gone');
  t.equal(draft.delete('nope'), false, 'never there');
  const next = draft.done();

  t.same(entries(base), [['a', 1], ['b', 2], ['c', 3]], 'the base is untouched');
  t.equal(next.size, 3);
  t.equal(next.get('a'), undefined);
  t.equal(next.has('a'), false);
  t.equal(next.get('b'), 20);
  t.equal(next.has('c'), true);
  t.equal(next.get('c'), 3, 'unchanged entries come from the base');
  t.equal(next.get('nope'), undefined);
  t.same(entries(next), [['b', 20], ['c', 3], ['d', 4]], 'Map order: a changed key keeps its place, a new one comes last');
  t.same([...next.keys()], ['b', 'c', 'd']);
  t.same([...next.values()], [20, 3, 4]);
  t.same([...next.entries()], [['b', 20], ['c', 3], ['d', 4]]);
});

t.test('a key added and removed in one draft leaves nothing behind', async (t) => {
  const draft = draftOf(new Map([['a', 1]]));
  draft.set('x', 9);
  t.equal(draft.get('x'), 9);
  t.equal(draft.delete('x'), true);
  t.equal(draft.has('x'), false);
  draft.delete('a');
  draft.set('a', 2);
  const next = draft.done();
  t.equal(next.size, 1);
  t.same(entries(next), [['a', 2]], 'removed then set again: present, with the new value');
});

t.test('forEach passes each entry, the map and thisArg', async (t) => {
  const draft = draftOf(new Map([['a', 1]]));
  draft.set('b', 2);
  const map = draft.done();
  const seen: [string, number][] = [];
  const self = { tag: 'self' };
  map.forEach(function (this: unknown, value, key, whole) {
    t.equal(this, self);
    t.equal(whole, map);
    seen.push([key, value]);
  }, self);
  t.same(seen, [['a', 1], ['b', 2]]);
  const plain = LayeredMap.over(new Map([['z', 26]]));
  const keys: string[] = [];
  plain.forEach((_, key) => keys.push(key));
  t.same(keys, ['z'], 'a map with no changes iterates its base');
});

t.test('over() keeps a layered map as it is; an edit after iterating starts from the folded form', async (t) => {
  const draft = draftOf(new Map([['a', 1], ['b', 2]]));
  draft.delete('a');
  const map = draft.done();
  t.equal(LayeredMap.over(map), map);
  t.same(entries(map), [['b', 2]], 'iterating folds');
  const again = map.edit();
  again.set('c', 3);
  const next = again.done();
  t.same(entries(next), [['b', 2], ['c', 3]]);
  t.same(entries(map), [['b', 2]], 'the folded map is not changed by the next edit');
  t.equal(next.has('a'), false);
});

t.test('behaves as a Map through many edits, folding its changes as they pile up', async (t) => {
  // A deterministic pseudo-random walk: sets and deletes over 3,000 keys in 400 edits.
  let seed = 42;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const model = new Map<number, number>();
  for (let i = 0; i < 2000; i++) model.set(i, i);
  let map: ReadonlyMap<number, number> = new Map(model);
  const bases = new Set<ReadonlyMap<number, number>>();
  for (let edit = 0; edit < 400; edit++) {
    const draft = draftOf(map);
    for (let op = 0; op < 1 + random(8); op++) {
      const key = random(3000);
      if (random(3) === 0) t.equal(draft.delete(key), model.delete(key));
      else {
        draft.set(key, edit);
        model.set(key, edit);
      }
    }
    map = draft.done();
    bases.add((map as unknown as { base: ReadonlyMap<number, number> }).base);
    if (map.size !== model.size) t.fail(`size ${map.size} != ${model.size} after edit ${edit}`);
    const probe = random(3000);
    if (map.get(probe) !== model.get(probe)) t.fail(`get(${probe}) differs after edit ${edit}`);
  }
  t.ok(bases.size > 1, 'the changes were folded into a new base at least once');
  t.same(new Map([...map].sort((a, b) => a[0] - b[0])), new Map([...model].sort((a, b) => a[0] - b[0])), 'the same entries');
  for (let key = 0; key < 3000; key++) {
    if (map.has(key) !== model.has(key) || map.get(key) !== model.get(key)) t.fail(`key ${key} differs`);
  }
});
