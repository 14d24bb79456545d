import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/compile/load-policy.js';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { explainDecision } from '../../src/explain/explain-decision.js';
import { alice, compiled, request } from './helpers.js';

describe('loadPolicy', () => {
  it('validates and compiles a valid document', () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*' }] });
    const loaded = loadPolicy(doc, { type: 'identity', id: 'p' });
    expect(loaded.policy).toBeDefined();
    expect(loaded.policy!.source).toEqual({ type: 'identity', id: 'p' });
    const d = evaluate(request('s3:GetObject', 'arn:aws:s3:::b/k'), { identity: [loaded.policy!] });
    expect(d.matchedStatements).toEqual([{ policyType: 'identity', policyId: 'p', statementIndex: 0, sid: 'Read', effect: 'Allow' }]);
  });
  it('returns the diagnostics and no policy for an invalid document', () => {
    const loaded = loadPolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}', { type: 'identity', id: 'p' });
    expect(loaded.policy).toBeUndefined();
    expect(loaded.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
  it('validates against the policy type of the source', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole' }] };
    expect(loadPolicy(trust, { type: 'trust', id: 't' }).policy).toBeDefined();
    expect(loadPolicy(trust, { type: 'identity', id: 't' }).policy).toBeUndefined();
  });
  it('never throws on garbage', () => {
    for (const junk of ['', '{', 'null', '[]', '{"Statement":5}', 42, null, { Statement: [{ Effect: 'Allow', Action: 7 }] }]) {
      expect(() => loadPolicy(junk, { type: 'identity', id: 'x' })).not.toThrow();
    }
  });
});

describe('compilePolicy', () => {
  it('keeps the source and version and compiles every statement', () => {
    const p = compiled('identity', [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 'ec2:*', Resource: '*' },
    ]);
    expect(p.source).toEqual({ type: 'identity', id: 'identity-policy' });
    expect(p.version).toBe('2012-10-17');
    expect(p.statements.map((s) => s.effect)).toEqual(['Allow', 'Deny']);
    expect(p.statements.every((s) => s.error === undefined)).toBe(true);
  });
  it('does not throw on statements validation would refuse; it records an error instead', () => {
    const p = compilePolicy(
      {
        version: '2012-10-17',
        versionExplicit: true,
        statements: [
          { index: 0, effect: 'Allow', action: ['s3:*'], notAction: ['s3:Get*'], resource: ['*'], conditions: [] },
          { index: 1, effect: 'Allow', action: ['s3:*'], resource: ['*'], conditions: [{ operator: 'Bogus', key: 'k', values: [], pointer: '/x' }] },
          { index: 2, effect: 'Allow', action: ['s3:*'], resource: ['*'], conditions: [{ operator: 'StringEquals', key: 'k', values: [], pointer: '/y' }] },
        ],
      },
      { type: 'identity', id: 'x' },
    );
    expect(p.statements.map((s) => s.error !== undefined)).toEqual([true, true, true]);
  });
});

describe('explainDecision', () => {
  const set = {
    identity: [
      compiled('identity', [
        { Sid: 'ReadAll', Effect: 'Allow', Action: 's3:Get*', Resource: '*' },
        { Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::secrets/*' },
        { Sid: 'NeedsTeam', Effect: 'Allow', Action: 's3:Put*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } },
      ], 'arn:aws:iam::111122223333:policy/P'),
    ],
  };
  it('explains an allow with the statements that allowed it', () => {
    const r = request('s3:GetObject', 'arn:aws:s3:::public/x');
    const text = explainDecision(evaluate(r, set), r);
    expect(text.split('\n')[0]).toBe(`ALLOWED: ${alice.arn} is authorized to perform: s3:GetObject on resource: arn:aws:s3:::public/x`);
    expect(text).toContain('Allowed by:');
    expect(text).toContain('identity-based policy arn:aws:iam::111122223333:policy/P, statement #0 (Sid "ReadAll")');
  });
  it('explains an explicit deny with the AWS wording and the Deny statement', () => {
    const r = request('s3:GetObject', 'arn:aws:s3:::secrets/x');
    const text = explainDecision(evaluate(r, set), r);
    expect(text.split('\n')[0]).toContain('is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::secrets/x with an explicit deny in an identity-based policy');
    expect(text).toContain('Denied by:');
    expect(text).toContain('statement #1 (Sid "NoSecrets")');
  });
  it('explains an implicit deny with the failing policy type and the missing keys', () => {
    const r = request('s3:PutObject', 'arn:aws:s3:::public/x');
    const text = explainDecision(evaluate(r, set), r);
    expect(text.split('\n')[0]).toContain('because no identity-based policy allows the s3:PutObject action');
    expect(text).toContain('Missing context keys: aws:PrincipalTag/team');
  });
  it('flags statements that could not be evaluated', () => {
    const broken = { identity: [compiled('identity', [{ Sid: 'Bad', Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': 'never' } } }])] };
    const r = request('s3:GetObject', '*', { 'aws:CurrentTime': '2026-01-01T00:00:00Z' });
    const text = explainDecision(evaluate(r, broken), r);
    expect(text).toContain('WARNING: statements that could not be evaluated');
    expect(text).toContain('(Sid "Bad")');
  });
});
