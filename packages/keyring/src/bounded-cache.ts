/**
 * A least-recently-used map with a fixed number of entries, for caches keyed by untrusted input
 * (decoded session tokens, signing keys, compiled policies): an attacker sending endless new
 * keys can only evict, never grow memory. `get` counts as a use; `peek` does not.
 */
export class BoundedCache<K, V> {
  readonly maxEntries: number;
  // Map iteration order is insertion order, so the first key is always the least recent.
  readonly #entries = new Map<K, V>();
  /**
   * The key known to be last in `#entries` (the most recently used), or undefined when unknown.
   * A hit on it needs no reordering: hot keys (one caller, one role) then cost one lookup.
   */
  #newest: K | undefined;
  #newestKnown = false;

  constructor(maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('BoundedCache maxEntries must be a positive integer');
    }
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined && !this.#entries.has(key)) return undefined;
    if (this.#newestKnown && this.#newest === key) return value;
    this.#entries.delete(key);
    this.#entries.set(key, value as V);
    this.#newest = key;
    this.#newestKnown = true;
    return value;
  }

  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
    this.#newestKnown = true;
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    return this;
  }

  delete(key: K): boolean {
    if (this.#newestKnown && this.#newest === key) this.#newestKnown = false;
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#newestKnown = false;
    this.#entries.clear();
  }

  /** Keys from least to most recently used (for tests and diagnostics). */
  keys(): K[] {
    return [...this.#entries.keys()];
  }
}
