// A read-only map made from an older one and a few changes, sharing the older one's
// entries instead of copying them. The index is replaced on every change in the posts
// folder, and copying its maps (about 5 ms per 10,000 entries here, 80 ms per 100,000,
// four maps) made each update cost the size of the archive. Now an update costs what
// changed, plus one copy every few hundred changed entries, when the changes are folded
// into a new base. Reads look at the changes first. Iterating (sitemaps, a rebuild)
// folds once and keeps the result, which the next edit starts from.

const GONE = Symbol('gone');
type Change<V> = V | typeof GONE;

/** Changes kept over a base of `size` entries before they are folded into a copy of it. */
function foldAbove(size: number): number {
  return Math.max(256, 2 * Math.ceil(Math.sqrt(size)));
}

function fold<K, V>(base: ReadonlyMap<K, V>, changes: ReadonlyMap<K, Change<V>>): Map<K, V> {
  const out = new Map(base);
  for (const [key, change] of changes) {
    if (change === GONE) out.delete(key);
    else out.set(key, change);
  }
  return out;
}

/** Lookups over a base and changes to it. Values are never `undefined`. */
abstract class Layers<K, V> {
  constructor(
    protected readonly base: ReadonlyMap<K, V>,
    protected readonly changes: ReadonlyMap<K, Change<V>>,
  ) {}

  get(key: K): V | undefined {
    const change = this.changes.get(key);
    if (change === undefined) return this.base.get(key);
    return change === GONE ? undefined : change;
  }

  has(key: K): boolean {
    const change = this.changes.get(key);
    return change === undefined ? this.base.has(key) : change !== GONE;
  }
}

export class LayeredMap<K, V> extends Layers<K, V> implements ReadonlyMap<K, V> {
  /** The base with the changes applied, once something iterated. */
  private folded: Map<K, V> | null = null;

  private constructor(
    base: ReadonlyMap<K, V>,
    changes: ReadonlyMap<K, Change<V>>,
    readonly size: number,
  ) {
    super(base, changes);
  }

  /** `map` (which must not change afterwards) as a layered map, to edit without copying. */
  static over<K, V>(map: ReadonlyMap<K, V>): LayeredMap<K, V> {
    return map instanceof LayeredMap ? map : new LayeredMap(map, new Map(), map.size);
  }

  /** Made by MapDraft.done(). */
  static layered<K, V>(base: ReadonlyMap<K, V>, changes: ReadonlyMap<K, Change<V>>, size: number): LayeredMap<K, V> {
    return changes.size > foldAbove(base.size) ? new LayeredMap(fold(base, changes), new Map(), size) : new LayeredMap(base, changes, size);
  }

  /** A copy to change; this map stays as it is. */
  edit(): MapDraft<K, V> {
    return this.folded ? new MapDraft(this.folded, new Map(), this.size) : new MapDraft(this.base, new Map(this.changes), this.size);
  }

  private current(): ReadonlyMap<K, V> {
    if (this.changes.size === 0) return this.base;
    this.folded ??= fold(this.base, this.changes);
    return this.folded;
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    this.current().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  entries(): MapIterator<[K, V]> {
    return this.current().entries();
  }

  keys(): MapIterator<K> {
    return this.current().keys();
  }

  values(): MapIterator<V> {
    return this.current().values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.current()[Symbol.iterator]();
  }
}

/** A layered map being changed. Not to be used after done(). */
export class MapDraft<K, V> extends Layers<K, V> {
  constructor(
    base: ReadonlyMap<K, V>,
    protected override readonly changes: Map<K, Change<V>>,
    private size: number,
  ) {
    super(base, changes);
  }

  set(key: K, value: V): this {
    if (!this.has(key)) this.size++;
    this.changes.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    if (!this.has(key)) return false;
    this.size--;
    if (this.base.has(key)) this.changes.set(key, GONE);
    else this.changes.delete(key);
    return true;
  }

  done(): LayeredMap<K, V> {
    return LayeredMap.layered(this.base, this.changes, this.size);
  }
}

/** A draft of `map`, an index map that is never changed in place. */
export function draftOf<K, V>(map: ReadonlyMap<K, V>): MapDraft<K, V> {
  return LayeredMap.over(map).edit();
}
