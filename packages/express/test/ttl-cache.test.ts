import { describe, expect, it, vi } from 'vitest';
import { TtlCache } from '../src/ttl-cache.js';

const never = (): boolean => false;

/** A cache of `maxEntries` with an 800 ms TTL on a test clock that starts at 1,000 ms. */
function testCache(maxEntries = 4, keepError: (err: unknown) => boolean = never): { clock: { now: number }; cache: TtlCache<string> } {
  const clock = { now: 1_000 };
  return { clock, cache: new TtlCache<string>(maxEntries, 800, () => clock.now, keepError) };
}

describe('TtlCache', () => {
  it('answers a loaded value from peek until the TTL ends', async () => {
    const { clock, cache } = testCache();
    expect(cache.peek('a')).toBeUndefined();
    await cache.get('a', async () => 'A');
    expect(cache.peek('a')).toEqual({ value: 'A' });
    clock.now += 799;
    expect(cache.peek('a')).toEqual({ value: 'A' });
    clock.now += 1;
    expect(cache.peek('a')).toBeUndefined();
  });

  it('keeps an entry that peek keeps using when a new one evicts the least recent', async () => {
    const { clock, cache } = testCache(2);
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
    const { cache } = testCache();
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

  describe('refresh ahead', () => {
    /** A loader whose loads the test settles by hand, counting them. */
    function loader<V>() {
      const pending: { resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
      const load = (): Promise<V> => new Promise<V>((resolve, reject) => pending.push({ resolve, reject }));
      return { load, pending };
    }
    const kept = (err: unknown): boolean => (err as Error).message === 'kept';
    const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

    it('starts one reload in the last quarter of the TTL and answers the current value until it arrives', async () => {
      const { clock, cache } = testCache();
      await cache.get('a', async () => 'v1');
      const l = loader<string>();
      clock.now += 599; // not yet in the last quarter (starts at 600)
      expect(cache.peek('a', l.load, undefined)).toEqual({ value: 'v1' });
      expect(l.pending).toHaveLength(0);
      clock.now += 1;
      expect(cache.peek('a', l.load, undefined)).toEqual({ value: 'v1' });
      expect(cache.peek('a', l.load, undefined)).toEqual({ value: 'v1' });
      expect(l.pending).toHaveLength(1);
      l.pending[0]!.resolve('v2');
      await flush();
      expect(cache.peek('a')).toEqual({ value: 'v2' });
      // The new value lives a full TTL from its load's start (1_600), not from the old entry.
      clock.now = 1_600 + 799;
      expect(cache.peek('a')).toEqual({ value: 'v2' });
      clock.now += 1;
      expect(cache.peek('a')).toBeUndefined();
    });

    it('never answers a value after its own TTL, however late its refresh is', async () => {
      const { clock, cache } = testCache();
      await cache.get('a', async () => 'v1');
      const l = loader<string>();
      clock.now += 700;
      cache.peek('a', l.load, undefined);
      clock.now = 1_800;
      expect(cache.peek('a', l.load, undefined)).toBeUndefined();
      // The caller's async path waits for the refresh already loading instead of a second load.
      const again = vi.fn(async () => 'other');
      const waited = cache.get('a', again);
      l.pending[0]!.resolve('v2');
      await expect(waited).resolves.toBe('v2');
      expect(again).not.toHaveBeenCalled();
      expect(cache.peek('a')).toEqual({ value: 'v2' });
    });

    it('replaces the value with a kept error at once (a key deactivated meanwhile)', async () => {
      const { clock, cache } = testCache(4, kept);
      await cache.get('a', async () => 'v1');
      const l = loader<string>();
      clock.now += 700;
      expect(cache.peek('a', l.load, undefined)).toEqual({ value: 'v1' });
      l.pending[0]!.reject(new Error('kept'));
      await flush();
      expect(cache.peek('a')).toBeUndefined();
      await expect(cache.get('a', async () => 'not asked')).rejects.toThrow('kept');
    });

    it('keeps the current value after a failed refresh and tries again on a later hit', async () => {
      const { clock, cache } = testCache(4, kept);
      await cache.get('a', async () => 'v1');
      const l = loader<string>();
      clock.now += 650;
      cache.peek('a', l.load, undefined);
      l.pending[0]!.reject(new Error('network down'));
      await flush();
      expect(cache.peek('a')).toEqual({ value: 'v1' });
      clock.now += 50;
      expect(cache.peek('a', l.load, undefined)).toEqual({ value: 'v1' });
      expect(l.pending).toHaveLength(2);
      l.pending[1]!.resolve('v2');
      await flush();
      expect(cache.peek('a')).toEqual({ value: 'v2' });
    });

    it('answers the current value when the reload throws instead of rejecting', async () => {
      const { clock, cache } = testCache();
      await cache.get('a', async () => 'v1');
      clock.now += 700;
      const throwing = (): Promise<string> => {
        throw new Error('source broke');
      };
      expect(cache.peek('a', throwing, undefined)).toEqual({ value: 'v1' });
      await flush();
      expect(cache.peek('a')).toEqual({ value: 'v1' });
    });

    it('refreshes from get too, and passes the argument to the reload', async () => {
      const { clock, cache } = testCache();
      await cache.get('a', async () => 'v1');
      clock.now += 700;
      const reload = vi.fn(async (who: string) => `v2 for ${who}`);
      expect(cache.peek('a', reload, 'alice')).toEqual({ value: 'v1' });
      await flush();
      expect(reload).toHaveBeenCalledWith('alice');
      expect(cache.peek('a')).toEqual({ value: 'v2 for alice' });
      clock.now += 700;
      const viaGet = vi.fn(async () => 'v3');
      await expect(cache.get('a', viaGet)).resolves.toBe('v2 for alice');
      await flush();
      expect(viaGet).toHaveBeenCalledTimes(1);
      expect(cache.peek('a')).toEqual({ value: 'v3' });
    });

    describe('with a sameness test', () => {
      interface Answer {
        readonly key: string;
        readonly tags: readonly string[];
      }
      const sameAnswer = (a: Answer, b: Answer): boolean => a.key === b.key && a.tags.join() === b.tags.join();
      const answerCache = (): { clock: { now: number }; cache: TtlCache<Answer> } => {
        const clock = { now: 1_000 };
        return { clock, cache: new TtlCache<Answer>(4, 800, () => clock.now, never, sameAnswer) };
      };

      it('keeps the old value object when the reload answers the same, with the new lifetime', async () => {
        const { clock, cache } = answerCache();
        const first = await cache.get('a', async () => ({ key: 'k1', tags: ['x'] }));
        const l = loader<Answer>();
        clock.now += 700;
        cache.peek('a', l.load, undefined);
        l.pending[0]!.resolve({ key: 'k1', tags: ['x'] });
        await flush();
        expect(cache.peek('a')!.value).toBe(first);
        await expect(cache.get('a', async () => ({ key: 'not asked', tags: [] }))).resolves.toBe(first);
        // the lifetime is the reload's (started at 1_700), not the first load's
        clock.now = 1_700 + 799;
        expect(cache.peek('a')!.value).toBe(first);
        clock.now += 1;
        expect(cache.peek('a')).toBeUndefined();
      });

      it('takes the reloaded object when anything in the answer changed', async () => {
        const { clock, cache } = answerCache();
        const first = await cache.get('a', async () => ({ key: 'k1', tags: ['x'] }));
        const l = loader<Answer>();
        clock.now += 700;
        cache.peek('a', l.load, undefined);
        const changed = { key: 'k1', tags: ['x', 'y'] };
        l.pending[0]!.resolve(changed);
        await flush();
        expect(cache.peek('a')!.value).toBe(changed);
        expect(cache.peek('a')!.value).not.toBe(first);
      });

      it('does not compare with a kept error: the error replaces the value', async () => {
        const clock = { now: 1_000 };
        const same = vi.fn(sameAnswer);
        const cache = new TtlCache<Answer>(4, 800, () => clock.now, kept, same);
        await cache.get('a', async () => ({ key: 'k1', tags: [] }));
        const l = loader<Answer>();
        clock.now += 700;
        cache.peek('a', l.load, undefined);
        l.pending[0]!.reject(new Error('kept'));
        await flush();
        expect(same).not.toHaveBeenCalled();
        expect(cache.peek('a')).toBeUndefined();
      });
    });
  });
});
