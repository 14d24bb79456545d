import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../src/index.js';
import { credentialsFixture, type CredentialsFixture } from './helpers/credentials-fixture.js';
import { ACCOUNT, allow, failure, policy, role } from './helpers/fixture.js';

const OLD = 'Old-Horse-1';
const NEW = 'New-Horse-2';

describe('ChangePassword', () => {
  let f: CredentialsFixture;
  let alice: Caller;

  beforeEach(async () => {
    f = await credentialsFixture();
    alice = await f.user('alice');
    await f.run('CreateLoginProfile', { UserName: 'alice', Password: OLD, PasswordResetRequired: 'true' });
    await f.run('UpdateAccountPasswordPolicy', { AllowUsersToChangePassword: 'true', MinimumPasswordLength: '8' });
  });
  afterEach(async () => {
    await f.close();
  });

  async function fails(promise: Promise<unknown>) {
    const err = await failure(promise);
    for (const p of f.hasher.seen) expect(err.message).not.toContain(p);
    return err;
  }
  const change = (oldPassword: string, newPassword: string, caller: Caller = alice) => f.run('ChangePassword', { OldPassword: oldPassword, NewPassword: newPassword }, caller);
  const profile = () => f.store.read(async (r) => r.loginProfiles.get(ACCOUNT, (await r.users.getByName(ACCOUNT, 'alice'))!.id));

  it('changes the caller\'s own password, clears PasswordResetRequired and returns nothing', async () => {
    f.clock.now += 5000;
    expect(await change(OLD, NEW)).toBeUndefined();
    const p = await profile();
    expect(await f.hasher.verify(p!.passwordHash, NEW)).toBe(true);
    expect(p).toMatchObject({ passwordResetRequired: false, passwordLastChangedAt: f.clock.now });
    expect(p!.previousHashes).toHaveLength(1);
  });

  it('refuses a wrong old password without changing anything', async () => {
    const before = await profile();
    const err = await fails(change('Wrong-Horse-1', NEW));
    expect([err.code, err.status, err.message]).toEqual(['AccessDenied', 403, 'The old password is incorrect.']);
    expect((await profile())!.passwordHash).toBe(before!.passwordHash);
  });

  it('limits attempts: after 5 wrong old passwords even the right one gets LimitExceeded until the backoff passes', async () => {
    for (let i = 0; i < 5; i++) expect((await fails(change(`Wrong-${i}-Horse`, NEW))).code).toBe('AccessDenied');
    const locked = await fails(change(OLD, NEW));
    expect([locked.code, locked.status, locked.message]).toEqual(['LimitExceeded', 409, 'Too many password change attempts. Try again later.']);
    f.clock.now += 1000;
    expect(await change(OLD, NEW)).toBeUndefined();
  });

  it('checks the new password against the policy and reuse prevention', async () => {
    await f.run('UpdateAccountPasswordPolicy', { AllowUsersToChangePassword: 'true', MinimumPasswordLength: '10', RequireNumbers: 'true', PasswordReusePrevention: '3' });
    const weak = await fails(change(OLD, 'short'));
    expect([weak.code, weak.status, weak.message]).toEqual(['PasswordPolicyViolation', 400, 'Password should have a minimum length of 10; Password should have at least one number']);
    const same = await fails(change(OLD, OLD));
    expect([same.code, same.message]).toEqual(['PasswordPolicyViolation', 'Password has been used before and cannot be reused']);
    await change(OLD, 'Second-Horse-2');
    await change('Second-Horse-2', 'Third-Horse-3');
    expect((await fails(change('Third-Horse-3', OLD))).code).toBe('PasswordPolicyViolation');
    await change('Third-Horse-3', 'Fourth-Horse-4');
    // Three remembered (Fourth, Third, Second): the first one is allowed again.
    expect(await change('Fourth-Horse-4', OLD)).toBeUndefined();
  });

  it('refuses the root and role sessions (InvalidUserType); federated users never reach IAM', async () => {
    const r = await role(f.store, ACCOUNT, 'Admin', { all: allow('iam:*') });
    const session: Caller = {
      kind: 'assumed-role',
      accountId: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s1`,
      userId: `${r.id}:s1`,
      identity: { kind: 'role', id: r.id, name: r.name, arn: r.arn },
      accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
      session: { issuedAt: new Date(f.clock.now), expiresAt: new Date(f.clock.now + 3600_000) },
    };
    const federated: Caller = { ...alice, kind: 'federated-user', arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`, session: { issuedAt: new Date(f.clock.now), expiresAt: new Date(f.clock.now + 3600_000) } };
    for (const caller of [f.root, session]) {
      const err = await fails(change(OLD, NEW, caller));
      expect([err.code, err.status, err.message]).toEqual(['InvalidUserType', 400, 'Only IAM users can change their own password with ChangePassword.']);
    }
    expect((await fails(change(OLD, NEW, federated))).code).toBe('InvalidClientTokenId');
    expect(await f.hasher.verify((await profile())!.passwordHash, OLD)).toBe(true);
  });

  it('needs AllowUsersToChangePassword or an iam:ChangePassword permission', async () => {
    await f.run('UpdateAccountPasswordPolicy', { AllowUsersToChangePassword: 'false', MinimumPasswordLength: '8' });
    const denied = await fails(change(OLD, NEW));
    expect([denied.code, denied.message]).toEqual([
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: iam:ChangePassword on resource: arn:aws:iam::${ACCOUNT}:user/alice because no identity-based policy allows the iam:ChangePassword action`,
    ]);
    await f.run('DeleteAccountPasswordPolicy');
    expect((await fails(change(OLD, NEW))).code).toBe('AccessDenied');
    const bob = await f.user('bob', policy({ Effect: 'Allow', Action: 'iam:ChangePassword', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }));
    await f.run('CreateLoginProfile', { UserName: 'bob', Password: OLD });
    expect(await change(OLD, NEW, bob)).toBeUndefined();
  });

  it('lets an explicit Deny override AllowUsersToChangePassword', async () => {
    const carol = await f.user('carol', policy({ Effect: 'Deny', Action: 'iam:ChangePassword', Resource: '*' }));
    await f.run('CreateLoginProfile', { UserName: 'carol', Password: OLD });
    const err = await fails(change(OLD, NEW, carol));
    expect(err.message).toContain('with an explicit deny in an identity-based policy');
  });

  it('answers NoSuchEntity for a user without a login profile', async () => {
    const dave = await f.user('dave');
    const err = await fails(change(OLD, NEW, dave));
    expect([err.code, err.message]).toEqual(['NoSuchEntity', 'Login Profile for User dave cannot be found.']);
  });

  it('refuses a hard-expired password (only an administrator can reset it) but allows a soft-expired one', async () => {
    await f.run('UpdateAccountPasswordPolicy', { AllowUsersToChangePassword: 'true', MaxPasswordAge: '30', HardExpiry: 'true' });
    f.clock.now += 31 * 86_400_000;
    const err = await fails(change(OLD, NEW));
    expect([err.code, err.message]).toEqual(['AccessDenied', 'The password has expired and can only be reset by an administrator.']);
    await f.run('UpdateAccountPasswordPolicy', { AllowUsersToChangePassword: 'true', MaxPasswordAge: '30' });
    expect(await change(OLD, NEW)).toBeUndefined();
  });

  it('never puts either password in an error message, its detail or its JSON form', async () => {
    await f.run('UpdateAccountPasswordPolicy', { AllowUsersToChangePassword: 'true', PasswordReusePrevention: '1' });
    const errors = [await failure(change('Wrong-Horse-9', NEW)), await failure(change(OLD, 'Bad')), await failure(change(OLD, OLD))];
    expect(errors.map((e) => e.code)).toEqual(['AccessDenied', 'PasswordPolicyViolation', 'PasswordPolicyViolation']);
    for (const err of errors) {
      const text = `${err.message} ${String((err as { detail?: unknown }).detail)} ${JSON.stringify(err)}`;
      for (const p of ['Wrong-Horse-9', NEW, OLD]) expect(text).not.toContain(p);
    }
  });
});
