import type { RandomBytes } from '@latchkey/model';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A version-4 UUID drawn from the injected random source: AWS's request ids are UUIDs, and the JS
 * SDK reads them from `x-amzn-RequestId` verbatim.
 */
export function requestIdFrom(random: RandomBytes): string {
  const b = random(16);
  if (b.length !== 16) throw new TypeError('random source returned the wrong number of bytes');
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[b[i] as number];
  }
  return out;
}

/**
 * Request ids drawn 64 at a time: one call to the random source per 64 requests instead of one
 * each (a syscall-backed source costs microseconds per call on the hot path).
 */
export function requestIdSource(random: RandomBytes, batch = 64): () => string {
  let pool: Uint8Array = new Uint8Array(0);
  let offset = 0;
  return () => {
    if (offset + 16 > pool.length) {
      pool = random(16 * batch);
      if (pool.length !== 16 * batch) throw new TypeError('random source returned the wrong number of bytes');
      offset = 0;
    }
    const slice = pool.subarray(offset, offset + 16);
    offset += 16;
    return requestIdFrom(() => slice);
  };
}
