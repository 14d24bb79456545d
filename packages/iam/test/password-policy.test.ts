import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialsFixture, type CredentialsFixture } from './helpers/credentials-fixture.js';
import { ACCOUNT, failure, policy } from './helpers/fixture.js';

type Policy = { PasswordPolicy: Record<string, unknown> };

describe('account password policy', () => {
  let f: CredentialsFixture;
  beforeEach(async () => {
    f = await credentialsFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('answers 404 NoSuchEntity with AWS\'s text while no policy is set', async () => {
    const err = await failure(f.run('GetAccountPasswordPolicy'));
    expect([err.code, err.status, err.message]).toEqual(['NoSuchEntity', 404, `The Password Policy with domain name ${ACCOUNT} cannot be found.`]);
    const del = await failure(f.run('DeleteAccountPasswordPolicy'));
    expect([del.code, del.message]).toEqual(['NoSuchEntity', `The Password Policy with domain name ${ACCOUNT} cannot be found.`]);
  });

  it('stores every member and derives ExpirePasswords', async () => {
    await f.run('UpdateAccountPasswordPolicy', {
      MinimumPasswordLength: '14',
      RequireSymbols: 'true',
      RequireNumbers: 'true',
      RequireUppercaseCharacters: 'true',
      RequireLowercaseCharacters: 'true',
      AllowUsersToChangePassword: 'true',
      MaxPasswordAge: '90',
      PasswordReusePrevention: '24',
      HardExpiry: 'true',
    });
    const out = (await f.run('GetAccountPasswordPolicy')) as Policy;
    expect(out.PasswordPolicy).toEqual({
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
      HardExpiry: true,
    });
    // AWS's member order (the XML renders in this order).
    expect(Object.keys(out.PasswordPolicy)).toEqual([
      'MinimumPasswordLength',
      'RequireSymbols',
      'RequireNumbers',
      'RequireUppercaseCharacters',
      'RequireLowercaseCharacters',
      'AllowUsersToChangePassword',
      'ExpirePasswords',
      'MaxPasswordAge',
      'PasswordReusePrevention',
      'HardExpiry',
    ]);
  });

  it('is not a partial update: members left out go back to their defaults', async () => {
    await f.run('UpdateAccountPasswordPolicy', { MinimumPasswordLength: '20', RequireSymbols: 'true', MaxPasswordAge: '30', PasswordReusePrevention: '5', HardExpiry: 'true' });
    await f.run('UpdateAccountPasswordPolicy', { RequireNumbers: 'true' });
    const out = (await f.run('GetAccountPasswordPolicy')) as Policy;
    expect(out.PasswordPolicy).toEqual({
      MinimumPasswordLength: 6,
      RequireSymbols: false,
      RequireNumbers: true,
      RequireUppercaseCharacters: false,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: false,
      ExpirePasswords: false,
      MaxPasswordAge: undefined,
      PasswordReusePrevention: undefined,
      HardExpiry: false,
    });
  });

  it('validates the ranges (MinimumPasswordLength 6..128, MaxPasswordAge 1..1095, PasswordReusePrevention 1..24)', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ MinimumPasswordLength: '5' }, "Value '5' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6"],
      [{ MinimumPasswordLength: '129' }, "Value '129' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128"],
      [{ MaxPasswordAge: '0' }, "Value '0' at 'maxPasswordAge' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      [{ MaxPasswordAge: '1096' }, "Value '1096' at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095"],
      [{ PasswordReusePrevention: '25' }, "Value '25' at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24"],
    ];
    for (const [input, message] of cases) {
      const err = await failure(f.run('UpdateAccountPasswordPolicy', input));
      expect(err.code).toBe('ValidationError');
      expect(err.message).toBe(`1 validation error detected: ${message}`);
    }
    expect((await failure(f.run('GetAccountPasswordPolicy'))).code).toBe('NoSuchEntity');
  });

  it('deletes the policy, after which AWS\'s default policy applies again', async () => {
    await f.call('CreateUser', { UserName: 'alice' });
    await f.run('UpdateAccountPasswordPolicy', { MinimumPasswordLength: '6' });
    await f.run('DeleteAccountPasswordPolicy');
    expect((await failure(f.run('GetAccountPasswordPolicy'))).code).toBe('NoSuchEntity');
    expect((await failure(f.run('CreateLoginProfile', { UserName: 'alice', Password: 'abcdef' }))).code).toBe('PasswordPolicyViolation');
  });

  describe('authorization', () => {
    it('needs iam:UpdateAccountPasswordPolicy / Get / Delete on *', async () => {
      const u = await f.user('mallory');
      for (const action of ['UpdateAccountPasswordPolicy', 'GetAccountPasswordPolicy', 'DeleteAccountPasswordPolicy']) {
        const err = await failure(f.run(action, {}, u));
        expect([err.code, err.message]).toEqual([
          'AccessDenied',
          `User: arn:aws:iam::${ACCOUNT}:user/mallory is not authorized to perform: iam:${action} on resource: * because no identity-based policy allows the iam:${action} action`,
        ]);
      }
      const admin = await f.user('admin', policy({ Effect: 'Allow', Action: 'iam:*AccountPasswordPolicy', Resource: '*' }));
      expect(await f.run('UpdateAccountPasswordPolicy', { MinimumPasswordLength: '10' }, admin)).toBeUndefined();
      expect(((await f.run('GetAccountPasswordPolicy', {}, admin)) as Policy).PasswordPolicy['MinimumPasswordLength']).toBe(10);
    });

    it('lets every IAM user read the policy when AllowUsersToChangePassword is set, unless explicitly denied', async () => {
      const plain = await f.user('plain');
      const denied = await f.user('denied', policy({ Effect: 'Deny', Action: 'iam:GetAccountPasswordPolicy', Resource: '*' }));
      await f.run('UpdateAccountPasswordPolicy', { AllowUsersToChangePassword: 'false' });
      expect((await failure(f.run('GetAccountPasswordPolicy', {}, plain))).code).toBe('AccessDenied');
      await f.run('UpdateAccountPasswordPolicy', { AllowUsersToChangePassword: 'true' });
      expect(((await f.run('GetAccountPasswordPolicy', {}, plain)) as Policy).PasswordPolicy['AllowUsersToChangePassword']).toBe(true);
      const err = await failure(f.run('GetAccountPasswordPolicy', {}, denied));
      expect(err.message).toContain('with an explicit deny in an identity-based policy');
      // The grant covers reading only, never changing the policy.
      expect((await failure(f.run('UpdateAccountPasswordPolicy', {}, plain))).code).toBe('AccessDenied');
    });
  });
});
