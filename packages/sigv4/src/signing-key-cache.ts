import { getSigningKey } from './get-signing-key.js';

/**
 * A bounded LRU of derived signing keys. Entries are keyed by the secret itself together with
 * the access key id and scope, so a rotated secret never hits a stale key; only the derivation is
 * cached, the key's status and expiry are checked by the verifier on every request.
 */
export class SigningKeyCache {
  readonly #max: number;
  readonly #entries = new Map<string, Uint8Array>();

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 0) throw new RangeError('signingKeyCache.max must be a non-negative integer');
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(accessKeyId: string, secretAccessKey: string, date: string, region: string, service: string): Uint8Array {
    if (this.#max === 0) return getSigningKey(secretAccessKey, date, region, service);
    // The credential is split on '/', so none of the first four parts holds one: unambiguous.
    const id = accessKeyId + '/' + date + '/' + region + '/' + service + '/' + secretAccessKey;
    const hit = this.#entries.get(id);
    if (hit !== undefined) {
      // refresh recency
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return hit;
    }
    const key = getSigningKey(secretAccessKey, date, region, service);
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(id, key);
    return key;
  }

  /** Drops every key derived for `accessKeyId` (call on rotation, deactivation, deletion). */
  evict(accessKeyId: string): void {
    const prefix = accessKeyId + '/';
    for (const id of this.#entries.keys()) if (id.startsWith(prefix)) this.#entries.delete(id);
  }

  clear(): void {
    this.#entries.clear();
  }
}
