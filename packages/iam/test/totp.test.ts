import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { base32Decode } from '@latchkey/model';
import { describe, expect, it } from 'vitest';
import { encodeMfaSeed, matchConsecutive, matchStep, otpauthUri, totpCode, totpStep } from '../src/totp.js';

const cases = JSON.parse(readFileSync(new URL('./cases/totp-rfc6238.json', import.meta.url), 'utf8')) as {
  seedAscii: string;
  vectors: { time: number; code8: string }[];
};
const rfcSeed = new TextEncoder().encode(cases.seedAscii);

/** An independent RFC 4226/6238 computation with node:crypto, to cross-check otplib on arbitrary seeds. */
function reference(seed: Uint8Array, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', seed).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

describe('totpCode', () => {
  it.each(cases.vectors)('gives RFC 6238 vector at T=$time', ({ time, code8 }) => {
    expect(totpCode(rfcSeed, totpStep(time * 1000))).toBe(code8.slice(2));
  });

  it('agrees with an independent HMAC-SHA-1 computation on 40-byte seeds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 40, maxLength: 40 }), fc.integer({ min: 0, max: 2 ** 33 }), (seed, step) => {
        expect(totpCode(seed, step)).toBe(reference(seed, step));
      }),
      { numRuns: 200 },
    );
  });
});

describe('totpStep', () => {
  it('counts 30-second steps from the epoch', () => {
    expect(totpStep(0)).toBe(0);
    expect(totpStep(29_999)).toBe(0);
    expect(totpStep(30_000)).toBe(1);
    expect(totpStep(new Date('2026-11-27T20:00:00Z'))).toBe(Date.parse('2026-11-27T20:00:00Z') / 30_000);
  });
});

describe('matchStep', () => {
  const seed = new Uint8Array(40).fill(7);
  it('finds the step of a code inside the window and nothing outside it', () => {
    const code = totpCode(seed, 1000);
    expect(matchStep(seed, code, 999, 1001)).toBe(1000);
    expect(matchStep(seed, code, 1001, 1003)).toBeUndefined();
    expect(matchStep(seed, code, 997, 999)).toBeUndefined();
  });
  it('refuses codes that are not six digits of the seed', () => {
    expect(matchStep(seed, '', 0, 10)).toBeUndefined();
    expect(matchStep(seed, `${totpCode(seed, 5)}0`, 0, 10)).toBeUndefined();
  });
});

describe('matchConsecutive', () => {
  const seed = new Uint8Array(40).fill(9);
  it('accepts the codes of two consecutive steps and returns the second one', () => {
    expect(matchConsecutive(seed, totpCode(seed, 99), totpCode(seed, 100), 99, 101)).toBe(100);
  });
  it('refuses codes in the wrong order, two steps apart or identical', () => {
    expect(matchConsecutive(seed, totpCode(seed, 100), totpCode(seed, 99), 98, 102)).toBeUndefined();
    expect(matchConsecutive(seed, totpCode(seed, 98), totpCode(seed, 100), 98, 102)).toBeUndefined();
    expect(matchConsecutive(seed, totpCode(seed, 100), totpCode(seed, 100), 98, 102)).toBeUndefined();
  });
  it('refuses a pair whose second code lies outside the window', () => {
    expect(matchConsecutive(seed, totpCode(seed, 104), totpCode(seed, 105), 98, 102)).toBeUndefined();
  });
});

describe('encodeMfaSeed', () => {
  it('writes 40 bytes as 64 base32 characters that decode back', () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => i * 6);
    const text = encodeMfaSeed(bytes);
    expect(text).toMatch(/^[A-Z2-7]{64}$/u);
    expect(base32Decode(text)).toEqual(bytes);
  });
  it('refuses seeds of another size', () => {
    expect(() => encodeMfaSeed(new Uint8Array(20))).toThrow(RangeError);
  });
});

describe('otpauthUri', () => {
  it('labels the device as <issuer>:<name>@<account> with the issuer parameter', () => {
    expect(otpauthUri({ issuer: 'Latchkey', deviceName: 'alice-phone', accountName: '111122223333', seed: 'ABC' })).toBe(
      'otpauth://totp/Latchkey:alice-phone%40111122223333?secret=ABC&issuer=Latchkey',
    );
    expect(otpauthUri({ issuer: 'Amazon Web Services', deviceName: 'a+b', accountName: 'corp', seed: 'X' })).toBe(
      'otpauth://totp/Amazon%20Web%20Services:a%2Bb%40corp?secret=X&issuer=Amazon%20Web%20Services',
    );
  });
});
