import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../src/index.js';
import { ACCOUNT, allow, attach, failure, fixture, managedPolicy, policy, putUserPolicy, role, setUserBoundary, START, type Fixture } from './helpers/fixture.js';

const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

describe('IamService authorization', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('allows a call an identity policy allows', async () => {
    const bob = await f.user('bob', allow('iam:CreateUser', userArn('*')));
    const out = (await f.call('CreateUser', { UserName: 'carol' }, bob)) as { User: { UserName: string } };
    expect(out.User.UserName).toBe('carol');
  });

  it('denies implicitly with AWS message when no identity policy allows', async () => {
    const bob = await f.user('bob', allow('iam:GetUser', '*'));
    const err = await failure(f.call('CreateUser', { UserName: 'carol' }, bob));
    expect(err.code).toBe('AccessDenied');
    expect(err.status).toBe(403);
    expect(err.message).toBe(
      'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/carol because no identity-based policy allows the iam:CreateUser action',
    );
    expect(await f.store.read((r) => r.users.getByName(ACCOUNT, 'carol'))).toBeUndefined();
  });

  it('denies a user with no policy at all', async () => {
    const bob = await f.user('bob');
    const err = await failure(f.call('ListUsers', {}, bob));
    expect(err.message).toBe(
      'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::111122223333:user/ because no identity-based policy allows the iam:ListUsers action',
    );
  });

  it('lets an explicit deny win over an allow', async () => {
    const bob = await f.user('bob', policy({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }));
    await f.call('CreateUser', { UserName: 'carol' }, bob);
    const err = await failure(f.call('DeleteUser', { UserName: 'carol' }, bob));
    expect(err.message).toBe(
      'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:DeleteUser on resource: arn:aws:iam::111122223333:user/carol with an explicit deny in an identity-based policy',
    );
    expect(await f.store.read((r) => r.users.getByName(ACCOUNT, 'carol'))).toBeDefined();
  });

  it('limits a user by its permissions boundary', async () => {
    const bob = await f.user('bob', allow('iam:*'));
    const boundary = await managedPolicy(f.store, ACCOUNT, 'OnlyReads', allow(['iam:Get*', 'iam:List*']));
    await setUserBoundary(f.store, ACCOUNT, 'bob', boundary);
    await f.call('ListUsers', {}, bob);
    const err = await failure(f.call('CreateUser', { UserName: 'carol' }, bob));
    expect(err.message).toBe(
      'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/carol because no permissions boundary allows the iam:CreateUser action',
    );
  });

  it('reports an explicit deny in a boundary', async () => {
    const bob = await f.user('bob', allow('iam:*'));
    const boundary = await managedPolicy(f.store, ACCOUNT, 'NoGroups', policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:CreateGroup', Resource: '*' }));
    await setUserBoundary(f.store, ACCOUNT, 'bob', boundary);
    const err = await failure(f.call('CreateGroup', { GroupName: 'devs' }, bob));
    expect(err.message).toMatch(/with an explicit deny in a permissions boundary$/);
  });

  it('authorizes before revealing whether the target exists', async () => {
    const bob = await f.user('bob');
    const err = await failure(f.call('GetUser', { UserName: 'nobody' }, bob));
    expect(err.code).toBe('AccessDenied');
    expect(err.message).toContain('on resource: arn:aws:iam::111122223333:user/nobody');
    const root = await failure(f.call('GetUser', { UserName: 'nobody' }));
    expect(root).toMatchObject({ code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.' });
  });

  it('applies group inline and attached managed policies to members', async () => {
    const bob = await f.user('bob');
    await f.call('CreateGroup', { GroupName: 'admins' });
    const readOnly = await managedPolicy(f.store, ACCOUNT, 'ListThem', allow('iam:ListUsers'));
    await attach(f.store, ACCOUNT, 'group', 'admins', readOnly);
    expect((await failure(f.call('ListUsers', {}, bob))).code).toBe('AccessDenied');
    await f.call('AddUserToGroup', { GroupName: 'admins', UserName: 'bob' });
    await expect(f.call('ListUsers', {}, bob)).resolves.toMatchObject({ IsTruncated: false });
    await f.call('RemoveUserFromGroup', { GroupName: 'admins', UserName: 'bob' });
    expect((await failure(f.call('ListUsers', {}, bob))).code).toBe('AccessDenied');
  });

  it('re-reads a policy after it changes (cache invalidation from the change feed)', async () => {
    const bob = await f.user('bob', allow('iam:ListUsers'));
    await f.call('ListUsers', {}, bob);
    expect(f.iam.authorizer.cachedPrincipals).toBeGreaterThan(0);
    await putUserPolicy(f.store, ACCOUNT, 'bob', 'inline', allow('iam:GetUser'));
    expect((await failure(f.call('ListUsers', {}, bob))).code).toBe('AccessDenied');
    await putUserPolicy(f.store, ACCOUNT, 'bob', 'inline', allow('iam:ListUsers'));
    await f.call('ListUsers', {}, bob);
  });

  it('re-reads a managed policy when a new default version is set', async () => {
    const bob = await f.user('bob');
    const arn = await managedPolicy(f.store, ACCOUNT, 'Lister', allow('iam:ListUsers'));
    await attach(f.store, ACCOUNT, 'user', 'bob', arn);
    await f.call('ListUsers', {}, bob);
    await f.store.transaction((tx) => tx.policies.createVersion(arn, allow('iam:ListGroups'), true, START));
    expect((await failure(f.call('ListUsers', {}, bob))).code).toBe('AccessDenied');
    await f.call('ListGroups', {}, bob);
  });

  it('substitutes ${aws:username} so users can manage only their own keys', async () => {
    const selfService = allow(['iam:CreateAccessKey', 'iam:ListAccessKeys'], 'arn:aws:iam::*:user/${aws:username}');
    const bob = await f.user('bob', selfService);
    await f.user('carol');
    await f.call('CreateAccessKey', {}, bob);
    const listed = (await f.call('ListAccessKeys', {}, bob)) as { AccessKeyMetadata: { UserName: string }[] };
    expect(listed.AccessKeyMetadata.map((k) => k.UserName)).toEqual(['bob']);
    const err = await failure(f.call('CreateAccessKey', { UserName: 'carol' }, bob));
    expect(err.message).toBe(
      'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::111122223333:user/carol because no identity-based policy allows the iam:CreateAccessKey action',
    );
  });

  it('sets aws:RequestTag and aws:TagKeys for CreateUser', async () => {
    const bob = await f.user(
      'bob',
      policy({ Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'core' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } } }),
    );
    await f.call('CreateUser', { UserName: 'carol', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' }, bob);
    expect((await failure(f.call('CreateUser', { UserName: 'dave', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'web' }, bob))).code).toBe('AccessDenied');
    expect((await failure(f.call('CreateUser', { UserName: 'erin' }, bob))).code).toBe('AccessDenied');
    const extra = { 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core', 'Tags.member.2.Key': 'cost', 'Tags.member.2.Value': 'x' };
    expect((await failure(f.call('CreateUser', { UserName: 'frank', ...extra }, bob))).code).toBe('AccessDenied');
  });

  it('sets iam:PermissionsBoundary so admins can require a boundary on new users', async () => {
    const boundary = await managedPolicy(f.store, ACCOUNT, 'Boundary', allow('s3:*'));
    const bob = await f.user('bob', policy({ Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*', Condition: { StringEquals: { 'iam:PermissionsBoundary': boundary } } }));
    expect((await failure(f.call('CreateUser', { UserName: 'carol' }, bob))).code).toBe('AccessDenied');
    const out = (await f.call('CreateUser', { UserName: 'carol', PermissionsBoundary: boundary }, bob)) as { User: { PermissionsBoundary: unknown } };
    expect(out.User.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary });
  });

  it('sets aws:ResourceTag and iam:ResourceTag from the target user tags', async () => {
    await f.call('CreateUser', { UserName: 'carol', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' });
    await f.call('CreateUser', { UserName: 'dave', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'web' });
    const bob = await f.user('bob', policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/team': 'core', 'aws:ResourceTag/team': 'core' } } }));
    await f.call('GetUser', { UserName: 'carol' }, bob);
    expect((await failure(f.call('GetUser', { UserName: 'dave' }, bob))).code).toBe('AccessDenied');
  });

  it('uses the caller tags as aws:PrincipalTag', async () => {
    await f.call('CreateUser', { UserName: 'bob', 'Tags.member.1.Key': 'role', 'Tags.member.1.Value': 'admin' });
    await putUserPolicy(f.store, ACCOUNT, 'bob', 'p', policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/role': 'admin' } } }));
    const user = await f.store.read((r) => r.users.getByName(ACCOUNT, 'bob'));
    const bob: Caller = { kind: 'user', accountId: ACCOUNT, arn: user!.arn, userId: user!.id, identity: { kind: 'user', id: user!.id, name: 'bob', arn: user!.arn } };
    await f.call('ListUsers', {}, bob);
    await f.store.transaction((tx) => tx.tags.put(ACCOUNT, 'user', user!.id, [{ key: 'role', value: 'dev' }]));
    expect((await failure(f.call('ListUsers', {}, bob))).code).toBe('AccessDenied');
  });

  it('uses aws:SourceIp and aws:SecureTransport', async () => {
    const bob = await f.user(
      'bob',
      policy(
        { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
        { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ),
    );
    await f.call('ListUsers', {}, bob);
    expect((await failure(f.call('ListUsers', {}, bob, { sourceIp: '198.51.100.1' }))).code).toBe('AccessDenied');
    expect((await failure(f.call('ListUsers', {}, bob, { secureTransport: false }))).message).toMatch(/explicit deny in an identity-based policy$/);
  });

  describe('role sessions', () => {
    const sessionCaller = (record: { id: string; arn: string; name: string }, session: Caller['session']): Caller => ({
      kind: 'assumed-role',
      accountId: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${record.name}/s1`,
      userId: `${record.id}:s1`,
      identity: { kind: 'role', id: record.id, name: record.name, arn: record.arn },
      accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
      ...(session === undefined ? {} : { session }),
    });

    it('uses the role policies and the session ARN in messages', async () => {
      const admin = await role(f.store, ACCOUNT, 'Admin', { all: allow('iam:*') });
      const caller = sessionCaller(admin, { issuedAt: new Date(START), expiresAt: new Date(START + 3600_000) });
      await f.call('CreateGroup', { GroupName: 'g1' }, caller);
      const reader = await role(f.store, ACCOUNT, 'Reader', { read: allow('iam:List*') });
      const err = await failure(f.call('CreateGroup', { GroupName: 'g2' }, sessionCaller(reader, { issuedAt: new Date(START), expiresAt: new Date(START + 3600_000) })));
      expect(err.message).toBe(
        'User: arn:aws:sts::111122223333:assumed-role/Reader/s1 is not authorized to perform: iam:CreateGroup on resource: arn:aws:iam::111122223333:group/g2 because no identity-based policy allows the iam:CreateGroup action',
      );
    });

    it('intersects with session policies', async () => {
      const admin = await role(f.store, ACCOUNT, 'Admin', { all: allow('iam:*') });
      const caller = sessionCaller(admin, { issuedAt: new Date(START), expiresAt: new Date(START + 3600_000), policies: [allow('iam:List*')] });
      await f.call('ListGroups', {}, caller);
      const err = await failure(f.call('CreateGroup', { GroupName: 'g1' }, caller));
      expect(err.message).toMatch(/because no session policy allows the iam:CreateGroup action$/);
      const narrowedByArn = await managedPolicy(f.store, ACCOUNT, 'SessionLister', allow('iam:ListUsers'));
      const byArn = sessionCaller(admin, { issuedAt: new Date(START), expiresAt: new Date(START + 3600_000), policyArns: [narrowedByArn] });
      await f.call('ListUsers', {}, byArn);
      expect((await failure(f.call('ListGroups', {}, byArn))).message).toMatch(/because no session policy allows/);
    });

    it('sets the MFA keys only for temporary credentials', async () => {
      const mfaOnly = policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '300' } } });
      const noMfaDenied = policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } });
      const r = await role(f.store, ACCOUNT, 'Mfa', { p: mfaOnly });
      const withMfa = sessionCaller(r, { issuedAt: new Date(START), expiresAt: new Date(START + 3600_000), mfaAuthenticatedAt: new Date(START - 60_000) });
      await f.call('ListUsers', {}, withMfa);
      f.clock.now = START + 600_000; // MFA now 11 minutes old
      expect((await failure(f.call('ListUsers', {}, withMfa))).code).toBe('AccessDenied');
      const without = sessionCaller(r, { issuedAt: new Date(START), expiresAt: new Date(START + 3600_000) });
      expect((await failure(f.call('ListUsers', {}, without))).code).toBe('AccessDenied');
      // Long-term keys carry no aws:MultiFactorAuthPresent at all: Bool … false does not match them,
      // while BoolIfExists … false (AWS's advice for denying them too) does.
      const bob = await f.user('bob', noMfaDenied);
      await f.call('ListUsers', {}, bob);
      await putUserPolicy(f.store, ACCOUNT, 'bob', 'inline', noMfaDenied.replace('"Bool"', '"BoolIfExists"'));
      expect((await failure(f.call('ListUsers', {}, bob))).message).toMatch(/explicit deny/);
      await putUserPolicy(f.store, ACCOUNT, 'bob', 'inline', noMfaDenied);
      // A role session without MFA carries aws:MultiFactorAuthPresent=false: Bool … false denies it.
      const guarded = await role(f.store, ACCOUNT, 'Guarded', { p: noMfaDenied });
      const guardedSession = sessionCaller(guarded, { issuedAt: new Date(START), expiresAt: new Date(START + 3600_000) });
      expect((await failure(f.call('ListUsers', {}, guardedSession))).message).toMatch(/explicit deny/);
    });

    it('revokes sessions issued before a time with aws:TokenIssueTime', async () => {
      const revoke = policy(
        { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
        { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-27T19:30:00Z' } } },
      );
      const r = await role(f.store, ACCOUNT, 'Revoked', { p: revoke });
      const old = sessionCaller(r, { issuedAt: new Date('2026-11-27T19:00:00Z'), expiresAt: new Date(START + 3600_000) });
      const fresh = sessionCaller(r, { issuedAt: new Date('2026-11-27T19:45:00Z'), expiresAt: new Date(START + 3600_000) });
      expect((await failure(f.call('ListUsers', {}, old))).message).toMatch(/explicit deny/);
      await f.call('ListUsers', {}, fresh);
    });

    it('refuses operations that need a user name when a session omits it', async () => {
      const admin = await role(f.store, ACCOUNT, 'Admin', { all: allow('iam:*') });
      const err = await failure(f.call('CreateAccessKey', {}, sessionCaller(admin, undefined)));
      expect(err).toMatchObject({ code: 'ValidationError', message: 'Must specify userName when calling with non-User credentials' });
    });
  });

  it('fails closed when a stored policy no longer compiles', async () => {
    const bob = await f.user('bob', allow('iam:ListUsers'));
    await putUserPolicy(f.store, ACCOUNT, 'bob', 'broken', '{"Version": "2012-10-17", "Statement": [');
    expect((await failure(f.call('ListUsers', {}, bob))).code).toBe('AccessDenied');
  });

  it('gives the root everything in its own account', async () => {
    await f.call('CreateUser', { UserName: 'carol' });
    await f.call('CreateGroup', { GroupName: 'g' });
    await f.call('AddUserToGroup', { GroupName: 'g', UserName: 'carol' });
    const out = (await f.call('GetAccountSummary')) as { SummaryMap: { entries: [string, number][] } };
    expect(new Map(out.SummaryMap.entries).get('Users')).toBe(1);
  });
});
