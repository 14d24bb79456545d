import { describe, expect, it } from 'vitest';
import { KeyringError, bufferedRandom, type RandomSource } from '../src/index.js';
import { seededRandom } from './support.js';

// What the source handed out, concatenated in order (to check the slices are exactly its bytes).
function recordingSource(seed: string): RandomSource & { drawn: number[]; calls: number } {
  const inner = seededRandom(seed);
  const source = ((size: number) => {
    const bytes = inner(size);
    source.drawn.push(...bytes);
    source.calls += 1;
    return bytes;
  }) as RandomSource & { drawn: number[]; calls: number };
  source.drawn = [];
  source.calls = 0;
  return source;
}

describe('bufferedRandom', () => {
  it('hands out consecutive slices of the source bytes, drawing one pool at a time', () => {
    const source = recordingSource('pool');
    const random = bufferedRandom(source, 64);
    const sizes = [10, 12, 16, 16, 10, 12, 16];
    const out = sizes.map((size) => random(size));
    expect(out.map((bytes) => bytes.length)).toEqual(sizes);
    // 10 + 12 + 16 + 16 + 10 fills the first pool exactly; the next 12 starts a second one.
    expect(source.calls).toBe(2);
    expect(out.slice(0, 5).flatMap((bytes) => [...bytes])).toEqual(source.drawn.slice(0, 64));
    expect(out.slice(5).flatMap((bytes) => [...bytes])).toEqual(source.drawn.slice(64, 64 + 28));
  });

  it('never hands out the same bytes twice (the pool position moves on, also across refills)', () => {
    const random = bufferedRandom(seededRandom('distinct'), 128);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) seen.add(Buffer.from(random(12)).toString('hex'));
    expect(seen.size).toBe(500);
  });

  it('returns copies that later draws and refills do not change, and that change nothing when written', () => {
    const source = recordingSource('copy');
    const random = bufferedRandom(source, 64);
    const held = random(8);
    const scribbled = random(8);
    scribbled.fill(0xff);
    for (let i = 0; i < 20; i++) random(16); // several refills of the pool
    expect([...held]).toEqual(source.drawn.slice(0, 8));
    expect([...random(8)].length).toBe(8);
    const again = bufferedRandom(recordingSource('copy'), 64);
    again(8);
    again(8);
    expect([...again(8)]).toEqual(source.drawn.slice(16, 24));
  });

  it('leaves the source array alone (a fixed test source stays usable)', () => {
    const fixed = new Uint8Array(64).fill(7);
    const random = bufferedRandom(() => fixed, 64);
    for (let i = 0; i < 20; i++) expect([...random(16)]).toEqual(new Array(16).fill(7));
    expect([...fixed]).toEqual(new Array(64).fill(7));
  });

  it('sends requests over a quarter of the pool straight to the source', () => {
    const source = recordingSource('large');
    const random = bufferedRandom(source, 256);
    expect(random(64).length).toBe(64);
    expect(source.calls).toBe(1);
    expect(random(65).length).toBe(65);
    expect(source.calls).toBe(2);
    expect(source.drawn.length).toBe(256 + 65);
  });

  it('gives zero bytes for a zero-size draw without touching the source', () => {
    const source = recordingSource('zero');
    expect(bufferedRandom(source)(0).length).toBe(0);
    expect(source.calls).toBe(0);
  });

  it.each([
    ['a source that returns too few bytes', () => bufferedRandom(() => new Uint8Array(10), 64)(8)],
    ['a source that returns something other than bytes', () => bufferedRandom((() => 'random') as unknown as RandomSource, 64)(8)],
    ['a negative size', () => bufferedRandom(seededRandom('s'), 64)(-1)],
    ['a fractional size', () => bufferedRandom(seededRandom('s'), 64)(1.5)],
    ['a pool under 64 bytes', () => bufferedRandom(seededRandom('s'), 32)],
    ['no source', () => bufferedRandom(undefined as unknown as RandomSource)],
  ])('refuses %s', (_name, run) => {
    expect(run).toThrow(KeyringError);
  });
});
