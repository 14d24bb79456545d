export { createVerifier } from './create-verifier.js';
export type {
  AuthType,
  CredentialLookup,
  CredentialLookupInput,
  ResolvedCredentials,
  StreamingPayload,
  VerifiedRequest,
  Verifier,
  VerifierOptions,
  VerifyRequest,
} from './types.js';
export { createChunkVerifier, createChunkVerifierStream } from './create-chunk-verifier.js';
export type { ChunkEncoding, ChunkVerifier, ChunkVerifierOptions } from './create-chunk-verifier.js';
export { getSignatureMismatchDebug } from './signature-mismatch-debug.js';
export type { SignatureMismatchDebug } from './signature-mismatch-debug.js';
export {
  getDateKey,
  getRegionKey,
  getServiceKey,
  getSigningKey,
  getSigningKeyFromServiceKey,
} from './get-signing-key.js';
export { SigningKeyCache } from './signing-key-cache.js';
export { deriveSigV4aPrivateKey, deriveSigV4aPublicKey, verifySigV4aSignature } from './sigv4a.js';
export { getCanonicalRequest } from './get-canonical-request.js';
export type { CanonicalRequestParts } from './get-canonical-request.js';
export { getCredentialScopeString, getStringToSign } from './get-string-to-sign.js';
export type { CredentialScope } from './get-string-to-sign.js';
export { getCanonicalUri, normalizePath } from './get-canonical-uri.js';
export type { CanonicalizationMode } from './get-canonical-uri.js';
export { getCanonicalQuery, parseQuery } from './get-canonical-query.js';
export type { QueryParameter } from './get-canonical-query.js';
export { canonicalHeaderValue, getCanonicalHeaders } from './get-canonical-headers.js';
export { createHeaderLookup } from './header-lookup.js';
export type { HeaderInput, HeaderLookup } from './header-lookup.js';
export { parseAuthorizationHeader } from './parse-authorization-header.js';
export type { ParseAuthorizationResult, ParsedAuthorization } from './parse-authorization-header.js';
export { hasPresignedQuery, parsePresignedQuery } from './parse-presigned-query.js';
export type { ParsePresignedQueryResult, ParsedPresignedQuery } from './parse-presigned-query.js';
export { formatAmzDate, parseAmzDate, parseHttpDate } from './parse-amz-date.js';
export { uriEscape } from './uri-escape.js';
export { signatureMatches } from './crypto.js';
export {
  ALGORITHM,
  ALGORITHM_V4A,
  DEFAULT_MAX_SKEW_MS,
  EMPTY_SHA256,
  MAX_PRESIGNED_EXPIRES_SECONDS,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  UNSIGNED_PAYLOAD,
} from './constants.js';
