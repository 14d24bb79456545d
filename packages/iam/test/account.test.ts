import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, failure, fixture, managedPolicy, type Fixture } from './helpers/fixture.js';

const SUMMARY_KEYS = [
  'Users', 'UsersQuota', 'Groups', 'GroupsQuota', 'ServerCertificates', 'ServerCertificatesQuota', 'UserPolicySizeQuota', 'GroupPolicySizeQuota',
  'GroupsPerUserQuota', 'SigningCertificatesPerUserQuota', 'AccessKeysPerUserQuota', 'MFADevices', 'MFADevicesInUse', 'AccountMFAEnabled',
  'AccountAccessKeysPresent', 'AccountPasswordPresent', 'AccountSigningCertificatesPresent', 'AttachedPoliciesPerGroupQuota', 'AttachedPoliciesPerRoleQuota',
  'AttachedPoliciesPerUserQuota', 'Policies', 'PoliciesQuota', 'PolicySizeQuota', 'PolicyVersionsInUse', 'PolicyVersionsInUseQuota', 'VersionsPerPolicyQuota',
  'GlobalEndpointTokenVersion', 'AssumeRolePolicySizeQuota', 'InstanceProfiles', 'InstanceProfilesQuota', 'Providers', 'RolePolicySizeQuota', 'Roles', 'RolesQuota',
];

describe('account operations', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('GetAccountSummary returns the keys of AWS summaryKeyType with live counts', async () => {
    await f.call('CreateUser', { UserName: 'a' });
    await f.call('CreateUser', { UserName: 'b' });
    await f.call('CreateGroup', { GroupName: 'g' });
    const arn = await managedPolicy(f.store, ACCOUNT, 'P', allow('s3:*'));
    await f.store.transaction((tx) => tx.policies.createVersion(arn, allow('s3:Get*'), false, 0));
    const out = (await f.call('GetAccountSummary')) as { SummaryMap: { entries: [string, number][] } };
    const map = new Map(out.SummaryMap.entries);
    expect([...map.keys()]).toEqual(SUMMARY_KEYS);
    expect(map.get('Users')).toBe(2);
    expect(map.get('Groups')).toBe(1);
    expect(map.get('Policies')).toBe(1);
    expect(map.get('PolicyVersionsInUse')).toBe(2);
    expect(map.get('AccountAccessKeysPresent')).toBe(1);
    expect(map.get('AccessKeysPerUserQuota')).toBe(2);
    expect(map.get('UsersQuota')).toBe(5000);
  });

  it('creates, lists and deletes the account alias', async () => {
    expect(await f.call('ListAccountAliases')).toEqual({ AccountAliases: [], IsTruncated: false });
    expect(await f.call('CreateAccountAlias', { AccountAlias: 'example-corp' })).toBeUndefined();
    expect(await f.call('ListAccountAliases')).toEqual({ AccountAliases: ['example-corp'], IsTruncated: false });
    await f.call('CreateAccountAlias', { AccountAlias: 'example-corp' });
    expect(await failure(f.call('CreateAccountAlias', { AccountAlias: 'other-name' }))).toMatchObject({ code: 'LimitExceeded', message: 'Cannot exceed quota for AccountAliasesPerAccount: 1' });
    expect(await failure(f.call('DeleteAccountAlias', { AccountAlias: 'other-name' }))).toMatchObject({ code: 'NoSuchEntity', status: 404, message: 'The account alias other-name cannot be found.' });
    await f.call('DeleteAccountAlias', { AccountAlias: 'example-corp' });
    expect(await f.call('ListAccountAliases')).toEqual({ AccountAliases: [], IsTruncated: false });
  });

  it('keeps aliases unique across accounts', async () => {
    await f.call('CreateAccountAlias', { AccountAlias: 'taken' });
    const other = await f.iam.createAccount({ accountId: '444455556666' }, new Date(0));
    const otherRoot = (await f.iam.resolveAccessKey(other.rootAccessKeyId))!.principal;
    expect(await failure(f.call('CreateAccountAlias', { AccountAlias: 'taken' }, otherRoot))).toMatchObject({ code: 'EntityAlreadyExists', message: 'The account alias taken already exists.' });
  });

  it('isolates accounts: every call acts inside the caller’s own account', async () => {
    await f.call('CreateUser', { UserName: 'alice' });
    await f.call('CreateGroup', { GroupName: 'team' });
    const other = await f.iam.createAccount({ accountId: '444455556666' }, new Date(0));
    const otherRoot = (await f.iam.resolveAccessKey(other.rootAccessKeyId))!.principal;
    expect(await f.call('ListUsers', {}, otherRoot)).toEqual({ Users: [], IsTruncated: false });
    expect((await failure(f.call('GetUser', { UserName: 'alice' }, otherRoot))).code).toBe('NoSuchEntity');
    expect((await failure(f.call('AddUserToGroup', { GroupName: 'team', UserName: 'alice' }, otherRoot))).code).toBe('NoSuchEntity');
    // The same names are free in the other account.
    const created = (await f.call('CreateUser', { UserName: 'alice' }, otherRoot)) as { User: { Arn: string } };
    expect(created.User.Arn).toBe('arn:aws:iam::444455556666:user/alice');
    expect(new Map(((await f.call('GetAccountSummary', {}, otherRoot)) as { SummaryMap: { entries: [string, number][] } }).SummaryMap.entries).get('Groups')).toBe(0);
  });

  it('validates aliases with the model pattern', async () => {
    for (const alias of ['ab', 'Upper', 'double--dash', '-lead', 'trail-']) {
      expect((await failure(f.call('CreateAccountAlias', { AccountAlias: alias }))).code).toBe('ValidationError');
    }
  });

  it('authorizes account actions on *', async () => {
    const bob = await f.user('bob', allow('iam:ListAccountAliases'));
    await f.call('ListAccountAliases', {}, bob);
    expect((await failure(f.call('CreateAccountAlias', { AccountAlias: 'mine' }, bob))).message).toBe(
      'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:CreateAccountAlias on resource: * because no identity-based policy allows the iam:CreateAccountAlias action',
    );
    expect((await failure(f.call('GetAccountSummary', {}, bob))).code).toBe('AccessDenied');
  });
});
