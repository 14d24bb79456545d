// Public API of @latchkey/policy. Explicit exports only (no `export *`).

// --- document model
export type { ConditionClause, ConditionValue, Effect, Policy, PolicyVersion, PrincipalSpec, Statement } from './ast.js';
export type { PolicyType } from './policy-type.js';
export { POLICY_TYPES } from './policy-type.js';
export type { Diagnostic } from './diagnostic.js';
export type { ContextScalar, ContextValue, EvaluationRequest, PrincipalInfo, PrincipalKind, RequestContext, ResourceInfo } from './request.js';
export type { Decision, DecisionValue, EvaluationError, MatchedStatement } from './decision.js';

// --- validation
export type { ValidateOptions, ValidationResult } from './validate/validate-policy.js';
export { validatePolicy } from './validate/validate-policy.js';
export type { ConditionKeyType, ServiceCatalog } from './validate/service-catalog.js';
export type { DiagnosticCode, ErrorCode, WarningCode } from './validate/diagnostic-code.js';
export { DIAGNOSTIC_CODES, ERROR_CODES, WARNING_CODES } from './validate/diagnostic-code.js';
export type { AwsPolicyError } from './validate/aws-policy-error.js';
export { awsPolicyError } from './validate/aws-policy-error.js';
export type { OperatorFamily, ParsedOperator } from './validate/condition-operator.js';
export { parseConditionOperator } from './validate/condition-operator.js';
export type { VariableUse } from './validate/policy-variables.js';
export { findVariables } from './validate/policy-variables.js';
export type { DuplicateKey, JsonSyntaxError, JsonValue, ParsedJson, ParseJsonOptions, SourcePosition } from './parse/parse-json.js';
export { parseJson } from './parse/parse-json.js';

// --- compilation and evaluation
export type { CompiledPolicy, PolicySource } from './compile/compiled-policy.js';
export { compilePolicy } from './compile/compile-policy.js';
export type { LoadedPolicy, LoadPolicyOptions } from './compile/load-policy.js';
export { loadPolicy } from './compile/load-policy.js';
export type { PolicySet } from './evaluate/policy-set.js';
export { evaluate } from './evaluate/evaluate.js';
export { explainDecision } from './explain/explain-decision.js';
