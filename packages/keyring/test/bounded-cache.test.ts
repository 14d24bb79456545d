import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../src/index.js';

describe('BoundedCache', () => {
  it('refuses a size that is not a positive integer', () => {
    for (const size of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new BoundedCache(size)).toThrow(RangeError);
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1).set('b', 2).set('c', 3);
    expect(cache.has('a')).toBe(false);
    expect(cache.keys()).toEqual(['b', 'c']);
    expect(cache.size).toBe(2);
  });

  it('counts get as a use, so a read entry survives the next eviction', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.keys()).toEqual(['a', 'c']);
  });

  it('does not count peek or has as a use', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.peek('a')).toBe(1);
    expect(cache.has('a')).toBe(true);
    cache.set('c', 3);
    expect(cache.keys()).toEqual(['b', 'c']);
  });

  it('replaces a value and refreshes its recency on set', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    expect(cache.get('a')).toBe(10);
    expect(cache.has('b')).toBe(false);
  });

  it('stores undefined values distinctly from absent keys', () => {
    const cache = new BoundedCache<string, number | undefined>(2);
    cache.set('a', undefined).set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
  });

  it('deletes and clears', () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set('a', 1).set('b', 2);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('b')).toBeUndefined();
  });

  it('behaves like a reference LRU model and never exceeds its bound (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.nat({ max: 9 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('get' as const), key: fc.nat({ max: 9 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.nat({ max: 9 }) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
        const cache = new BoundedCache<number, number>(max);
        let model: Array<[number, number]> = []; // least recent first
        for (const step of ops) {
          const found = step.kind === 'clear' ? undefined : model.find(([key]) => key === step.key);
          if (step.kind === 'set') {
            model = [...model.filter(([key]) => key !== step.key), [step.key, step.value] as [number, number]].slice(-max);
            cache.set(step.key, step.value);
          } else if (step.kind === 'get') {
            if (found) model = [...model.filter(([key]) => key !== step.key), found];
            expect(cache.get(step.key)).toBe(found?.[1]);
          } else if (step.kind === 'delete') {
            model = model.filter(([key]) => key !== step.key);
            expect(cache.delete(step.key)).toBe(found !== undefined);
          } else {
            model = [];
            cache.clear();
          }
          expect(cache.size).toBeLessThanOrEqual(max);
          expect(cache.keys()).toEqual(model.map(([key]) => key));
        }
      }),
      { numRuns: 300 },
    );
  });
});
