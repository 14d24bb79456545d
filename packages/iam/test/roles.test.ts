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

describe('CreateRole', () => {
  it('creates a role with AWS defaults and returns the trust policy exactly as submitted', async () => {
    const doc = `{ "Version": "2012-10-17",\n  "Statement": [{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`;
    const r = out(await f.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: doc }));
    expect(r.Role).toMatchObject({ Path: '/', RoleName: 'app', Arn: `arn:aws:iam::${ACCOUNT}:role/app`, AssumeRolePolicyDocument: doc, MaxSessionDuration: 3600 });
    expect(r.Role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(r.Role.CreateDate).toEqual(new Date(f.clock.now));
    expect(r.Role.Description).toBeUndefined();
  });

  it('keeps path, description, session duration, boundary and tags', async () => {
    const r = out(
      await f.call('CreateRole', {
        RoleName: 'svc',
        Path: '/team/',
        AssumeRolePolicyDocument: trust(),
        Description: 'service role',
        MaxSessionDuration: '43200',
        PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
        ...tagParams({ team: 'core' }),
      }),
    );
    expect(r.Role).toMatchObject({
      Path: '/team/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/team/svc`,
      Description: 'service role',
      MaxSessionDuration: 43200,
      PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      Tags: [{ Key: 'team', Value: 'core' }],
    });
  });

  it('refuses a duplicate name whatever its case', async () => {
    await f.call('CreateRole', { RoleName: 'App', AssumeRolePolicyDocument: trust() });
    const e = await failure(f.call('CreateRole', { RoleName: 'app', Path: '/x/', AssumeRolePolicyDocument: trust() }));
    expect(e).toMatchObject({ code: 'EntityAlreadyExists', status: 409, message: 'Role with name app already exists.' });
  });

  it('rejects MaxSessionDuration outside 3600..43200 with AWS validation messages', async () => {
    const low = await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), MaxSessionDuration: '3599' }));
    expect(low).toMatchObject({ code: 'ValidationError', status: 400 });
    expect(low.message).toContain('Member must have value greater than or equal to 3600');
    const high = await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), MaxSessionDuration: '43201' }));
    expect(high.message).toContain('Member must have value less than or equal to 43200');
  });

  it('validates the trust policy as AWS does', async () => {
    const cases: [string, string, string][] = [
      ['{nope', 'MalformedPolicyDocument', 'This policy contains invalid Json'],
      [policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole', Resource: '*' }), 'MalformedPolicyDocument', 'Has prohibited field Resource.'],
      [policy({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'MalformedPolicyDocument', 'Missing required field Principal'],
      [policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/ghost` }, Action: 'sts:AssumeRole' }), 'MalformedPolicyDocument', `Invalid principal in policy: "AWS":"arn:aws:iam::${ACCOUNT}:user/ghost"`],
    ];
    for (const [doc, code, message] of cases) {
      const e = await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: doc }));
      expect(e).toMatchObject({ code, message });
    }
    expect(await f.store.read((r) => r.roles.getByName(ACCOUNT, 'r'))).toBeUndefined();
  });

  it('accepts a trust policy naming an existing user of the account', async () => {
    await f.call('CreateUser', { UserName: 'alice' });
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }) });
  });

  it('enforces the trust policy size quota (ACLSizePerRole)', async () => {
    const big = policy({ Sid: 'a'.repeat(2100), Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
    const e = await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: big }));
    expect(e).toMatchObject({ code: 'LimitExceeded', status: 409, message: 'Cannot exceed quota for ACLSizePerRole: 2048' });
  });

  it('refuses an unknown permissions boundary and creates nothing', async () => {
    const e = await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), PermissionsBoundary: localPolicyArn('nope') }));
    expect(e.code).toBe('NoSuchEntity');
    expect(await f.store.read((r) => r.roles.getByName(ACCOUNT, 'r'))).toBeUndefined();
  });

  it('refuses reserved and duplicate tag keys', async () => {
    const reserved = await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), ...tagParams({ 'aws:x': '1' }) }));
    expect(reserved.code).toBe('InvalidInput');
    const dup = await failure(f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': '1', 'Tags.member.2.Key': 'A', 'Tags.member.2.Value': '2' }));
    expect(dup.code).toBe('InvalidInput');
  });
});

describe('GetRole', () => {
  it('returns the role with its tags and last use, and NoSuchEntity for an unknown role', async () => {
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), ...tagParams({ k: 'v' }) });
    const role = await f.store.read((r) => r.roles.getByName(ACCOUNT, 'r'));
    await f.store.read((r) => r.roles.recordUse(ACCOUNT, role!.id, f.clock.now + 1000, 'eu-west-1'));
    const got = out(await f.call('GetRole', { RoleName: 'R' }));
    expect(got.Role.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    expect(got.Role.RoleLastUsed).toEqual({ LastUsedDate: new Date(f.clock.now + 1000), Region: 'eu-west-1' });
    const e = await failure(f.call('GetRole', { RoleName: 'ghost' }));
    expect(e).toMatchObject({ code: 'NoSuchEntity', status: 404, message: 'The role with name ghost cannot be found.' });
  });
});

describe('UpdateRole / UpdateRoleDescription / UpdateAssumeRolePolicy', () => {
  it('updates description and session duration; UpdateRole returns an empty result', async () => {
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    expect(await f.call('UpdateRole', { RoleName: 'r', Description: 'd1', MaxSessionDuration: '7200' })).toEqual({});
    expect(out(await f.call('GetRole', { RoleName: 'r' })).Role).toMatchObject({ Description: 'd1', MaxSessionDuration: 7200 });
    const r = out(await f.call('UpdateRoleDescription', { RoleName: 'r', Description: 'd2' }));
    expect(r.Role.Description).toBe('d2');
    expect(out(await f.call('GetRole', { RoleName: 'r' })).Role.Description).toBe('d2');
  });

  it('replaces the trust policy after validating it', async () => {
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    const next = trust({ Service: 'lambda.amazonaws.com' });
    await f.call('UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: next });
    expect(out(await f.call('GetRole', { RoleName: 'r' })).Role.AssumeRolePolicyDocument).toBe(next);
    const e = await failure(f.call('UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: allow('s3:GetObject') }));
    expect(e.code).toBe('MalformedPolicyDocument');
    expect(out(await f.call('GetRole', { RoleName: 'r' })).Role.AssumeRolePolicyDocument).toBe(next);
  });

  it('answers NoSuchEntity for unknown roles', async () => {
    for (const [action, params] of [
      ['UpdateRole', { RoleName: 'ghost' }],
      ['UpdateRoleDescription', { RoleName: 'ghost', Description: 'x' }],
      ['UpdateAssumeRolePolicy', { RoleName: 'ghost', PolicyDocument: trust() }],
      ['DeleteRole', { RoleName: 'ghost' }],
    ] as const) {
      expect((await failure(f.call(action, params))).code).toBe('NoSuchEntity');
    }
  });
});

describe('DeleteRole', () => {
  it('refuses while managed policies are attached or inline policies exist, with AWS texts', async () => {
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    await f.call('AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    await f.call('PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: allow('s3:*') });
    expect(await failure(f.call('DeleteRole', { RoleName: 'r' }))).toMatchObject({ code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must detach all policies first.' });
    await f.call('DetachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    expect(await failure(f.call('DeleteRole', { RoleName: 'r' }))).toMatchObject({ code: 'DeleteConflict', message: 'Cannot delete entity, must delete policies first.' });
    await f.call('DeleteRolePolicy', { RoleName: 'r', PolicyName: 'p' });
    await f.call('DeleteRole', { RoleName: 'r' });
    expect((await failure(f.call('GetRole', { RoleName: 'r' }))).code).toBe('NoSuchEntity');
  });

  it('deletes a role that only has a boundary and tags', async () => {
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess', ...tagParams({ a: 'b' }) });
    await f.call('DeleteRole', { RoleName: 'r' });
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    expect(out(await f.call('GetRole', { RoleName: 'r' })).Role.Tags).toBeUndefined();
  });
});

describe('ListRoles', () => {
  it('pages with Marker/MaxItems and filters by PathPrefix, leaving out tags and boundary', async () => {
    for (const [name, path] of [['a', '/'], ['b', '/x/'], ['c', '/x/y/'], ['d', '/z/']]) {
      await f.call('CreateRole', { RoleName: name!, Path: path!, AssumeRolePolicyDocument: trust(), ...tagParams({ t: '1' }) });
    }
    const p1 = out(await f.call('ListRoles', { MaxItems: '3' }));
    expect(p1.Roles.map((r: { RoleName: string }) => r.RoleName)).toEqual(['a', 'b', 'c']);
    expect(p1.IsTruncated).toBe(true);
    expect(p1.Roles[0].Tags).toBeUndefined();
    expect(p1.Roles[0].RoleLastUsed).toBeUndefined();
    const p2 = out(await f.call('ListRoles', { MaxItems: '3', Marker: p1.Marker }));
    expect(p2.Roles.map((r: { RoleName: string }) => r.RoleName)).toEqual(['d']);
    expect(p2).toMatchObject({ IsTruncated: false });
    expect(p2.Marker).toBeUndefined();
    const x = out(await f.call('ListRoles', { PathPrefix: '/x/' }));
    expect(x.Roles.map((r: { RoleName: string }) => r.RoleName)).toEqual(['b', 'c']);
    expect((await failure(f.call('ListRoles', { Marker: 'garbage' }))).code).toBe('InvalidInput');
  });
});
