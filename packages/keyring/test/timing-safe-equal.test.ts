import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timingSafeEqualBytes, timingSafeEqualString } from '../src/index.js';

const signature = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024';

describe('timingSafeEqualString', () => {
  it('is true for equal strings', () => {
    expect(timingSafeEqualString(signature, `${signature}`)).toBe(true);
    expect(timingSafeEqualString('', '')).toBe(true);
    expect(timingSafeEqualString('123456', '123456')).toBe(true);
    expect(timingSafeEqualString('ünïcødé ✓', 'ünïcødé ✓')).toBe(true);
  });

  it('is false for a one-character difference at any position', () => {
    for (let index = 0; index < signature.length; index++) {
      const other = signature.slice(0, index) + (signature[index] === '0' ? '1' : '0') + signature.slice(index + 1);
      expect(timingSafeEqualString(signature, other)).toBe(false);
    }
  });

  it('is false for different lengths, prefixes and extensions, without throwing', () => {
    expect(timingSafeEqualString(signature, signature.slice(0, -1))).toBe(false);
    expect(timingSafeEqualString(signature, `${signature}0`)).toBe(false);
    expect(timingSafeEqualString('', signature)).toBe(false);
    expect(timingSafeEqualString('123456', '1234567')).toBe(false);
  });

  it('compares text, not normalised forms: composed and decomposed é differ', () => {
    expect(timingSafeEqualString('\u00e9', 'e\u0301')).toBe(false);
  });

  it('tells apart strings that differ only in lone surrogates (which UTF-8 would merge into U+FFFD)', () => {
    expect(timingSafeEqualString('\uD800', '\uDC00')).toBe(false);
    expect(timingSafeEqualString('a\uD800', 'a\uFFFD')).toBe(false);
    expect(timingSafeEqualString('\uD800', '\uD800')).toBe(true);
  });

  it('is false, not an exception, for non-strings', () => {
    expect(timingSafeEqualString(undefined as never, undefined as never)).toBe(false);
    expect(timingSafeEqualString(signature, null as never)).toBe(false);
    expect(timingSafeEqualString(123456 as never, '123456')).toBe(false);
  });

  it('agrees with === on arbitrary strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('\uD800', '\uDC00', '\uFFFD'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 80 }), (a, b) => {
        expect(timingSafeEqualString(a, b)).toBe(a === b);
        expect(timingSafeEqualString(a, a)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('timingSafeEqualBytes', () => {
  it('compares bytes of any lengths', () => {
    expect(timingSafeEqualBytes(new Uint8Array([1, 2, 3]), Buffer.from([1, 2, 3]))).toBe(true);
    expect(timingSafeEqualBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
    expect(timingSafeEqualBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqualBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(timingSafeEqualBytes('abc' as never, new Uint8Array([97, 98, 99]))).toBe(false);
  });

  it('agrees with byte-wise equality (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(timingSafeEqualBytes(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
      }),
      { numRuns: 300 },
    );
  });
});
