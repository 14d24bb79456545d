import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttemptThrottle } from '../src/attempt-throttle.js';
import { MFA_INVALID_CODE, MFA_UNKNOWN_DEVICE } from '../src/credential-messages.js';
import { totpStep } from '../src/totp.js';
import { verifyMfaCode } from '../src/verify-mfa-code.js';
import { codeAt, credentialsFixture, seedOf, type CredentialsFixture } from './helpers/credentials-fixture.js';
import { ACCOUNT } from './helpers/fixture.js';

describe('verifyMfaCode', () => {
  let f: CredentialsFixture;
  let seed: Uint8Array;
  let serial: string;
  let userId: string;
  let throttle: AttemptThrottle;

  beforeEach(async () => {
    f = await credentialsFixture();
    throttle = new AttemptThrottle();
    await f.call('CreateUser', { UserName: 'alice' });
    await f.call('CreateUser', { UserName: 'bob' });
    const out = (await f.run('CreateVirtualMFADevice', { VirtualMFADeviceName: 'alice' })) as { VirtualMFADevice: { SerialNumber: string; Base32StringSeed: Uint8Array } };
    seed = seedOf(out.VirtualMFADevice.Base32StringSeed);
    serial = out.VirtualMFADevice.SerialNumber;
    await f.run('EnableMFADevice', { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: codeAt(seed, f.clock.now, -1), AuthenticationCode2: codeAt(seed, f.clock.now) });
    userId = (await f.store.read((r) => r.users.getByName(ACCOUNT, 'alice')))!.id;
    f.clock.now += 60_000; // past the enabling codes
  });
  afterEach(async () => {
    await f.close();
  });

  /** As STS would call it: outside a write transaction, so acceptStep and failure counts commit on their own. */
  const verify = (code: string, target: Partial<{ userId: string; serialNumber: string }> = {}) =>
    f.store.read((repos) => verifyMfaCode(repos, f.keyring, new Date(f.clock.now), { accountId: ACCOUNT, userId, serialNumber: serial, ...target }, code, { throttle }));

  it('accepts the current code and records its step', async () => {
    const result = await verify(codeAt(seed, f.clock.now));
    expect(result).toMatchObject({ ok: true, step: totpStep(f.clock.now) });
    expect((await f.store.read((r) => r.mfaDevices.get(ACCOUNT, serial)))!.lastUsedStep).toBe(totpStep(f.clock.now));
  });

  it('accepts codes one step either side, nothing further', async () => {
    expect((await verify(codeAt(seed, f.clock.now, -1))).ok).toBe(true);
    expect((await verify(codeAt(seed, f.clock.now, 1))).ok).toBe(true);
    f.clock.now += 10 * 30_000;
    expect((await verify(codeAt(seed, f.clock.now, 2))).ok).toBe(false);
    expect((await verify(codeAt(seed, f.clock.now, -2))).ok).toBe(false);
  });

  it('accepts each code at most once, and no code older than the last accepted one', async () => {
    const code = codeAt(seed, f.clock.now);
    expect((await verify(code)).ok).toBe(true);
    expect(await verify(code)).toEqual({ ok: false, reason: 'invalidCode', message: MFA_INVALID_CODE });
    expect((await verify(codeAt(seed, f.clock.now, -1))).ok).toBe(false);
    f.clock.now += 30_000;
    expect((await verify(codeAt(seed, f.clock.now))).ok).toBe(true);
  });

  it('lets exactly one of two concurrent uses of a code win', async () => {
    const code = codeAt(seed, f.clock.now);
    const results = await Promise.all([verify(code), verify(code), verify(code)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('refuses a wrong code and counts the failure in the store', async () => {
    const wrong = String((Number(codeAt(seed, f.clock.now)) + 500_000) % 1_000_000).padStart(6, '0');
    const result = await verify(wrong);
    expect(result).toEqual({ ok: false, reason: 'invalidCode', message: MFA_INVALID_CODE });
    expect(JSON.stringify(result)).not.toContain(wrong);
    expect((await f.store.read((r) => r.mfaDevices.get(ACCOUNT, serial)))!.failedAttempts).toBe(1);
    expect((await verify(codeAt(seed, f.clock.now))).ok).toBe(true);
    expect((await f.store.read((r) => r.mfaDevices.get(ACCOUNT, serial)))!.failedAttempts).toBe(0);
  });

  it('refuses codes that are not six digits without counting them as matches', async () => {
    for (const code of ['', '12345', '1234567', 'abcdef']) expect((await verify(code)).ok).toBe(false);
  });

  it('uses AWS\'s texts, including the double space AWS writes in the unknown-device one', () => {
    expect(MFA_INVALID_CODE).toBe('MultiFactorAuthentication failed with invalid MFA one time pass code.');
    expect(MFA_UNKNOWN_DEVICE).toBe('MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.');
  });

  it('answers unknownDevice for a serial that is not the user\'s device', async () => {
    const bob = (await f.store.read((r) => r.users.getByName(ACCOUNT, 'bob')))!.id;
    const code = codeAt(seed, f.clock.now);
    expect(await verify(code, { userId: bob })).toEqual({ ok: false, reason: 'unknownDevice', message: MFA_UNKNOWN_DEVICE });
    expect(await verify(code, { serialNumber: `${serial}x` })).toEqual({ ok: false, reason: 'unknownDevice', message: MFA_UNKNOWN_DEVICE });
    await f.run('DeactivateMFADevice', { UserName: 'alice', SerialNumber: serial });
    expect((await verify(code)).ok).toBe(false);
  });

  it('locks the device after repeated failures, refusing even the right code until the backoff passes', async () => {
    for (let i = 0; i < 5; i++) await verify('000000');
    const locked = await verify(codeAt(seed, f.clock.now));
    expect(locked).toMatchObject({ ok: false, reason: 'throttled', message: MFA_INVALID_CODE, retryAt: new Date(f.clock.now + 1000) });
    f.clock.now += 1000;
    expect((await verify(codeAt(seed, f.clock.now))).ok).toBe(true);
  });
});
