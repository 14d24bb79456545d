// Public API of @latchkey/policy. Explicit exports only (no `export *`).

// --- document model
export type { ConditionClause, ConditionValue, Effect, Policy, PolicyVersion, PrincipalSpec, Statement } from './ast.js';
export type { PolicyType } from './policy-type.js';
export { POLICY_TYPES } from './policy-type.js';
export type { Diagnostic } from './diagnostic.js';
export type { ContextScalar, ContextValue, EvaluationRequest, PrincipalInfo, PrincipalKind, RequestContext, ResourceInfo } from './request.js';
export type { Decision, DecisionValue, EvaluationError, MatchedStatement } from './decision.js';

// --- validation

// --- compilation and evaluation
