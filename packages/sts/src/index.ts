// Public API of @latchkey/sts. Explicit exports only (no `export *`).

export { StsService } from './sts-service.js';
export type { StsServiceOptions } from './sts-service.js';
export { stsOperations } from './operations/registry.js';
export { LatchkeySignIn, SIGN_IN_ACTION, SIGN_IN_CHANGE_REQUIRED, SIGN_IN_FAILED, SIGN_IN_HARD_EXPIRED, SIGN_IN_MFA_REQUIRED, signInLocked } from './operations/sign-in.js';
export { defineStsOperation } from './operation.js';
export type { AnyStsOperation, SignedStsContext, StsContext, StsOperation, StsOutput } from './operation.js';

// --- session credentials (SigV4 for ASIA keys)
export { SessionResolver } from './resolve-session.js';
export type { ResolvedSession, SourceKeyCheck } from './resolve-session.js';
export { sessionCaller } from './session-caller.js';
export { mintCredentials } from './credentials.js';
export type { MintedCredentials, SessionClaims } from './credentials.js';

// --- authorization messages
export { authorizationMessage, decodeAuthorizationMessage, encodeAuthorizationMessage } from './authorization-message.js';
export type { AuthorizationRequest, DecodedAuthorizationMessage } from './authorization-message.js';

// --- MFA and web identity
export { storeMfaVerifier } from './mfa.js';
export type { MfaCheck, MfaResult, MfaVerifier } from './mfa.js';
export { WebIdentityVerifier } from './web-identity.js';
export type { FetchJwks, WebIdentityOptions } from './web-identity.js';

// --- rules shared with other services
export { MAX_SESSION_POLICY_CHARS, PACKED_BUDGET_BYTES, checkSessionPolicies, packedPolicySize } from './session-policies.js';
export { sessionTags } from './session-tags.js';
