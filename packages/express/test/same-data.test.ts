import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameData } from '../src/same-data.js';

const at = (ms: number): Date => new Date(ms);
class Box {
  constructor(readonly v: number) {}
}
const box = new Box(1);

// [a, b, same?]
const CASES: [string, unknown, unknown, boolean][] = [
  ['equal strings', 'a', 'a', true],
  ['different strings', 'a', 'b', false],
  ['undefined and undefined', undefined, undefined, true],
  ['undefined and null', undefined, null, false],
  ['number and its string', 1, '1', false],
  ['dates of one instant', at(5), at(5), true],
  ['dates of two instants', at(5), at(6), false],
  ['date and its epoch', at(5), 5, false],
  ['equal bytes', new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]), true],
  ['bytes differing in the last', new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]), false],
  ['bytes of two lengths', new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]), false],
  ['bytes and an array of them', new Uint8Array([1]), [1], false],
  ['objects, keys in another order', { a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }, true],
  ['objects, a nested difference', { a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'y' }] }, false],
  ['objects, one key more', { a: 1 }, { a: 1, b: 2 }, false],
  ['an absent key and one set to undefined', { a: 1, b: undefined }, { a: 1, c: undefined }, false],
  ['arrays of two lengths', [1, 2], [1, 2, 3], false],
  ['array and array-like object', [1], { 0: 1 }, false],
  ['class instances with the same fields', new Box(1), new Box(1), false],
  ['one class instance and itself', box, box, true],
  ['maps (not compared by content)', new Map([[1, 2]]), new Map([[1, 2]]), false],
];

describe('sameData', () => {
  it.each(CASES)('%s', (_name, a, b, expected) => {
    expect(sameData(a, b)).toBe(expected);
    expect(sameData(b, a)).toBe(expected);
  });

  it('answers same for any JSON-like value and its structured clone', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => sameData(v, structuredClone(v))));
  });

  it('answers different when one leaf of a JSON-like object changes', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.nat(), (obj, pick) => {
        const keys = Object.keys(obj);
        const key = keys[pick % keys.length]!;
        const changed = { ...obj, [key]: { changed: obj[key] ?? null } };
        return !sameData(obj, changed);
      }),
    );
  });
});
