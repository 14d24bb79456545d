// Property tests of the evaluator: monotonicity of Deny and Allow, determinism, and
// independence from statement and policy order, over random policy sets and requests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Policy, Statement } from '../../src/ast.js';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { PolicySet } from '../../src/evaluate/policy-set.js';
import type { Decision } from '../../src/decision.js';
import type { PolicyType } from '../../src/policy-type.js';
import type { EvaluationRequest, PrincipalInfo } from '../../src/request.js';
import { ACCOUNT, alice, bob, session, statement, type StatementShape } from '../evaluate/helpers.js';

const actionPatterns = ['*', 's3:*', 's3:Get*', 's3:?utObject', 'ec2:*', 'iam:Create*', 's*:*', 'sts:AssumeRole'];
const resourcePatterns = ['*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::*', 'arn:aws:ec2:*:*:instance/*', 'arn:aws:s3:::b/${aws:username}', 'arn:aws:iam::*:role/*'];
const conditions: StatementShape['Condition'][] = [
  undefined,
  { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
  { StringNotEquals: { 'aws:PrincipalTag/team': ['red', 'blue'] } },
  { StringLikeIfExists: { 'aws:PrincipalTag/team': 'r*' } },
  { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } },
  { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'env' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } },
  { Null: { 'aws:TokenIssueTime': 'true' } },
  { NumericLessThan: { 'aws:MultiFactorAuthAge': 'broken' } },
];
const principals: StatementShape['Principal'][] = ['*', { AWS: ACCOUNT }, { AWS: alice.arn }, { AWS: session.arn }, { AWS: session.roleArn! }, { AWS: bob.accountId }];

const statementArb = (withPrincipal: boolean): fc.Arbitrary<StatementShape> =>
  fc.record({
    Effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
    not: fc.boolean(),
    actions: fc.subarray(actionPatterns, { minLength: 1, maxLength: 2 }),
    resources: fc.subarray(resourcePatterns, { minLength: 1, maxLength: 2 }),
    notResource: fc.boolean(),
    condition: fc.constantFrom(...conditions),
    principal: fc.constantFrom(...principals),
  }).map((r) => {
    const s: StatementShape = { Effect: r.Effect };
    if (r.not && r.Effect === 'Deny') s.NotAction = r.actions;
    else s.Action = r.actions;
    if (r.notResource) s.NotResource = r.resources;
    else s.Resource = r.resources;
    if (r.condition !== undefined) s.Condition = r.condition;
    if (withPrincipal && r.principal !== undefined) s.Principal = r.principal;
    return s;
  });

const policyArb = (withPrincipal: boolean): fc.Arbitrary<Policy> =>
  fc.array(statementArb(withPrincipal), { minLength: 1, maxLength: 4 }).map((ss) => ({
    version: '2012-10-17' as const,
    versionExplicit: true,
    statements: ss.map((s, i) => statement(s, i)),
  }));

interface RawSet {
  identity: Policy[];
  resource: Policy | undefined;
  boundary: Policy | undefined;
  session: Policy[] | undefined;
  scp: Policy[][] | undefined;
}

const rawSetArb: fc.Arbitrary<RawSet> = fc.record({
  identity: fc.array(policyArb(false), { maxLength: 3 }),
  resource: fc.option(policyArb(true), { nil: undefined }),
  boundary: fc.option(policyArb(false), { nil: undefined }),
  session: fc.option(fc.array(policyArb(false), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  scp: fc.option(fc.array(fc.array(policyArb(false), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
});

const principalArb = fc.constantFrom<PrincipalInfo>(alice, bob, session);
const requestArb: fc.Arbitrary<EvaluationRequest> = fc.record({
  principal: principalArb,
  action: fc.constantFrom('s3:GetObject', 's3:PutObject', 'ec2:RunInstances', 'iam:CreateUser', 'sts:AssumeRole'),
  resource: fc.constantFrom('arn:aws:s3:::b/k', 'arn:aws:s3:::b/alice', 'arn:aws:s3:::c/k', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`, `arn:aws:iam::${ACCOUNT}:role/R`, '*'),
  context: fc.record(
    {
      'aws:PrincipalTag/team': fc.constantFrom('red', 'blue', 'green'),
      'aws:MultiFactorAuthPresent': fc.constantFrom('true', 'false'),
      'aws:TagKeys': fc.subarray(['env', 'team', 'owner']),
      'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.168.0.1'),
      'aws:MultiFactorAuthAge': fc.constantFrom(100, 7200),
      'aws:username': fc.constantFrom('alice', 'bob'),
      'aws:TokenIssueTime': fc.constant('2026-01-01T00:00:00Z'),
    },
    { requiredKeys: [] },
  ),
}).map((r) => ({ principal: r.principal, action: r.action, resource: { arn: r.resource }, context: r.context }));

function compileSet(raw: RawSet): PolicySet {
  const c = (p: Policy, type: PolicyType, id: string) => compilePolicy(p, { type, id });
  const set: { -readonly [K in keyof PolicySet]: PolicySet[K] } = { identity: raw.identity.map((p, i) => c(p, 'identity', `identity-${i}`)) };
  if (raw.resource) set.resource = c(raw.resource, 'resource', 'resource');
  if (raw.boundary) set.boundary = c(raw.boundary, 'boundary', 'boundary');
  if (raw.session) set.session = raw.session.map((p, i) => c(p, 'session', `session-${i}`));
  if (raw.scp) set.scp = raw.scp.map((level, l) => level.map((p, i) => c(p, 'scp', `scp-${l}-${i}`)));
  return set;
}

/** The parts of a decision that must not depend on order. */
function canonical(d: Decision) {
  const key = (m: { policyType: string; policyId: string; statementIndex: number }) => `${m.policyType}/${m.policyId}/${m.statementIndex}`;
  return {
    decision: d.decision,
    notAllowedBy: [...d.notAllowedBy].sort(),
    matched: d.matchedStatements.map(key).sort(),
    errors: d.errors.map(key).sort(),
  };
}

type Slot = { kind: 'identity'; i: number } | { kind: 'resource' } | { kind: 'boundary' } | { kind: 'session'; i: number } | { kind: 'scp'; l: number; i: number };

function slots(raw: RawSet): Slot[] {
  const out: Slot[] = raw.identity.map((_, i) => ({ kind: 'identity', i }) as Slot);
  if (raw.resource) out.push({ kind: 'resource' });
  if (raw.boundary) out.push({ kind: 'boundary' });
  raw.session?.forEach((_, i) => out.push({ kind: 'session', i }));
  raw.scp?.forEach((level, l) => level.forEach((_, i) => out.push({ kind: 'scp', l, i })));
  return out;
}

function mapSlot(raw: RawSet, slot: Slot, f: (p: Policy) => Policy): RawSet {
  switch (slot.kind) {
    case 'identity':
      return { ...raw, identity: raw.identity.map((p, i) => (i === slot.i ? f(p) : p)) };
    case 'resource':
      return { ...raw, resource: f(raw.resource!) };
    case 'boundary':
      return { ...raw, boundary: f(raw.boundary!) };
    case 'session':
      return { ...raw, session: raw.session!.map((p, i) => (i === slot.i ? f(p) : p)) };
    case 'scp':
      return { ...raw, scp: raw.scp!.map((level, l) => (l === slot.l ? level.map((p, i) => (i === slot.i ? f(p) : p)) : level)) };
  }
}

const RUNS = { numRuns: 300 };

describe('evaluate (properties)', () => {
  it('adding a Deny statement never turns a decision into allowed', () => {
    fc.assert(
      fc.property(rawSetArb, requestArb, fc.nat(), statementArb(true), (raw, req, pick, deny) => {
        const all = slots(raw);
        fc.pre(all.length > 0);
        const slot = all[pick % all.length]!;
        const denyShape: StatementShape = { ...deny, Effect: 'Deny' };
        if (slot.kind !== 'resource') delete denyShape.Principal;
        const withDeny = mapSlot(raw, slot, (p) => ({ ...p, statements: [...p.statements, statement(denyShape, p.statements.length)] }));
        const before = evaluate(req, compileSet(raw)).decision;
        const after = evaluate(req, compileSet(withDeny)).decision;
        if (after === 'allowed') expect(before).toBe('allowed');
      }),
      RUNS,
    );
  });

  it('removing an Allow statement never turns a decision into allowed', () => {
    fc.assert(
      fc.property(rawSetArb, requestArb, fc.nat(), fc.nat(), (raw, req, pick, which) => {
        const all = slots(raw);
        fc.pre(all.length > 0);
        const slot = all[pick % all.length]!;
        const without = mapSlot(raw, slot, (p) => {
          const allows = p.statements.filter((s) => s.effect === 'Allow');
          if (allows.length === 0) return p;
          const victim = allows[which % allows.length]!;
          return { ...p, statements: p.statements.filter((s) => s !== victim) };
        });
        const before = evaluate(req, compileSet(raw)).decision;
        const after = evaluate(req, compileSet(without)).decision;
        if (after === 'allowed') expect(before).toBe('allowed');
      }),
      RUNS,
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(rawSetArb, requestArb, (raw, req) => {
        const set = compileSet(raw);
        expect(evaluate(req, set)).toEqual(evaluate(req, set));
        expect(evaluate(req, compileSet(raw))).toEqual(evaluate(req, set));
      }),
      RUNS,
    );
  });

  it('does not depend on statement order or policy order', () => {
    const shuffle = <T>(xs: readonly T[], seed: number): T[] => {
      const out = [...xs];
      let s = seed || 1;
      for (let i = out.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) & 0x7fffffff;
        const j = s % (i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    };
    fc.assert(
      fc.property(rawSetArb, requestArb, fc.integer({ min: 1, max: 1 << 30 }), (raw, req, seed) => {
        const reorder = (p: Policy): Policy => ({ ...p, statements: shuffle<Statement>(p.statements, seed) });
        // Policy ids travel with the policies, so reorder after compiling.
        const set = compileSet(raw);
        const shuffledStatements = compileSet({
          identity: raw.identity.map(reorder),
          resource: raw.resource && reorder(raw.resource),
          boundary: raw.boundary && reorder(raw.boundary),
          session: raw.session?.map(reorder),
          scp: raw.scp?.map((level) => level.map(reorder)),
        });
        const reordered: PolicySet = {
          ...shuffledStatements,
          identity: shuffle(shuffledStatements.identity, seed + 1),
          ...(shuffledStatements.session ? { session: shuffle(shuffledStatements.session, seed + 2) } : {}),
          ...(shuffledStatements.scp ? { scp: shuffledStatements.scp.map((level, l) => shuffle(level, seed + 3 + l)) } : {}),
        };
        expect(canonical(evaluate(req, reordered))).toEqual(canonical(evaluate(req, set)));
      }),
      RUNS,
    );
  });
});

describe('compilePolicy and evaluate (robustness)', () => {
  const text = fc.oneof(fc.string(), fc.constantFrom('*', '?', '${aws:username}', '${', 'arn:aws:s3:::*', 'a:b:c', '', '${*}', "${a, 'b'}"));
  const value = fc.oneof(text, fc.integer(), fc.boolean(), fc.double());
  const op = fc.oneof(
    fc.string(),
    fc.constantFrom('StringEquals', 'ForAllValues:StringLike', 'ForAnyValue:NumericLessThanIfExists', 'DateEquals', 'IpAddress', 'ArnLike', 'Null', 'BinaryEquals', 'Bool', 'NullIfExists'),
  );
  const stmt = fc.record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
    action: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
    notAction: fc.option(fc.array(text, { maxLength: 2 }), { nil: undefined }),
    resource: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
    notResource: fc.option(fc.array(text, { maxLength: 2 }), { nil: undefined }),
    principal: fc.option(fc.record({ wildcard: fc.boolean(), AWS: fc.array(text, { maxLength: 2 }), Service: fc.array(text, { maxLength: 1 }), Federated: fc.array(text, { maxLength: 1 }), CanonicalUser: fc.array(text, { maxLength: 1 }) }), { nil: undefined }),
    conditions: fc.array(fc.record({ operator: op, key: text, values: fc.array(value, { maxLength: 3 }), pointer: fc.constant('') }), { maxLength: 3 }),
  });
  it('never throws on arbitrary statements, and a broken Allow never allows', () => {
    fc.assert(
      fc.property(fc.array(stmt, { minLength: 1, maxLength: 4 }), fc.constantFrom<PolicyType>('identity', 'resource', 'trust', 'scp'), requestArb, (raw, type, req) => {
        const statements: Statement[] = raw.map((s, index) => {
          const out: { -readonly [K in keyof Statement]: Statement[K] } = { index, effect: s.effect, conditions: s.conditions };
          if (s.action) out.action = s.action;
          if (s.notAction) out.notAction = s.notAction;
          if (s.resource) out.resource = s.resource;
          if (s.notResource) out.notResource = s.notResource;
          if (s.principal) out.principal = s.principal;
          return out;
        });
        const policy = compilePolicy({ version: '2012-10-17', versionExplicit: true, statements }, { type, id: 'p' });
        const set: PolicySet = type === 'resource' || type === 'trust' ? { identity: [], resource: policy } : type === 'scp' ? { identity: [], scp: [[policy]] } : { identity: [policy] };
        const d = evaluate(req, set);
        for (const m of d.matchedStatements) {
          const s = policy.statements.find((x) => x.index === m.statementIndex)!;
          // A broken statement may only ever deny (fail closed), never allow.
          if (s.error !== undefined) expect(m.effect).toBe('Deny');
        }
        if (d.decision === 'allowed') for (const m of d.matchedStatements) expect(policy.statements.find((x) => x.index === m.statementIndex)!.error).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
