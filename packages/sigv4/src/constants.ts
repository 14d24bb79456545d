// Spec constants of AWS Signature Version 4 (header names are the lower-case forms).

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const ALGORITHM_V4A = 'AWS4-ECDSA-P256-SHA256';
export const KEY_TYPE_IDENTIFIER = 'aws4_request';
export const SECRET_KEY_PREFIX = 'AWS4';

export const AUTHORIZATION_HEADER = 'authorization';
export const AMZ_DATE_HEADER = 'x-amz-date';
export const DATE_HEADER = 'date';
export const HOST_HEADER = 'host';
export const AUTHORITY_PSEUDO_HEADER = ':authority';
export const SECURITY_TOKEN_HEADER = 'x-amz-security-token';
export const CONTENT_SHA256_HEADER = 'x-amz-content-sha256';
export const DECODED_CONTENT_LENGTH_HEADER = 'x-amz-decoded-content-length';
export const TRAILER_HEADER = 'x-amz-trailer';
export const REGION_SET_HEADER = 'x-amz-region-set';

export const ALGORITHM_QUERY_PARAM = 'X-Amz-Algorithm';
export const CREDENTIAL_QUERY_PARAM = 'X-Amz-Credential';
export const AMZ_DATE_QUERY_PARAM = 'X-Amz-Date';
export const EXPIRES_QUERY_PARAM = 'X-Amz-Expires';
export const SIGNED_HEADERS_QUERY_PARAM = 'X-Amz-SignedHeaders';
export const SIGNATURE_QUERY_PARAM = 'X-Amz-Signature';
export const TOKEN_QUERY_PARAM = 'X-Amz-Security-Token';
export const CONTENT_SHA256_QUERY_PARAM = 'X-Amz-Content-Sha256';
export const REGION_SET_QUERY_PARAM = 'X-Amz-Region-Set';

/** hex(SHA-256("")): the payload hash of an empty body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_PAYLOAD_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_PAYLOAD_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
/** Literals clients may send that this package does not implement (SigV4a streaming, event streams). */
export const UNSUPPORTED_PAYLOAD_LITERALS: readonly string[] = [
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-EVENTS',
];

export const CHUNK_STRING_TO_SIGN_PREFIX = 'AWS4-HMAC-SHA256-PAYLOAD';
export const TRAILER_STRING_TO_SIGN_PREFIX = 'AWS4-HMAC-SHA256-TRAILER';
export const TRAILER_SIGNATURE_NAME = 'x-amz-trailer-signature';

/** IAM and STS allow 15 minutes of clock skew for header auth. */
export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;
/** Presigned URLs: X-Amz-Expires in seconds, 1 s to 7 days. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604800;
export const DEFAULT_SIGNING_KEY_CACHE_SIZE = 50;

/** Bounds on attacker-controlled input, so malformed requests cost little. */
export const MAX_AUTHORIZATION_LENGTH = 16 * 1024;
export const MAX_SIGNED_HEADERS = 128;

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const S3_SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
export const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid';
export const EXPIRED_TOKEN_MESSAGE = 'The security token included in the request is expired';
export const S3_INVALID_ACCESS_KEY_MESSAGE = 'The AWS Access Key Id you provided does not exist in our records.';
export const MISSING_AUTH_MESSAGE = 'Request is missing Authentication Token';
