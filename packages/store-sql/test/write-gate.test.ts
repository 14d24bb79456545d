import { describe, expect, it } from 'vitest';
import { WriteGate } from '../src/write-gate.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WriteGate', () => {
  it('runs turns one at a time, in the order they were asked for', async () => {
    const gate = new WriteGate();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const turn = (name: string, waits: number) =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        log.push(`${name} start`);
        for (let i = 0; i < waits; i++) await tick();
        log.push(`${name} end`);
        running--;
        return name;
      });
    const results = await Promise.all([turn('a', 3), turn('b', 1), turn('c', 2)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('passes the turn on when a turn fails, and reports the failure to its caller only', async () => {
    const gate = new WriteGate();
    const failed = gate.run(async () => {
      await tick();
      throw new Error('busy');
    });
    const next = gate.run(async () => 'after');
    await expect(failed).rejects.toThrow('busy');
    await expect(next).resolves.toBe('after');
  });

  it('does not hold a later turn behind one that throws synchronously', async () => {
    const gate = new WriteGate();
    const failed = gate.run(() => {
      throw new TypeError('not a promise');
    });
    await expect(failed).rejects.toThrow('not a promise');
    await expect(gate.run(async () => 1)).resolves.toBe(1);
  });
});
