import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMarker, encodeMarker, InvalidMarkerError } from '../src/index.js';

describe('encodeMarker', () => {
  it('round-trips any key of strings and finite numbers through decodeMarker', () => {
    const keyPart = fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(fc.array(keyPart, { minLength: 1, maxLength: 4 }), (key) => {
        expect(decodeMarker(encodeMarker(key), key.length)).toEqual(key.map((k) => (Object.is(k, -0) ? 0 : k)));
      }),
    );
  });

  it('produces URL- and XML-safe text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 3 }), (key) => {
        expect(encodeMarker(key)).toMatch(/^lk1\.[A-Za-z0-9_-]*$/);
      }),
    );
  });
});

describe('decodeMarker', () => {
  const invalid = [
    '',
    'lk1.',
    'lk2.WyJhIl0',
    'WyJhIl0',
    'lk1.not base64!',
    // valid base64 of non-JSON, of a JSON object, of the wrong arity, of a nested value
    `lk1.${btoa('nope')}`,
    `lk1.${btoa('{"a":1}')}`,
    `lk1.${btoa('["a","b"]')}`,
    `lk1.${btoa('[["a"]]')}`,
    `lk1.${btoa('[null]')}`,
  ];

  it.each(invalid)('rejects %j with InvalidMarkerError', (marker) => {
    expect(() => decodeMarker(marker, 1)).toThrow(InvalidMarkerError);
  });

  it('rejects invalid UTF-8 inside the marker', () => {
    expect(() => decodeMarker(`lk1.${btoa('["\xff"]')}`, 1)).toThrow(InvalidMarkerError);
  });
});
