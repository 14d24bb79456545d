import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Key material and data accepted by the HMAC/hash helpers. */
export type BinaryLike = string | Uint8Array;

export function sha256Hex(data: BinaryLike): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: BinaryLike, data: BinaryLike): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function hmacHex(key: BinaryLike, data: BinaryLike): string {
  return createHmac('sha256', key).update(data).digest('hex');
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
