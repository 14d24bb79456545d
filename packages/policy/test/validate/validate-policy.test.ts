import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awsPolicyError, DIAGNOSTIC_CODES, ERROR_CODES, POLICY_TYPES, validatePolicy, WARNING_CODES } from '../../src/index.js';
import type { ServiceCatalog } from '../../src/index.js';
import { iamDataCatalog } from './iam-data-catalog.js';

const doc = (statement: unknown): string => JSON.stringify({ Version: '2012-10-17', Statement: statement }, null, 2);

describe('validatePolicy', () => {
  it('gives each diagnostic the line and column of the offending element', () => {
    const text = [
      '{',
      '  "Version": "2012-10-17",',
      '  "Statement": [',
      '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},',
      '    {',
      '      "Effect": "Allow",',
      '      "Action": ["s3:GetObject", "GetObject"],',
      '      "Resource": "*",',
      '      "Condition": {"StringLik": {"s3:prefix": "a"}}',
      '    }',
      '  ]',
      '}',
    ].join('\n');
    const r = validatePolicy(text, { type: 'identity' });
    expect(r.diagnostics.map((d) => [d.code, d.pointer, d.line, d.column])).toEqual([
      ['ActionMissingVendor', '/Statement/1/Action/1', 7, 34],
      ['UnknownConditionOperator', '/Statement/1/Condition/StringLik', 9, 21],
    ]);
  });

  it('points a missing element at its statement, and a syntax error at its place', () => {
    const r = validatePolicy('{"Version": "2012-10-17",\n "Statement": {"Effect": "Allow",\n   "Resource": "*"}}', { type: 'identity' });
    expect(r.diagnostics).toEqual([{ severity: 'error', code: 'MissingAction', message: 'Policy statement must contain actions.', pointer: '/Statement', line: 2, column: 2 }]);
    const bad = validatePolicy('{"Version": "2012-10-17",\n  "Statement": {"Effect": "Allow" "Action": "s3:*"}}', { type: 'identity' });
    expect(bad.diagnostics).toEqual([{ severity: 'error', code: 'InvalidJson', message: 'Syntax errors in policy.', pointer: '', line: 2, column: 35 }]);
  });

  it('sorts diagnostics by position in the text', () => {
    const r = validatePolicy(doc([{ Effect: 'Allow', NotAction: 'iam:*', Resource: 'bad' }, { Sid: 'a-b', Effect: 'Deny', Action: 'x', Resource: '*' }]), { type: 'identity' });
    const lines = r.diagnostics.map((d) => d.line!);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['AllowWithNotAction', 'ResourceNotArn', 'SidNotAlphanumeric', 'ActionMissingVendor']);
  });

  it('returns the normalised policy when valid', () => {
    const r = validatePolicy(
      doc([
        { Sid: 'One', Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::b/*'], Condition: { StringEquals: { 'aws:PrincipalTag/team': ['a', 'b'] }, Bool: { 'aws:SecureTransport': true } } },
        { Effect: 'Deny', NotAction: ['iam:*'], NotResource: 'arn:aws:iam::*:user/me' },
      ]),
      { type: 'identity' },
    );
    expect(r.valid).toBe(true);
    expect(r.policy).toEqual({
      version: '2012-10-17',
      versionExplicit: true,
      statements: [
        {
          index: 0,
          sid: 'One',
          effect: 'Allow',
          action: ['s3:GetObject'],
          resource: ['arn:aws:s3:::b/*'],
          conditions: [
            { operator: 'StringEquals', key: 'aws:PrincipalTag/team', values: ['a', 'b'], pointer: '/Statement/0/Condition/StringEquals/aws:PrincipalTag~1team' },
            { operator: 'Bool', key: 'aws:SecureTransport', values: [true], pointer: '/Statement/0/Condition/Bool/aws:SecureTransport' },
          ],
        },
        { index: 1, effect: 'Deny', notAction: ['iam:*'], notResource: ['arn:aws:iam::*:user/me'], conditions: [] },
      ],
    });
  });

  it('returns principals in their normalised form', () => {
    const r = validatePolicy(
      JSON.stringify({ Id: 'q', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333', Service: ['sqs.amazonaws.com'] }, Action: 'sqs:SendMessage', Resource: '*' }, { Effect: 'Deny', NotPrincipal: '*', Action: 'sqs:*', Resource: '*' }] }),
      { type: 'resource' },
    );
    expect(r.valid).toBe(true);
    expect(r.policy?.version).toBe('2008-10-17');
    expect(r.policy?.versionExplicit).toBe(false);
    expect(r.policy?.id).toBe('q');
    expect(r.policy?.statements[0]?.principal).toEqual({ wildcard: false, AWS: ['111122223333'], Service: ['sqs.amazonaws.com'], Federated: [], CanonicalUser: [] });
    expect(r.policy?.statements[1]?.notPrincipal).toEqual({ wildcard: true, AWS: [], Service: [], Federated: [], CanonicalUser: [] });
  });

  it('has no policy when there is an error, even when warnings are all the rest', () => {
    const r = validatePolicy(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'maybe' } } }), { type: 'identity' });
    expect(r.valid).toBe(false);
    expect(r.policy).toBeUndefined();
  });

  it('accepts an already-parsed document (no positions, no duplicate-key detection)', () => {
    const r = validatePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'nope', Resource: '*' } }, { type: 'identity' });
    expect(r.diagnostics).toEqual([{ severity: 'error', code: 'ActionMissingVendor', message: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.', pointer: '/Statement/Action' }]);
  });

  it('reports values that are not JSON instead of throwing', () => {
    const cyclic: Record<string, unknown> = { Version: '2012-10-17' };
    cyclic['Statement'] = cyclic;
    const throwing = { get Version(): string { throw new Error('boom'); }, Statement: [] };
    for (const input of [undefined, () => 1, Symbol('s'), 10n, cyclic, throwing, new Proxy({}, { ownKeys: () => { throw new Error('trap'); } })]) {
      const r = validatePolicy(input, { type: 'identity' });
      expect(r.valid).toBe(false);
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
  });

  it('reports an input that changes while it is read as an InternalError', () => {
    let reads = 0;
    const sly = { Version: '2012-10-17', get Statement(): unknown { reads++; if (reads > 1) throw new Error('gone'); return { Effect: 'Allow', Action: '*', Resource: '*' }; } };
    const r = validatePolicy(sly, { type: 'identity' });
    expect(r.valid).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['InternalError']);
  });

  it('never throws on arbitrary JSON values, for any policy type', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...POLICY_TYPES), (v, type) => {
        const r = validatePolicy(v, { type });
        expect(r.valid).toBe(r.diagnostics.every((d) => d.severity !== 'error'));
        expect(r.policy !== undefined).toBe(r.valid);
        for (const d of r.diagnostics) expect(DIAGNOSTIC_CODES).toContain(d.code);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...POLICY_TYPES), (s, type) => {
        const r = validatePolicy(s, { type });
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  const policyShaped = fc.record(
    {
      Version: fc.oneof(fc.constantFrom('2012-10-17', '2008-10-17'), fc.jsonValue()),
      Id: fc.jsonValue(),
      Statement: fc.oneof(
        fc.array(
          fc.record(
            {
              Sid: fc.oneof(fc.string(), fc.jsonValue()),
              Effect: fc.oneof(fc.constantFrom('Allow', 'Deny', 'allow'), fc.jsonValue()),
              Principal: fc.oneof(fc.constant('*'), fc.record({ AWS: fc.oneof(fc.string(), fc.array(fc.string())) }, { requiredKeys: [] }), fc.jsonValue()),
              Action: fc.oneof(fc.string(), fc.array(fc.oneof(fc.string(), fc.jsonValue()))),
              Resource: fc.oneof(fc.string(), fc.array(fc.string()), fc.jsonValue()),
              NotResource: fc.oneof(fc.string(), fc.jsonValue()),
              Condition: fc.oneof(fc.dictionary(fc.constantFrom('StringEquals', 'ForAnyValue:DateLessThanIfExists', 'IpAddress', 'Null', 'x'), fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.string()))), fc.jsonValue()),
            },
            { requiredKeys: [] },
          ),
        ),
        fc.jsonValue(),
      ),
    },
    { requiredKeys: [] },
  );

  it('never throws on policy-shaped documents, as text or as values', () => {
    fc.assert(
      fc.property(policyShaped, fc.constantFrom(...POLICY_TYPES), (v, type) => {
        const asValue = validatePolicy(v, { type });
        const asText = validatePolicy(JSON.stringify(v), { type });
        expect(asValue.diagnostics.some((d) => d.code === 'InternalError')).toBe(false);
        expect(asText.valid).toBe(asValue.valid);
      }),
      { numRuns: 400 },
    );
  });

  it('handles very large and very deep inputs', () => {
    const deep = `{"Version": "2012-10-17", "Statement": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(validatePolicy(deep, { type: 'identity' }).diagnostics.map((d) => d.code)).toEqual(['InvalidJson']);
    const big = doc(Array.from({ length: 5000 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::b${i}/*` })));
    const r = validatePolicy(big, { type: 'resource' });
    expect(r.diagnostics.filter((d) => d.code === 'MissingPrincipal')).toHaveLength(5000);
  });
});

describe('validatePolicy with principalExists', () => {
  const trust = (aws: unknown): string => doc({ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' });
  const known = new Set(['arn:aws:iam::111122223333:role/Deployer', 'arn:aws:iam::111122223333:root']);

  it('refuses principals that do not exist, with AWS message', () => {
    const asked: string[] = [];
    const r = validatePolicy(trust(['arn:aws:iam::111122223333:role/Deployer', 'arn:aws:iam::111122223333:user/ghost', '111122223333']), {
      type: 'trust',
      principalExists: (arn) => {
        asked.push(arn);
        return known.has(arn);
      },
    });
    expect(asked).toEqual(['arn:aws:iam::111122223333:role/Deployer', 'arn:aws:iam::111122223333:user/ghost']);
    expect(r.diagnostics.map((d) => [d.code, d.pointer, d.message])).toEqual([
      ['InvalidPrincipal', '/Statement/Principal/AWS/1', 'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:user/ghost"'],
    ]);
  });

  it('accepts the document when every principal exists', () => {
    expect(validatePolicy(trust('arn:aws:iam::111122223333:role/Deployer'), { type: 'trust', principalExists: (arn) => known.has(arn) }).valid).toBe(true);
  });
});

describe('DIAGNOSTIC_CODES', () => {
  it('is the closed union of distinct error and warning codes', () => {
    expect(new Set(DIAGNOSTIC_CODES).size).toBe(DIAGNOSTIC_CODES.length);
    expect(DIAGNOSTIC_CODES).toEqual([...ERROR_CODES, ...WARNING_CODES]);
  });
});

describe('awsPolicyError', () => {
  it('is undefined for a valid document, even with warnings', () => {
    expect(awsPolicyError(validatePolicy(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }), { type: 'identity' }).diagnostics)).toBeUndefined();
  });

  it('picks the error AWS reports first (syntax before version before legacy parsing ...)', () => {
    const pick = (d: unknown, type: 'identity' | 'trust' = 'identity') => awsPolicyError(validatePolicy(JSON.stringify(d), { type }).diagnostics);
    // Version error before an Effect-case (legacy) error, as moto's AWS-checked corpus shows.
    expect(pick({ Statement: { Effect: 'denY', Action: 's3:ListBucket', Resource: '*' } })).toEqual({ code: 'MalformedPolicyDocument', message: 'Policy document must be version 2012-10-17 or greater.' });
    // Legacy parsing before Sid uniqueness.
    expect(pick({ Version: '2012-10-17', Statement: [{ Sid: 'sdf', Effect: 'aLLow', Action: 's3:ListBucket', Resource: '*' }, { Sid: 'sdf', Effect: 'Allow' }] })?.message).toBe('The policy failed legacy parsing');
    // Sid uniqueness before missing actions.
    expect(pick({ Version: '2012-10-17', Statement: [{ Sid: 'sdf', Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }, { Sid: 'sdf', Effect: 'Allow' }] })?.message).toBe('Statement IDs (SID) in a single policy must be unique.');
    // Missing actions before resource format.
    expect(pick({ Version: '2012-10-17', Statement: [{ Effect: 'Deny' }, { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'bad' }] })?.message).toBe('Policy statement must contain actions.');
    // Resource format before the action prefix.
    expect(pick({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's:3:ListBucket', Resource: 'sdfsadf' } })?.message).toBe('Resource sdfsadf must be in ARN format or "*".');
    // Action prefix before missing resources.
    expect(pick({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'invalid' } })?.message).toBe('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    // Unknown JSON.
    expect(awsPolicyError(validatePolicy('nope', { type: 'identity' }).diagnostics)).toEqual({ code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.' });
    expect(awsPolicyError(validatePolicy('nope', { type: 'trust' }).diagnostics)).toEqual({ code: 'MalformedPolicyDocument', message: 'This policy contains invalid Json' });
  });

  it('answers LimitExceeded for size and ValidationError for characters', () => {
    const big = doc({ Sid: 'a'.repeat(2100), Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    expect(awsPolicyError(validatePolicy(big, { type: 'trust' }).diagnostics)).toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for ACLSizePerRole: 2048' });
    expect(awsPolicyError(validatePolicy(doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::\u2603' }), { type: 'identity' }).diagnostics)?.code).toBe('ValidationError');
  });
});

describe('validatePolicy with a ServiceCatalog', () => {
  const catalog = iamDataCatalog();

  it('warns about unknown services, actions and condition keys', () => {
    const r = validatePolicy(
      doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjekt', 'nosuchservice:Do', 's3:Get*'], Resource: '*', Condition: { StringEquals: { 's3:prefix': 'a', 's3:nosuchkey': 'b', 'aws:nosuchkey': 'c', 's3:ExistingObjectTag/team': 'x' } } }),
      { type: 'identity', catalog },
    );
    expect(r.valid).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['UnknownAction', '/Statement/Action/1'],
      ['UnknownService', '/Statement/Action/2'],
      ['UnknownConditionKey', '/Statement/Condition/StringEquals/s3:nosuchkey'],
      ['UnknownConditionKey', '/Statement/Condition/StringEquals/aws:nosuchkey'],
    ]);
  });

  it('warns about wildcard actions that match no action of the service', () => {
    const r = validatePolicy(doc({ Effect: 'Allow', Action: ['s3:Get*', 's3:Gett*', 'ec2:Describe?nstances', 'ec2:*'], Resource: '*' }), { type: 'identity', catalog });
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['UnknownAction', '/Statement/Action/1']]);
  });

  it('warns when the operator does not fit a service key type', () => {
    const r = validatePolicy(doc({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 's3:max-keys': '10' }, NumericLessThan: { 's3:max-keys': 10 } } }), { type: 'identity', catalog });
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['OperatorKeyTypeMismatch', '/Statement/Condition/StringEquals/s3:max-keys']]);
  });

  it('finds no unknown action or key in the managed policy AdministratorAccess-like documents', () => {
    const r = validatePolicy(doc({ Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances'], Resource: 'arn:aws:iam::*:role/x', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }), { type: 'identity', catalog });
    expect(r.diagnostics).toEqual([]);
  });
});

describe('validatePolicy with a partial ServiceCatalog (registered in-house services)', () => {
  // Knows only `orders`, as the catalogs services register with Latchkey do.
  const orders: ServiceCatalog = {
    partial: true,
    hasService: (prefix) => prefix === 'orders',
    hasAction: (action) => ['orders:getorder', 'orders:listorders'].includes(action.toLowerCase()),
    conditionKeyType: (key) => (key.toLowerCase() === 'orders:priority' ? 'Numeric' : undefined),
    actionsOf: (prefix) => (prefix === 'orders' ? ['GetOrder', 'ListOrders'] : []),
  };

  it('reports unknown actions and keys of the services it knows, and nothing about the others', () => {
    const r = validatePolicy(
      doc({
        Effect: 'Deny',
        Action: ['orders:GetOrder', 'orders:GetOrdr', 'orders:Lis*', 'orders:Delete*', 's3:GetObjekt', 'nosuchservice:Do'],
        Resource: '*',
        Condition: { NumericEquals: { 'orders:Priority': 1 }, StringEquals: { 'orders:Prio': 'x', 's3:nosuchkey': 'b', 'aws:nosuchkey': 'c' } },
      }),
      { type: 'identity', catalog: orders },
    );
    expect(r.valid).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['UnknownAction', '/Statement/Action/1'],
      ['UnknownAction', '/Statement/Action/3'],
      ['UnknownConditionKey', '/Statement/Condition/StringEquals/orders:Prio'],
    ]);
  });

  it('checks operators against the types of the keys it knows', () => {
    const r = validatePolicy(doc({ Effect: 'Deny', Action: 'orders:GetOrder', Resource: '*', Condition: { StringEquals: { 'orders:Priority': '1' } } }), { type: 'identity', catalog: orders });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['OperatorKeyTypeMismatch']);
  });
});
