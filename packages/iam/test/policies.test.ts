import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, failure, fixture, policy, type Fixture } from './helpers/fixture.js';
import { localPolicyArn, out, tagParams, trust } from './helpers/policies-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  await f.close();
});

const DOC = allow(['s3:GetObject'], 'arn:aws:s3:::bucket/*');
const names = (list: { PolicyName: string }[]) => list.map((p) => p.PolicyName);

describe('CreatePolicy', () => {
  it('creates v1 as the default version and returns the policy as AWS does', async () => {
    const r = out(await f.call('CreatePolicy', { PolicyName: 'read', Path: '/team/', PolicyDocument: DOC, Description: 'reads', ...tagParams({ a: 'b' }) }));
    expect(r.Policy).toMatchObject({
      PolicyName: 'read',
      Arn: localPolicyArn('read', '/team/'),
      Path: '/team/',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Description: 'reads',
      Tags: [{ Key: 'a', Value: 'b' }],
    });
    expect(r.Policy.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    const v = out(await f.call('GetPolicyVersion', { PolicyArn: localPolicyArn('read', '/team/'), VersionId: 'v1' }));
    expect(v.PolicyVersion).toEqual({ Document: DOC, VersionId: 'v1', IsDefaultVersion: true, CreateDate: new Date(f.clock.now) });
  });

  it('refuses a name already used in the account, whatever the path or case', async () => {
    await f.call('CreatePolicy', { PolicyName: 'Read', PolicyDocument: DOC });
    const e = await failure(f.call('CreatePolicy', { PolicyName: 'read', Path: '/other/', PolicyDocument: DOC }));
    expect(e).toMatchObject({ code: 'EntityAlreadyExists', status: 409, message: 'A policy called read already exists. Duplicate names are not allowed.' });
  });

  it('may share a name with an AWS managed policy', async () => {
    const r = out(await f.call('CreatePolicy', { PolicyName: 'AdministratorAccess', PolicyDocument: DOC }));
    expect(r.Policy.Arn).toBe(localPolicyArn('AdministratorAccess'));
  });

  it('validates the document as a managed identity policy', async () => {
    const cases: [string, string, string][] = [
      ['{', 'MalformedPolicyDocument', 'Syntax errors in policy.'],
      [JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Policy document must be version 2012-10-17 or greater.'],
      [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Policy document must be version 2012-10-17 or greater.'],
      [policy({ Effect: 'Allow', Resource: '*' }), 'MalformedPolicyDocument', 'Policy statement must contain actions.'],
      [policy({ Effect: 'Allow', Action: 's3:*', Resource: '*', Principal: '*' }), 'MalformedPolicyDocument', 'Policy document should not specify a principal.'],
      [policy({ Effect: 'Allow', Action: 's3:*', Resource: 'a'.repeat(6200) }), 'LimitExceeded', 'Cannot exceed quota for PolicySize: 6144'],
    ];
    for (const [doc, code, message] of cases) expect(await failure(f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: doc }))).toMatchObject({ code, message });
    expect(await f.store.read((r) => r.policies.count(ACCOUNT))).toBe(0);
  });

  it('counts non-whitespace characters against PolicySize', async () => {
    // 6,144 characters of content padded with whitespace is within the quota.
    const base = policy({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::' });
    const exact = policy({ Effect: 'Allow', Action: 's3:*', Resource: `arn:aws:s3:::${'a'.repeat(6144 - base.length)}` });
    expect(exact.length).toBe(6144);
    await f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: exact.replace('{', '{' + ' \n'.repeat(500)) });
    const over = exact.replace('arn:aws:s3:::', 'arn:aws:s3:::b');
    expect((await failure(f.call('CreatePolicy', { PolicyName: 'q', PolicyDocument: over }))).code).toBe('LimitExceeded');
  });

  it('rejects an invalid policy path with a validation error', async () => {
    const e = await failure(f.call('CreatePolicy', { PolicyName: 'p', Path: '/no spaces/', PolicyDocument: DOC }));
    expect(e.code).toBe('ValidationError');
  });
});

describe('GetPolicy', () => {
  it('reports attachment and boundary counts', async () => {
    const arn = localPolicyArn('p');
    await f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: DOC });
    await f.call('CreateUser', { UserName: 'u', PermissionsBoundary: arn });
    await f.call('CreateGroup', { GroupName: 'g' });
    await f.call('AttachGroupPolicy', { GroupName: 'g', PolicyArn: arn });
    const p = out(await f.call('GetPolicy', { PolicyArn: arn }));
    expect(p.Policy).toMatchObject({ AttachmentCount: 1, PermissionsBoundaryUsageCount: 1 });
  });

  it('answers NoSuchEntity for unknown and InvalidInput for malformed ARNs', async () => {
    expect(await failure(f.call('GetPolicy', { PolicyArn: localPolicyArn('nope') }))).toMatchObject({ code: 'NoSuchEntity', message: `Policy ${localPolicyArn('nope')} was not found.` });
    expect(await failure(f.call('GetPolicy', { PolicyArn: 'arn:aws:iam::111122223333:user/bob' }))).toMatchObject({ code: 'InvalidInput', status: 400 });
  });

  it('reads AWS managed policies with their AWS ids and descriptions', async () => {
    const p = out(await f.call('GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    expect(p.Policy).toMatchObject({ PolicyId: 'ANPAIWMBCKSKIEE64ZLYK', DefaultVersionId: 'v1', Description: 'Provides full access to AWS services and resources.', IsAttachable: true });
    expect(p.Policy.CreateDate).toEqual(new Date('2015-02-06T18:39:46Z'));
  });
});

describe('DeletePolicy', () => {
  it('refuses while attached, used as a boundary, or with non-default versions', async () => {
    const arn = localPolicyArn('p');
    await f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: DOC });
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    await f.call('AttachRolePolicy', { RoleName: 'r', PolicyArn: arn });
    expect(await failure(f.call('DeletePolicy', { PolicyArn: arn }))).toMatchObject({ code: 'DeleteConflict', status: 409, message: 'Cannot delete a policy attached to entities.' });
    await f.call('DetachRolePolicy', { RoleName: 'r', PolicyArn: arn });
    await f.call('PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: arn });
    expect((await failure(f.call('DeletePolicy', { PolicyArn: arn }))).message).toBe('Cannot delete a policy attached to entities.');
    await f.call('DeleteRolePermissionsBoundary', { RoleName: 'r' });
    await f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: DOC });
    expect((await failure(f.call('DeletePolicy', { PolicyArn: arn }))).message).toMatch(/^This policy has more than one version/);
    await f.call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v2' });
    await f.call('DeletePolicy', { PolicyArn: arn });
    expect((await failure(f.call('GetPolicy', { PolicyArn: arn }))).code).toBe('NoSuchEntity');
  });

  it('cannot delete an AWS managed policy', async () => {
    const e = await failure(f.call('DeletePolicy', { PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' }));
    expect(e).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(out(await f.call('GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' })).Policy.PolicyName).toBe('IAMFullAccess');
  });
});

describe('ListPolicies', () => {
  beforeEach(async () => {
    await f.call('CreatePolicy', { PolicyName: 'alpha', PolicyDocument: DOC });
    await f.call('CreatePolicy', { PolicyName: 'beta', Path: '/team/', PolicyDocument: DOC });
    await f.call('CreatePolicy', { PolicyName: 'gamma', PolicyDocument: DOC });
  });

  it('lists Local, AWS or All policies', async () => {
    expect(names(out(await f.call('ListPolicies', { Scope: 'Local' })).Policies)).toEqual(['alpha', 'beta', 'gamma']);
    const aws = names(out(await f.call('ListPolicies', { Scope: 'AWS' })).Policies);
    expect(aws).toContain('AdministratorAccess');
    expect(aws).not.toContain('alpha');
    const all = names(out(await f.call('ListPolicies', {})).Policies);
    expect(all).toEqual(expect.arrayContaining(['alpha', 'AdministratorAccess', 'IAMFullAccess']));
  });

  it('filters by PathPrefix, OnlyAttached and PolicyUsageFilter', async () => {
    expect(names(out(await f.call('ListPolicies', { Scope: 'Local', PathPrefix: '/team/' })).Policies)).toEqual(['beta']);
    await f.call('CreateUser', { UserName: 'u', PermissionsBoundary: localPolicyArn('gamma') });
    await f.call('AttachUserPolicy', { UserName: 'u', PolicyArn: localPolicyArn('alpha') });
    await f.call('AttachUserPolicy', { UserName: 'u', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    expect(names(out(await f.call('ListPolicies', { OnlyAttached: 'true' })).Policies)).toEqual(['alpha', 'gamma', 'IAMReadOnlyAccess']);
    expect(names(out(await f.call('ListPolicies', { OnlyAttached: 'true', PolicyUsageFilter: 'PermissionsPolicy' })).Policies)).toEqual(['alpha', 'IAMReadOnlyAccess']);
    expect(names(out(await f.call('ListPolicies', { OnlyAttached: 'true', PolicyUsageFilter: 'PermissionsBoundary' })).Policies)).toEqual(['gamma']);
    expect(names(out(await f.call('ListPolicies', { Scope: 'AWS', OnlyAttached: 'true' })).Policies)).toEqual(['IAMReadOnlyAccess']);
  });

  it('pages without gaps or repeats', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = out(await f.call('ListPolicies', { MaxItems: '2', ...(marker === undefined ? {} : { Marker: marker }) }));
      expect(page.Policies.length).toBeLessThanOrEqual(2);
      seen.push(...names(page.Policies));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker !== undefined);
    const all = names(out(await f.call('ListPolicies', { MaxItems: '1000' })).Policies);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('rejects an unknown Scope', async () => {
    expect((await failure(f.call('ListPolicies', { Scope: 'Mine' }))).code).toBe('ValidationError');
  });
});

describe('ListEntitiesForPolicy', () => {
  it('lists groups, users and roles that use the policy, with filters and paging', async () => {
    const arn = localPolicyArn('p');
    await f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: DOC });
    await f.call('CreateUser', { UserName: 'u1' });
    await f.call('CreateUser', { UserName: 'u2', Path: '/ops/', PermissionsBoundary: arn });
    await f.call('CreateGroup', { GroupName: 'g' });
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    await f.call('AttachUserPolicy', { UserName: 'u1', PolicyArn: arn });
    await f.call('AttachGroupPolicy', { GroupName: 'g', PolicyArn: arn });
    await f.call('AttachRolePolicy', { RoleName: 'r', PolicyArn: arn });
    const all = out(await f.call('ListEntitiesForPolicy', { PolicyArn: arn }));
    expect(all.PolicyGroups.map((g: { GroupName: string }) => g.GroupName)).toEqual(['g']);
    expect(all.PolicyUsers.map((u: { UserName: string }) => u.UserName)).toEqual(['u1', 'u2']);
    expect(all.PolicyRoles.map((r: { RoleName: string }) => r.RoleName)).toEqual(['r']);
    const perms = out(await f.call('ListEntitiesForPolicy', { PolicyArn: arn, PolicyUsageFilter: 'PermissionsPolicy', EntityFilter: 'User' }));
    expect(perms.PolicyUsers.map((u: { UserName: string }) => u.UserName)).toEqual(['u1']);
    expect(perms.PolicyRoles).toEqual([]);
    const bound = out(await f.call('ListEntitiesForPolicy', { PolicyArn: arn, PolicyUsageFilter: 'PermissionsBoundary' }));
    expect(bound.PolicyUsers.map((u: { UserName: string }) => u.UserName)).toEqual(['u2']);
    const ops = out(await f.call('ListEntitiesForPolicy', { PolicyArn: arn, PathPrefix: '/ops/' }));
    expect(ops.PolicyUsers.map((u: { UserName: string }) => u.UserName)).toEqual(['u2']);
    const p1 = out(await f.call('ListEntitiesForPolicy', { PolicyArn: arn, MaxItems: '2' }));
    expect(p1.IsTruncated).toBe(true);
    const p2 = out(await f.call('ListEntitiesForPolicy', { PolicyArn: arn, MaxItems: '2', Marker: p1.Marker }));
    expect(p2.IsTruncated).toBe(false);
    expect(p1.PolicyGroups.length + p1.PolicyUsers.length + p2.PolicyUsers.length + p2.PolicyRoles.length).toBe(4);
    expect((await failure(f.call('ListEntitiesForPolicy', { PolicyArn: localPolicyArn('none') }))).code).toBe('NoSuchEntity');
  });
});

describe('policy versions', () => {
  const arn = localPolicyArn('p');
  const v = (n: number) => allow([`s3:Get${n}`]);
  beforeEach(async () => {
    await f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: v(1) });
  });

  it('CreatePolicyVersion adds versions, optionally as default, up to 5', async () => {
    f.clock.now += 60_000;
    const r = out(await f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: v(2) }));
    expect(r.PolicyVersion).toEqual({ VersionId: 'v2', IsDefaultVersion: false, CreateDate: new Date(f.clock.now) });
    const d = out(await f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: v(3), SetAsDefault: 'true' }));
    expect(d.PolicyVersion.IsDefaultVersion).toBe(true);
    const got = out(await f.call('GetPolicy', { PolicyArn: arn }));
    expect(got.Policy.DefaultVersionId).toBe('v3');
    expect(got.Policy.UpdateDate).toEqual(new Date(f.clock.now));
    await f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: v(4) });
    await f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: v(5) });
    const e = await failure(f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: v(6) }));
    expect(e).toMatchObject({
      code: 'LimitExceeded',
      status: 409,
      message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    });
  });

  it('never reuses a version id after a delete', async () => {
    await f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: v(2) });
    await f.call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v2' });
    const r = out(await f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: v(3) }));
    expect(r.PolicyVersion.VersionId).toBe('v3');
  });

  it('validates new versions and leaves nothing behind on failure', async () => {
    expect((await failure(f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: '[]' }))).code).toBe('MalformedPolicyDocument');
    expect(out(await f.call('ListPolicyVersions', { PolicyArn: arn })).Versions).toHaveLength(1);
  });

  it('ListPolicyVersions lists newest first without documents, and pages', async () => {
    await f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: v(2) });
    await f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: v(3) });
    const all = out(await f.call('ListPolicyVersions', { PolicyArn: arn }));
    expect(all.Versions.map((x: { VersionId: string }) => x.VersionId)).toEqual(['v3', 'v2', 'v1']);
    expect(all.Versions[0].Document).toBeUndefined();
    const p1 = out(await f.call('ListPolicyVersions', { PolicyArn: arn, MaxItems: '2' }));
    const p2 = out(await f.call('ListPolicyVersions', { PolicyArn: arn, MaxItems: '2', Marker: p1.Marker }));
    expect([...p1.Versions, ...p2.Versions].map((x: { VersionId: string }) => x.VersionId)).toEqual(['v3', 'v2', 'v1']);
  });

  it('SetDefaultPolicyVersion switches the default; DeletePolicyVersion refuses the default', async () => {
    await f.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: v(2) });
    await f.call('SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v2' });
    expect(out(await f.call('GetPolicyVersion', { PolicyArn: arn, VersionId: 'v2' })).PolicyVersion.IsDefaultVersion).toBe(true);
    expect(out(await f.call('GetPolicyVersion', { PolicyArn: arn, VersionId: 'v1' })).PolicyVersion.IsDefaultVersion).toBe(false);
    expect(await failure(f.call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v2' }))).toMatchObject({ code: 'DeleteConflict', message: 'Cannot delete the default version of a policy.' });
    await f.call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v1' });
  });

  it('answers NoSuchEntity for unknown versions and ValidationError for malformed ids', async () => {
    for (const action of ['GetPolicyVersion', 'DeletePolicyVersion', 'SetDefaultPolicyVersion']) {
      expect(await failure(f.call(action, { PolicyArn: arn, VersionId: 'v9' }))).toMatchObject({ code: 'NoSuchEntity', message: `Policy ${arn} version v9 does not exist or is not attachable.` });
      expect((await failure(f.call(action, { PolicyArn: arn, VersionId: 'x1' }))).code).toBe('ValidationError');
    }
  });

  it('AWS managed policies cannot get new versions', async () => {
    const e = await failure(f.call('CreatePolicyVersion', { PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess', PolicyDocument: v(2) }));
    expect(e.code).toBe('AccessDenied');
  });
});
