import type { Policy, Statement } from '../ast.js';
import { compileCondition } from '../conditions/compile-condition.js';
import type { EvaluationError, MatchedStatement } from '../decision.js';
import { compileActions } from '../match/action-matcher.js';
import { compilePrincipal } from '../match/principal-matcher.js';
import { compileResources } from '../match/resource-matcher.js';
import type { PolicyType } from '../policy-type.js';
import type { CompiledPolicy, CompiledStatement, IndexEntry, PolicySource, StatementIndex } from './compiled-policy.js';

/** Policy types whose statements name a principal (the others apply to their own principal). */
export function namesPrincipal(type: PolicyType): boolean {
  return type === 'resource' || type === 'trust';
}

function structuralError(s: Statement, type: PolicyType): string | undefined {
  if (s.action === undefined && s.notAction === undefined) return 'the statement has no Action or NotAction';
  if (s.action !== undefined && s.notAction !== undefined) return 'the statement has both Action and NotAction';
  if (s.resource !== undefined && s.notResource !== undefined) return 'the statement has both Resource and NotResource';
  if (s.effect !== 'Allow' && s.effect !== 'Deny') return `unknown Effect "${String(s.effect)}"`;
  if (namesPrincipal(type)) {
    if (s.principal === undefined && s.notPrincipal === undefined) return 'the statement has no Principal or NotPrincipal';
    if (s.principal !== undefined && s.notPrincipal !== undefined) return 'the statement has both Principal and NotPrincipal';
  } else if ((type === 'identity' || type === 'boundary' || type === 'session') && s.resource === undefined && s.notResource === undefined) {
    return 'the statement has no Resource or NotResource';
  }
  return undefined;
}

function compileStatement(s: Statement, source: PolicySource, variables: boolean): CompiledStatement {
  const conditions = s.conditions.map((c) => compileCondition(c, variables));
  const conditionError = conditions.find((c) => c.error !== undefined);
  const error =
    structuralError(s, source.type) ??
    (conditionError === undefined ? undefined : `${conditionError.error} (${conditionError.pointer || conditionError.operator})`);
  const withPrincipal = namesPrincipal(source.type);
  const base = { policyType: source.type, policyId: source.id, statementIndex: s.index };
  const matched: MatchedStatement = s.sid === undefined ? { ...base, effect: s.effect } : { ...base, sid: s.sid, effect: s.effect };
  const errorRecord: EvaluationError | undefined =
    error === undefined ? undefined : s.sid === undefined ? { ...base, message: error } : { ...base, sid: s.sid, message: error };
  return {
    index: s.index,
    sid: s.sid,
    effect: s.effect,
    actions: s.action === undefined ? undefined : compileActions(s.action),
    notActions: s.notAction === undefined ? undefined : compileActions(s.notAction),
    resources: s.resource === undefined ? undefined : compileResources(s.resource, variables),
    notResources: s.notResource === undefined ? undefined : compileResources(s.notResource, variables),
    principal: withPrincipal && s.principal !== undefined ? compilePrincipal(s.principal) : undefined,
    notPrincipal: withPrincipal && s.notPrincipal !== undefined ? compilePrincipal(s.notPrincipal) : undefined,
    conditions,
    error,
    matched: Object.freeze(matched),
    errorRecord: errorRecord === undefined ? undefined : Object.freeze(errorRecord),
  };
}

/** Builds the service index: statements for other services are never visited. */
export function indexStatements(statements: readonly CompiledStatement[]): StatementIndex {
  const byService = new Map<string, IndexEntry[]>();
  const always: IndexEntry[] = [];
  for (const statement of statements) {
    const actions = statement.actions;
    if (actions === undefined) {
      // NotAction (applies to every other action of every service) or a broken statement.
      always.push({ statement, names: undefined });
      continue;
    }
    if (actions.global.length > 0) {
      // A wildcard service prefix may match any service: visit always (and only there, so the
      // statement is never visited twice).
      always.push({ statement, names: undefined });
      continue;
    }
    for (const [service, names] of actions.byService) {
      const list = byService.get(service);
      const entry: IndexEntry = { statement, names };
      if (list) list.push(entry);
      else byService.set(service, [entry]);
    }
  }
  return { byService, always, byAction: new Map() };
}

/**
 * Compiles a validated policy once: action, resource, principal and condition matchers are all
 * built here (RegExps included), so evaluation never parses or builds a RegExp. Never throws on
 * policy content: what cannot be evaluated becomes a statement error, reported by `evaluate`.
 */
export function compilePolicy(policy: Policy, source: PolicySource): CompiledPolicy {
  const variables = policy.version === '2012-10-17';
  const statements = policy.statements.map((s) => compileStatement(s, source, variables));
  return { source, version: policy.version, statements, index: indexStatements(statements) };
}
