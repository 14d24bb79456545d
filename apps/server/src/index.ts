// Public API of @latchkey/server. Explicit exports only (no `export *`).
export { createServer } from './create-server.js';
export type { CreateServerOptions, LatchkeyServer } from './create-server.js';
export { iamQueryService, unimplementedStsService } from './query-service.js';
export type { QueryServiceHandler } from './query-service.js';
export { CredentialCache } from './credential-cache.js';
export type { CredentialCacheOptions } from './credential-cache.js';
export { encodePolicyDocuments, POLICY_DOCUMENT_MEMBERS } from './encode-policy-documents.js';
export { DEFAULT_MAX_BODY_BYTES, readBody } from './read-body.js';
export { requestIdFrom } from './request-id.js';
export { Counter, Histogram, MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from './metrics.js';
export { LOG_REDACT_PATHS, REDACTED, isSecretParameter, redactParameters } from './redact.js';
