import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttemptThrottle, backoffDelay, DEFAULT_BACKOFF } from '../src/attempt-throttle.js';

describe('backoffDelay', () => {
  it('allows the free attempts, then doubles from the base delay up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map((n) => backoffDelay(n))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(15)).toBe(DEFAULT_BACKOFF.maxDelayMs);
    expect(backoffDelay(10_000)).toBe(DEFAULT_BACKOFF.maxDelayMs);
  });

  it('never shrinks as failures grow and never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), (n) => {
        const d = backoffDelay(n);
        expect(d).toBeGreaterThanOrEqual(backoffDelay(Math.max(0, n - 1)));
        expect(d).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxDelayMs);
      }),
    );
  });
});

describe('AttemptThrottle', () => {
  const T = 1_000_000;

  it('locks a key after its free failures until the backoff has passed', () => {
    const t = new AttemptThrottle();
    for (let i = 0; i < 4; i++) t.failure('k', T);
    expect(t.retryAt('k', T)).toBeUndefined();
    expect(t.failure('k', T)).toBe(5);
    expect(t.retryAt('k', T)).toBe(T + 1000);
    expect(t.retryAt('k', T + 999)).toBe(T + 1000);
    expect(t.retryAt('k', T + 1000)).toBeUndefined();
    t.failure('k', T + 1000);
    expect(t.retryAt('k', T + 1000)).toBe(T + 3000);
  });

  it('keeps keys apart and forgets a key on success', () => {
    const t = new AttemptThrottle({ freeAttempts: 1 });
    t.failure('a', T);
    expect(t.retryAt('a', T)).toBe(T + 1000);
    expect(t.retryAt('b', T)).toBeUndefined();
    t.success('a');
    expect(t.retryAt('a', T)).toBeUndefined();
    expect(t.failures('a', T)).toBe(0);
  });

  it('starts over for a key quiet for forgetAfterMs', () => {
    const t = new AttemptThrottle();
    for (let i = 0; i < 6; i++) t.failure('k', T);
    expect(t.failures('k', T + DEFAULT_BACKOFF.forgetAfterMs - 1)).toBe(6);
    expect(t.failures('k', T + DEFAULT_BACKOFF.forgetAfterMs)).toBe(0);
  });

  it('bounds memory by dropping the least recently failed key', () => {
    const t = new AttemptThrottle({ freeAttempts: 1 }, 2);
    t.failure('a', T);
    t.failure('b', T);
    t.failure('a', T + 1);
    t.failure('c', T + 2);
    expect(t.failures('b', T + 2)).toBe(0);
    expect(t.failures('a', T + 2)).toBe(2);
    expect(t.failures('c', T + 2)).toBe(1);
  });
});
