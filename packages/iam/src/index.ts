// Public API of @latchkey/iam. Explicit exports only (no `export *`).

// --- callers and requests
export { principalType, rootCaller, userCaller } from './caller.js';
export type { Caller, CallerKind, CallerSession, PolicyIdentity, RequestEnv } from './caller.js';
export { callerFromSession, FEDERATION_SOURCE_ATTRIBUTES } from './caller-from-session.js';

// --- authorization
export { Authorizer } from './authorizer.js';
export type { AuthorizerOptions, CompiledPrincipal } from './authorizer.js';
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
