import { prepareHmacKey, type PreparedHmacKey } from './crypto.js';
import { getSigningKey } from './get-signing-key.js';

export interface SigningKeyEntry {
  key: Uint8Array;
  prepared: PreparedHmacKey;
}

/**
 * A bounded cache of derived signing keys (with their HMAC pads prepared). Entries are keyed by
 * the secret itself together with the access key id and scope, so a rotated secret never hits a
 * stale key; only the derivation is cached, the key's status and expiry are checked by the
 * verifier on every request. Eviction is first-in first-out: a hit costs one Map lookup, and a
 * hot key that falls out is simply derived again (four HMACs).
 */
export class SigningKeyCache {
  readonly #max: number;
  readonly #entries = new Map<string, SigningKeyEntry>();

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 0) throw new RangeError('signingKeyCache.max must be a non-negative integer');
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(accessKeyId: string, secretAccessKey: string, date: string, region: string, service: string): Uint8Array {
    return this.getEntry(accessKeyId, secretAccessKey, date, region, service).key;
  }

  /** The signing key and the same key with its HMAC pads absorbed (see `prepareHmacKey`). */
  getEntry(accessKeyId: string, secretAccessKey: string, date: string, region: string, service: string): SigningKeyEntry {
    // The credential is split on '/', so none of the first four parts holds one: unambiguous.
    const id = accessKeyId + '/' + date + '/' + region + '/' + service + '/' + secretAccessKey;
    const hit = this.#entries.get(id);
    if (hit !== undefined) return hit;
    const key = getSigningKey(secretAccessKey, date, region, service);
    const entry: SigningKeyEntry = { key, prepared: prepareHmacKey(key) };
    if (this.#max === 0) return entry;
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(id, entry);
    return entry;
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
