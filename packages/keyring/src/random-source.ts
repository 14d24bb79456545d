import { KeyringError } from './keyring-error.js';

/**
 * Cryptographically secure random bytes, injected so core code stays deterministic under test.
 * Production wiring passes `(size) => crypto.randomBytes(size)` from a `main` file.
 */
export type RandomSource = (size: number) => Uint8Array;

/** Milliseconds since the Unix epoch, like `Date.now`; injected for the same reason. */
export type Clock = () => number;

/** Draws exactly `size` bytes, refusing a source that returns anything else. */
export function drawRandom(random: RandomSource, size: number): Uint8Array {
  const bytes = random(size);
  if (!(bytes instanceof Uint8Array) || bytes.length !== size) {
    throw new KeyringError('invalidRandomSource', `the random source must return exactly ${size} bytes`);
  }
  return bytes;
}
