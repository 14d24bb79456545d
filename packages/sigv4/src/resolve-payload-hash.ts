import { InvalidArgument, InvalidRequest } from '@latchkey/errors';
import {
  EMPTY_SHA256,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  UNSIGNED_PAYLOAD,
  UNSUPPORTED_PAYLOAD_LITERALS,
} from './constants.js';
import { isLowerHex64 } from './crypto.js';
import type { AuthType } from './types.js';

export interface PayloadPolicy {
  s3: boolean;
  allowUnsigned: boolean;
  allowStreaming: boolean;
}

export interface ResolvedPayloadHash {
  /** The last line of the canonical request. */
  payloadHash: string;
  /** Whether the declared hash must still be checked against the body that arrived. */
  checkBody: boolean;
}

/**
 * The payload hash of the canonical request, from the declared `x-amz-content-sha256` (header, or
 * `X-Amz-Content-Sha256` of a presigned URL) or else the body's own hash; S3 requires the header
 * and presumes `UNSIGNED-PAYLOAD` for presigned URLs. Literals the service does not allow are
 * refused here, before the credential lookup.
 */
export function resolvePayloadHash<R>(
  declared: string | undefined,
  kind: AuthType,
  policy: PayloadPolicy,
  // a function and its argument rather than a closure: no allocation per request
  bodyHash: (request: R) => string,
  request: R,
): ResolvedPayloadHash {
  const { s3, allowUnsigned, allowStreaming } = policy;
  if (declared === undefined) {
    if (s3) {
      if (kind === 'presigned') {
        if (!allowUnsigned) throw new InvalidRequest('UNSIGNED-PAYLOAD is not accepted by this service.');
        return { payloadHash: UNSIGNED_PAYLOAD, checkBody: false };
      }
      throw new InvalidRequest('Missing required header for this request: x-amz-content-sha256');
    }
    return { payloadHash: bodyHash(request), checkBody: false };
  }
  // the empty body's hash (every GET an SDK signs) needs no character-by-character check
  if (declared === EMPTY_SHA256 || isLowerHex64(declared)) return { payloadHash: declared, checkBody: true };
  if (declared === UNSIGNED_PAYLOAD) {
    if (!allowUnsigned) throw new InvalidRequest('UNSIGNED-PAYLOAD is not accepted by this service.');
    return { payloadHash: declared, checkBody: false };
  }
  if (declared === STREAMING_PAYLOAD || declared === STREAMING_PAYLOAD_TRAILER || declared === STREAMING_UNSIGNED_PAYLOAD_TRAILER) {
    if (kind === 'presigned') throw new InvalidRequest(`${declared} cannot be used with a presigned URL.`);
    if (!allowStreaming) throw new InvalidRequest(`${declared} is not accepted by this service.`);
    if (declared === STREAMING_UNSIGNED_PAYLOAD_TRAILER && !allowUnsigned) {
      throw new InvalidRequest(`${declared} is not accepted by this service.`);
    }
    return { payloadHash: declared, checkBody: false };
  }
  if (UNSUPPORTED_PAYLOAD_LITERALS.includes(declared)) throw new InvalidRequest(`${declared} is not supported.`);
  const message =
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER, or a valid sha256 value.';
  throw s3 ? new InvalidArgument(message) : new InvalidRequest(message);
  }
