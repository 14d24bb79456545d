import { hmacPads } from './crypto.js';
import { getSigningKey } from './get-signing-key.js';

/** A derived signing key with its precomputed HMAC pad blocks (see `hmacHexOfStringToSign`). */
export interface CachedSigningKey {
  readonly key: Uint8Array;
  readonly pads: Buffer;
}

interface Slot extends CachedSigningKey {
  secret: string;
  date: string;
  region: string;
  service: string;
}

/**
 * A bounded cache of derived signing keys. An entry matches only
 * the same access key id, secret, date, region and service, so a rotated secret never hits a stale
 * key; only the derivation is cached, the key's status and expiry are checked by the verifier on
 * every request. Entries are grouped by access key id (a hit compares four short strings instead
 * of hashing a long composite key); eviction is first-in first-out, and a hot key that falls out
 * is simply derived again (four HMACs).
 */
export class SigningKeyCache {
  readonly #max: number;
  readonly #byKeyId = new Map<string, Slot[]>();
  /** insertion order, for eviction */
  readonly #order: Array<[string, Slot]> = [];

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 0) throw new RangeError('signingKeyCache.max must be a non-negative integer');
    this.#max = max;
  }

  get size(): number {
    return this.#order.length;
  }

  get(accessKeyId: string, secretAccessKey: string, date: string, region: string, service: string): Uint8Array {
    return this.entry(accessKeyId, secretAccessKey, date, region, service).key;
  }

  /** The key and its HMAC pads, derived on a miss. */
  entry(accessKeyId: string, secretAccessKey: string, date: string, region: string, service: string): CachedSigningKey {
    const slots = this.#byKeyId.get(accessKeyId);
    if (slots !== undefined) {
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i]!;
        if (s.date === date && s.region === region && s.service === service && s.secret === secretAccessKey) return s;
      }
    }
    const key = getSigningKey(secretAccessKey, date, region, service);
    const slot: Slot = { key, pads: hmacPads(key), secret: secretAccessKey, date, region, service };
    if (this.#max === 0) return slot;
    if (this.#order.length >= this.#max) {
      const oldest = this.#order.shift();
      if (oldest !== undefined) this.#remove(oldest[0], oldest[1]);
    }
    if (slots === undefined) this.#byKeyId.set(accessKeyId, [slot]);
    else slots.push(slot);
    this.#order.push([accessKeyId, slot]);
    return slot;
  }

  #remove(accessKeyId: string, slot: Slot): void {
    const slots = this.#byKeyId.get(accessKeyId);
    if (slots === undefined) return;
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    if (slots.length === 0) this.#byKeyId.delete(accessKeyId);
  }

  /** Drops every key derived for `accessKeyId` (call on rotation, deactivation, deletion). */
  evict(accessKeyId: string): void {
    this.#byKeyId.delete(accessKeyId);
    for (let i = this.#order.length - 1; i >= 0; i--) if (this.#order[i]![0] === accessKeyId) this.#order.splice(i, 1);
  }

  clear(): void {
    this.#byKeyId.clear();
    this.#order.length = 0;
  }
}
