import { describe, expect, it } from 'vitest';
import { Argon2idHasher, OWASP_ARGON2ID } from '../src/password-hasher.js';

// The real argon2id hasher, at OWASP's parameters (a few tens of milliseconds per hash).
describe('Argon2idHasher', () => {
  const hasher = new Argon2idHasher();

  it('hashes with argon2id at OWASP parameters and verifies only the right password', async () => {
    const hash = await hasher.hash('Correct-Horse9');
    expect(hash).toMatch(new RegExp(`^\\$argon2id\\$v=19\\$m=${OWASP_ARGON2ID.memoryCost},p=${OWASP_ARGON2ID.parallelism},t=${OWASP_ARGON2ID.timeCost}\\$`, 'u'));
    expect(hash).not.toContain('Correct-Horse9');
    expect(await hasher.verify(hash, 'Correct-Horse9')).toBe(true);
    expect(await hasher.verify(hash, 'correct-horse9')).toBe(false);
    expect(await hasher.verify(hash, '')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('uses an injected salt source', async () => {
    const salted = new Argon2idHasher({ random: (n) => new Uint8Array(n).fill(1) });
    expect(await salted.hash('same')).toBe(await salted.hash('same'));
  });

  it('answers false for hashes it cannot read instead of throwing', async () => {
    expect(await hasher.verify('$test$abc$def', 'x')).toBe(false);
    expect(await hasher.verify('$argon2id$garbage', 'x')).toBe(false);
    expect(await hasher.verify('', 'x')).toBe(false);
  });

  it('flags hashes made with weaker parameters for rehashing', async () => {
    const weak = await new Argon2idHasher({ memoryCost: 4096, timeCost: 1 }).hash('pw');
    expect(await hasher.needsRehash(weak)).toBe(true);
    expect(await hasher.needsRehash(await hasher.hash('pw'))).toBe(false);
  });
});
