// Public API of @latchkey/iam. Explicit exports only (no `export *`).

// --- callers and requests
export { principalType, rootCaller, userCaller } from './caller.js';
export type { Caller, CallerKind, CallerSession, PolicyIdentity, RequestEnv } from './caller.js';
export { callerFromSession, FEDERATION_SOURCE_ATTRIBUTES } from './caller-from-session.js';

// --- authorization
export { Authorizer } from './authorizer.js';
export type { AuthorizerOptions, CompiledPrincipal, PendingCacheWrites } from './authorizer.js';
export { accessDenied, accessDeniedMessage } from './access-denied.js';
export { buildRequestContext, effectivePrincipalTags, iamActionInfo, isoSeconds, requestedRegion } from './request-context.js';
export type { AuthorizationExtras } from './request-context.js';
export { IAM_ACTIONS } from './iam-actions.js';
export type { IamActionInfo } from './iam-actions.js';

// --- operation framework
export { defineOperation } from './operation.js';
export type { AnyOperation, Operation, OperationContext, OperationOutput } from './operation.js';
export { IamService } from './iam-service.js';
export type { IamServiceOptions } from './iam-service.js';
export { iamOperations, operationRegistry } from './operations/registry.js';
export { mapStoreError } from './map-store-error.js';
export { assertMayCallIam } from './session-restrictions.js';
export { idGenerator } from './ids.js';
export type { IdGenerator } from './ids.js';

// --- helpers for operation files
export { pagingMembers, tagListShape } from './shapes.js';
export { pageOutput, pageRequest } from './paging.js';
export { accessKeyMetadataOutput, groupOutput, tagsOutput, userOutput } from './outputs.js';
export type { TagOutput } from './outputs.js';
export { requestTags } from './tags.js';
export { resourceTags, targetUser } from './targets.js';
export type { TargetUser } from './targets.js';
export { attachablePolicy } from './boundaries.js';
export { DELETE_CONFLICT, MUST_SPECIFY_USER_NAME, groupExists, noSuchAccessKey, noSuchGroup, noSuchUser, userExists } from './messages.js';

// --- accounts and credentials
export { createAccount } from './create-account.js';
export type { AccountDeps, CreateAccountOptions, CreatedAccount } from './create-account.js';
export { AccessKeyResolver, AccessKeyUseRecorder, resolveAccessKey } from './resolve-access-key.js';
export type { AccessKeyUseEvent, ResolvedAccessKey } from './resolve-access-key.js';
export { sealSecretAccessKey, secretAccessKeyAad, unsealSecretAccessKey } from './secrets.js';

// --- AWS managed policies
export { AWS_MANAGED_POLICIES } from './aws-managed-policies.js';
export type { AwsManagedPolicy, AwsManagedPolicyVersion } from './aws-managed-policies.js';
export { seedAwsManagedPolicies } from './aws-managed-seed.js';

// --- MFA devices, passwords and the password policy
export { credentialOperations, credentialServices, DEFAULT_MFA_ISSUER, withCredentialServices } from './credential-services.js';
export type { CredentialServices } from './credential-services.js';
export { AttemptThrottle, backoffDelay, DEFAULT_BACKOFF } from './attempt-throttle.js';
export type { BackoffPolicy } from './attempt-throttle.js';
export { mfaThrottleKey, verifyMfaCode } from './verify-mfa-code.js';
export { activeLockout, clearMfaFailures, clearPasswordFailures, recordMfaFailure, recordPasswordFailure } from './failure-lockout.js';
export type { FailureState } from './failure-lockout.js';
export { afterRollbackOf, withAfterRollback } from './after-rollback.js';
export type { AfterRollback } from './after-rollback.js';
export type { MfaCodeTarget, MfaVerification, VerifyMfaOptions } from './verify-mfa-code.js';
export { passwordThrottleKey, verifyPassword } from './verify-password.js';
export type { PasswordTarget, PasswordVerification, VerifyPasswordOptions } from './verify-password.js';
export { Argon2idHasher, OWASP_ARGON2ID } from './password-hasher.js';
export type { Argon2idOptions, PasswordHasher } from './password-hasher.js';
export { PASSWORD_POLICY_DEFAULTS, PASSWORD_SYMBOLS, passwordExpiresAt, passwordViolations } from './password-rules.js';
export { mfaSeedAad, sealMfaSeed, unsealMfaSeed } from './mfa-seed.js';
export { MFA_SEED_BYTES, otpauthUri, TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_TOLERANCE_STEPS, totpCode, totpStep } from './totp.js';
export { MFA_INVALID_CODE, MFA_UNKNOWN_DEVICE } from './credential-messages.js';

// --- policy simulation (SimulateCustomPolicy / SimulatePrincipalPolicy and `latchkey policy simulate`)
export { simulate, SOURCE_POLICY_TYPE_LABELS } from './simulate/simulate.js';
export type { LabelledPolicy, SimulatedEvaluation, Simulation, SimulationSubject } from './simulate/simulate.js';
export { accountOf, CONTEXT_KEY_TYPES, parseSimulateInput, RESOURCE_HANDLING_OPTIONS } from './simulate/simulate-input.js';
export type { ContextEntry, ContextKeyType, SimulateInput } from './simulate/simulate-input.js';
export type { EvaluationResult, ResourceSpecificResult, SimulatedStatement, SimulateResponse } from './simulate/simulate-response.js';
export { defaultCaller, principalFromCallerArn } from './simulate/caller.js';
export { PolicyCache } from './simulate/policy-cache.js';
export { contextValue, simulationContext } from './simulate/simulation-context.js';
export { statementPositions } from './simulate/statement-positions.js';
export type { Position, StatementSpan } from './simulate/statement-positions.js';
export { isSecurityWarning } from './simulate/security-warnings.js';

// --- audit trail (CloudTrail-like records, hash-chained in the store) and secret redaction
export { AuditTrail, auditLine, queryAudit } from './audit/audit-trail.js';
export type { AuditFilter, AuditLine, AuditSink, AuditTrailOptions, RecordOptions } from './audit/audit-trail.js';
export type { AuditEvent, AuditService } from './audit/audit-event.js';
export { cloudTrailRecord, requestParameters, userIdentity } from './audit/cloudtrail-record.js';
export type { CloudTrailRecord, UserIdentity } from './audit/cloudtrail-record.js';
export { isSecretParameter, LOG_REDACT_PATHS, REDACTED, redactParameters, redactValue, SECRET_PARAMETER_NAMES } from './audit/redact.js';
export { POLICY_WRITING_OPERATIONS, securityWarnings, strictModeError, withStrictPolicies } from './simulate/strict-policies.js';
export type { ServiceCatalogLoader } from './simulate/strict-policies.js';
