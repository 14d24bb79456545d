import { describe, expect, it } from 'vitest';
import { TtlCache } from '../src/ttl-cache.js';

const never = (): boolean => false;

describe('TtlCache', () => {
  it('answers a loaded value from peek until the TTL ends', async () => {
    const clock = { now: 1_000 };
    const cache = new TtlCache<string>(4, 800, () => clock.now, never);
    expect(cache.peek('a')).toBeUndefined();
    await cache.get('a', async () => 'A');
    expect(cache.peek('a')).toEqual({ value: 'A' });
    clock.now += 799;
    expect(cache.peek('a')).toEqual({ value: 'A' });
    clock.now += 1;
    expect(cache.peek('a')).toBeUndefined();
  });

  it('keeps an entry that peek keeps using when a new one evicts the least recent', async () => {
    const clock = { now: 1_000 };
    const cache = new TtlCache<string>(2, 800, () => clock.now, never);
    await cache.get('a', async () => 'A');
    await cache.get('b', async () => 'B');
    // Past an eighth of the TTL, a hit moves 'a' to the recent end: 'b' is now the oldest.
    clock.now += 101;
    expect(cache.peek('a')).toEqual({ value: 'A' });
    await cache.get('c', async () => 'C');
    expect(cache.peek('a')).toEqual({ value: 'A' });
    expect(cache.peek('b')).toBeUndefined();
    expect(cache.peek('c')).toEqual({ value: 'C' });
  });

  it('does not answer a pending load or a failed one from peek', async () => {
    const clock = { now: 1_000 };
    const cache = new TtlCache<string>(4, 800, () => clock.now, never);
    let resolve: (v: string) => void = () => {};
    const pending = cache.get('a', () => new Promise<string>((r) => (resolve = r)));
    expect(cache.peek('a')).toBeUndefined();
    resolve('A');
    await pending;
    expect(cache.peek('a')).toEqual({ value: 'A' });
    await expect(cache.get('x', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(cache.peek('x')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
