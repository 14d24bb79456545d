import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userCaller } from '../src/index.js';
import { credentialsFixture, type CredentialsFixture } from './helpers/credentials-fixture.js';
import { ACCOUNT, failure, fixture, policy } from './helpers/fixture.js';

type Profile = { LoginProfile: { UserName: string; CreateDate: Date; PasswordResetRequired: boolean } };
const GOOD = 'Correct-Horse9';

describe('login profiles', () => {
  let f: CredentialsFixture;
  beforeEach(async () => {
    f = await credentialsFixture();
    await f.call('CreateUser', { UserName: 'alice' });
  });
  afterEach(async () => {
    await f.close();
  });

  /** Fails, and the error text carries none of the passwords the test used. */
  async function fails(promise: Promise<unknown>) {
    const err = await failure(promise);
    for (const p of f.hasher.seen) expect(err.message).not.toContain(p);
    return err;
  }

  const profileOf = () => f.store.read(async (r) => r.loginProfiles.get(ACCOUNT, (await r.users.getByName(ACCOUNT, 'alice'))!.id));

  it('creates a profile with a hashed password and returns it without the password', async () => {
    const out = (await f.run('CreateLoginProfile', { UserName: 'alice', Password: GOOD, PasswordResetRequired: 'true' })) as Profile;
    expect(out).toEqual({ LoginProfile: { UserName: 'alice', CreateDate: new Date(f.clock.now), PasswordResetRequired: true } });
    expect(JSON.stringify(out)).not.toContain(GOOD);
    const stored = await profileOf();
    expect(stored!.passwordHash).not.toContain(GOOD);
    expect(await f.hasher.verify(stored!.passwordHash, GOOD)).toBe(true);
    expect(stored!.passwordLastChangedAt).toBe(f.clock.now);
  });

  it('gets the profile (PasswordResetRequired defaults to false) and the caller\'s own without UserName', async () => {
    await f.run('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    expect(await f.run('GetLoginProfile', { UserName: 'alice' })).toEqual({ LoginProfile: { UserName: 'alice', CreateDate: new Date(f.clock.now), PasswordResetRequired: false } });
    const alice = await f.store.read((r) => r.users.getByName(ACCOUNT, 'alice'));
    await f.store.transaction((tx) => tx.inlinePolicies.put(ACCOUNT, { principalType: 'user', principalId: alice!.id, name: 'self', document: policy({ Effect: 'Allow', Action: 'iam:GetLoginProfile', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }) }));
    expect(((await f.run('GetLoginProfile', {}, userCaller(alice!))) as Profile).LoginProfile.UserName).toBe('alice');
  });

  it('refuses a second profile, and answers NoSuchEntity for missing users and profiles', async () => {
    await f.run('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    const again = await fails(f.run('CreateLoginProfile', { UserName: 'alice', Password: GOOD }));
    expect([again.code, again.status, again.message]).toEqual(['EntityAlreadyExists', 409, 'Login Profile for user alice already exists.']);
    const nobody = await fails(f.run('CreateLoginProfile', { UserName: 'nobody', Password: GOOD }));
    expect([nobody.code, nobody.message]).toEqual(['NoSuchEntity', 'The user with name nobody cannot be found.']);
    await f.call('CreateUser', { UserName: 'bob' });
    for (const action of ['GetLoginProfile', 'DeleteLoginProfile', 'UpdateLoginProfile']) {
      const err = await fails(f.run(action, { UserName: 'bob' }));
      expect([err.code, err.status, err.message]).toEqual(['NoSuchEntity', 404, 'Login Profile for User bob cannot be found.']);
    }
  });

  it('requires a password outside AssumeRoot sessions', async () => {
    const err = await fails(f.run('CreateLoginProfile', { UserName: 'alice' }));
    expect([err.code, err.message]).toEqual(['ValidationError', "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"]);
  });

  it('checks the password against the account policy, and AWS\'s default policy when none is set', async () => {
    const weak = await fails(f.run('CreateLoginProfile', { UserName: 'alice', Password: 'abc' }));
    expect([weak.code, weak.status]).toEqual(['PasswordPolicyViolation', 400]);
    expect(weak.message).toBe(
      'Password should have a minimum length of 8; Password should have at least three of the following: uppercase letters, lowercase letters, numbers, symbols',
    );
    await f.run('UpdateAccountPasswordPolicy', { MinimumPasswordLength: '12', RequireSymbols: 'true' });
    const noSymbol = await fails(f.run('CreateLoginProfile', { UserName: 'alice', Password: 'CorrectHorse9' }));
    expect(noSymbol.message).toBe('Password should have at least one symbol');
    expect(await profileOf()).toBeUndefined();
    expect(((await f.run('CreateLoginProfile', { UserName: 'alice', Password: 'abcdefghijk!' })) as Profile).LoginProfile.UserName).toBe('alice');
  });

  it('never echoes an arbitrary password in the error of a rejected set (property)', async () => {
    await f.run('UpdateAccountPasswordPolicy', { MinimumPasswordLength: '20', RequireSymbols: 'true', RequireNumbers: 'true' });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom(...'abcXYZ09!# §é\t'.split('')), minLength: 1, maxLength: 18 }), async (body) => {
        // '§' appears in no message, so a leak cannot hide behind a coincidental match.
        const password = `§${body}`;
        const err = await failure(f.run('CreateLoginProfile', { UserName: 'alice', Password: password }));
        expect(['PasswordPolicyViolation', 'ValidationError']).toContain(err.code);
        expect(err.message).not.toContain(password);
      }),
      { numRuns: 60 },
    );
  });

  it('validates the password length (1..128) without echoing the value', async () => {
    const long = 'A1!'.repeat(43);
    const err = await failure(f.run('CreateLoginProfile', { UserName: 'alice', Password: long }));
    expect(err.code).toBe('ValidationError');
    expect(err.message).not.toContain(long);
    expect(err.message).toContain("at 'password' failed to satisfy constraint: Member must have length less than or equal to 128");
  });

  it('resets the password as an administrator (UpdateLoginProfile) under the policy and reuse prevention', async () => {
    await f.run('UpdateAccountPasswordPolicy', { PasswordReusePrevention: '2', MinimumPasswordLength: '8' });
    await f.run('CreateLoginProfile', { UserName: 'alice', Password: 'first-pass' });
    f.clock.now += 1000;
    expect(await f.run('UpdateLoginProfile', { UserName: 'alice', Password: 'second-pass' })).toBeUndefined();
    const stored = await profileOf();
    expect(await f.hasher.verify(stored!.passwordHash, 'second-pass')).toBe(true);
    expect(stored!.passwordLastChangedAt).toBe(f.clock.now);
    expect(stored!.previousHashes).toHaveLength(1);
    for (const reused of ['second-pass', 'first-pass']) {
      const err = await fails(f.run('UpdateLoginProfile', { UserName: 'alice', Password: reused }));
      expect([err.code, err.message]).toEqual(['PasswordPolicyViolation', 'Password has been used before and cannot be reused']);
    }
    expect(await f.run('UpdateLoginProfile', { UserName: 'alice', Password: 'third-pass' })).toBeUndefined();
    // Two remembered: the first password is usable again.
    expect(await f.run('UpdateLoginProfile', { UserName: 'alice', Password: 'first-pass' })).toBeUndefined();
    const short = await fails(f.run('UpdateLoginProfile', { UserName: 'alice', Password: 'short' }));
    expect(short.code).toBe('PasswordPolicyViolation');
  });

  it('sets PasswordResetRequired alone without touching the password', async () => {
    await f.run('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    const before = await profileOf();
    await f.run('UpdateLoginProfile', { UserName: 'alice', PasswordResetRequired: 'true' });
    const after = await profileOf();
    expect(after!.passwordResetRequired).toBe(true);
    expect(after!.passwordHash).toBe(before!.passwordHash);
  });

  it('lifts a lockout when an administrator resets the password', async () => {
    await f.run('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    const alice = (await f.store.read((r) => r.users.getByName(ACCOUNT, 'alice')))!;
    await f.store.transaction((tx) => tx.loginProfiles.recordFailedAttempt(ACCOUNT, alice.id, f.clock.now + 60_000));
    await f.run('UpdateLoginProfile', { UserName: 'alice', Password: 'New-Horse-99' });
    expect(await profileOf()).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });

  it('deletes the profile, after which DeleteUser no longer refuses', async () => {
    await f.run('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    const conflict = await fails(f.run('DeleteUser', { UserName: 'alice' }));
    expect([conflict.code, conflict.message]).toEqual(['DeleteConflict', 'Cannot delete entity, must delete login profile first.']);
    expect(await f.run('DeleteLoginProfile', { UserName: 'alice' })).toBeUndefined();
    expect(await f.run('DeleteUser', { UserName: 'alice' })).toBeUndefined();
  });

  it('answers the root without UserName with a ValidationError (the root has no login profile)', async () => {
    const err = await fails(f.run('GetLoginProfile', {}));
    expect([err.code, err.message]).toEqual(['ValidationError', 'Must specify userName when calling with non-User credentials']);
  });

  describe('authorization', () => {
    it('denies each action without permission, before revealing whether the user exists', async () => {
      const u = await f.user('mallory');
      for (const [action, extra] of [
        ['CreateLoginProfile', { Password: GOOD }],
        ['GetLoginProfile', {}],
        ['UpdateLoginProfile', { Password: GOOD }],
        ['DeleteLoginProfile', {}],
      ] as const) {
        for (const target of ['alice', 'ghost']) {
          const err = await fails(f.run(action, { UserName: target, ...extra }, u));
          expect([err.code, err.status]).toEqual(['AccessDenied', 403]);
          expect(err.message).toBe(
            `User: arn:aws:iam::${ACCOUNT}:user/mallory is not authorized to perform: iam:${action} on resource: arn:aws:iam::${ACCOUNT}:user/${target} because no identity-based policy allows the iam:${action} action`,
          );
        }
      }
      expect(f.hasher.hashes).toBe(0);
    });

    it('honours aws:ResourceTag on the user', async () => {
      await f.call('CreateUser', { UserName: 'tagged', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' });
      const admin = await f.user('admin', policy({ Effect: 'Allow', Action: 'iam:*LoginProfile', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'core' } } }));
      expect(await f.run('CreateLoginProfile', { UserName: 'tagged', Password: GOOD }, admin)).toBeDefined();
      expect((await fails(f.run('CreateLoginProfile', { UserName: 'alice', Password: GOOD }, admin))).code).toBe('AccessDenied');
    });
  });
});

describe('iamOperations (default services)', () => {
  it('hashes login-profile passwords with argon2id', async () => {
    const f = await fixture();
    try {
      await f.call('CreateUser', { UserName: 'alice' });
      await f.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
      const stored = await f.store.read(async (r) => r.loginProfiles.get(ACCOUNT, (await r.users.getByName(ACCOUNT, 'alice'))!.id));
      expect(stored!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/u);
    } finally {
      await f.close();
    }
  });
});
