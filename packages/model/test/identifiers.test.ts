import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BASE32_ALPHABET,
  ID_PREFIX,
  accountIdFromAccessKeyId,
  base32Decode,
  base32Encode,
  base64ToBytes,
  bytesToBase64,
  generateAccessKeyId,
  generateAccountId,
  generateSecretAccessKey,
  generateUniqueId,
  idKindOf,
  type IdKind,
  type RandomBytes,
} from '../src/index.js';

// A deterministic random source for property tests: fast-check supplies the bytes.
function seeded(bytes: number[]): RandomBytes {
  let i = 0;
  return (n) => Uint8Array.from({ length: n }, () => bytes[i++ % bytes.length]!);
}

const account = fc.stringMatching(/^\d{12}$/);
// At least one byte below 240 so rejection sampling (limits 250 and 256) can always progress.
const entropy = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }).filter((a) => a.some((b) => b < 240));

describe('accountIdFromAccessKeyId', () => {
  it('decodes published and captured keys', () => {
    // WithSecure/Beery example and the moto captures in shared/reference/wire-samples.
    expect(accountIdFromAccessKeyId('ASIAY34FZKBOKMUTVV7A')).toBe('609629065308');
    expect(accountIdFromAccessKeyId('AKIARZPUZDIKD5LCGAGW')).toBe('123456789012');
    expect(accountIdFromAccessKeyId('ASIARZPUZDIKHAIURL7Q')).toBe('123456789012');
    expect(accountIdFromAccessKeyId('AROARZPUZDIKCBRT4Q6UJ')).toBe('123456789012');
  });

  it('returns undefined for old-generation, short and non-base32 ids', () => {
    expect(accountIdFromAccessKeyId('AKIAIOSFODNN7EXAMPLE')).toBeUndefined();
    expect(accountIdFromAccessKeyId('AKIA1234')).toBeUndefined();
    expect(accountIdFromAccessKeyId('AKIARZPUZDIK0189AAAA')).toBeUndefined();
    expect(accountIdFromAccessKeyId('akiarzpuzdikd5lcgagw')).toBeUndefined();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => void accountIdFromAccessKeyId(s)));
  });
});

describe('generateAccessKeyId', () => {
  it('has the AKIA/ASIA prefix, 20 base32 characters, and decodes to the account', () => {
    fc.assert(
      fc.property(account, entropy, fc.boolean(), (acct, bytes, temporary) => {
        const id = generateAccessKeyId(acct, seeded(bytes), temporary);
        expect(id).toMatch(temporary ? /^ASIA[A-Z2-7]{16}$/ : /^AKIA[A-Z2-7]{16}$/);
        expect(accountIdFromAccessKeyId(id)).toBe(acct);
        // New-generation ids start with Q..7 after the prefix, like AWS's since 2019.
        expect('QRSTUVWXYZ234567').toContain(id[4]);
      }),
    );
  });

  it('shares the account-determined characters with real keys of the same account', () => {
    // keyid[4:12] depends only on the account (Steele 2020): compare with captured and published keys.
    fc.assert(
      fc.property(entropy, (bytes) => {
        expect(generateAccessKeyId('123456789012', seeded(bytes)).slice(0, 12)).toBe('AKIARZPUZDIK');
        expect(generateAccessKeyId('609629065308', seeded(bytes), true).slice(0, 12)).toBe('ASIAY34FZKBO');
        expect(generateUniqueId('role', '123456789012', seeded(bytes)).slice(0, 12)).toBe('AROARZPUZDIK');
      }),
    );
  });

  it('differs with the random source', () => {
    const a = generateAccessKeyId('123456789012', seeded([1, 2, 3]));
    const b = generateAccessKeyId('123456789012', seeded([9, 8, 7]));
    expect(a).not.toBe(b);
    expect(a.slice(0, 12)).toBe(b.slice(0, 12));
  });

  it('refuses an account that is not 12 digits and a short random source', () => {
    expect(() => generateAccessKeyId('12345', seeded([1]))).toThrow(RangeError);
    expect(() => generateAccessKeyId('123456789012', () => new Uint8Array(2))).toThrow(RangeError);
  });
});

describe('generateUniqueId', () => {
  it('has the kind prefix, 21 base32 characters, and decodes to the account', () => {
    const kinds = Object.keys(ID_PREFIX) as IdKind[];
    fc.assert(
      fc.property(account, entropy, fc.constantFrom(...kinds), (acct, bytes, kind) => {
        const id = generateUniqueId(kind, acct, seeded(bytes));
        expect(id.startsWith(ID_PREFIX[kind])).toBe(true);
        expect(id).toMatch(/^[A-Z]{4}[A-Z2-7]{17}$/);
        expect(accountIdFromAccessKeyId(id)).toBe(acct);
        expect(idKindOf(id)).toBe(kind);
      }),
    );
  });
});

describe('generateSecretAccessKey', () => {
  it('is 40 characters of [A-Za-z0-9+/]', () => {
    fc.assert(fc.property(entropy, (bytes) => {
      expect(generateSecretAccessKey(seeded(bytes))).toMatch(/^[A-Za-z0-9+/]{40}$/);
    }));
  });
});

describe('generateAccountId', () => {
  it('is 12 digits, and every digit is reachable', () => {
    fc.assert(fc.property(entropy, (bytes) => {
      expect(generateAccountId(seeded(bytes))).toMatch(/^\d{12}$/);
    }));
    const digits = new Set(generateAccountId(seeded([...Array(256).keys()])) + generateAccountId(seeded([...Array(256).keys()].reverse())));
    expect(digits.size).toBeGreaterThanOrEqual(9);
  });

  it('rejects biased bytes rather than folding them', () => {
    // 250..255 would favour 0..5 under a plain modulo; they must be skipped.
    expect(generateAccountId(seeded([255, 250, 7]))).toBe('777777777777');
  });

  it('fails loudly on a source that only returns rejected bytes', () => {
    expect(() => generateAccountId(() => new Uint8Array(64).fill(255))).toThrow(RangeError);
  });
});

describe('base32Encode / base32Decode', () => {
  it('round-trip whole bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const text = base32Encode(bytes);
        expect([...text].every((c) => BASE32_ALPHABET.includes(c))).toBe(true);
        expect(base32Decode(text)).toEqual(bytes);
      }),
    );
  });
  it('matches RFC 4648 vectors (unpadded)', () => {
    const enc = (s: string) => base32Encode(new TextEncoder().encode(s));
    expect(enc('f')).toBe('MY');
    expect(enc('foobar')).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI')).toEqual(new TextEncoder().encode('foobar'));
    expect(base32Decode('MZ1')).toBeUndefined();
  });
});

describe('base64ToBytes', () => {
  it('inverts bytesToBase64 and rejects non-canonical text', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 50 }), (b) => {
      expect(base64ToBytes(bytesToBase64(b))).toEqual(b);
    }));
    for (const bad of ['a', 'aGk', 'aG k=', 'aGk==', '****', 'aGk=aGk=']) expect(base64ToBytes(bad), bad).toBeUndefined();
  });
});

describe('bytesToBase64', () => {
  it('matches Buffer', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 50 }), (b) => {
      expect(bytesToBase64(b)).toBe(Buffer.from(b).toString('base64'));
    }));
  });
});
