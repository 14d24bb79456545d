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

/** Bytes `bufferedRandom` draws from its source at a time, unless told otherwise. */
export const RANDOM_POOL_BYTES = 4096;

/**
 * A random source that draws from `source` in blocks of `poolBytes` and hands out copies of
 * consecutive slices. `crypto.randomBytes(n)` costs several microseconds per call whatever `n`
 * (a native job per call), and minting one set of temporary credentials draws three times (key
 * id, secret, token nonce): one 4 KiB draw serves about eighty. Node's own `randomUUID` pools
 * the same way. The bytes are as random as the source's; each handed-out slice is zeroed in
 * the pool, so a value (a secret access key, say) exists only in the copy its caller holds.
 * Requests larger than a quarter of the pool go straight to the source.
 *
 * A wiring helper for `main` files: core code still takes a plain `RandomSource`.
 */
export function bufferedRandom(source: RandomSource, poolBytes: number = RANDOM_POOL_BYTES): RandomSource {
  if (typeof source !== 'function') throw new KeyringError('invalidArgument', 'bufferedRandom needs a random source');
  if (!Number.isSafeInteger(poolBytes) || poolBytes < 64) throw new KeyringError('invalidArgument', 'the pool must hold at least 64 bytes');
  const direct = poolBytes >> 2;
  const pool = new Uint8Array(poolBytes);
  let offset = poolBytes;
  return (size: number): Uint8Array => {
    if (!Number.isSafeInteger(size) || size < 0) throw new KeyringError('invalidArgument', 'a random draw needs a non-negative integer size');
    if (size > direct) return drawRandom(source, size);
    if (offset + size > poolBytes) {
      // Copied into our own pool: the source's array is the source's (a test's fixed bytes, say).
      pool.set(drawRandom(source, poolBytes));
      offset = 0;
    }
    const out = pool.slice(offset, offset + size);
    pool.fill(0, offset, offset + size);
    offset += size;
    return out;
  };
}
