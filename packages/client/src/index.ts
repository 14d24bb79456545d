// Public API of @latchkey/client. Explicit exports only (no `export *`).
export { createSignedFetch } from './signed-fetch.js';
export type { SignedFetch, SignedFetchOptions } from './signed-fetch.js';
export { createRequestSigner } from './request-signer.js';
export type { RequestSigner, SignableRequest, SignedRequest, SignerOptions } from './request-signer.js';
export { axiosSigningInterceptor } from './axios-interceptor.js';
export type { AxiosLikeConfig } from './axios-interceptor.js';
export { defaultCredentials, refreshingCredentials, roleCredentials } from './credentials.js';
export type { CredentialProvider, Credentials, RefreshOptions, RoleCredentialsOptions } from './credentials.js';
export { CLOCK_SKEW_CODES, SKEW_THRESHOLD_MS, errorCodeOf, updatedClockOffset } from './skew.js';
