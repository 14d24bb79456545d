/**
 * A source of cryptographically strong random bytes, injected by `main` files
 * (`(n) => crypto.randomBytes(n)` or `crypto.getRandomValues`). Core code never reaches for one itself.
 */
export type RandomBytes = (length: number) => Uint8Array;

// Draws `length` bytes and checks the source honoured the request: a short read would
// silently weaken every identifier built from it.
export function draw(random: RandomBytes, length: number): Uint8Array {
  const bytes = random(length);
  if (!(bytes instanceof Uint8Array) || bytes.length < length) {
    throw new RangeError(`random source returned ${bytes?.length ?? 'no'} bytes, ${length} requested`);
  }
  return bytes.length === length ? bytes : bytes.subarray(0, length);
}

/** Uniform random index in [0, n) by rejection sampling (n ≤ 256), so no alphabet letter is favoured. */
export function uniformIndices(random: RandomBytes, n: number, count: number): number[] {
  const limit = 256 - (256 % n);
  const out: number[] = [];
  // A source stuck above the rejection limit would otherwise spin forever.
  for (let rounds = 0; out.length < count; rounds++) {
    if (rounds === 64) throw new RangeError('random source keeps returning rejected bytes');
    for (const b of draw(random, Math.max(8, (count - out.length) * 2))) {
      if (b < limit) out.push(b % n);
      if (out.length === count) break;
    }
  }
  return out;
}
