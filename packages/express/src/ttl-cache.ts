import { BoundedCache } from '@latchkey/keyring';

interface Entry<V> {
  readonly until: number;
  value: Promise<V>;
  /** Set once the load has settled with a value, so hits can be answered without a microtask. */
  settled?: { readonly value: V };
  /** When `peek` last moved the entry to the most-recent end of the LRU. */
  touched: number;
  /** The entry that will replace this one: a refresh started ahead of `until`, still loading. */
  next?: Entry<V> | undefined;
}

/**
 * A bounded LRU whose entries live `ttlMs` on the injected clock. Concurrent misses for one key
 * share a single load; a load that fails with an error `keepError` rejects (an expected AWS
 * error such as `InvalidClientTokenId`) is remembered like a value, any other failure is not.
 *
 * Refresh ahead: a hit in the last quarter of an entry's life (when the caller says how to
 * reload) starts one reload in the background and goes on answering the current value, so a hot
 * key never makes its requests wait for a round trip when its TTL ends (every waiting request
 * showed up in the tail latency, once per TTL). The bound on staleness does not move: no value is
 * answered after its own `until` (its load's start + TTL), and the reload's answer, a kept error
 * included (a deactivated key), replaces the entry as soon as it arrives.
 */
export class TtlCache<V> {
  readonly #entries: BoundedCache<string, Entry<V>>;
  readonly #touchEvery: number;
  readonly #refreshAhead: number;

  constructor(
    maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly keepError: (err: unknown) => boolean,
    /**
     * Whether a reload's answer says the same as the answer it replaces: then the entry keeps
     * the old value object (with the new lifetime), so whatever callers derived from that object
     * and keyed by it (compiled policies, memoised decisions) stays valid. Default: never.
     */
    private readonly same?: (current: V, reloaded: V) => boolean,
  ) {
    this.#entries = new BoundedCache(maxEntries);
    this.#touchEvery = ttlMs / 8;
    this.#refreshAhead = ttlMs / 4;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const hit = this.#entries.get(key);
    if (hit !== undefined && now < hit.until) {
      if (hit.next === undefined && hit.settled !== undefined && now >= hit.until - this.#refreshAhead) this.#refresh(key, hit, load);
      return hit.value;
    }
    // Expired while its refresh is still loading: wait for that load rather than start another.
    if (hit?.next !== undefined) {
      this.#entries.set(key, hit.next);
      return hit.next.value;
    }
    return this.#load(key, load, now).value;
  }

  /**
   * A fresh value already loaded, synchronously; undefined on a miss, a pending load or a kept
   * error. With `reload` (and its argument), a hit late in its life also starts the refresh.
   */
  peek<A>(key: string, reload?: (arg: A) => Promise<V>, arg?: A): { readonly value: V } | undefined {
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
    if (reload !== undefined && hit.next === undefined && hit.settled !== undefined && now >= hit.until - this.#refreshAhead) {
      this.#refresh(key, hit, () => reload(arg as A));
    }
    return hit.settled;
  }

  /** Starts a load for `key` and stores its entry (the current one is replaced). */
  #load(key: string, load: () => Promise<V>, now: number): Entry<V> {
    const entry = this.#pending(key, load, now);
    this.#entries.set(key, entry);
    return entry;
  }

  /** An entry for a load started now; it removes itself from the cache if the load fails with an error not worth keeping. */
  #pending(key: string, load: () => Promise<V>, now: number): Entry<V> {
    let value: Promise<V>;
    try {
      value = load();
    } catch (err) {
      // A loader that throws instead of rejecting: a background refresh must not fail the
      // request that happened to start it (that request is answered from the current entry).
      value = Promise.reject(err);
    }
    const entry: Entry<V> = { until: now + this.ttlMs, value, touched: now };
    value.then(
      (v) => {
        entry.settled = { value: v };
      },
      (err: unknown) => {
        if (!this.keepError(err) && this.#entries.peek(key) === entry) this.#entries.delete(key);
      },
    );
    return entry;
  }

  /**
   * Reloads `current` in the background. Its answer replaces `current` when it arrives (if
   * `current` is still the key's entry); a failure not worth keeping leaves `current` to live out
   * its TTL, and a later hit tries again.
   */
  #refresh(key: string, current: Entry<V>, load: () => Promise<V>): void {
    const next = this.#pending(key, load, this.now());
    current.next = next;
    next.value.then(
      (reloaded) => {
        if (this.#entries.peek(key) !== current) return;
        const before = current.settled;
        if (before !== undefined && this.same !== undefined && this.same(before.value, reloaded)) {
          next.settled = before;
          next.value = current.value;
        }
        this.#entries.set(key, next);
      },
      (err: unknown) => {
        if (this.keepError(err)) {
          if (this.#entries.peek(key) === current) this.#entries.set(key, next);
        } else if (current.next === next) {
          current.next = undefined;
        }
      },
    );
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
