import { Argon2idHasher, AttemptThrottle, credentialServices } from '@latchkey/iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_CHANGE_REQUIRED, SIGN_IN_FAILED, SIGN_IN_HARD_EXPIRED, SIGN_IN_MFA_REQUIRED } from '../src/index.js';
import { ACCOUNT, credentialsOf, failure, fixture, params, type Fixture } from './helpers/fixture.js';

let f: Fixture;
const PASSWORD = 'Correct-Horse-9!';
beforeAll(async () => {
  f = await fixture({
    credentialServices: credentialServices({ passwordHasher: new Argon2idHasher({ memoryCost: 256, timeCost: 1 }), passwordThrottle: new AttemptThrottle() }),
  });
  await f.iamCall('CreateAccountAlias', { AccountAlias: 'acme-corp' });
});
afterAll(async () => f.close());

/** A user with a password (the login profile hashed by IAM). */
async function withPassword(name: string, reset = false) {
  const user = await f.user(name);
  await f.iamCall('CreateLoginProfile', { UserName: name, Password: PASSWORD, PasswordResetRequired: String(reset) });
  return user;
}

const signIn = (values: Record<string, string>) => f.sts.invoke('LatchkeySignIn', params('LatchkeySignIn', values), undefined, f.env());

describe('LatchkeySignIn', () => {
  it('is served unsigned and answers credentials of the GetSessionToken kind, by account id or alias', async () => {
    expect(f.sts.isUnsigned('LatchkeySignIn')).toBe(true);
    expect(f.sts.operation('LatchkeySignIn')?.sensitiveOutput).toBe(true);
    const user = await withPassword('si-alice');
    for (const account of [ACCOUNT, 'acme-corp']) {
      const out = await signIn({ Account: account, UserName: 'si-alice', Password: PASSWORD, DurationSeconds: '900' });
      const creds = credentialsOf(out);
      expect(creds.AccessKeyId).toMatch(/^ASIA/);
      expect(creds.Expiration.getTime()).toBe(f.clock.now + 900_000);
      expect((out as { Arn: string }).Arn).toBe(user.arn);
      const caller = await f.session(creds);
      expect(caller).toMatchObject({ kind: 'user', arn: user.arn, accountId: ACCOUNT });
      expect(caller.session?.mfaAuthenticatedAt).toBeUndefined();
      const who = await f.sts_('GetCallerIdentity', {}, caller);
      expect(who).toMatchObject({ Arn: user.arn, Account: ACCOUNT });
    }
  });

  it('answers one AccessDenied text for a wrong password, unknown user, unknown account and a user without a password', async () => {
    await withPassword('si-bob');
    await f.user('si-nopass');
    for (const values of [
      { Account: ACCOUNT, UserName: 'si-bob', Password: 'wrong-password' },
      { Account: ACCOUNT, UserName: 'si-nobody', Password: PASSWORD },
      { Account: '999999999999', UserName: 'si-bob', Password: PASSWORD },
      { Account: 'no-such-alias', UserName: 'si-bob', Password: PASSWORD },
      { Account: ACCOUNT, UserName: 'si-nopass', Password: PASSWORD },
    ]) {
      const e = await failure(signIn(values));
      expect(e.code, JSON.stringify(values.UserName)).toBe('AccessDenied');
      expect(e.status).toBe(403);
      expect(e.message).toBe(SIGN_IN_FAILED);
    }
    const bad = await failure(signIn({ Account: 'x', UserName: 'si-bob', Password: PASSWORD }));
    expect(bad.code).toBe('ValidationError');
  });

  it('locks the user out with backoff after repeated failures, refusing even the right password until it passes', async () => {
    await withPassword('si-carol');
    for (let i = 0; i < 5; i++) expect((await failure(signIn({ Account: ACCOUNT, UserName: 'si-carol', Password: `nope-${i}` }))).message).toBe(SIGN_IN_FAILED);
    const locked = await failure(signIn({ Account: ACCOUNT, UserName: 'si-carol', Password: PASSWORD }));
    expect(locked.code).toBe('AccessDenied');
    expect(locked.message).toMatch(/^Too many failed sign-in attempts for this user\. Try again after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.$/);
    const stored = await f.store.read(async (r) => r.loginProfiles.get(ACCOUNT, (await r.users.getByName(ACCOUNT, 'si-carol'))!.id));
    expect(stored?.failedAttempts).toBe(5);
    f.clock.now += 60_000;
    expect(credentialsOf(await signIn({ Account: ACCOUNT, UserName: 'si-carol', Password: PASSWORD })).AccessKeyId).toMatch(/^ASIA/);
    const reset = await f.store.read(async (r) => r.loginProfiles.get(ACCOUNT, (await r.users.getByName(ACCOUNT, 'si-carol'))!.id));
    expect(reset?.failedAttempts).toBe(0);
  });

  it('requires a valid, unused MFA code when the user has a device; the session is then MFA-authenticated', async () => {
    const dave = await withPassword('si-dave');
    const device = await f.mfaDevice(dave, 'si-dave-mfa');
    const base = { Account: ACCOUNT, UserName: 'si-dave', Password: PASSWORD };
    expect((await failure(signIn(base))).message).toBe(SIGN_IN_MFA_REQUIRED);
    expect((await failure(signIn({ ...base, SerialNumber: device.serial }))).code).toBe('AccessDenied');
    const code = await device.code();
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await failure(signIn({ ...base, SerialNumber: device.serial, TokenCode: wrong }))).code).toBe('AccessDenied');
    // A wrong password does not consume the code.
    expect((await failure(signIn({ ...base, Password: 'nope', SerialNumber: device.serial, TokenCode: code }))).message).toBe(SIGN_IN_FAILED);
    const out = await signIn({ ...base, SerialNumber: device.serial, TokenCode: code });
    const caller = await f.session(credentialsOf(out));
    expect((caller.session?.mfaAuthenticatedAt as Date | undefined)?.getTime()).toBe(Math.floor(f.clock.now / 1000) * 1000);
    expect((await failure(signIn({ ...base, SerialNumber: device.serial, TokenCode: code }))).code).toBe('AccessDenied');
  });

  it('refuses a password that must be changed (reset required, or expired) with PasswordResetRequired naming ChangePassword', async () => {
    await withPassword('si-erin', true);
    const e = await failure(signIn({ Account: ACCOUNT, UserName: 'si-erin', Password: PASSWORD }));
    expect(e.code).toBe('PasswordResetRequired');
    expect(e.message).toBe(SIGN_IN_CHANGE_REQUIRED);
    expect(e.message).toContain('iam:ChangePassword');
    // A wrong password still says only that the password is wrong.
    expect((await failure(signIn({ Account: ACCOUNT, UserName: 'si-erin', Password: 'nope' }))).message).toBe(SIGN_IN_FAILED);
    await withPassword('si-frank');
    await f.iamCall('UpdateAccountPasswordPolicy', { MaxPasswordAge: '1', MinimumPasswordLength: '8' });
    try {
      f.clock.now += 2 * 86_400_000;
      expect((await failure(signIn({ Account: ACCOUNT, UserName: 'si-frank', Password: PASSWORD }))).code).toBe('PasswordResetRequired');
      await f.iamCall('UpdateAccountPasswordPolicy', { MaxPasswordAge: '1', MinimumPasswordLength: '8', HardExpiry: 'true' });
      const hard = await failure(signIn({ Account: ACCOUNT, UserName: 'si-frank', Password: PASSWORD }));
      expect(hard.code).toBe('AccessDenied');
      expect(hard.message).toBe(SIGN_IN_HARD_EXPIRED);
    } finally {
      await f.iamCall('DeleteAccountPasswordPolicy');
    }
  });
});
