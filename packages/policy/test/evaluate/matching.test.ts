import { describe, expect, it } from 'vitest';
import { compileGlob, matchTokens } from '../../src/match/glob.js';
import { splitArn } from '../../src/match/arn.js';
import { parseTemplate, resolveTemplate } from '../../src/variables/template.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { ACCOUNT, OTHER, alice, anonymous, bob, compiled, request, root, session } from './helpers.js';
import type { PrincipalInfo } from '../../src/request.js';

const glob = (p: string, ignoreCase = false) => compileGlob(parseTemplate(p, { wildcards: true, variables: false }).tokens, ignoreCase);
const tokens = (p: string) => parseTemplate(p, { wildcards: true, variables: false }).tokens;

describe('compileGlob', () => {
  const cases: [string, string, boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['*', '', true],
    ['*', 'anything/at:all', true],
    ['ab*', 'abc', true],
    ['ab*', 'a', false],
    ['*bc', 'abc', true],
    ['*bc', 'abd', false],
    ['*b*', 'abc', true],
    ['*b*', 'acd', false],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXcYb', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['??', 'ab', true],
    ['a*?', 'a', false],
    ['a*?', 'ab', true],
    ['x.y', 'xzy', false],
    ['(a)', '(a)', true],
  ];
  it.each(cases)('%s ~ %s = %s', (pattern, text, want) => {
    expect(glob(pattern)(text)).toBe(want);
    expect(matchTokens(tokens(pattern), text, false)).toBe(want);
  });
  it('matches case-insensitively on lower-cased text when asked', () => {
    expect(glob('S3:Get*', true)('s3:getobject')).toBe(true);
    expect(glob('S3:Get*')('s3:getobject')).toBe(false);
  });
});

describe('parseTemplate', () => {
  const vars = { wildcards: true, variables: true };
  const lookup = (values: Record<string, string>) => ({ variable: (keyLower: string) => values[keyLower] });
  it('substitutes variables case-insensitively by key name', () => {
    const t = parseTemplate('home/${AWS:UserName}/*', vars);
    expect(t.hasVariables).toBe(true);
    const r = resolveTemplate(t, lookup({ 'aws:username': 'alice' }))!;
    expect(matchTokens(r, 'home/alice/x', false)).toBe(true);
    expect(matchTokens(r, 'home/bob/x', false)).toBe(false);
  });
  it('uses the default when the key has no value, and yields null without a default', () => {
    const withDefault = parseTemplate("${aws:PrincipalTag/team, 'none'}", vars);
    expect(matchTokens(resolveTemplate(withDefault, lookup({}))!, 'none', false)).toBe(true);
    expect(resolveTemplate(parseTemplate('${aws:PrincipalTag/team}', vars), lookup({}))).toBeUndefined();
  });
  it('reads ${*} ${?} ${$} as literal characters, never wildcards', () => {
    const t = parseTemplate('a${*}b${?}c${$}', vars);
    expect(matchTokens(t.tokens, 'a*b?c$', false)).toBe(true);
    expect(matchTokens(t.tokens, 'aXXb1c$', false)).toBe(false);
  });
  it('keeps substituted values literal: a * in a tag value is not a wildcard', () => {
    const t = parseTemplate('${aws:PrincipalTag/p}', vars);
    const r = resolveTemplate(t, lookup({ 'aws:principaltag/p': 'a*' }))!;
    expect(matchTokens(r, 'a*', false)).toBe(true);
    expect(matchTokens(r, 'abc', false)).toBe(false);
  });
  it('treats variables as literal text when variables are off (2008-10-17)', () => {
    const t = parseTemplate('${aws:username}', { wildcards: true, variables: false });
    expect(t.hasVariables).toBe(false);
    expect(matchTokens(t.tokens, '${aws:username}', false)).toBe(true);
  });
});

describe('splitArn', () => {
  it('splits the five fixed segments and keeps colons in the resource part', () => {
    expect(splitArn('arn:aws:sns:us-east-1:123:topic:sub')).toEqual(['arn', 'aws', 'sns', 'us-east-1', '123', 'topic:sub']);
    expect(splitArn('not-an-arn')).toBeUndefined();
  });
});

describe('evaluate: Action matching (M1, M2)', () => {
  const allow = (action: string | string[]) => ({ identity: [compiled('identity', [{ Effect: 'Allow', Action: action, Resource: '*' }])] });
  it.each([
    ['s3:GetObject', 's3:GetObject', 'allowed'],
    ['S3:GETOBJECT', 's3:getobject', 'allowed'],
    ['s3:Get*', 'S3:GetObjectAcl', 'allowed'],
    ['s3:Get?bject', 's3:GetObject', 'allowed'],
    ['s3:Get?bject', 's3:GetObbject', 'implicitDeny'],
    ['*', 'ec2:RunInstances', 'allowed'],
    ['s3:*', 's3x:GetObject', 'implicitDeny'],
    ['s*:Get*', 'sqs:GetQueueUrl', 'allowed'],
    ['s3:Get*', 's3:PutObject', 'implicitDeny'],
    ['iam:*User', 'iam:CreateUser', 'allowed'],
    ['iam:*User', 'iam:CreateUsers', 'implicitDeny'],
  ])('Action %s vs request %s: %s', (pattern, action, want) => {
    expect(evaluate(request(action, '*'), allow(pattern)).decision).toBe(want);
  });
  it('NotAction applies to every other action of every service', () => {
    const set = { identity: [compiled('identity', [{ Effect: 'Allow', NotAction: ['iam:*', 's3:Delete*'], Resource: '*' }])] };
    expect(evaluate(request('ec2:RunInstances', '*'), set).decision).toBe('allowed');
    expect(evaluate(request('s3:GetObject', '*'), set).decision).toBe('allowed');
    expect(evaluate(request('s3:DeleteObject', '*'), set).decision).toBe('implicitDeny');
    expect(evaluate(request('IAM:CreateUser', '*'), set).decision).toBe('implicitDeny');
  });
  it('Deny with NotAction is the allow-list idiom: everything else is denied', () => {
    const set = {
      identity: [
        compiled('identity', [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', NotAction: 's3:*', Resource: '*' },
        ]),
      ],
    };
    expect(evaluate(request('s3:GetObject', '*'), set).decision).toBe('allowed');
    expect(evaluate(request('ec2:RunInstances', '*'), set).decision).toBe('explicitDeny');
  });
});

describe('evaluate: Resource matching (M3, M4)', () => {
  const allowOn = (resource: string | string[], version: '2012-10-17' | '2008-10-17' = '2012-10-17') => ({
    identity: [compiled('identity', [{ Effect: 'Allow', Action: '*', Resource: resource }], 'p', version)],
  });
  it.each([
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b/c', 'allowed'],
    ['arn:aws:s3:::bucket/*/test/*', 'arn:aws:s3:::bucket/1/2/test/3/x', 'allowed'],
    ['arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/a', 'implicitDeny'],
    ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/a', 'implicitDeny'],
    ['arn:aws:ec2:*:111122223333:instance/*', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1', 'allowed'],
    ['arn:aws:ec2:*:111122223333:instance/*', 'arn:aws:ec2:us-east-1:444455556666:instance/i-1', 'implicitDeny'],
    // `*` in a fixed segment does not cross the colons
    ['arn:aws:ec2:*:instance/*', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1', 'implicitDeny'],
    ['arn:aws:sqs:us-east-?:*:q', 'arn:aws:sqs:us-east-2:111122223333:q', 'allowed'],
    ['arn:aws:sqs:us-east-?:*:q', 'arn:aws:sqs:us-east-12:111122223333:q', 'implicitDeny'],
    // the resource segment keeps its colons
    ['arn:aws:sns:*:*:topic:*', 'arn:aws:sns:us-east-1:111122223333:topic:sub:x', 'allowed'],
    // a trailing * in an earlier segment absorbs the rest of the ARN
    ['arn:aws:myapp:*', 'arn:aws:myapp:us-east-1:111122223333:thing/1', 'allowed'],
    ['arn:aws:myapp:*', 'arn:aws:other:us-east-1:111122223333:thing/1', 'implicitDeny'],
    ['*', 'arn:aws:anything:::x', 'allowed'],
    ['*', '*', 'allowed'],
    ['arn:aws:s3:::*', '*', 'implicitDeny'],
    // a request resource that is not an ARN is compared with the whole pattern
    ['orders/*', 'orders/42', 'allowed'],
    ['orders/*', 'invoices/42', 'implicitDeny'],
    ['app:orders/?', 'app:orders/7', 'allowed'],
  ])('Resource %s vs %s: %s', (pattern, arn, want) => {
    expect(evaluate(request('svc:Act', arn), allowOn(pattern)).decision).toBe(want);
  });
  it('substitutes ${aws:username} in Resource and matches nothing when it has no value (P1, P4)', () => {
    const set = allowOn('arn:aws:s3:::home/${aws:username}/*');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::home/alice/f', { 'aws:username': 'alice' }), set).decision).toBe('allowed');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::home/bob/f', { 'aws:username': 'alice' }), set).decision).toBe('implicitDeny');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/f'), set).decision).toBe('implicitDeny');
  });
  it('keeps variables literal in 2008-10-17 policies (P1)', () => {
    const set = allowOn('arn:aws:s3:::home/${aws:username}/*', '2008-10-17');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::home/alice/f', { 'aws:username': 'alice' }), set).decision).toBe('implicitDeny');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/f', { 'aws:username': 'alice' }), set).decision).toBe('allowed');
  });
  it('does not let a substituted value act as a wildcard (P6)', () => {
    const set = allowOn('arn:aws:s3:::b/${aws:PrincipalTag/prefix}');
    const ctx = { 'aws:PrincipalTag/prefix': '*' };
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::b/anything', ctx), set).decision).toBe('implicitDeny');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::b/*', ctx), set).decision).toBe('allowed');
  });
  it('NotResource matches everything except the listed resources', () => {
    const set = { identity: [compiled('identity', [{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' }])] };
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::public/x'), set).decision).toBe('allowed');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::secret/x'), set).decision).toBe('implicitDeny');
  });
  it('Deny with NotResource denies everything else', () => {
    const set = {
      identity: [
        compiled('identity', [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::mine/*' },
        ]),
      ],
    };
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::mine/x'), set).decision).toBe('allowed');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::yours/x'), set).decision).toBe('explicitDeny');
  });
  it('reads a NotResource entry with an unresolvable variable safely: Deny applies, Allow does not', () => {
    const deny = {
      identity: [
        compiled('identity', [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::home/${aws:username}/*' },
        ]),
      ],
    };
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::home/alice/x'), deny).decision).toBe('explicitDeny');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::home/alice/x', { 'aws:username': 'alice' }), deny).decision).toBe('allowed');
    const allow = { identity: [compiled('identity', [{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::home/${aws:username}/*' }])] };
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::other/x'), allow).decision).toBe('implicitDeny');
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::other/x', { 'aws:username': 'alice' }), allow).decision).toBe('allowed');
  });
});

describe('evaluate: Principal matching (M5, M6)', () => {
  const bucket = 'arn:aws:s3:::bucket/x';
  const resourceSet = (principal: unknown) => ({
    identity: [],
    resource: compiled('resource', [{ Effect: 'Allow', Principal: principal as never, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }]),
  });
  const cases: [string, unknown, PrincipalInfo, string][] = [
    ['* matches anyone, anonymous included', '*', anonymous, 'allowed'],
    ['{"AWS":"*"} matches anonymous too', { AWS: '*' }, anonymous, 'allowed'],
    ['the user ARN matches that user', { AWS: alice.arn }, alice, 'allowed'],
    ['user names are case-sensitive', { AWS: `arn:aws:iam::${ACCOUNT}:user/Alice` }, alice, 'implicitDeny'],
    ['the session ARN matches that session', { AWS: session.arn }, session, 'allowed'],
    ['the role ARN matches its sessions', { AWS: session.roleArn }, session, 'allowed'],
    ['no partial wildcards in principals', { AWS: `arn:aws:iam::${ACCOUNT}:user/*` }, alice, 'implicitDeny'],
    ['a user ARN does not match anonymous', { AWS: alice.arn }, anonymous, 'implicitDeny'],
    ['a service principal matches the service', { Service: 'sns.amazonaws.com' }, { kind: 'service', arn: 'sns.amazonaws.com', accountId: '' }, 'allowed'],
    ['a service principal does not match another', { Service: 'sns.amazonaws.com' }, { kind: 'service', arn: 'sqs.amazonaws.com', accountId: '' }, 'implicitDeny'],
    [
      'a Federated principal matches the provider',
      { Federated: 'cognito-identity.amazonaws.com' },
      { kind: 'web-identity', arn: '', accountId: '', federatedProvider: 'cognito-identity.amazonaws.com' },
      'allowed',
    ],
    ['CanonicalUser never matches an IAM caller', { CanonicalUser: 'abc' }, alice, 'implicitDeny'],
  ];
  it.each(cases)('%s', (_name, principal, who, want) => {
    expect(evaluate(request('s3:GetObject', bucket, {}, who, ACCOUNT), resourceSet(principal)).decision).toBe(want);
  });
  it('the account id and the account root ARN are the same principal: the account (delegation)', () => {
    for (const p of [{ AWS: OTHER }, { AWS: `arn:aws:iam::${OTHER}:root` }]) {
      const set = resourceSet(p);
      // cross-account: the resource policy allows the account, bob's identity policy must allow
      expect(evaluate(request('s3:GetObject', bucket, {}, bob, ACCOUNT), set).decision).toBe('implicitDeny');
      const withIdentity = { ...set, identity: [compiled('identity', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])] };
      expect(evaluate(request('s3:GetObject', bucket, {}, bob, ACCOUNT), withIdentity).decision).toBe('allowed');
      // the account named is not alice's: the resource policy does not apply to her
      expect(evaluate(request('s3:GetObject', bucket, {}, alice, ACCOUNT), set).decision).toBe('implicitDeny');
    }
  });
  it('NotPrincipal excludes a user only when both the user and its account are listed', () => {
    const deny = (listed: string[]) => ({
      identity: [compiled('identity', [{ Effect: 'Allow', Action: '*', Resource: '*' }])],
      resource: compiled('resource', [{ Effect: 'Deny', NotPrincipal: { AWS: listed }, Action: '*', Resource: '*' }]),
    });
    const r = request('s3:GetObject', bucket, {}, alice, ACCOUNT);
    expect(evaluate(r, deny([alice.arn, ACCOUNT])).decision).toBe('allowed');
    expect(evaluate(r, deny([alice.arn])).decision).toBe('explicitDeny');
    expect(evaluate(r, deny([`arn:aws:iam::${ACCOUNT}:root`])).decision).toBe('explicitDeny');
    expect(evaluate(request('s3:GetObject', bucket, {}, root, ACCOUNT), deny([ACCOUNT])).decision).toBe('allowed');
  });
  it('NotPrincipal excludes a role session only when the session, the role and the account are listed', () => {
    const set = (listed: string[]) => ({
      identity: [compiled('identity', [{ Effect: 'Allow', Action: '*', Resource: '*' }])],
      resource: compiled('resource', [{ Effect: 'Deny', NotPrincipal: { AWS: listed }, Action: '*', Resource: '*' }]),
    });
    const r = request('s3:GetObject', bucket, {}, session, ACCOUNT);
    expect(evaluate(r, set([session.arn, session.roleArn!, ACCOUNT])).decision).toBe('allowed');
    expect(evaluate(r, set([session.arn, ACCOUNT])).decision).toBe('explicitDeny');
    expect(evaluate(r, set([session.roleArn!, ACCOUNT])).decision).toBe('explicitDeny');
  });
  it('a Deny with NotPrincipal always denies a principal that has a permissions boundary (M6)', () => {
    const set = {
      identity: [compiled('identity', [{ Effect: 'Allow', Action: '*', Resource: '*' }])],
      boundary: compiled('boundary', [{ Effect: 'Allow', Action: '*', Resource: '*' }]),
      resource: compiled('resource', [{ Effect: 'Deny', NotPrincipal: { AWS: [alice.arn, ACCOUNT] }, Action: '*', Resource: '*' }]),
    };
    expect(evaluate(request('s3:GetObject', bucket, {}, alice, ACCOUNT), set).decision).toBe('explicitDeny');
  });
});
