// Public API of @latchkey/express. Explicit exports only (no `export *`).
export { latchkey } from './latchkey.js';
export type { LatchkeyMiddleware } from './latchkey.js';
export type { LatchkeyOptions, MaybePromise, RouteAuthorization, Tags } from './options.js';
export type { LatchkeyDecision, LatchkeyRequestInfo } from './request-info.js';
export { latchkeyErrorHandler } from './error-handler.js';
export { LatchkeyIncomingMessage } from './latchkey-incoming-message.js';
export type { ErrorHandlerOptions } from './error-handler.js';
export { maskUrl } from './decision-event.js';
export type { DecisionEvent } from './decision-event.js';
export { defineService } from './service-definition.js';
export type { ActionDefinition, ResourceTypeDefinition, ServiceDefinition, ServiceDefinitionInput } from './service-definition.js';
export type { AuthorizationFailure, CredentialChanges, CredentialSource, PolicyDocument, PrincipalPolicies, ServiceSigningKey, SigningKeyRequest } from './credential-source.js';
export { embeddedCredentialSource } from './embedded-credential-source.js';
export type { EmbeddedCredentialSource, EmbeddedCredentialSourceOptions } from './embedded-credential-source.js';
export { callerFromJson, callerToJson } from './caller-json.js';
export type { CallerJson } from './caller-json.js';
export { didYouMean } from './did-you-mean.js';
export { internalApiClient } from './internal-api-client.js';
export type { InternalApiClient, InternalApiClientCallOptions, InternalApiClientOptions } from './internal-api-client.js';
export { remoteCredentialSource } from './remote-credential-source.js';
export type { RemoteCredentialSourceOptions, ServiceCredentials } from './remote-credential-source.js';
export { storeChangeReader } from './change-reader.js';
export type { ChangeReader, ChangesSince, StoreChangeReaderOptions } from './change-reader.js';
export { MAX_SERVICE_CATALOG_BYTES, MAX_SERVICE_CATALOG_ENTRIES, parseServiceCatalogDocument, registeredServiceCatalog, serviceCatalogDocument } from './service-catalog-document.js';
export type { ServiceCatalogDocument } from './service-catalog-document.js';
export { MAX_SERVICE_CATALOGS_PER_ACCOUNT, storeServiceCatalogRegistry } from './service-catalog-registry.js';
export type { RegisteredServiceCatalog, ServiceCatalogRegistry } from './service-catalog-registry.js';
export {
  answerInternalApi,
  answerListChanges,
  answerServiceCatalog,
  SERVICE_CATALOG_ACTIONS,
  MAX_LIST_CHANGES_WAIT_SECONDS,
  fromWirePolicy,
  internalApiAuthorization,
  InternalApiValidationError,
  INTERNAL_API_CONTENT_TYPE,
  INTERNAL_API_SIGNING_NAME,
  INTERNAL_API_TARGET_PREFIX,
  toWirePolicy,
} from './internal-api.js';
export type {
  GetPrincipalPoliciesRequest,
  GetPrincipalPoliciesResponse,
  GetServiceSigningKeyRequest,
  GetServiceSigningKeyResponse,
  InternalApiAction,
  ListChangesRequest,
  ListChangesResponse,
  DeleteServiceCatalogRequest,
  GetServiceCatalogRequest,
  GetServiceCatalogResponse,
  PutServiceCatalogRequest,
  PutServiceCatalogResponse,
  ServiceCatalogAction,
  WirePolicy,
} from './internal-api.js';
