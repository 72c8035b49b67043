/**
 * A bounded least-recently-used cache, so a service that compiles the same
 * formulas again pays for code generation and loading once. Bounded two
 * ways: by entry count, and by the total length of the keys (the keys are
 * generated sources, which can be large), so it can never grow without limit.
 */

/** Bounds of an {@link LruCache}. */
export interface CacheBounds {
  /** Most entries kept. */
  readonly maxEntries: number;
  /** Most key characters kept in total; a key longer than this is never cached. */
  readonly maxKeyChars: number;
}

/** A Map kept in recency order: the first entry is the least recently used. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();
  private keyChars = 0;

  constructor(readonly bounds: CacheBounds) {}

  /** Number of entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Total length of the keys held. */
  get chars(): number {
    return this.keyChars;
  }

  /** The value for `key`, which becomes the most recently used; undefined if absent. */
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores `value` as the most recently used, evicting the least recently used beyond the bounds. */
  set(key: string, value: V): void {
    if (this.entries.delete(key)) this.keyChars -= key.length;
    if (key.length > this.bounds.maxKeyChars || this.bounds.maxEntries < 1) return;
    this.entries.set(key, value);
    this.keyChars += key.length;
    while (this.entries.size > this.bounds.maxEntries || this.keyChars > this.bounds.maxKeyChars) {
      this.evictOldest();
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
    this.keyChars = 0;
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (oldest.done === true) return;
    this.entries.delete(oldest.value);
    this.keyChars -= oldest.value.length;
  }
}
