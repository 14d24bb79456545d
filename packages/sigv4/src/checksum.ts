import { createHash } from 'node:crypto';

/** Incremental checksum of a streamed body, compared with a trailer's base64 value. */
export interface Checksum {
  update(data: Uint8Array): void;
  /** base64 of the big-endian digest, as `x-amz-checksum-*` carries it */
  digestBase64(): string;
}

function crcTable(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

let crc32Table: Uint32Array | undefined;
let crc32cTable: Uint32Array | undefined;

function crc(table: Uint32Array): Checksum {
  let c = 0xffffffff;
  return {
    update(data) {
      for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
    },
    digestBase64() {
      const out = Buffer.alloc(4);
      out.writeUInt32BE((c ^ 0xffffffff) >>> 0);
      return out.toString('base64');
    },
  };
}

function hash(algorithm: string): Checksum {
  const h = createHash(algorithm);
  return {
    update: (data) => void h.update(data),
    digestBase64: () => h.digest('base64'),
  };
}

/**
 * A checksum for the trailer name `x-amz-checksum-<algorithm>`, or undefined for an algorithm
 * this package does not compute (CRC64NVME).
 */
export function createChecksum(trailerName: string): Checksum | undefined {
  switch (trailerName) {
    case 'x-amz-checksum-crc32':
      return crc((crc32Table ??= crcTable(0xedb88320)));
    case 'x-amz-checksum-crc32c':
      return crc((crc32cTable ??= crcTable(0x82f63b78)));
    case 'x-amz-checksum-sha1':
      return hash('sha1');
    case 'x-amz-checksum-sha256':
      return hash('sha256');
    default:
      return undefined;
  }
}
