import { BoundedCache } from '@latchkey/keyring';

interface Entry<V> {
  readonly until: number;
  readonly value: Promise<V>;
  /** Set once the load has settled with a value, so hits can be answered without a microtask. */
  settled?: { readonly value: V };
}

/**
 * A bounded LRU whose entries live `ttlMs` on the injected clock. Concurrent misses for one key
 * share a single load; a load that fails with an error `keepError` rejects (an expected AWS
 * error such as `InvalidClientTokenId`) is remembered like a value, any other failure is not.
 */
export class TtlCache<V> {
  readonly #entries: BoundedCache<string, Entry<V>>;

  constructor(
    maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly keepError: (err: unknown) => boolean,
  ) {
    this.#entries = new BoundedCache(maxEntries);
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const hit = this.#entries.get(key);
    if (hit !== undefined && now < hit.until) return hit.value;
    const value = load();
    const entry: Entry<V> = { until: now + this.ttlMs, value };
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
    const hit = this.#entries.get(key);
    return hit !== undefined && this.now() < hit.until ? hit.settled : undefined;
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
