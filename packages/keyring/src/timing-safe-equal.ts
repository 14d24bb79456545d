import { createHash, timingSafeEqual } from 'node:crypto';

function digest(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * Constant-time equality of two byte strings of any lengths. Both sides are hashed to 32 bytes
 * first, so the comparison neither exits early nor throws on a length mismatch (which
 * `crypto.timingSafeEqual` does, leaking the length of the secret side). The hashing time still
 * grows with each input's length: unavoidable, and lengths of signatures and codes are public.
 * The length check only breaks a (practically impossible) SHA-256 collision; it is combined
 * without short-circuit so it adds no early exit.
 */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) return false;
  const same = timingSafeEqual(digest(a), digest(b));
  return same && a.length === b.length;
}

/**
 * Constant-time equality of two strings, for signatures, MFA codes and other secrets an
 * attacker guesses at: true exactly when `a === b`. Anything that is not a string compares
 * unequal.
 */
export function timingSafeEqualString(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  // UTF-16 code units, not UTF-8: UTF-8 encoding maps every lone surrogate to U+FFFD, which
  // would make distinct strings compare equal.
  return timingSafeEqualBytes(Buffer.from(a, 'utf16le'), Buffer.from(b, 'utf16le'));
}
