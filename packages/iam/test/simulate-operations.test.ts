import { renderResult, IAM_NAMESPACE, type XmlStructure } from '@latchkey/aws-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, attach, failure, fixture, managedPolicy, policy, role, setUserBoundary, type Fixture } from './helpers/fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  await f.close();
});

type Result = {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: string;
  MatchedStatements: { SourcePolicyId: string; SourcePolicyType: string; StartPosition?: { Line: number; Column: number } }[];
  MissingContextValues: string[];
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
  ResourceSpecificResults?: { EvalResourceDecision: string; MissingContextValues: string[] }[];
};
const results = (out: unknown): Result[] => (out as { EvaluationResults: Result[] }).EvaluationResults;

/** Query list members: `Name.member.1`, … */
function members(name: string, values: readonly string[]): Record<string, string> {
  return Object.fromEntries(values.map((v, i) => [`${name}.member.${i + 1}`, v]));
}

const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

describe('SimulatePrincipalPolicy', () => {
  it('allows through an inline user policy and names it as SourcePolicyId with type user', async () => {
    await f.user('alice', allow('s3:GetObject'));
    const out = await f.call('SimulatePrincipalPolicy', { PolicySourceArn: userArn('alice'), ...members('ActionNames', ['s3:GetObject', 's3:PutObject']) });
    const [get, put] = results(out);
    expect(get).toMatchObject({ EvalActionName: 's3:GetObject', EvalResourceName: '*', EvalDecision: 'allowed' });
    expect(get!.MatchedStatements).toEqual([expect.objectContaining({ SourcePolicyId: 'inline', SourcePolicyType: 'user', StartPosition: expect.any(Object) })]);
    expect(put).toMatchObject({ EvalDecision: 'implicitDeny', MatchedStatements: [] });
  });

  it('includes group policies (inline and managed) and reports an explicit deny', async () => {
    await f.user('bob', allow('s3:*'));
    await f.call('CreateGroup', { GroupName: 'ops' });
    await f.call('AddUserToGroup', { GroupName: 'ops', UserName: 'bob' });
    const deny = await managedPolicy(f.store, ACCOUNT, 'NoDelete', policy({ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }));
    await attach(f.store, ACCOUNT, 'group', 'ops', deny);
    const out = await f.call('SimulatePrincipalPolicy', { PolicySourceArn: userArn('bob'), ...members('ActionNames', ['s3:DeleteObject', 's3:ListBucket']) });
    const [del, listBucket] = results(out);
    expect(del!.EvalDecision).toBe('explicitDeny');
    expect(del!.MatchedStatements.map((m) => [m.SourcePolicyId, m.SourcePolicyType])).toContainEqual(['NoDelete', 'user-managed']);
    expect(listBucket!.EvalDecision).toBe('allowed');
  });

  it('applies the permissions boundary and reports AllowedByPermissionsBoundary', async () => {
    await f.user('carol', allow(['s3:*', 'sqs:*']));
    const boundary = await managedPolicy(f.store, ACCOUNT, 'OnlyS3', allow('s3:*'));
    await setUserBoundary(f.store, ACCOUNT, 'carol', boundary);
    const out = await f.call('SimulatePrincipalPolicy', { PolicySourceArn: userArn('carol'), ...members('ActionNames', ['s3:GetObject', 'sqs:SendMessage']) });
    const [s3, sqs] = results(out);
    expect(s3).toMatchObject({ EvalDecision: 'allowed', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true } });
    expect(sqs).toMatchObject({ EvalDecision: 'implicitDeny', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false } });
  });

  it('a boundary given in PermissionsBoundaryPolicyInputList replaces the stored one', async () => {
    await f.user('dave', allow(['s3:*', 'sqs:*']));
    await setUserBoundary(f.store, ACCOUNT, 'dave', await managedPolicy(f.store, ACCOUNT, 'OnlyS3b', allow('s3:*')));
    const out = await f.call('SimulatePrincipalPolicy', {
      PolicySourceArn: userArn('dave'),
      ...members('ActionNames', ['sqs:SendMessage']),
      ...members('PermissionsBoundaryPolicyInputList', [allow('sqs:*')]),
    });
    expect(results(out)[0]).toMatchObject({ EvalDecision: 'allowed', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true } });
  });

  it('reports missing context keys, and none once ContextEntries supplies them', async () => {
    await f.user('erin', allow('s3:GetObject', '*', { StringEquals: { 'aws:PrincipalTag/team': 'blue' } }));
    const base = { PolicySourceArn: userArn('erin'), ...members('ActionNames', ['s3:GetObject']) };
    const missing = results(await f.call('SimulatePrincipalPolicy', base))[0]!;
    expect(missing).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: ['aws:PrincipalTag/team'] });
    const given = results(
      await f.call('SimulatePrincipalPolicy', {
        ...base,
        'ContextEntries.member.1.ContextKeyName': 'aws:PrincipalTag/team',
        'ContextEntries.member.1.ContextKeyValues.member.1': 'blue',
        'ContextEntries.member.1.ContextKeyType': 'string',
      }),
    )[0]!;
    expect(given).toMatchObject({ EvalDecision: 'allowed', MissingContextValues: [] });
  });

  it('gives per-resource results for named resources', async () => {
    await f.user('fay', allow('s3:GetObject', 'arn:aws:s3:::public/*'));
    const out = await f.call('SimulatePrincipalPolicy', {
      PolicySourceArn: userArn('fay'),
      ...members('ActionNames', ['s3:GetObject']),
      ...members('ResourceArns', ['arn:aws:s3:::public/a', 'arn:aws:s3:::private/b']),
    });
    const [pub, priv] = results(out);
    expect(pub!.ResourceSpecificResults?.[0]?.EvalResourceDecision).toBe('allowed');
    expect(priv!.ResourceSpecificResults?.[0]?.EvalResourceDecision).toBe('implicitDeny');
  });

  it('pages with MaxItems and Marker', async () => {
    await f.user('gus', allow('s3:*'));
    const actions = members('ActionNames', ['s3:A1', 's3:A2', 's3:A3']);
    const first = (await f.call('SimulatePrincipalPolicy', { PolicySourceArn: userArn('gus'), ...actions, MaxItems: '2' })) as { IsTruncated: boolean; Marker?: string };
    expect(first.IsTruncated).toBe(true);
    expect(results(first).map((r) => r.EvalActionName)).toEqual(['s3:A1', 's3:A2']);
    const second = (await f.call('SimulatePrincipalPolicy', { PolicySourceArn: userArn('gus'), ...actions, MaxItems: '2', Marker: first.Marker! })) as { IsTruncated: boolean };
    expect(second.IsTruncated).toBe(false);
    expect(results(second).map((r) => r.EvalActionName)).toEqual(['s3:A3']);
    const bad = await failure(f.call('SimulatePrincipalPolicy', { PolicySourceArn: userArn('gus'), ...actions, Marker: 'nope' }));
    expect(bad.code).toBe('InvalidInput');
  });

  it('simulates a role with its inline policies', async () => {
    await role(f.store, ACCOUNT, 'worker', { work: allow('sqs:ReceiveMessage') });
    const out = await f.call('SimulatePrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/worker`, ...members('ActionNames', ['sqs:ReceiveMessage']) });
    expect(results(out)[0]).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'work', SourcePolicyType: 'role' }] });
  });

  it('answers NoSuchEntity for a missing user and InvalidInput for an ARN that is no user, group or role', async () => {
    const missing = await failure(f.call('SimulatePrincipalPolicy', { PolicySourceArn: userArn('nobody'), ...members('ActionNames', ['s3:GetObject']) }));
    expect(missing).toMatchObject({ code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.' });
    const wrong = await failure(f.call('SimulatePrincipalPolicy', { PolicySourceArn: 'arn:aws:s3:::some-bucket-name', ...members('ActionNames', ['s3:GetObject']) }));
    expect(wrong.code).toBe('InvalidInput');
  });

  it('is denied to a caller without iam:SimulatePrincipalPolicy, before revealing existence', async () => {
    const mallory = await f.user('mallory');
    const denied = await failure(f.call('SimulatePrincipalPolicy', { PolicySourceArn: userArn('nobody'), ...members('ActionNames', ['s3:GetObject']) }, mallory));
    expect(denied.code).toBe('AccessDenied');
    expect(denied.message).toContain('iam:SimulatePrincipalPolicy');
  });

  it('renders as AWS XML with the decision details map', async () => {
    await f.user('hal', allow('s3:GetObject'));
    const out = await f.call('SimulatePrincipalPolicy', { PolicySourceArn: userArn('hal'), ...members('ActionNames', ['s3:GetObject']), ...members('ResourceArns', ['arn:aws:s3:::b/k']) });
    const xml = renderResult('SimulatePrincipalPolicy', IAM_NAMESPACE, out as XmlStructure, 'req');
    expect(xml).toContain('<EvalDecision>allowed</EvalDecision>');
    expect(xml).toContain('<SourcePolicyId>inline</SourcePolicyId>');
    expect(xml).toContain('<IsTruncated>false</IsTruncated>');
  });
});

describe('SimulateCustomPolicy', () => {
  it('evaluates the given documents with AWS positions and rejects malformed ones', async () => {
    const doc = policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' });
    const out = await f.call('SimulateCustomPolicy', { ...members('PolicyInputList', [doc]), ...members('ActionNames', ['dynamodb:GetItem', 'dynamodb:DeleteItem']) });
    const [get, del] = results(out);
    expect(get).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy' }] });
    expect(del!.EvalDecision).toBe('explicitDeny');
    const bad = await failure(f.call('SimulateCustomPolicy', { ...members('PolicyInputList', ['{"Statement":']), ...members('ActionNames', ['s3:GetObject']) }));
    expect(bad.code).toBe('MalformedPolicyDocument');
  });

  it('requires ActionNames (ValidationError)', async () => {
    const missing = await failure(f.call('SimulateCustomPolicy', members('PolicyInputList', [allow('s3:*')])));
    expect(missing.code).toBe('ValidationError');
  });
});

describe('GetContextKeysForCustomPolicy', () => {
  it('lists each condition key once, first spelling kept', async () => {
    const doc = policy(
      { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'x', 's3:prefix': 'home/' } } },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' }, StringEquals: { 'AWS:principaltag/TEAM': 'y' } } },
    );
    const out = await f.call('GetContextKeysForCustomPolicy', members('PolicyInputList', [doc]));
    expect(out).toEqual({ ContextKeyNames: ['aws:PrincipalTag/team', 's3:prefix', 'aws:MultiFactorAuthPresent'] });
  });

  it('lists policy variables of 2012-10-17 documents (not of 2008-10-17 ones, nor ${*} escapes)', async () => {
    const modern = policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::*:user/${aws:username}-${*}', Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } });
    const legacy = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::${aws:userid}/*' }] });
    const out = await f.call('GetContextKeysForCustomPolicy', members('PolicyInputList', [modern, legacy]));
    expect(out).toEqual({ ContextKeyNames: ['aws:username', 'aws:CurrentTime'] });
  });
});

describe('GetContextKeysForPrincipalPolicy', () => {
  it("gathers the user's own, group and boundary policies plus PolicyInputList", async () => {
    await f.user('ivy', allow('s3:*', '*', { StringLike: { 's3:prefix': 'a*' } }));
    await f.call('CreateGroup', { GroupName: 'g' });
    await f.call('AddUserToGroup', { GroupName: 'g', UserName: 'ivy' });
    await attach(f.store, ACCOUNT, 'group', 'g', await managedPolicy(f.store, ACCOUNT, 'G', allow('ec2:*', '*', { StringEquals: { 'ec2:Region': 'x' } })));
    await setUserBoundary(f.store, ACCOUNT, 'ivy', await managedPolicy(f.store, ACCOUNT, 'B', allow('*', '*', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })));
    const out = await f.call('GetContextKeysForPrincipalPolicy', {
      PolicySourceArn: userArn('ivy'),
      ...members('PolicyInputList', [allow('sqs:*', '*', { Bool: { 'aws:SecureTransport': 'true' } })]),
    });
    expect((out as { ContextKeyNames: string[] }).ContextKeyNames.sort()).toEqual(['aws:SecureTransport', 'aws:SourceIp', 'ec2:Region', 's3:prefix']);
  });

  it('answers NoSuchEntity for a missing role', async () => {
    const err = await failure(f.call('GetContextKeysForPrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/ghost` }));
    expect(err.code).toBe('NoSuchEntity');
  });
});

