import { describe, expect, it } from 'vitest';
import { buildRequestContext, effectivePrincipalTags, iamActionInfo, isoSeconds, requestedRegion, rootCaller, userCaller, type Caller, type RequestEnv } from '../src/index.js';

const env: RequestEnv = { requestId: 'r', now: new Date('2026-11-27T19:13:12.345Z'), sourceIp: '192.0.2.1', userAgent: 'aws-cli/2', secureTransport: true, region: 'eu-west-1' };
const bob = userCaller({ accountId: '111122223333', id: 'AIDAEXAMPLE', name: 'bob', arn: 'arn:aws:iam::111122223333:user/eng/bob' }, 'AKIAEXAMPLE');
const session: Caller = {
  kind: 'assumed-role',
  accountId: '111122223333',
  arn: 'arn:aws:sts::111122223333:assumed-role/Admin/s',
  userId: 'AROAEXAMPLE:s',
  identity: { kind: 'role', id: 'AROAEXAMPLE', name: 'Admin', arn: 'arn:aws:iam::111122223333:role/ops/Admin' },
  session: { issuedAt: new Date('2026-11-27T19:00:00Z'), expiresAt: new Date('2026-11-27T20:00:00Z'), mfaAuthenticatedAt: new Date('2026-11-27T19:10:00Z'), sourceIdentity: 'alice', tags: [{ key: 'Team', value: 'blue' }] },
};

describe('buildRequestContext', () => {
  it('sets the global keys for an IAM user with long-term keys', () => {
    expect(buildRequestContext(bob, env, [{ key: 'dept', value: 'eng' }], 'iam:ListUsers')).toEqual({
      'aws:CurrentTime': '2026-11-27T19:13:12Z',
      'aws:EpochTime': 1795806792,
      'aws:SecureTransport': true,
      'aws:RequestedRegion': 'us-east-1',
      'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/eng/bob',
      'aws:PrincipalAccount': '111122223333',
      'aws:PrincipalType': 'User',
      'aws:userid': 'AIDAEXAMPLE',
      'aws:username': 'bob',
      'aws:ViaAWSService': false,
      'aws:PrincipalIsAWSService': false,
      'aws:SourceIp': '192.0.2.1',
      'aws:UserAgent': 'aws-cli/2',
      'aws:PrincipalTag/dept': 'eng',
    });
  });

  it('sets session keys only for temporary credentials and uses the role ARN as aws:PrincipalArn', () => {
    const ctx = buildRequestContext(session, env, [{ key: 'team', value: 'red' }, { key: 'cost', value: 'c1' }], 'iam:ListUsers');
    expect(ctx['aws:PrincipalArn']).toBe('arn:aws:iam::111122223333:role/ops/Admin');
    expect(ctx['aws:PrincipalType']).toBe('AssumedRole');
    expect(ctx['aws:userid']).toBe('AROAEXAMPLE:s');
    expect(ctx['aws:username']).toBeUndefined();
    expect(ctx['aws:TokenIssueTime']).toBe('2026-11-27T19:00:00Z');
    expect(ctx['aws:MultiFactorAuthPresent']).toBe(true);
    expect(ctx['aws:MultiFactorAuthAge']).toBe(192);
    expect(ctx['aws:SourceIdentity']).toBe('alice');
    // The session tag Team overrides the role tag team (keys are case-insensitive).
    expect(ctx['aws:PrincipalTag/Team']).toBe('blue');
    expect(ctx['aws:PrincipalTag/team']).toBeUndefined();
    expect(ctx['aws:PrincipalTag/cost']).toBe('c1');
    const long = buildRequestContext(bob, env, [], 'iam:ListUsers');
    for (const key of ['aws:TokenIssueTime', 'aws:MultiFactorAuthPresent', 'aws:MultiFactorAuthAge']) expect(long[key]).toBeUndefined();
    const noMfa = buildRequestContext({ ...session, session: { issuedAt: new Date(0), expiresAt: new Date(0) } }, env, [], 'iam:ListUsers');
    expect(noMfa['aws:MultiFactorAuthPresent']).toBe(false);
    expect(noMfa['aws:MultiFactorAuthAge']).toBeUndefined();
  });

  it('describes the root as an Account principal and omits an unknown source address', () => {
    const { sourceIp: _ip, ...withoutIp } = env;
    const ctx = buildRequestContext(rootCaller('111122223333'), withoutIp, [], 'iam:ListUsers');
    expect(ctx).toMatchObject({ 'aws:PrincipalType': 'Account', 'aws:userid': '111122223333', 'aws:PrincipalArn': 'arn:aws:iam::111122223333:root' });
    expect(ctx['aws:SourceIp']).toBeUndefined();
    expect(ctx['aws:username']).toBeUndefined();
  });

  it('keeps request, resource and service keys only where AWS supports them for the action', () => {
    const extras = { requestTags: [{ key: 'team', value: 'core' }], resourceTags: [{ key: 'env', value: 'prod' }], keys: { 'iam:PermissionsBoundary': 'arn:b', 'iam:PolicyARN': 'arn:p' } };
    const create = buildRequestContext(bob, env, [], 'iam:CreateUser', extras);
    expect(create['aws:RequestTag/team']).toBe('core');
    expect(create['aws:TagKeys']).toEqual(['team']);
    expect(create['iam:PermissionsBoundary']).toBe('arn:b');
    expect(create['iam:PolicyARN']).toBeUndefined();
    const get = buildRequestContext(bob, env, [], 'iam:GetUser', extras);
    expect(get['aws:RequestTag/team']).toBeUndefined();
    expect(get['aws:TagKeys']).toBeUndefined();
    expect(get['aws:ResourceTag/env']).toBe('prod');
    expect(get['iam:ResourceTag/env']).toBe('prod');
    expect(get['iam:PermissionsBoundary']).toBeUndefined();
    const group = buildRequestContext(bob, env, [], 'iam:CreateGroup', extras);
    expect(group['aws:ResourceTag/env']).toBeUndefined();
    // Other services' actions are not in IAM's catalog: the caller's extras pass as given.
    expect(buildRequestContext(bob, env, [], 'sts:AssumeRole', extras)['iam:PolicyARN']).toBe('arn:p');
  });
});

describe('requestedRegion', () => {
  it('is us-east-1 for IAM (a global service) and the scope region for others', () => {
    expect(buildRequestContext(bob, env, [], 'iam:ListUsers')['aws:RequestedRegion']).toBe('us-east-1');
    expect(buildRequestContext(bob, env, [], 'sts:AssumeRole')['aws:RequestedRegion']).toBe('eu-west-1');
    expect(requestedRegion('IAM:GetUser', 'ap-south-1')).toBe('us-east-1');
  });
});

describe('iamActionInfo', () => {
  it('reads the service authorization reference, case-insensitively on the prefix', () => {
    expect(iamActionInfo('iam:CreateUser')).toMatchObject({ resource: 'user' });
    expect(iamActionInfo('IAM:ListUsers')).toMatchObject({ resource: undefined, keys: [] });
    expect(iamActionInfo('iam:NoSuchThing')).toBeUndefined();
    expect(iamActionInfo('iam:constructor')).toBeUndefined();
    expect(iamActionInfo('s3:GetObject')).toBeUndefined();
  });
});

describe('effectivePrincipalTags', () => {
  it('lets session tags replace same-key tags whatever their case', () => {
    expect(effectivePrincipalTags([{ key: 'A', value: '1' }, { key: 'b', value: '2' }], [{ key: 'a', value: '3' }])).toEqual([{ key: 'b', value: '2' }, { key: 'a', value: '3' }]);
    expect(effectivePrincipalTags([{ key: 'A', value: '1' }], undefined)).toEqual([{ key: 'A', value: '1' }]);
  });
});

describe('isoSeconds', () => {
  it('formats to the second, the same within a second and anew for any other second, earlier ones too', () => {
    const at = (iso: string) => isoSeconds(new Date(iso));
    expect(at('2026-11-27T19:13:12.001Z')).toBe('2026-11-27T19:13:12Z');
    expect(at('2026-11-27T19:13:12.999Z')).toBe('2026-11-27T19:13:12Z');
    expect(at('2026-11-27T19:13:13.000Z')).toBe('2026-11-27T19:13:13Z');
    expect(at('2026-11-27T19:13:12.500Z')).toBe('2026-11-27T19:13:12Z');
    expect(at('1969-12-31T23:59:59.500Z')).toBe('1969-12-31T23:59:59Z');
    expect(at('1970-01-01T00:00:00.000Z')).toBe('1970-01-01T00:00:00Z');
  });

  it('throws for an invalid date, and formats the next valid one', () => {
    expect(() => isoSeconds(new Date(Number.NaN))).toThrow(RangeError);
    expect(isoSeconds(new Date('2030-01-02T03:04:05Z'))).toBe('2030-01-02T03:04:05Z');
  });
});
