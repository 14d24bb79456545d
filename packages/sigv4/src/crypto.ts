import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/** Key material and data accepted by the HMAC/hash helpers. */
export type BinaryLike = string | Uint8Array;

/** hex SHA-256. The one-shot `crypto.hash` is several times faster than a Hash object. */
export function sha256Hex(data: BinaryLike): string {
  return hash('sha256', data, 'hex');
}

export function hmac(key: BinaryLike, data: BinaryLike): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function hmacHex(key: BinaryLike, data: BinaryLike): string {
  return createHmac('sha256', key).update(data).digest('hex');
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
