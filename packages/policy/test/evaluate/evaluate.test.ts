import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { PolicySet } from '../../src/evaluate/policy-set.js';
import type { PrincipalInfo } from '../../src/request.js';
import { ACCOUNT, OTHER, alice, anonymous, bob, compiled, federatedUser, policy, request, root, session } from './helpers.js';
import { compilePolicy } from '../../src/compile/compile-policy.js';

const OBJECT = 'arn:aws:s3:::bucket/key';
const allowAll = (type: 'identity' | 'boundary' | 'session' | 'scp', id = `${type}-allow`) => compiled(type, [{ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' }], id);
const allowS3 = (type: 'identity' | 'boundary' | 'session' | 'scp') => compiled(type, [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
const allowEc2 = (type: 'identity' | 'boundary' | 'session' | 'scp') => compiled(type, [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]);
const denyS3 = (type: 'identity' | 'boundary' | 'session' | 'scp') => compiled(type, [{ Sid: 'NoS3', Effect: 'Deny', Action: 's3:*', Resource: '*' }], `${type}-deny`);
const bucketPolicy = (principal: string) =>
  compiled('resource', [{ Sid: 'Grant', Effect: 'Allow', Principal: { AWS: principal }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }], 'bucket-policy');
const get = (who: PrincipalInfo = alice, resourceAccount = ACCOUNT) => request('s3:GetObject', OBJECT, {}, who, resourceAccount);

describe('evaluate: default and explicit deny (E1, E2)', () => {
  it('denies implicitly when nothing allows, naming the identity policies', () => {
    const d = evaluate(get(), { identity: [] });
    expect(d).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['identity'], matchedStatements: [] });
  });
  it('allows with an identity Allow and reports the statement', () => {
    const d = evaluate(get(), { identity: [allowAll('identity', 'p1')] });
    expect(d.decision).toBe('allowed');
    expect(d.matchedStatements).toEqual([{ policyType: 'identity', policyId: 'p1', statementIndex: 0, sid: 'All', effect: 'Allow' }]);
  });
  it.each(['identity', 'boundary', 'session', 'scp', 'resource'] as const)('a matching Deny in a %s policy wins over every Allow', (type) => {
    const set: PolicySet = {
      identity: [allowAll('identity'), ...(type === 'identity' ? [denyS3('identity')] : [])],
      boundary: type === 'boundary' ? compiled('boundary', [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', Resource: '*' }]) : allowAll('boundary'),
      session: [type === 'session' ? compiled('session', [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', Resource: '*' }]) : allowAll('session')],
      scp: [[allowAll('scp'), ...(type === 'scp' ? [denyS3('scp')] : [])]],
      resource: compiled('resource', [
        { Effect: 'Allow', Principal: { AWS: alice.arn }, Action: '*', Resource: '*' },
        ...(type === 'resource' ? [{ Effect: 'Deny' as const, Principal: '*' as const, Action: 's3:*', Resource: '*' }] : []),
      ]),
    };
    const d = evaluate(get(alice), set);
    expect(d.decision).toBe('explicitDeny');
    expect(d.matchedStatements.every((m) => m.effect === 'Deny' && m.policyType === type)).toBe(true);
    expect(evaluate(request('ec2:RunInstances', '*', {}, alice), set).decision).toBe('allowed');
  });
  it('lists every matching Deny', () => {
    const d = evaluate(get(), { identity: [denyS3('identity'), compiled('identity', [{ Effect: 'Deny', Action: 's3:Get*', Resource: '*' }], 'd2')] });
    expect(d.matchedStatements.map((m) => m.policyId).sort()).toEqual(['d2', 'identity-deny']);
  });
  it('the account root is allowed on its own resources without identity policies, but not past a Deny', () => {
    expect(evaluate(get(root), { identity: [] }).decision).toBe('allowed');
    expect(evaluate(get(root), { identity: [], resource: compiled('resource', [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }]) }).decision).toBe('explicitDeny');
    expect(evaluate(get(root), { identity: [], scp: [[allowEc2('scp')]] }).decision).toBe('implicitDeny');
    expect(evaluate(get(root, OTHER), { identity: [] }).decision).toBe('implicitDeny');
  });
});

describe('evaluate: SCPs (E7)', () => {
  it('needs an Allow at every level', () => {
    const base = { identity: [allowAll('identity')] };
    expect(evaluate(get(), { ...base, scp: [[allowAll('scp')], [allowS3('scp')]] }).decision).toBe('allowed');
    const d = evaluate(get(), { ...base, scp: [[allowAll('scp')], [allowEc2('scp')]] });
    expect(d).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['scp'] });
    expect(evaluate(get(), { ...base, scp: [[allowAll('scp')], []] }).decision).toBe('implicitDeny');
  });
  it('grants nothing on its own', () => {
    expect(evaluate(get(), { identity: [], scp: [[allowAll('scp')]] })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['identity'] });
  });
  it('any policy of a level may allow', () => {
    expect(evaluate(get(), { identity: [allowAll('identity')], scp: [[allowEc2('scp'), allowS3('scp')]] }).decision).toBe('allowed');
  });
});

describe('evaluate: identity and resource policies (E3, E4)', () => {
  it('same account: identity ∪ resource, either suffices', () => {
    expect(evaluate(get(), { identity: [], resource: bucketPolicy(alice.arn) }).decision).toBe('allowed');
    expect(evaluate(get(), { identity: [allowS3('identity')], resource: bucketPolicy(bob.arn) }).decision).toBe('allowed');
    const d = evaluate(get(), { identity: [allowEc2('identity')], resource: bucketPolicy(bob.arn) });
    expect(d.decision).toBe('implicitDeny');
    expect([...d.notAllowedBy].sort()).toEqual(['identity', 'resource']);
  });
  it('same account: a resource policy naming the account still needs an identity Allow', () => {
    expect(evaluate(get(), { identity: [], resource: bucketPolicy(ACCOUNT) })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['identity'] });
    expect(evaluate(get(), { identity: [], resource: bucketPolicy(`arn:aws:iam::${ACCOUNT}:root`) }).decision).toBe('implicitDeny');
    expect(evaluate(get(), { identity: [allowS3('identity')], resource: bucketPolicy(ACCOUNT) }).decision).toBe('allowed');
  });
  it('cross account: both the identity policy and the resource policy must allow', () => {
    expect(evaluate(get(bob), { identity: [allowS3('identity')], resource: bucketPolicy(bob.arn) }).decision).toBe('allowed');
    expect(evaluate(get(bob), { identity: [], resource: bucketPolicy(bob.arn) })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['identity'] });
    expect(evaluate(get(bob), { identity: [allowS3('identity')] })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['resource'] });
    expect(evaluate(get(bob), { identity: [allowS3('identity')], resource: bucketPolicy(alice.arn) }).decision).toBe('implicitDeny');
    expect(evaluate(get(bob), { identity: [allowS3('identity')], resource: bucketPolicy(OTHER) }).decision).toBe('allowed');
  });
  it('takes the resource account from ResourceInfo, else the ARN, else the caller', () => {
    const set = { identity: [allowAll('identity')] };
    expect(evaluate(request('sqs:SendMessage', `arn:aws:sqs:us-east-1:${OTHER}:q`, {}, alice), set).decision).toBe('implicitDeny');
    expect(evaluate(request('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:q`, {}, alice), set).decision).toBe('allowed');
    expect(evaluate(request('s3:GetObject', OBJECT, {}, alice), set).decision).toBe('allowed');
    expect(evaluate(request('s3:GetObject', OBJECT, {}, alice, OTHER), set).decision).toBe('implicitDeny');
  });
});

describe('evaluate: permissions boundaries (E5)', () => {
  it('intersects identity allows with the boundary', () => {
    expect(evaluate(get(), { identity: [allowAll('identity')], boundary: allowS3('boundary') }).decision).toBe('allowed');
    expect(evaluate(get(), { identity: [allowAll('identity')], boundary: allowEc2('boundary') })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['boundary'] });
    expect(evaluate(get(), { identity: [], boundary: allowAll('boundary') })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['identity'] });
  });
  it('a same-account resource policy naming the user ARN is not limited by the boundary', () => {
    expect(evaluate(get(), { identity: [], boundary: allowEc2('boundary'), resource: bucketPolicy(alice.arn) }).decision).toBe('allowed');
  });
  it('a same-account resource policy naming the session ARN is not limited by the boundary', () => {
    expect(evaluate(get(session), { identity: [], boundary: allowEc2('boundary'), resource: bucketPolicy(session.arn) }).decision).toBe('allowed');
  });
  it('a resource policy naming the role ARN is limited by the boundary (but replaces the identity Allow)', () => {
    expect(evaluate(get(session), { identity: [], boundary: allowEc2('boundary'), resource: bucketPolicy(session.roleArn!) })).toMatchObject({
      decision: 'implicitDeny',
      notAllowedBy: ['boundary'],
    });
    expect(evaluate(get(session), { identity: [], boundary: allowS3('boundary'), resource: bucketPolicy(session.roleArn!) }).decision).toBe('allowed');
  });
  it('a resource policy naming the account is limited by the boundary and needs the identity policy', () => {
    expect(evaluate(get(), { identity: [allowAll('identity')], boundary: allowEc2('boundary'), resource: bucketPolicy(ACCOUNT) }).decision).toBe('implicitDeny');
  });
  it('a wildcard principal in a same-account resource policy is not limited by the boundary', () => {
    expect(evaluate(get(session), { identity: [], boundary: allowEc2('boundary'), resource: bucketPolicy('*') }).decision).toBe('allowed');
  });
  it('an explicit deny in the boundary always wins', () => {
    const boundary = compiled('boundary', [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', Resource: '*' }]);
    expect(evaluate(get(), { identity: [], boundary, resource: bucketPolicy(alice.arn) }).decision).toBe('explicitDeny');
  });
  it('cross account: the boundary limits the caller side', () => {
    expect(evaluate(get(bob), { identity: [allowAll('identity')], boundary: allowEc2('boundary'), resource: bucketPolicy(bob.arn) })).toMatchObject({
      decision: 'implicitDeny',
      notAllowedBy: ['boundary'],
    });
  });
});

describe('evaluate: session policies (E6)', () => {
  it('intersects the role identity policies with the session policies', () => {
    expect(evaluate(get(session), { identity: [allowAll('identity')], session: [allowS3('session')] }).decision).toBe('allowed');
    expect(evaluate(get(session), { identity: [allowAll('identity')], session: [allowEc2('session')] })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['session'] });
    expect(evaluate(get(session), { identity: [allowEc2('identity')], session: [allowAll('session')] })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['identity'] });
  });
  it('any of several session policies may allow', () => {
    expect(evaluate(get(session), { identity: [allowAll('identity')], session: [allowEc2('session'), allowS3('session')] }).decision).toBe('allowed');
  });
  it('no session policy: allowed at this step for role sessions, denied for federated users', () => {
    expect(evaluate(get(session), { identity: [allowAll('identity')] }).decision).toBe('allowed');
    expect(evaluate(get(federatedUser), { identity: [allowAll('identity')] })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['session'] });
    expect(evaluate(get(federatedUser), { identity: [allowAll('identity')], session: [allowAll('session')] }).decision).toBe('allowed');
  });
  it('a resource policy naming the session ARN bypasses the session policy; naming the role ARN does not', () => {
    expect(evaluate(get(session), { identity: [], session: [allowEc2('session')], resource: bucketPolicy(session.arn) }).decision).toBe('allowed');
    expect(evaluate(get(session), { identity: [], session: [allowEc2('session')], resource: bucketPolicy(session.roleArn!) })).toMatchObject({
      decision: 'implicitDeny',
      notAllowedBy: ['session'],
    });
  });
  it('a resource policy naming the federated-user session ARN bypasses the missing session policy', () => {
    expect(evaluate(get(federatedUser), { identity: [], resource: bucketPolicy(federatedUser.arn) }).decision).toBe('allowed');
  });
});

describe('evaluate: role trust policies (E9)', () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/Target`;
  const assume = (who: PrincipalInfo, ctx = {}) => request('sts:AssumeRole', role, ctx, who);
  const trust = (principal: string, condition?: Record<string, Record<string, string>>) =>
    compiled('trust', [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }], 'trust');
  const assumeAllowed = compiled('identity', [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role }]);
  it('same account: a trust policy naming the user is enough on its own', () => {
    expect(evaluate(assume(alice), { identity: [], resource: trust(alice.arn) }).decision).toBe('allowed');
  });
  it('same account: a trust policy naming the account also needs the identity policy', () => {
    expect(evaluate(assume(alice), { identity: [], resource: trust(ACCOUNT) })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['identity'] });
    expect(evaluate(assume(alice), { identity: [assumeAllowed], resource: trust(ACCOUNT) }).decision).toBe('allowed');
  });
  it('the trust policy must allow even when the identity policy does', () => {
    expect(evaluate(assume(alice), { identity: [assumeAllowed], resource: trust(bob.arn) })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['trust'] });
  });
  it('cross account: both the trust policy and the caller identity policy must allow', () => {
    expect(evaluate(assume(bob), { identity: [], resource: trust(bob.arn) })).toMatchObject({ decision: 'implicitDeny', notAllowedBy: ['identity'] });
    expect(evaluate(assume(bob), { identity: [assumeAllowed], resource: trust(bob.arn) }).decision).toBe('allowed');
    expect(evaluate(assume(bob), { identity: [assumeAllowed], resource: trust(OTHER) }).decision).toBe('allowed');
  });
  it('applies trust conditions such as sts:ExternalId and MFA', () => {
    const t = trust(bob.arn, { StringEquals: { 'sts:ExternalId': 'xyz' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    const set = { identity: [assumeAllowed], resource: t };
    expect(evaluate(assume(bob, { 'sts:ExternalId': 'xyz', 'aws:MultiFactorAuthPresent': 'true' }), set).decision).toBe('allowed');
    expect(evaluate(assume(bob, { 'sts:ExternalId': 'nope', 'aws:MultiFactorAuthPresent': 'true' }), set).decision).toBe('implicitDeny');
    const d = evaluate(assume(bob, { 'sts:ExternalId': 'xyz' }), set);
    expect(d.decision).toBe('implicitDeny');
    expect(d.missingContextKeys).toEqual(['aws:MultiFactorAuthPresent']);
  });
  it('web identity: a Federated trust principal allows without identity policies', () => {
    const t = compiled('trust', [
      {
        Effect: 'Allow',
        Principal: { Federated: 'accounts.google.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'accounts.google.com:aud': 'app' } },
      },
    ]);
    const who: PrincipalInfo = { kind: 'web-identity', arn: '', accountId: '', federatedProvider: 'accounts.google.com' };
    expect(evaluate(request('sts:AssumeRoleWithWebIdentity', role, { 'accounts.google.com:aud': 'app' }, who), { identity: [], resource: t }).decision).toBe('allowed');
    expect(evaluate(request('sts:AssumeRoleWithWebIdentity', role, { 'accounts.google.com:aud': 'other' }, who), { identity: [], resource: t })).toMatchObject({
      decision: 'implicitDeny',
      notAllowedBy: ['trust'],
    });
  });
});

describe('evaluate: KMS key policies (E12)', () => {
  const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`;
  const decrypt = (who: PrincipalInfo = alice) => request('kms:Decrypt', key, {}, who);
  const keyPolicy = (principal: string) => compiled('resource', [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:*', Resource: '*' }], 'key-policy');
  const iamAllows = compiled('identity', [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }]);
  it('IAM policies count only when the key policy delegates to the account', () => {
    expect(evaluate(decrypt(), { identity: [iamAllows], resource: keyPolicy(`arn:aws:iam::${ACCOUNT}:root`) }).decision).toBe('allowed');
    expect(evaluate(decrypt(), { identity: [iamAllows], resource: keyPolicy(`arn:aws:iam::${ACCOUNT}:user/keyadmin`) })).toMatchObject({
      decision: 'implicitDeny',
      notAllowedBy: ['resource'],
    });
  });
  it('a key policy naming the caller is enough on its own', () => {
    expect(evaluate(decrypt(), { identity: [], resource: keyPolicy(alice.arn) }).decision).toBe('allowed');
  });
});

describe('evaluate: anonymous requests (E11)', () => {
  it('only a resource policy with a * principal can allow', () => {
    expect(evaluate(get(anonymous), { identity: [allowAll('identity')], resource: bucketPolicy('*') }).decision).toBe('allowed');
    expect(evaluate(get(anonymous), { identity: [allowAll('identity')], resource: bucketPolicy(ACCOUNT) })).toMatchObject({
      decision: 'implicitDeny',
      notAllowedBy: ['resource'],
    });
    expect(evaluate(get(anonymous), { identity: [allowAll('identity')] }).decision).toBe('implicitDeny');
  });
  it('ignores identity-side policies (their Deny too)', () => {
    expect(evaluate(get(anonymous), { identity: [denyS3('identity')], resource: bucketPolicy('*') }).decision).toBe('allowed');
  });
});

describe('evaluate: statements that cannot be evaluated', () => {
  const brokenCondition = { NumericLessThan: { 'aws:MultiFactorAuthAge': 'soon' } };
  it('a broken Allow never allows and is reported', () => {
    const set = { identity: [compiled('identity', [{ Sid: 'Bad', Effect: 'Allow', Action: '*', Resource: '*', Condition: brokenCondition }])] };
    const d = evaluate(get(), set);
    expect(d.decision).toBe('implicitDeny');
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]).toMatchObject({ policyType: 'identity', statementIndex: 0, sid: 'Bad' });
  });
  it('a broken Deny denies what it matches (fail closed) and is reported', () => {
    const set = {
      identity: [
        compiled('identity', [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Sid: 'BadDeny', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: brokenCondition },
        ]),
      ],
    };
    const d = evaluate(get(), set);
    expect(d.decision).toBe('explicitDeny');
    expect(d.matchedStatements).toEqual([expect.objectContaining({ sid: 'BadDeny', effect: 'Deny' })]);
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]).toMatchObject({ sid: 'BadDeny' });
    expect(evaluate(request('ec2:RunInstances', '*'), set)).toMatchObject({ decision: 'allowed', errors: [] });
  });
  it('a broken statement whose other condition is false is not reported', () => {
    const set = {
      identity: [
        compiled('identity', [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { ...brokenCondition, StringEquals: { k: 'x' } } },
        ]),
      ],
    };
    expect(evaluate(get(), set)).toMatchObject({ decision: 'allowed', errors: [] });
  });
  it.each([
    ['an unknown operator', { StringEqualz: { k: 'x' } }],
    ['a bad CIDR', { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } }],
    ['a bad date', { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } }],
    ['bad base64', { BinaryEquals: { k: '***' } }],
    ['a bad Null value', { Null: { k: 'maybe' } }],
    ['IfExists on Null', { NullIfExists: { k: 'true' } }],
  ])('reports %s as an error', (_name, condition) => {
    const set = { identity: [compiled('identity', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition as never }])] };
    const d = evaluate(get(), set);
    expect(d.decision).toBe('implicitDeny');
    expect(d.errors).toHaveLength(1);
  });
  it('reports a statement without Action, and a resource-policy statement without Principal', () => {
    const noAction = compilePolicy({ version: '2012-10-17', versionExplicit: true, statements: [{ index: 0, effect: 'Allow', resource: ['*'], conditions: [] }] }, { type: 'identity', id: 'x' });
    expect(evaluate(get(), { identity: [noAction] }).errors).toHaveLength(1);
    const noPrincipal = compilePolicy(policy([{ Effect: 'Allow', Action: '*', Resource: '*' }]), { type: 'resource', id: 'r' });
    const d = evaluate(get(), { identity: [], resource: noPrincipal });
    expect(d.decision).toBe('implicitDeny');
    expect(d.errors).toHaveLength(1);
  });
});

describe('evaluate: service index', () => {
  it('never visits statements for other services (a broken ec2 statement is not reported for s3)', () => {
    const set = {
      identity: [
        compiled('identity', [
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Effect: 'Deny', Action: 'ec2:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': 'bad' } } },
        ]),
      ],
    };
    expect(evaluate(get(), set)).toMatchObject({ decision: 'allowed', errors: [] });
    expect(evaluate(request('ec2:RunInstances', '*'), set).errors).toHaveLength(1);
  });
  it('indexes by lower-cased service prefix and keeps NotAction and wildcard prefixes in the always bucket', () => {
    const p = compiled('identity', [
      { Effect: 'Allow', Action: ['S3:Get*', 'ec2:Describe*'], Resource: '*' },
      { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
      { Effect: 'Allow', Action: 's*:List*', Resource: '*' },
    ]);
    expect([...p.index.byService.keys()].sort()).toEqual(['ec2', 's3']);
    expect(p.index.always.map((e) => e.statement.index)).toEqual([1, 2]);
  });
  it('gives the same decisions with many policies for other services', () => {
    const others = Array.from({ length: 50 }, (_, i) => compiled('identity', [{ Effect: 'Deny', Action: `svc${i}:*`, Resource: '*' }], `o${i}`));
    expect(evaluate(get(), { identity: [...others, allowS3('identity')] }).decision).toBe('allowed');
  });
});

describe('evaluate: compile once', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });
  it('builds no RegExp while evaluating (all matchers are built by compilePolicy)', () => {
    const set = {
      identity: [
        compiled('identity', [
          { Effect: 'Allow', Action: ['s3:Get?bject', 's*:List*'], Resource: ['arn:aws:s3:::b?cket/*/x*y*z', 'arn:aws:s3:::${aws:username}/*'] },
          { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringLike: { k: ['a?b*c', '${aws:username}*'] }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } },
        ]),
      ],
    };
    const constructed: string[] = [];
    const Original = RegExp;
    vi.stubGlobal(
      'RegExp',
      new Proxy(Original, {
        construct(target, args: [string, string?]) {
          constructed.push(String(args[0]));
          return new target(...args);
        },
      }),
    );
    const ctx = { k: 'aXbYc', 'aws:username': 'alice', 'aws:SourceIp': '10.1.1.1', 'aws:CurrentTime': '2026-01-01T00:00:00Z' };
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::bucket/1/xAyBz', ctx), set).decision).toBe('allowed');
    expect(evaluate(request('s3:ListBucket', 'arn:aws:s3:::alice/k', ctx), set).decision).toBe('allowed');
    expect(evaluate(request('sqs:ListQueues', '*', ctx), set).decision).toBe('implicitDeny');
    expect(constructed).toEqual([]);
  });
});
