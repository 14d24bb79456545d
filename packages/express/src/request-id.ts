const PER_BATCH = 128;
const UUID_LENGTH = 36;
const HEX = '0123456789abcdef';
/** Where each of the 16 bytes' two hex digits start in `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`. */
const AT = Uint8Array.of(0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34);
const DASHES = [8, 13, 18, 23];
/** The ASCII codes of each byte value's high and low hex digit: a table read per byte instead of two shifts, two charCodeAt calls and the branches for dashes. */
const HI = new Uint8Array(256);
const LO = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  HI[b] = HEX.charCodeAt(b >> 4);
  LO[b] = HEX.charCodeAt(b & 0x0f);
}

/**
 * A request-id source: random (version 4) UUIDs, as AWS's `x-amzn-RequestId` looks, made 128 at
 * a time. `crypto.randomUUID` builds each id from ~20 concatenated pieces (≈ 600 bytes of
 * garbage per request); here one `fill` call gives the random bytes of a whole batch, which is
 * written as one string, and each id is a slice of it (V8 shares the characters).
 * Request ids identify requests; they are not secrets.
 */
export function createRequestIds(fill: (bytes: Uint8Array) => void): () => string {
  const random = new Uint8Array(16 * PER_BATCH);
  const text = Buffer.alloc(UUID_LENGTH * PER_BATCH);
  // The dashes never move: written once, and each refill writes only the hex digits.
  for (let id = 0; id < PER_BATCH; id++) for (const at of DASHES) text[id * UUID_LENGTH + at] = 0x2d;
  let next = PER_BATCH;
  let batch = '';
  const refill = (): void => {
    fill(random);
    for (let id = 0; id < PER_BATCH; id++) {
      const r = id * 16;
      random[r + 6] = (random[r + 6]! & 0x0f) | 0x40; // version 4
      random[r + 8] = (random[r + 8]! & 0x3f) | 0x80; // RFC 4122 variant
      const out = id * UUID_LENGTH;
      for (let i = 0; i < 16; i++) {
        const b = random[r + i]!;
        const at = out + AT[i]!;
        text[at] = HI[b]!;
        text[at + 1] = LO[b]!;
      }
    }
    batch = text.toString('latin1');
    next = 0;
  };
  return () => {
    if (next === PER_BATCH) refill();
    const start = next++ * UUID_LENGTH;
    return batch.slice(start, start + UUID_LENGTH);
  };
}
