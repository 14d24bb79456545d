import { createHash, createHmac, hash, timingSafeEqual, type Hash } from 'node:crypto';

/** Key material and data accepted by the HMAC/hash helpers. */
export type BinaryLike = string | Uint8Array;

/** hex SHA-256. The one-shot `crypto.hash` is several times faster than a Hash object. */
export function sha256Hex(data: BinaryLike): string {
  return hash('sha256', data, 'hex');
}

export function hmac(key: BinaryLike, data: BinaryLike): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * An HMAC-SHA-256 key with its inner and outer pads already absorbed (RFC 2104), so each MAC
 * costs two hash-state copies instead of a fresh HMAC context and key schedule. Worth it for a
 * signing key used on every request.
 */
export interface PreparedHmacKey {
  readonly inner: Hash;
  readonly outer: Hash;
}

export function prepareHmacKey(key: Uint8Array): PreparedHmacKey {
  // keys longer than the block are hashed first (never the case for 32-byte signing keys)
  const k = key.length > 64 ? createHash('sha256').update(key).digest() : key;
  const ipad = Buffer.alloc(64, 0x36);
  const opad = Buffer.alloc(64, 0x5c);
  for (let i = 0; i < k.length; i++) {
    ipad[i]! ^= k[i]!;
    opad[i]! ^= k[i]!;
  }
  return { inner: createHash('sha256').update(ipad), outer: createHash('sha256').update(opad) };
}

export function hmacPrepared(key: PreparedHmacKey, data: BinaryLike): Buffer {
  const innerDigest = key.inner.copy().update(data).digest();
  return key.outer.copy().update(innerDigest).digest();
}

export function hmacPreparedHex(key: PreparedHmacKey, data: BinaryLike): string {
  const innerDigest = key.inner.copy().update(data).digest();
  return key.outer.copy().update(innerDigest).digest('hex');
}

/**
 * Constant-time comparison of the expected signature (lowercase hex) with the provided one: every
 * character is visited and differences are OR-ed together, with no early exit, so the time does
 * not depend on where they differ. Only the length (public: always 64 for a well-formed
 * signature) decides early. Avoids decoding the provided hex into a Buffer on every request.
 */
export function hexSignatureMatches(expectedHex: string, provided: string): boolean {
  if (provided.length !== expectedHex.length) return false;
  let diff = 0;
  for (let i = 0; i < expectedHex.length; i++) diff |= expectedHex.charCodeAt(i) ^ provided.charCodeAt(i);
  return diff === 0;
}

const prepared = new WeakMap<Uint8Array, PreparedHmacKey>();

/** `prepareHmacKey`, memoised on the key object (signing keys handed in by a lookup). */
export function preparedKeyFor(key: Uint8Array): PreparedHmacKey {
  let p = prepared.get(key);
  if (p === undefined) prepared.set(key, (p = prepareHmacKey(key)));
  return p;
}

/**
 * Whether `provided` is the lowercase-hex form of the 32-byte `expected`, in time independent of
 * where they differ. The shape check runs on the (public) provided value only.
 */
export function signatureMatches(expected: Uint8Array, provided: string): boolean {
  if (!isLowerHex64(provided)) return false;
  return timingSafeEqual(expected, Buffer.from(provided, 'hex'));
}

export function isLowerHex64(value: string): boolean {
  if (value.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
