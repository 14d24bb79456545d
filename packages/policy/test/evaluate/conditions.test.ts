import { describe, expect, it } from 'vitest';
import type { ConditionValue } from '../../src/ast.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { RequestContext } from '../../src/request.js';
import { compiled, request } from './helpers.js';

type Cond = Record<string, Record<string, ConditionValue | ConditionValue[]>>;

/** Decision of one Allow statement with `condition` for a request with `context`. */
function allowWhen(condition: Cond, context: RequestContext, version: '2012-10-17' | '2008-10-17' = '2012-10-17'): boolean {
  const set = { identity: [compiled('identity', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }], 'p', version)] };
  return evaluate(request('svc:Act', '*', context), set).decision === 'allowed';
}

describe('String operators (C3)', () => {
  it.each<[string, ConditionValue | ConditionValue[], RequestContext, boolean]>([
    ['StringEquals', 'a', { k: 'a' }, true],
    ['StringEquals', 'a', { k: 'A' }, false],
    ['StringEquals', ['a', 'b'], { k: 'b' }, true],
    ['StringEquals', 'a*', { k: 'abc' }, false],
    ['StringEquals', 'a*', { k: 'a*' }, true],
    ['StringNotEquals', ['a', 'b'], { k: 'c' }, true],
    ['StringNotEquals', ['a', 'b'], { k: 'b' }, false],
    ['StringEqualsIgnoreCase', 'Alpha', { k: 'aLPHA' }, true],
    ['StringNotEqualsIgnoreCase', 'Alpha', { k: 'aLPHA' }, false],
    ['StringLike', 'a*c', { k: 'abbc' }, true],
    ['StringLike', 'a?c', { k: 'abbc' }, false],
    ['StringNotLike', ['x*', 'y*'], { k: 'zed' }, true],
    ['StringNotLike', ['x*', 'y*'], { k: 'yak' }, false],
    ['StringEquals', 5, { k: '5' }, true],
    ['StringEquals', true, { k: true }, true],
  ])('%s %j with %j: %s', (op, values, ctx, want) => {
    expect(allowWhen({ [op]: { k: values } }, ctx)).toBe(want);
  });
});

describe('missing keys (C2, C11)', () => {
  it.each<[string, boolean]>([
    ['StringEquals', false],
    ['StringNotEquals', true],
    ['StringLike', false],
    ['StringNotLike', true],
    ['NumericLessThan', false],
    ['NumericNotEquals', true],
    ['DateGreaterThan', false],
    ['DateNotEquals', true],
    ['Bool', false],
    ['IpAddress', false],
    ['NotIpAddress', true],
    ['ArnLike', false],
    ['ArnNotLike', true],
    ['BinaryEquals', false],
    ['StringEqualsIfExists', true],
    ['NumericLessThanIfExists', true],
    ['BoolIfExists', true],
  ])('%s on an absent key: %s', (op, want) => {
    const value = op.startsWith('Numeric') ? 1 : op.startsWith('Date') ? '2020-01-01T00:00:00Z' : op.startsWith('Bool') ? 'true' : op.includes('Ip') ? '10.0.0.0/8' : op.startsWith('Arn') ? 'arn:aws:s3:::b' : op.startsWith('Binary') ? 'QUJD' : 'x';
    expect(allowWhen({ [op]: { k: value } }, {})).toBe(want);
  });
  it('IfExists still evaluates a present key', () => {
    expect(allowWhen({ StringEqualsIfExists: { k: 'a' } }, { k: 'b' })).toBe(false);
    expect(allowWhen({ StringEqualsIfExists: { k: 'a' } }, { k: 'a' })).toBe(true);
  });
  it('Deny + StringNotEqualsIfExists still denies... only when the key is present and differs', () => {
    const set = {
      identity: [
        compiled('identity', [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEqualsIfExists: { k: 'ok' } } },
        ]),
      ],
    };
    expect(evaluate(request('svc:Act', '*', {}), set).decision).toBe('explicitDeny');
    expect(evaluate(request('svc:Act', '*', { k: 'bad' }), set).decision).toBe('explicitDeny');
    expect(evaluate(request('svc:Act', '*', { k: 'ok' }), set).decision).toBe('allowed');
  });
  it('reports the missing keys of applicable statements, as written, once', () => {
    const set = {
      identity: [
        compiled('identity', [
          { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/Team': 'x' } } },
          { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalTag/Team': 'y*' } } },
          { Effect: 'Allow', Action: 'other:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'v' } } },
        ]),
      ],
    };
    const d = evaluate(request('svc:Act', '*', {}), set);
    expect(d.decision).toBe('implicitDeny');
    expect(d.missingContextKeys).toEqual(['aws:PrincipalTag/Team']);
  });
});

describe('combination (C1)', () => {
  it('ANDs operators and keys, ORs values', () => {
    const cond: Cond = { StringEquals: { a: ['1', '2'], b: '3' }, Bool: { c: 'true' } };
    expect(allowWhen(cond, { a: '2', b: '3', c: true })).toBe(true);
    expect(allowWhen(cond, { a: '2', b: '4', c: true })).toBe(false);
    expect(allowWhen(cond, { a: '2', b: '3', c: false })).toBe(false);
    expect(allowWhen(cond, { a: '5', b: '3', c: true })).toBe(false);
  });
  it('matches condition key names case-insensitively, values case-sensitively', () => {
    expect(allowWhen({ StringEquals: { 'AWS:PrincipalTag/Team': 'x' } }, { 'aws:principaltag/team': 'x' })).toBe(true);
    expect(allowWhen({ StringEquals: { 'aws:PrincipalTag/Team': 'x' } }, { 'aws:principaltag/team': 'X' })).toBe(false);
  });
});

describe('Numeric operators (C4)', () => {
  it.each<[string, ConditionValue, ConditionValue, boolean]>([
    ['NumericEquals', 10, '10', true],
    ['NumericEquals', '10', 10.0, true],
    ['NumericEquals', '1.5', '1.50', true],
    ['NumericNotEquals', 10, 11, true],
    ['NumericLessThan', 10, 9, true],
    ['NumericLessThan', 10, 10, false],
    ['NumericLessThanEquals', 10, 10, true],
    ['NumericGreaterThan', '3600', 3601, true],
    ['NumericGreaterThanEquals', 3600, 3599, false],
    ['NumericLessThan', 10, 'abc', false],
    ['NumericNotEquals', 10, 'abc', true],
  ])('%s policy %j request %j: %s', (op, policyValue, requestValue, want) => {
    expect(allowWhen({ [op]: { k: policyValue } }, { k: requestValue })).toBe(want);
  });
});

describe('Date operators (C5)', () => {
  it.each<[string, ConditionValue, ConditionValue, boolean]>([
    ['DateLessThan', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', true],
    ['DateLessThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', false],
    ['DateLessThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
    ['DateGreaterThan', '2026-01-01', '2026-01-01T00:00:01Z', true],
    ['DateEquals', '2026-01-01T02:00:00+02:00', '2026-01-01T00:00:00Z', true],
    // epoch on either side
    ['DateEquals', 1767225600, '2026-01-01T00:00:00Z', true],
    ['DateEquals', '2026-01-01T00:00:00Z', 1767225600, true],
    ['DateEquals', '2026-01-01T00:00:00Z', '1767225600', true],
    ['DateGreaterThan', '1767225600', '2026-01-01T00:00:00.001Z', true],
    ['DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', true],
    ['DateLessThan', '2026-01-01T00:00:00Z', 'not a date', false],
  ])('%s policy %j request %j: %s', (op, policyValue, requestValue, want) => {
    expect(allowWhen({ [op]: { 'aws:CurrentTime': policyValue } }, { 'aws:CurrentTime': requestValue })).toBe(want);
  });
});

describe('Bool (C6), Binary (C7), Null (C10)', () => {
  it('compares Bool values as true/false text, JSON booleans included', () => {
    expect(allowWhen({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': true })).toBe(true);
    expect(allowWhen({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'true' })).toBe(true);
    expect(allowWhen({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'false' })).toBe(false);
  });
  it('compares BinaryEquals byte for byte after base64 decoding', () => {
    expect(allowWhen({ BinaryEquals: { k: 'QmluYXJ5VmFsdWU=' } }, { k: 'QmluYXJ5VmFsdWU=' })).toBe(true);
    expect(allowWhen({ BinaryEquals: { k: 'QmluYXJ5VmFsdWU=' } }, { k: 'QmluYXJ5VmFsdWF=' })).toBe(false);
  });
  it('tests presence with Null', () => {
    expect(allowWhen({ Null: { 'aws:TokenIssueTime': 'true' } }, {})).toBe(true);
    expect(allowWhen({ Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' })).toBe(false);
    expect(allowWhen({ Null: { 'aws:TokenIssueTime': false } }, { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' })).toBe(true);
    expect(allowWhen({ Null: { 'aws:TagKeys': 'true' } }, { 'aws:TagKeys': [] })).toBe(true);
  });
});

describe('IP address operators (C8)', () => {
  it.each<[string, string | string[], string, boolean]>([
    ['IpAddress', '203.0.113.0/24', '203.0.113.7', true],
    ['IpAddress', '203.0.113.0/24', '203.0.114.7', false],
    ['IpAddress', '203.0.113.7', '203.0.113.7', true],
    ['IpAddress', '203.0.113.7', '203.0.113.8', false],
    ['IpAddress', '0.0.0.0/0', '8.8.8.8', true],
    ['IpAddress', ['10.0.0.0/8', '192.168.0.0/16'], '192.168.4.4', true],
    ['NotIpAddress', ['10.0.0.0/8', '192.168.0.0/16'], '192.168.4.4', false],
    ['NotIpAddress', '10.0.0.0/8', '11.0.0.1', true],
    ['IpAddress', '2001:db8::/32', '2001:db8:1234::1', true],
    ['IpAddress', '2001:db8::/32', '2001:db9::1', false],
    ['IpAddress', '2001:db8::1', '2001:0db8:0:0:0:0:0:1', true],
    ['IpAddress', '2001:db8::/126', '2001:db8::3', true],
    ['IpAddress', '2001:db8::/126', '2001:db8::4', false],
    ['IpAddress', '10.0.0.0/8', '2001:db8::1', false],
    ['IpAddress', '10.0.0.0/8', 'not-an-ip', false],
  ])('%s %j with %s: %s', (op, values, ip, want) => {
    expect(allowWhen({ [op]: { 'aws:SourceIp': values } }, { 'aws:SourceIp': ip })).toBe(want);
  });
});

describe('ARN operators (C9)', () => {
  it('ArnLike compares per segment: wildcards do not cross the separating colons', () => {
    const policyValue = 'arn:aws:someservice:*:111122223333:finance/*';
    const tricky = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
    expect(allowWhen({ StringLike: { 'aws:SourceArn': policyValue } }, { 'aws:SourceArn': tricky })).toBe(true);
    expect(allowWhen({ ArnLike: { 'aws:SourceArn': policyValue } }, { 'aws:SourceArn': tricky })).toBe(false);
    expect(allowWhen({ ArnLike: { 'aws:SourceArn': policyValue } }, { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:111122223333:finance/x' })).toBe(true);
  });
  it('ArnEquals behaves like ArnLike; ArnNotEquals like ArnNotLike', () => {
    const ctx = { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin' };
    expect(allowWhen({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Adm*' } }, ctx)).toBe(true);
    expect(allowWhen({ ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Adm*' } }, ctx)).toBe(false);
    expect(allowWhen({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Other' } }, ctx)).toBe(true);
  });
  it('a request value that is not an ARN matches no ARN pattern', () => {
    expect(allowWhen({ ArnLike: { k: '*' } }, { k: 'plain' })).toBe(false);
    expect(allowWhen({ ArnNotLike: { k: 'arn:aws:s3:::b' } }, { k: 'plain' })).toBe(true);
  });
  it('substitutes variables in ARN values', () => {
    const cond = { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::${aws:username}-*' } };
    expect(allowWhen(cond, { 'aws:SourceArn': 'arn:aws:s3:::alice-logs', 'aws:username': 'alice' })).toBe(true);
    expect(allowWhen(cond, { 'aws:SourceArn': 'arn:aws:s3:::bob-logs', 'aws:username': 'alice' })).toBe(false);
  });
});

describe('set operators (C12)', () => {
  it('ForAllValues: every request value must match; true for an absent key or an empty set', () => {
    const cond = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } };
    expect(allowWhen(cond, { 'aws:TagKeys': ['env'] })).toBe(true);
    expect(allowWhen(cond, { 'aws:TagKeys': ['env', 'team'] })).toBe(true);
    expect(allowWhen(cond, { 'aws:TagKeys': ['env', 'owner'] })).toBe(false);
    expect(allowWhen(cond, { 'aws:TagKeys': [] })).toBe(true);
    expect(allowWhen(cond, {})).toBe(true);
  });
  it('ForAnyValue: at least one request value must match; false for an absent key or an empty set', () => {
    const cond = { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } };
    expect(allowWhen(cond, { 'aws:TagKeys': ['owner', 'env'] })).toBe(true);
    expect(allowWhen(cond, { 'aws:TagKeys': ['owner'] })).toBe(false);
    expect(allowWhen(cond, { 'aws:TagKeys': [] })).toBe(false);
    expect(allowWhen(cond, {})).toBe(false);
    expect(allowWhen(cond, { 'aws:TagKeys': 'env' })).toBe(true);
  });
  it('applies negated base operators per value', () => {
    const all = { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret', 'internal'] } };
    expect(allowWhen(all, { 'aws:TagKeys': ['env', 'team'] })).toBe(true);
    expect(allowWhen(all, { 'aws:TagKeys': ['env', 'secret'] })).toBe(false);
    const any = { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['secret'] } };
    expect(allowWhen(any, { 'aws:TagKeys': ['secret', 'env'] })).toBe(true);
    expect(allowWhen(any, { 'aws:TagKeys': ['secret'] })).toBe(false);
  });
  it('ForAnyValue with IfExists is true on an absent key', () => {
    expect(allowWhen({ 'ForAnyValue:StringLikeIfExists': { 'aws:CalledVia': 'athena.*' } }, {})).toBe(true);
  });
  it('a plain operator on a multivalued key reads one value as a scalar and does not match several', () => {
    expect(allowWhen({ StringEquals: { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env'] })).toBe(true);
    expect(allowWhen({ StringEquals: { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env', 'team'] })).toBe(false);
  });
});

describe('policy variables in conditions (P1-P6)', () => {
  it('substitutes variables in String operators', () => {
    const cond = { StringEquals: { 's3:prefix': 'home/${aws:username}' } };
    expect(allowWhen(cond, { 's3:prefix': 'home/alice', 'aws:username': 'alice' })).toBe(true);
    expect(allowWhen(cond, { 's3:prefix': 'home/bob', 'aws:username': 'alice' })).toBe(false);
  });
  it('uses defaults', () => {
    const cond = { StringEquals: { 'aws:ResourceTag/team': "${aws:PrincipalTag/team, 'none'}" } };
    expect(allowWhen(cond, { 'aws:ResourceTag/team': 'none' })).toBe(true);
    expect(allowWhen(cond, { 'aws:ResourceTag/team': 'none', 'aws:PrincipalTag/team': 'red' })).toBe(false);
  });
  it('a variable without value makes positive operators fail and negated ones match (P4)', () => {
    expect(allowWhen({ StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }, { 'aws:ResourceTag/team': 'x' })).toBe(false);
    expect(allowWhen({ StringLike: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}*' } }, { 'aws:ResourceTag/team': 'x' })).toBe(false);
    expect(allowWhen({ StringNotEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }, { 'aws:ResourceTag/team': 'x' })).toBe(true);
  });
  it('keeps substituted values literal in StringLike', () => {
    const cond = { StringLike: { k: '${aws:PrincipalTag/p}/*' } };
    expect(allowWhen(cond, { k: 'a*/x', 'aws:PrincipalTag/p': 'a*' })).toBe(true);
    expect(allowWhen(cond, { k: 'abc/x', 'aws:PrincipalTag/p': 'a*' })).toBe(false);
  });
  it('does not substitute in Numeric, Date or IP values: they stay literal and cannot be evaluated', () => {
    const set = { identity: [compiled('identity', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericEquals: { k: '${aws:username}' } } }])] };
    const d = evaluate(request('svc:Act', '*', { k: 1, 'aws:username': '1' }), set);
    expect(d.decision).toBe('implicitDeny');
    expect(d.errors).toHaveLength(1);
  });
  it('keeps variables literal in 2008-10-17 policies', () => {
    expect(allowWhen({ StringEquals: { k: '${aws:username}' } }, { k: 'alice', 'aws:username': 'alice' }, '2008-10-17')).toBe(false);
    expect(allowWhen({ StringEquals: { k: '${aws:username}' } }, { k: '${aws:username}', 'aws:username': 'alice' }, '2008-10-17')).toBe(true);
  });
  it('does not use multivalued keys as variables', () => {
    expect(allowWhen({ StringEquals: { k: '${aws:TagKeys}' } }, { k: 'a', 'aws:TagKeys': ['a', 'b'] })).toBe(false);
  });
});
