import { BoundedCache } from '@latchkey/keyring';

interface Entry<V> {
  readonly until: number;
  readonly value: Promise<V>;
  /** Set once the load has settled with a value, so hits can be answered without a microtask. */
  settled?: { readonly value: V };
  /** When `peek` last moved the entry to the most-recent end of the LRU. */
  touched: number;
}

/**
 * A bounded LRU whose entries live `ttlMs` on the injected clock. Concurrent misses for one key
 * share a single load; a load that fails with an error `keepError` rejects (an expected AWS
 * error such as `InvalidClientTokenId`) is remembered like a value, any other failure is not.
 */
export class TtlCache<V> {
  readonly #entries: BoundedCache<string, Entry<V>>;
  readonly #touchEvery: number;

  constructor(
    maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly keepError: (err: unknown) => boolean,
  ) {
    this.#entries = new BoundedCache(maxEntries);
    this.#touchEvery = ttlMs / 8;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const hit = this.#entries.get(key);
    if (hit !== undefined && now < hit.until) return hit.value;
    const value = load();
    const entry: Entry<V> = { until: now + this.ttlMs, value, touched: now };
    this.#entries.set(key, entry);
    value.then(
      (v) => {
        entry.settled = { value: v };
      },
      (err: unknown) => {
        if (!this.keepError(err) && this.#entries.peek(key) === entry) this.#entries.delete(key);
      },
    );
    return value;
  }

  /** A fresh value already loaded, synchronously; undefined on a miss, a pending load or a kept error. */
  peek(key: string): { readonly value: V } | undefined {
    // The hot path of every request: one Map read. Moving the entry to the recent end of the LRU
    // costs a delete and an insert (and, with one hot key, a rehash of the Map every few
    // requests), so it is done at most once per eighth of the TTL: eviction order stays LRU to
    // within that, and entries are reloaded every TTL anyway.
    const hit = this.#entries.peek(key);
    if (hit === undefined) return undefined;
    const now = this.now();
    if (now >= hit.until) return undefined;
    if (now - hit.touched > this.#touchEvery) {
      hit.touched = now;
      this.#entries.get(key);
    }
    return hit.settled;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
