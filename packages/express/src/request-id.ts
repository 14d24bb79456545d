const PER_BATCH = 128;
const UUID_LENGTH = 36;
const HEX = '0123456789abcdef';

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
  let next = PER_BATCH;
  let batch = '';
  const refill = (): void => {
    fill(random);
    for (let id = 0; id < PER_BATCH; id++) {
      let out = id * UUID_LENGTH;
      for (let i = 0; i < 16; i++) {
        let b = random[id * 16 + i] as number;
        if (i === 6) b = (b & 0x0f) | 0x40; // version 4
        else if (i === 8) b = (b & 0x3f) | 0x80; // RFC 4122 variant
        if (i === 4 || i === 6 || i === 8 || i === 10) text[out++] = 0x2d; // '-'
        text[out++] = HEX.charCodeAt(b >> 4);
        text[out++] = HEX.charCodeAt(b & 0x0f);
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
