import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequestIds } from '../src/request-id.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createRequestIds', () => {
  it('formats the random bytes as version-4 UUIDs, 128 per fill', () => {
    let fills = 0;
    const ids = createRequestIds((bytes) => {
      fills++;
      bytes.fill(0xff);
    });
    const first = ids();
    expect(first).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    for (let i = 1; i < 128; i++) ids();
    expect(fills).toBe(1);
    ids();
    expect(fills).toBe(2);
  });

  it('sets the version and variant bits whatever the bytes', () => {
    const ids = createRequestIds((bytes) => bytes.fill(0));
    expect(ids()).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('gives distinct ids across batches from distinct bytes', () => {
    // Each 16-byte group holds a running counter in its last four bytes.
    let n = 0;
    const ids = createRequestIds((bytes) => {
      bytes.fill(0);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let at = 12; at < bytes.length; at += 16) view.setUint32(at, n++);
    });
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const id = ids();
      expect(id).toMatch(UUID_V4);
      seen.add(id);
    }
    expect(seen.size).toBe(300);
  });
});

describe('createRequestIds against a reference formatting', () => {
  it('writes each byte as two hex digits, dashes at 8/13/18/23, version and variant set', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16 * 128, maxLength: 16 * 128 }), fc.nat({ max: 127 }), (bytes, index) => {
        const ids = createRequestIds((into) => into.set(bytes));
        let id = '';
        for (let i = 0; i <= index; i++) id = ids();
        const b = Array.from(bytes.subarray(index * 16, index * 16 + 16));
        b[6] = (b[6]! & 0x0f) | 0x40;
        b[8] = (b[8]! & 0x3f) | 0x80;
        const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
        expect(id).toBe(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
        expect(id).toMatch(UUID_V4);
      }),
      { numRuns: 200 },
    );
  });
});
