import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttemptThrottle } from '../src/attempt-throttle.js';
import { Argon2idHasher } from '../src/password-hasher.js';
import { verifyPassword } from '../src/verify-password.js';
import { credentialsFixture, type CredentialsFixture } from './helpers/credentials-fixture.js';
import { ACCOUNT } from './helpers/fixture.js';

const PASSWORD = 'Correct-Horse9';

describe('verifyPassword', () => {
  let f: CredentialsFixture;
  let userId: string;
  let throttle: AttemptThrottle;

  beforeEach(async () => {
    f = await credentialsFixture();
    throttle = new AttemptThrottle();
    await f.call('CreateUser', { UserName: 'alice' });
    await f.run('CreateLoginProfile', { UserName: 'alice', Password: PASSWORD });
    userId = (await f.store.read((r) => r.users.getByName(ACCOUNT, 'alice')))!.id;
  });
  afterEach(async () => {
    await f.close();
  });

  // As the STS sign-in would call it: outside a write transaction, so lockout state commits.
  const verify = (password: string, id = userId, t: AttemptThrottle | undefined = throttle) =>
    f.store.read((repos) => verifyPassword(repos, f.hasher, new Date(f.clock.now), { accountId: ACCOUNT, userId: id }, password, t === undefined ? {} : { throttle: t }));
  const profile = () => f.store.read((r) => r.loginProfiles.get(ACCOUNT, userId));

  it('accepts the right password and reports no change required', async () => {
    const result = await verify(PASSWORD);
    expect(result).toMatchObject({ ok: true, passwordChangeRequired: false });
    expect(result.ok && result.expiresAt).toBe(undefined);
  });

  it('refuses a wrong password, and a user without a login profile, without echoing the password', async () => {
    const wrong = await verify('Wrong-Horse9');
    expect(wrong).toEqual({ ok: false, reason: 'invalidPassword' });
    await f.call('CreateUser', { UserName: 'bob' });
    const bob = (await f.store.read((r) => r.users.getByName(ACCOUNT, 'bob')))!.id;
    expect(await verify(PASSWORD, bob)).toEqual({ ok: false, reason: 'noLoginProfile' });
  });

  it('locks the profile in the store after the free attempts, with growing backoff, and unlocks on success', async () => {
    for (let i = 0; i < 4; i++) await verify('Wrong-Horse9', userId, undefined);
    expect(await profile()).toMatchObject({ failedAttempts: 4, lockedUntil: null });
    await verify('Wrong-Horse9', userId, undefined);
    expect(await profile()).toMatchObject({ failedAttempts: 5, lockedUntil: f.clock.now + 1000 });
    const locked = await verify(PASSWORD, userId, undefined);
    expect(locked).toEqual({ ok: false, reason: 'locked', retryAt: new Date(f.clock.now + 1000) });
    f.clock.now += 1000;
    await verify('Wrong-Horse9', userId, undefined);
    expect((await profile())!.lockedUntil).toBe(f.clock.now + 2000);
    f.clock.now += 2000;
    expect((await verify(PASSWORD, userId, undefined)).ok).toBe(true);
    expect(await profile()).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });

  it('locks through the in-process throttle too', async () => {
    for (let i = 0; i < 5; i++) await verify('Wrong-Horse9');
    expect(throttle.retryAt(`password:${ACCOUNT}:${userId}`, f.clock.now)).toBe(f.clock.now + 1000);
    expect((await verify(PASSWORD)).ok).toBe(false);
  });

  it('asks for a new password when PasswordResetRequired is set or the password is past MaxPasswordAge', async () => {
    await f.run('UpdateLoginProfile', { UserName: 'alice', PasswordResetRequired: 'true' });
    expect(await verify(PASSWORD)).toMatchObject({ ok: true, passwordChangeRequired: true });
    await f.run('UpdateLoginProfile', { UserName: 'alice', PasswordResetRequired: 'false' });
    await f.run('UpdateAccountPasswordPolicy', { MaxPasswordAge: '10' });
    const fresh = await verify(PASSWORD);
    expect(fresh).toMatchObject({ ok: true, passwordChangeRequired: false, expiresAt: new Date(f.clock.now + 10 * 86_400_000) });
    f.clock.now += 10 * 86_400_000;
    expect(await verify(PASSWORD)).toMatchObject({ ok: true, passwordChangeRequired: true });
  });

  it('refuses an expired password outright under HardExpiry', async () => {
    await f.run('UpdateAccountPasswordPolicy', { MaxPasswordAge: '10', HardExpiry: 'true' });
    f.clock.now += 11 * 86_400_000;
    expect(await verify(PASSWORD)).toEqual({ ok: false, reason: 'expired' });
  });

  it('works with the real argon2id hasher', async () => {
    const argon = new Argon2idHasher({ memoryCost: 4096, timeCost: 1 });
    const hash = await argon.hash(PASSWORD);
    await f.store.transaction((tx) => tx.loginProfiles.update(ACCOUNT, userId, { passwordHash: hash }));
    const check = (password: string) => f.store.read((repos) => verifyPassword(repos, argon, new Date(f.clock.now), { accountId: ACCOUNT, userId }, password));
    expect((await check(PASSWORD)).ok).toBe(true);
    expect(await check('nope')).toEqual({ ok: false, reason: 'invalidPassword' });
  });
});
