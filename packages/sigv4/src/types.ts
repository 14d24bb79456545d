import type { ChunkVerifier } from './create-chunk-verifier.js';
import type { CanonicalizationMode } from './get-canonical-uri.js';
import type { CredentialScope } from './get-string-to-sign.js';
import type { HeaderInput } from './header-lookup.js';

export interface CredentialLookupInput {
  accessKeyId: string;
  /** The `X-Amz-Security-Token` sent with the request, if any. */
  sessionToken?: string;
  /** Set to `AWS4-ECDSA-P256-SHA256` for SigV4a requests (then `region` is the signed region set). */
  algorithm?: 'AWS4-ECDSA-P256-SHA256';
  /** Scope date, yyyymmdd. */
  date: string;
  region: string;
  service: string;
}

export interface ResolvedCredentials<P> {
  /** The secret; or give `signingKey` instead. */
  secretAccessKey?: string;
  /** A signing key already derived for exactly the lookup's (date, region, service). */
  signingKey?: Uint8Array;
  /** SigV4a: the key pair's public key (uncompressed P-256 point), instead of the secret. */
  sigv4aPublicKey?: Uint8Array;
  /** `Inactive` keys are refused with InvalidClientTokenId. Default `Active`. */
  status?: 'Active' | 'Inactive';
  /** Epoch ms after which the credentials are refused with ExpiredToken (temporary credentials). */
  expiresAt?: number;
  principal: P;
  /**
   * Temporary (ASIA...) credentials: a session token must be present. The lookup is responsible
   * for checking that the token it was given belongs to the key (it receives it as input).
   */
  requiresSessionToken?: boolean;
}

export type CredentialLookup<P> = (
  input: CredentialLookupInput,
) => ResolvedCredentials<P> | undefined | Promise<ResolvedCredentials<P> | undefined>;

export interface VerifierOptions<P> {
  lookup: CredentialLookup<P>;
  /** Injected clock, epoch ms. */
  now: () => number;
  /** `default` (IAM, STS, everything else) or `s3` (no path normalisation or re-encoding, S3 errors). */
  mode?: CanonicalizationMode;
  /** Path rules only, when they differ from `mode` (a non-S3 service that signs paths S3-style). */
  pathCanonicalization?: CanonicalizationMode;
  /** Regions accepted in the credential scope. Default: any syntactically valid region name. */
  allowedRegions?: readonly string[] | ((region: string) => boolean);
  /** Signing names accepted in the credential scope (`iam`, `sts`, ...). Required. */
  allowedServices: readonly string[] | ((service: string) => boolean);
  /** Accept `x-amz-content-sha256: UNSIGNED-PAYLOAD` (and presigned requests without a body hash). Default: true in s3 mode. */
  allowUnsignedPayload?: boolean;
  /** Accept `STREAMING-*` aws-chunked payloads. Default: true in s3 mode. */
  allowStreamingPayload?: boolean;
  /**
   * Accept an `X-Amz-Security-Token` added after signing (not in SignedHeaders, or left out of the
   * presigned canonical query), as some AWS services do. Default false: the token must be signed.
   */
  allowUnsignedSessionToken?: boolean;
  /** Allowed clock skew for header auth (and for presigned dates in the future). Default 900000. */
  maxSkewMs?: number;
  /** Largest `X-Amz-Expires` accepted, seconds. Default 604800 (7 days). */
  maxPresignedExpiresSeconds?: number;
  /**
   * Cap the validity of a presigned URL at this many ms after `X-Amz-Date`, whatever its
   * `X-Amz-Expires` says (AWS STS treats presigned GetCallerIdentity this way, 15 minutes).
   */
  maxPresignedAgeMs?: number;
  /**
   * Attach the canonical request and string to sign to SignatureDoesNotMatch errors (see
   * `getSignatureMismatchDebug`). Off by default: they reveal request details (never the secret).
   */
  debugSignatureMismatch?: boolean;
  /** Accept SigV4a (`AWS4-ECDSA-P256-SHA256`, ECDSA P-256) signatures. Default false. */
  allowSigV4a?: boolean;
  /** Bound of the signing-key cache (entries). Default 50; 0 disables caching. */
  signingKeyCache?: { max: number };
  /** Largest aws-chunked chunk accepted, bytes. Default 16 MiB. */
  maxChunkSize?: number;
}

export interface VerifyRequest {
  method: string;
  /** The request target exactly as received: raw path and query, still percent-encoded. */
  url: string;
  /** `req.headers`-style record or `req.rawHeaders`-style pairs. */
  headers: HeaderInput;
  /** `req.rawHeaders`; preferred over `headers` when given (repeated headers stay exact). */
  rawHeaders?: readonly string[];
  /** The body bytes exactly as received (a string is taken as UTF-8). Absent means empty. */
  body?: Uint8Array | string;
  /** Hex SHA-256 of the body, when the caller hashed a streamed body itself (instead of `body`). */
  bodySha256?: string;
}

export type AuthType = 'header' | 'presigned';

export interface StreamingPayload {
  /** The `x-amz-content-sha256` literal. */
  payload: string;
  decodedContentLength?: number;
  /** Trailer names announced in `x-amz-trailer`. */
  trailers: string[];
  /** A verifier for the aws-chunked body, seeded with this request's signature and scope. */
  createChunkVerifier(): ChunkVerifier;
}

export interface VerifiedRequest<P> {
  accessKeyId: string;
  principal: P;
  credentialScope: CredentialScope;
  /** Frozen when it comes from the verifier's memo of the last Authorization header: read only. */
  signedHeaders: readonly string[];
  authType: AuthType;
  algorithm: 'AWS4-HMAC-SHA256' | 'AWS4-ECDSA-P256-SHA256';
  sessionToken?: string;
  /** Request time (X-Amz-Date or Date), epoch ms. */
  requestTime: number;
  /** Request time, ISO 8601 basic. */
  amzDate: string;
  /** The payload hash that was signed (hex, or a literal such as UNSIGNED-PAYLOAD). */
  payloadHash: string;
  /** Presigned requests: epoch ms at which the URL stops being valid. */
  expiresAt?: number;
  /** aws-chunked uploads: verify the body with this. */
  streaming?: StreamingPayload;
  /** aws-chunked uploads whose whole body was passed in `body`: the verified, decoded data. */
  decodedBody?: Uint8Array;
}

export interface Verifier<P> {
  verify(request: VerifyRequest): Promise<VerifiedRequest<P>>;
  /**
   * Synchronous verification, for a lookup that answers synchronously (an in-memory table or a
   * cache): saves the promise machinery. Throws TypeError if the lookup returns a promise.
   */
  verifySync(request: VerifyRequest): VerifiedRequest<P>;
  /** Forget cached signing keys of one access key (rotation, deactivation, deletion). */
  evictSigningKeys(accessKeyId: string): void;
}
