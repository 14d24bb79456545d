import { readFileSync } from 'node:fs';
import type { LoginProfileRecord, PasswordPolicyRecord } from '@latchkey/store';
import { describe, expect, it } from 'vitest';
import {
  isReusedPassword,
  nextPasswordHistory,
  PASSWORD_HISTORY_SIZE,
  PASSWORD_SYMBOLS,
  passwordExpiresAt,
  passwordViolations,
} from '../src/password-rules.js';
import { FastHasher } from './helpers/credentials-fixture.js';

const data = JSON.parse(readFileSync(new URL('./cases/password-policy.json', import.meta.url), 'utf8')) as {
  policies: Record<string, PasswordPolicyRecord>;
  cases: { policy: string | null; password: string; userName?: string; accountName?: string; violations: string[] }[];
};

describe('passwordViolations', () => {
  it.each(data.cases.map((c, i) => ({ ...c, i })))('case $i: $policy policy, "$password"', (c) => {
    const policy = c.policy === null ? undefined : data.policies[c.policy];
    const names = { ...(c.userName === undefined ? {} : { userName: c.userName }), ...(c.accountName === undefined ? {} : { accountName: c.accountName }) };
    expect(passwordViolations(c.password, policy, names)).toEqual(c.violations);
  });

  it("counts exactly AWS's 20 symbols", () => {
    expect([...PASSWORD_SYMBOLS].sort().join('')).toBe([..."!@#$%^&*()_+-=[]{}|'"].sort().join(''));
    expect(new Set(PASSWORD_SYMBOLS).size).toBe(20);
  });
});

function profile(hashes: string[]): LoginProfileRecord {
  return {
    accountId: '111122223333',
    userId: 'AIDAEXAMPLE',
    passwordHash: hashes[0]!,
    previousHashes: hashes.slice(1),
    passwordResetRequired: false,
    createdAt: 0,
    passwordLastChangedAt: 0,
    failedAttempts: 0,
    lockedUntil: null,
    lastFailedAt: null,
  };
}

describe('isReusedPassword', () => {
  const policy = (n: number): PasswordPolicyRecord => ({ ...data.policies['minimal']!, passwordReusePrevention: n });

  it('refuses the current password and the previous N-1, and allows older ones', async () => {
    const hasher = new FastHasher();
    const hashes = await Promise.all(['p4', 'p3', 'p2', 'p1'].map((p) => hasher.hash(p)));
    const p = profile(hashes);
    expect(await isReusedPassword(hasher, 'p4', p, policy(1))).toBe(true);
    expect(await isReusedPassword(hasher, 'p3', p, policy(1))).toBe(false);
    expect(await isReusedPassword(hasher, 'p3', p, policy(3))).toBe(true);
    expect(await isReusedPassword(hasher, 'p2', p, policy(3))).toBe(true);
    expect(await isReusedPassword(hasher, 'p1', p, policy(3))).toBe(false);
    expect(await isReusedPassword(hasher, 'new', p, policy(24))).toBe(false);
  });

  it('allows any password without reuse prevention or profile', async () => {
    const hasher = new FastHasher();
    const p = profile([await hasher.hash('same')]);
    expect(await isReusedPassword(hasher, 'same', p, policy(0))).toBe(false);
    expect(await isReusedPassword(hasher, 'same', p, undefined)).toBe(false);
    expect(await isReusedPassword(hasher, 'same', undefined, policy(5))).toBe(false);
  });
});

describe('nextPasswordHistory', () => {
  it('puts the replaced hash first and keeps at most 23 earlier ones', () => {
    const hashes = Array.from({ length: 30 }, (_, i) => `h${i}`);
    const next = nextPasswordHistory(profile(hashes));
    expect(next).toHaveLength(PASSWORD_HISTORY_SIZE);
    expect(next[0]).toBe('h0');
    expect(next[22]).toBe('h22');
  });
});

describe('passwordExpiresAt', () => {
  it('adds MaxPasswordAge days, and never expires without it', () => {
    const p = { ...data.policies['minimal']!, maxPasswordAge: 90 };
    expect(passwordExpiresAt(1000, p)).toBe(1000 + 90 * 86_400_000);
    expect(passwordExpiresAt(1000, data.policies['minimal'])).toBeUndefined();
    expect(passwordExpiresAt(1000, undefined)).toBeUndefined();
  });
});
