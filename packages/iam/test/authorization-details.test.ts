import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allow, failure, fixture, type Fixture } from './helpers/fixture.js';
import { listParams, localPolicyArn, out, tagParams, trust } from './helpers/policies-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
  await f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: allow('s3:*') });
  await f.call('CreatePolicyVersion', { PolicyArn: localPolicyArn('p'), PolicyDocument: allow('s3:Get*'), SetAsDefault: 'true' });
  await f.call('CreatePolicy', { PolicyName: 'unused', PolicyDocument: allow('sqs:*') });
  await f.call('CreateUser', { UserName: 'u', PermissionsBoundary: localPolicyArn('p'), ...tagParams({ team: 'core' }) });
  await f.call('CreateGroup', { GroupName: 'g' });
  await f.call('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
  await f.call('PutUserPolicy', { UserName: 'u', PolicyName: 'inline', PolicyDocument: allow('sns:*') });
  await f.call('PutGroupPolicy', { GroupName: 'g', PolicyName: 'ginline', PolicyDocument: allow('sqs:*') });
  await f.call('AttachGroupPolicy', { GroupName: 'g', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
  await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), ...tagParams({ env: 'dev' }) });
  await f.call('AttachRolePolicy', { RoleName: 'r', PolicyArn: localPolicyArn('p') });
  await f.call('PutRolePolicy', { RoleName: 'r', PolicyName: 'rinline', PolicyDocument: allow('kms:*') });
});
afterEach(async () => {
  await f.close();
});

describe('GetAccountAuthorizationDetails', () => {
  it('describes users, groups, roles and the managed policies in use, with their documents', async () => {
    const d = out(await f.call('GetAccountAuthorizationDetails'));
    expect(d.IsTruncated).toBe(false);
    expect(d.UserDetailList).toEqual([
      expect.objectContaining({
        UserName: 'u',
        GroupList: ['g'],
        UserPolicyList: [{ PolicyName: 'inline', PolicyDocument: allow('sns:*') }],
        AttachedManagedPolicies: [],
        PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: localPolicyArn('p') },
        Tags: [{ Key: 'team', Value: 'core' }],
      }),
    ]);
    expect(d.GroupDetailList).toEqual([
      expect.objectContaining({
        GroupName: 'g',
        GroupPolicyList: [{ PolicyName: 'ginline', PolicyDocument: allow('sqs:*') }],
        AttachedManagedPolicies: [{ PolicyName: 'IAMReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }],
      }),
    ]);
    expect(d.RoleDetailList).toEqual([
      expect.objectContaining({
        RoleName: 'r',
        AssumeRolePolicyDocument: trust(),
        InstanceProfileList: [],
        RolePolicyList: [{ PolicyName: 'rinline', PolicyDocument: allow('kms:*') }],
        AttachedManagedPolicies: [{ PolicyName: 'p', PolicyArn: localPolicyArn('p') }],
        Tags: [{ Key: 'env', Value: 'dev' }],
      }),
    ]);
    const names = d.Policies.map((p: { PolicyName: string }) => p.PolicyName);
    // Every local policy, but only the AWS managed policies the account uses.
    expect(names).toEqual(['p', 'unused', 'IAMReadOnlyAccess']);
    const p = d.Policies[0];
    expect(p).toMatchObject({ DefaultVersionId: 'v2', AttachmentCount: 1, PermissionsBoundaryUsageCount: 1 });
    expect(p.PolicyVersionList).toEqual([
      { Document: allow('s3:Get*'), VersionId: 'v2', IsDefaultVersion: true, CreateDate: new Date(f.clock.now) },
      { Document: allow('s3:*'), VersionId: 'v1', IsDefaultVersion: false, CreateDate: new Date(f.clock.now) },
    ]);
  });

  it('filters by entity type', async () => {
    const roles = out(await f.call('GetAccountAuthorizationDetails', listParams('Filter', ['Role'])));
    expect(roles.RoleDetailList).toHaveLength(1);
    expect(roles.UserDetailList).toEqual([]);
    expect(roles.Policies).toEqual([]);
    const aws = out(await f.call('GetAccountAuthorizationDetails', listParams('Filter', ['AWSManagedPolicy', 'User'])));
    expect(aws.Policies.map((p: { PolicyName: string }) => p.PolicyName)).toEqual(['IAMReadOnlyAccess']);
    expect(aws.UserDetailList).toHaveLength(1);
    expect((await failure(f.call('GetAccountAuthorizationDetails', listParams('Filter', ['Computer'])))).code).toBe('ValidationError');
  });

  it('pages across entity types without losing or repeating any', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const d = out(await f.call('GetAccountAuthorizationDetails', { MaxItems: '2', ...(marker === undefined ? {} : { Marker: marker }) }));
      const items = [
        ...d.UserDetailList.map((x: { UserName: string }) => `user:${x.UserName}`),
        ...d.GroupDetailList.map((x: { GroupName: string }) => `group:${x.GroupName}`),
        ...d.RoleDetailList.map((x: { RoleName: string }) => `role:${x.RoleName}`),
        ...d.Policies.map((x: { PolicyName: string }) => `policy:${x.PolicyName}`),
      ];
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items);
      marker = d.IsTruncated ? d.Marker : undefined;
      pages++;
    } while (marker !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(['user:u', 'group:g', 'role:r', 'policy:p', 'policy:unused', 'policy:IAMReadOnlyAccess']);
    expect((await failure(f.call('GetAccountAuthorizationDetails', { Marker: 'nonsense' }))).code).toBe('InvalidInput');
  });
});
