// Test helpers: build `Policy` ASTs from a compact JSON-like shape (independent of the
// validator, so these unit tests exercise the compiler and evaluator alone).
import type { ConditionValue, Policy, PrincipalSpec, Statement } from '../../src/ast.js';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import type { CompiledPolicy } from '../../src/compile/compiled-policy.js';
import type { PolicyType } from '../../src/policy-type.js';
import type { EvaluationRequest, PrincipalInfo, RequestContext } from '../../src/request.js';

type OneOrMany<T> = T | readonly T[];
export type PrincipalShape = '*' | { AWS?: OneOrMany<string>; Service?: OneOrMany<string>; Federated?: OneOrMany<string>; CanonicalUser?: OneOrMany<string> };

export interface StatementShape {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PrincipalShape;
  NotPrincipal?: PrincipalShape;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: Record<string, Record<string, OneOrMany<ConditionValue>>>;
}

const list = <T>(v: OneOrMany<T> | undefined): readonly T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v as T]);

function principal(p: PrincipalShape): PrincipalSpec {
  if (p === '*') return { wildcard: true, AWS: [], Service: [], Federated: [], CanonicalUser: [] };
  return { wildcard: false, AWS: list(p.AWS) ?? [], Service: list(p.Service) ?? [], Federated: list(p.Federated) ?? [], CanonicalUser: list(p.CanonicalUser) ?? [] };
}

export function statement(s: StatementShape, index = 0): Statement {
  const conditions = Object.entries(s.Condition ?? {}).flatMap(([operator, body]) =>
    Object.entries(body).map(([key, values]) => ({
      operator,
      key,
      values: list(values) ?? [],
      pointer: `/Statement/${index}/Condition/${operator}/${key}`,
    })),
  );
  const out: { -readonly [K in keyof Statement]: Statement[K] } = { index, effect: s.Effect, conditions };
  if (s.Sid !== undefined) out.sid = s.Sid;
  if (s.Principal !== undefined) out.principal = principal(s.Principal);
  if (s.NotPrincipal !== undefined) out.notPrincipal = principal(s.NotPrincipal);
  const action = list(s.Action);
  if (action) out.action = action;
  const notAction = list(s.NotAction);
  if (notAction) out.notAction = notAction;
  const resource = list(s.Resource);
  if (resource) out.resource = resource;
  const notResource = list(s.NotResource);
  if (notResource) out.notResource = notResource;
  return out;
}

export function policy(statements: readonly StatementShape[], version: Policy['version'] = '2012-10-17'): Policy {
  return { version, versionExplicit: true, statements: statements.map((s, i) => statement(s, i)) };
}

export function compiled(type: PolicyType, statements: readonly StatementShape[], id = `${type}-policy`, version: Policy['version'] = '2012-10-17'): CompiledPolicy {
  return compilePolicy(policy(statements, version), { type, id });
}

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';

export const alice: PrincipalInfo = { kind: 'user', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
export const bob: PrincipalInfo = { kind: 'user', arn: `arn:aws:iam::${OTHER}:user/bob`, accountId: OTHER };
export const root: PrincipalInfo = { kind: 'root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
export const session: PrincipalInfo = {
  kind: 'assumed-role',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s1`,
  accountId: ACCOUNT,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`,
};
export const federatedUser: PrincipalInfo = { kind: 'federated-user', arn: `arn:aws:sts::${ACCOUNT}:federated-user/carol`, accountId: ACCOUNT };
export const anonymous: PrincipalInfo = { kind: 'anonymous', arn: '', accountId: '' };

export function request(
  action: string,
  resource: string,
  context: RequestContext = {},
  who: PrincipalInfo = alice,
  resourceAccount?: string,
): EvaluationRequest {
  return { principal: who, action, resource: resourceAccount === undefined ? { arn: resource } : { arn: resource, accountId: resourceAccount }, context };
}
