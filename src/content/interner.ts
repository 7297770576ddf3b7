// One shared object per key, for values that many posts repeat (a section, a tag, a
// day). Bounded: a pipeline that invents a new tag per post must not grow it forever,
// and forgetting is harmless (a value seen again is kept again). A plain Map, cleared
// when full: an LRU of 100,000 entries allocated its tables up front, about 15 ms of
// the main thread's startup for each, and looked keys up three times slower.
export class Interner<T> {
  private readonly known = new Map<string, T>();

  constructor(private readonly max: number) {}

  /** The value first kept under `key`, or `value` (now kept). */
  intern(key: string, value: T): T {
    const known = this.known.get(key);
    if (known !== undefined) return known;
    if (this.known.size >= this.max) this.known.clear();
    this.known.set(key, value);
    return value;
  }
}
