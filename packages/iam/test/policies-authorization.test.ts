import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IamService, iamOperations, type AnyOperation } from '../src/index.js';
import { CreateRole } from '../src/operations/roles.js';
import { ACCOUNT, allow, failure, fixture, policy, random, type Fixture } from './helpers/fixture.js';
import { listParams, localPolicyArn, out, tagParams, trust } from './helpers/policies-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  await f.close();
});

const ROLE = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:role${path}${name}`;
const USER = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const IAM_READ = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';

describe('authorization of role operations', () => {
  it('denies without a policy, with the AWS message naming action and role ARN', async () => {
    const alice = await f.user('alice');
    const e = await failure(f.call('CreateRole', { RoleName: 'r', Path: '/app/', AssumeRolePolicyDocument: trust() }, alice));
    expect(e).toMatchObject({
      code: 'AccessDenied',
      status: 403,
      message: `User: ${USER('alice')} is not authorized to perform: iam:CreateRole on resource: ${ROLE('r', '/app/')} because no identity-based policy allows the iam:CreateRole action`,
    });
    expect(await f.store.read((r) => r.roles.getByName(ACCOUNT, 'r'))).toBeUndefined();
  });

  it('allows on the role path the policy names, and an explicit deny wins', async () => {
    const alice = await f.user('alice', policy({ Effect: 'Allow', Action: 'iam:*Role*', Resource: ROLE('*', '/app/') }, { Effect: 'Deny', Action: 'iam:DeleteRole', Resource: '*' }));
    await f.call('CreateRole', { RoleName: 'r', Path: '/app/', AssumeRolePolicyDocument: trust() }, alice);
    expect((await failure(f.call('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: trust() }, alice))).code).toBe('AccessDenied');
    expect(out(await f.call('GetRole', { RoleName: 'r' }, alice)).Role.Path).toBe('/app/');
    const e = await failure(f.call('DeleteRole', { RoleName: 'r' }, alice));
    expect(e.message).toBe(`User: ${USER('alice')} is not authorized to perform: iam:DeleteRole on resource: ${ROLE('r', '/app/')} with an explicit deny in an identity-based policy`);
  });

  it('authorizes before revealing whether a role exists', async () => {
    const bob = await f.user('bob');
    expect((await failure(f.call('GetRole', { RoleName: 'ghost' }, bob))).code).toBe('AccessDenied');
  });

  it('applies iam:PermissionsBoundary on CreateRole', async () => {
    const alice = await f.user('alice', allow('iam:CreateRole', '*', { StringEquals: { 'iam:PermissionsBoundary': IAM_READ } }));
    expect((await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() }, alice))).code).toBe('AccessDenied');
    expect((await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), PermissionsBoundary: ADMIN }, alice))).code).toBe('AccessDenied');
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), PermissionsBoundary: IAM_READ }, alice);
  });

  it("applies the role's own boundary as iam:PermissionsBoundary on actions on the role", async () => {
    await f.call('CreateRole', { RoleName: 'bounded', AssumeRolePolicyDocument: trust(), PermissionsBoundary: IAM_READ });
    await f.call('CreateRole', { RoleName: 'free', AssumeRolePolicyDocument: trust() });
    const alice = await f.user('alice', allow(['iam:GetRole', 'iam:PutRolePolicy'], '*', { ArnEquals: { 'iam:PermissionsBoundary': IAM_READ } }));
    await f.call('GetRole', { RoleName: 'bounded' }, alice);
    await f.call('PutRolePolicy', { RoleName: 'bounded', PolicyName: 'p', PolicyDocument: allow('s3:*') }, alice);
    expect((await failure(f.call('GetRole', { RoleName: 'free' }, alice))).code).toBe('AccessDenied');
    expect((await failure(f.call('PutRolePolicy', { RoleName: 'free', PolicyName: 'p', PolicyDocument: allow('s3:*') }, alice))).code).toBe('AccessDenied');
  });

  it('applies aws:RequestTag and aws:TagKeys on CreateRole and TagRole, iam:ResourceTag on DeleteRole', async () => {
    const alice = await f.user(
      'alice',
      policy(
        { Effect: 'Allow', Action: ['iam:CreateRole', 'iam:TagRole'], Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'core' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } } },
        { Effect: 'Allow', Action: 'iam:DeleteRole', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/env': 'dev' } } },
      ),
    );
    expect((await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), ...tagParams({ team: 'web' }) }, alice))).code).toBe('AccessDenied');
    expect((await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), ...tagParams({ team: 'core', env: 'dev' }) }, alice))).code).toBe('AccessDenied');
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), ...tagParams({ team: 'core' }) }, alice);
    expect((await failure(f.call('DeleteRole', { RoleName: 'r' }, alice))).code).toBe('AccessDenied');
    await f.call('TagRole', { RoleName: 'r', ...tagParams({ env: 'dev' }) });
    await f.call('DeleteRole', { RoleName: 'r' }, alice);
  });
});

describe('authorization of managed policy operations', () => {
  it('reads AWS managed policies only where a policy allows their ARN', async () => {
    const alice = await f.user('alice', allow(['iam:GetPolicy', 'iam:GetPolicyVersion'], 'arn:aws:iam::aws:policy/IAM*'));
    expect(out(await f.call('GetPolicy', { PolicyArn: IAM_READ }, alice)).Policy.PolicyName).toBe('IAMReadOnlyAccess');
    expect(out(await f.call('GetPolicyVersion', { PolicyArn: IAM_READ, VersionId: 'v4' }, alice)).PolicyVersion.IsDefaultVersion).toBe(true);
    const e = await failure(f.call('GetPolicy', { PolicyArn: ADMIN }, alice));
    expect(e.message).toBe(`User: ${USER('alice')} is not authorized to perform: iam:GetPolicy on resource: ${ADMIN} because no identity-based policy allows the iam:GetPolicy action`);
  });

  it('never lets a customer change an AWS managed policy, even with iam:*', async () => {
    const admin = await f.user('admin', allow('iam:*'));
    for (const [action, params] of [
      ['DeletePolicy', { PolicyArn: ADMIN }],
      ['CreatePolicyVersion', { PolicyArn: ADMIN, PolicyDocument: allow('s3:*') }],
      ['SetDefaultPolicyVersion', { PolicyArn: ADMIN, VersionId: 'v1' }],
      ['DeletePolicyVersion', { PolicyArn: ADMIN, VersionId: 'v1' }],
      ['TagPolicy', { PolicyArn: ADMIN, ...tagParams({ a: 'b' }) }],
      ['UntagPolicy', { PolicyArn: ADMIN, ...listParams('TagKeys', ['a']) }],
    ] as const) {
      expect((await failure(f.call(action, params, admin))).code).toBe('AccessDenied');
    }
  });

  it('applies iam:PolicyARN on attach and detach', async () => {
    await f.call('CreateUser', { UserName: 'target' });
    const alice = await f.user('alice', allow(['iam:AttachUserPolicy', 'iam:DetachUserPolicy'], USER('target'), { ArnEquals: { 'iam:PolicyARN': IAM_READ } }));
    await f.call('AttachUserPolicy', { UserName: 'target', PolicyArn: IAM_READ }, alice);
    const e = await failure(f.call('AttachUserPolicy', { UserName: 'target', PolicyArn: ADMIN }, alice));
    expect(e.message).toBe(`User: ${USER('alice')} is not authorized to perform: iam:AttachUserPolicy on resource: ${USER('target')} because no identity-based policy allows the iam:AttachUserPolicy action`);
    await f.call('DetachUserPolicy', { UserName: 'target', PolicyArn: IAM_READ }, alice);
  });

  it('applies aws:RequestTag on CreatePolicy and aws:ResourceTag on CreatePolicyVersion', async () => {
    const alice = await f.user(
      'alice',
      policy(
        { Effect: 'Allow', Action: 'iam:CreatePolicy', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/owner': 'alice' } } },
        { Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/owner': 'alice' } } },
      ),
    );
    expect((await failure(f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: allow('s3:*') }, alice))).code).toBe('AccessDenied');
    await f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: allow('s3:*'), ...tagParams({ owner: 'alice' }) }, alice);
    await f.call('CreatePolicyVersion', { PolicyArn: localPolicyArn('p'), PolicyDocument: allow('s3:Get*') }, alice);
    await f.call('CreatePolicy', { PolicyName: 'q', PolicyDocument: allow('s3:*') });
    expect((await failure(f.call('CreatePolicyVersion', { PolicyArn: localPolicyArn('q'), PolicyDocument: allow('s3:Get*') }, alice))).code).toBe('AccessDenied');
  });

  it('authorizes ListPolicies and GetAccountAuthorizationDetails on *', async () => {
    const alice = await f.user('alice', allow('iam:ListPolicies'));
    await f.call('ListPolicies', {}, alice);
    const e = await failure(f.call('GetAccountAuthorizationDetails', {}, alice));
    expect(e.message).toBe(`User: ${USER('alice')} is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: * because no identity-based policy allows the iam:GetAccountAuthorizationDetails action`);
  });
});

describe('authorization of inline policy, boundary and tag operations', () => {
  it('lets a user manage only its own inline policies with ${aws:username}', async () => {
    await f.call('CreateUser', { UserName: 'other' });
    const alice = await f.user('alice', allow(['iam:PutUserPolicy', 'iam:GetUserPolicy'], 'arn:aws:iam::*:user/${aws:username}'));
    await f.call('PutUserPolicy', { UserName: 'alice', PolicyName: 'mine', PolicyDocument: allow('s3:*') }, alice);
    expect(out(await f.call('GetUserPolicy', { UserName: 'alice', PolicyName: 'mine' }, alice)).PolicyName).toBe('mine');
    expect((await failure(f.call('PutUserPolicy', { UserName: 'other', PolicyName: 'x', PolicyDocument: allow('s3:*') }, alice))).code).toBe('AccessDenied');
  });

  it('applies iam:PermissionsBoundary on PutUserPermissionsBoundary', async () => {
    await f.call('CreateUser', { UserName: 'target' });
    const alice = await f.user('alice', allow('iam:PutUserPermissionsBoundary', '*', { ArnEquals: { 'iam:PermissionsBoundary': IAM_READ } }));
    expect((await failure(f.call('PutUserPermissionsBoundary', { UserName: 'target', PermissionsBoundary: ADMIN }, alice))).code).toBe('AccessDenied');
    await f.call('PutUserPermissionsBoundary', { UserName: 'target', PermissionsBoundary: IAM_READ }, alice);
  });

  it('applies aws:TagKeys on UntagUser', async () => {
    await f.call('CreateUser', { UserName: 'target', ...tagParams({ team: 'a', cost: 'b' }) });
    const alice = await f.user('alice', allow('iam:UntagUser', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }));
    expect((await failure(f.call('UntagUser', { UserName: 'target', ...listParams('TagKeys', ['cost']) }, alice))).code).toBe('AccessDenied');
    await f.call('UntagUser', { UserName: 'target', ...listParams('TagKeys', ['team']) }, alice);
  });
});

describe('permissions boundaries in authorization', () => {
  it('a boundary limits what attached policies allow', async () => {
    const alice = await f.user('alice');
    await f.call('AttachUserPolicy', { UserName: 'alice', PolicyArn: ADMIN });
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    await f.call('CreateRole', { RoleName: 'before', AssumeRolePolicyDocument: trust() }, alice);
    await f.call('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: IAM_READ });
    expect(out(await f.call('GetRole', { RoleName: 'r' }, alice)).Role.RoleName).toBe('r');
    const e = await failure(f.call('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: trust() }, alice));
    expect(e.message).toBe(`User: ${USER('alice')} is not authorized to perform: iam:CreateRole on resource: ${ROLE('x')} because no permissions boundary allows the iam:CreateRole action`);
    await f.call('DeleteUserPermissionsBoundary', { UserName: 'alice' });
    await f.call('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: trust() }, alice);
  });
});

describe('cache invalidation', () => {
  it('reflects attach, detach, new default versions and inline changes in the next decision', async () => {
    const alice = await f.user('alice');
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    const list = () => f.call('ListRoles', {}, alice);
    expect((await failure(list())).code).toBe('AccessDenied');
    await f.call('AttachUserPolicy', { UserName: 'alice', PolicyArn: IAM_READ });
    await list();
    await f.call('DetachUserPolicy', { UserName: 'alice', PolicyArn: IAM_READ });
    expect((await failure(list())).code).toBe('AccessDenied');

    await f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: allow('iam:ListRoles') });
    await f.call('CreateGroup', { GroupName: 'g' });
    await f.call('AddUserToGroup', { GroupName: 'g', UserName: 'alice' });
    await f.call('AttachGroupPolicy', { GroupName: 'g', PolicyArn: localPolicyArn('p') });
    await list();
    await f.call('CreatePolicyVersion', { PolicyArn: localPolicyArn('p'), PolicyDocument: allow('iam:GetRole'), SetAsDefault: 'true' });
    expect((await failure(list())).code).toBe('AccessDenied');
    await f.call('SetDefaultPolicyVersion', { PolicyArn: localPolicyArn('p'), VersionId: 'v1' });
    await list();

    await f.call('PutGroupPolicy', { GroupName: 'g', PolicyName: 'deny', PolicyDocument: policy({ Effect: 'Deny', Action: 'iam:ListRoles', Resource: '*' }) });
    expect((await failure(list())).message).toContain('with an explicit deny in an identity-based policy');
    await f.call('DeleteGroupPolicy', { GroupName: 'g', PolicyName: 'deny' });
    await list();
  });

  it('reflects role policy changes for the role itself', async () => {
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    const role = (await f.store.read((r) => r.roles.getByName(ACCOUNT, 'r')))!;
    const session = {
      kind: 'assumed-role' as const,
      accountId: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`,
      userId: `${role.id}:s`,
      identity: { kind: 'role' as const, id: role.id, name: role.name, arn: role.arn },
      session: { issuedAt: new Date(f.clock.now), expiresAt: new Date(f.clock.now + 3600_000) },
    };
    expect((await failure(f.call('GetRole', { RoleName: 'r' }, session))).code).toBe('AccessDenied');
    await f.call('PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: allow('iam:GetRole') });
    await f.call('GetRole', { RoleName: 'r' }, session);
    await f.call('PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: 'arn:aws:iam::aws:policy/IAMUserChangePassword' });
    expect((await failure(f.call('GetRole', { RoleName: 'r' }, session))).message).toContain('because no permissions boundary allows');
  });
});

describe('rollback', () => {
  it('leaves nothing behind when an operation fails after writing', async () => {
    const failing: AnyOperation = {
      ...CreateRole,
      name: 'CreateRole',
      async run(ctx, input) {
        await CreateRole.run(ctx, input as Parameters<typeof CreateRole.run>[1]);
        throw new Error('crash after the write');
      },
    };
    const iam = new IamService({ store: f.store, keyring: f.keyring, random, operations: { ...iamOperations, CreateRole: failing } });
    const e = await failure(iam.invoke('CreateRole', new Map([['RoleName', 'r'], ['AssumeRolePolicyDocument', trust()], ['Tags.member.1.Key', 'a'], ['Tags.member.1.Value', 'b']]), f.root, f.env()));
    expect(e).toMatchObject({ code: 'ServiceFailure', status: 500 });
    expect(await f.store.read((r) => r.roles.getByName(ACCOUNT, 'r'))).toBeUndefined();
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    expect(out(await f.call('GetRole', { RoleName: 'r' })).Role.Tags).toBeUndefined();
  });

  it('a failed Put*Policy keeps the earlier inline policy and a failed attach adds nothing', async () => {
    await f.call('CreateUser', { UserName: 'u' });
    await f.call('PutUserPolicy', { UserName: 'u', PolicyName: 'p', PolicyDocument: allow('s3:*') });
    await failure(f.call('PutUserPolicy', { UserName: 'u', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17"}' }));
    expect(out(await f.call('GetUserPolicy', { UserName: 'u', PolicyName: 'p' })).PolicyDocument).toBe(allow('s3:*'));
    await failure(f.call('AttachUserPolicy', { UserName: 'u', PolicyArn: localPolicyArn('missing') }));
    expect(out(await f.call('ListAttachedUserPolicies', { UserName: 'u' })).AttachedPolicies).toEqual([]);
  });
});
