// Public API of @latchkey/server. Explicit exports only (no `export *`).
export { createServer } from './create-server.js';
export type { CreateServerOptions, LatchkeyServer } from './create-server.js';
export { iamQueryService, unimplementedStsService } from './query-service.js';
export type { QueryServiceHandler } from './query-service.js';
export { sessionCredentialLookup, stsQueryService } from './sts-query-service.js';
export { latchkeyServices } from './latchkey-services.js';
export type { LatchkeyServices, LatchkeyServicesOptions } from './latchkey-services.js';
export { jwksFetcher, parseOidcJwksOptions } from './jwks-fetcher.js';
export type { JwksFetcherOptions } from './jwks-fetcher.js';
export { CredentialCache } from './credential-cache.js';
export type { CredentialCacheOptions } from './credential-cache.js';
export { encodePolicyDocuments, POLICY_DOCUMENT_MEMBERS } from './encode-policy-documents.js';
export { DEFAULT_MAX_BODY_BYTES, readBody } from './read-body.js';
export { requestIdFrom, requestIdSource } from './request-id.js';
export { Counter, Histogram, MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from './metrics.js';
export { LOG_REDACT_PATHS, REDACTED, isSecretParameter, redactParameters } from './redact.js';
export { startServer } from './start-server.js';
export type { RunningServer, ServerRuntime } from './start-server.js';
export {
  ConfigError,
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_REGION,
  MASTER_KEY_FILE,
  SQLITE_FILE,
  parseServerConfig,
  storageConfig,
  storeUrlOf,
} from './server-config.js';
export type { Environment, GivenRootCredentials, ServerConfig, StorageConfig } from './server-config.js';
export { ensureDataDir, loadKeyring } from './master-key-file.js';
export type { LoadKeyringOptions, LoadedKeyring } from './master-key-file.js';
export { bootstrapAccount, clientInstructions } from './bootstrap-account.js';
export type { BootstrapResult } from './bootstrap-account.js';
export { resealSecrets } from './reseal-secrets.js';
export { ACCOUNT_CREATE_HELP, ACCOUNT_LIST_HELP, INIT_HELP, SERVER_HELP } from './help.js';
export { accountCreateMain, accountListMain, initMain, serverMain } from './commands.js';
export type { CommandIo } from './commands.js';
