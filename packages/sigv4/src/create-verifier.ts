import {
  AccessDenied,
  AuthorizationHeaderMalformed,
  AuthorizationQueryParametersError,
  AwsError,
  ExpiredToken,
  IncompleteSignature,
  InternalFailure,
  InvalidAccessKeyId,
  InvalidArgument,
  InvalidClientTokenId,
  InvalidRequest,
  MalformedQueryString,
  MissingAuthenticationToken,
  RequestExpired,
  RequestTimeTooSkewed,
  SignatureDoesNotMatch,
  XAmzContentSHA256Mismatch,
} from '@latchkey/errors';
import {
  ALGORITHM,
  ALGORITHM_QUERY_PARAM,
  ALGORITHM_V4A,
  REGION_SET_HEADER,
  AMZ_DATE_HEADER,
  AUTHORITY_PSEUDO_HEADER,
  AUTHORIZATION_HEADER,
  CONTENT_SHA256_HEADER,
  DATE_HEADER,
  DECODED_CONTENT_LENGTH_HEADER,
  DEFAULT_MAX_SKEW_MS,
  DEFAULT_SIGNING_KEY_CACHE_SIZE,
  EMPTY_SHA256,
  EXPIRED_TOKEN_MESSAGE,
  HOST_HEADER,
  INVALID_TOKEN_MESSAGE,
  MAX_PRESIGNED_EXPIRES_SECONDS,
  MAX_SIGNED_HEADERS,
  MISSING_AUTH_MESSAGE,
  S3_INVALID_ACCESS_KEY_MESSAGE,
  S3_SIGNATURE_MISMATCH_MESSAGE,
  SECURITY_TOKEN_HEADER,
  SIGNATURE_MISMATCH_MESSAGE,
  SIGNATURE_QUERY_PARAM,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  TOKEN_QUERY_PARAM,
  TRAILER_HEADER,
} from './constants.js';
import { createChunkVerifier, type ChunkEncoding } from './create-chunk-verifier.js';
import { hexSignatureMatches, hmacHex, hmacHexOfStringToSign, hmacPads, sha256Hex } from './crypto.js';
import { getCanonicalHeaders } from './get-canonical-headers.js';
import { canonicalQueryIfCanonical, getCanonicalQuery, parseQuery, type QueryParameter } from './get-canonical-query.js';
import { getCanonicalRequest } from './get-canonical-request.js';
import { getCanonicalUri, type CanonicalizationMode } from './get-canonical-uri.js';
import { getStringToSignPrefix } from './get-string-to-sign.js';
import { createHeaderLookup, firstHeaderValue, type HeaderLookup } from './header-lookup.js';
import { formatAmzDate, parseAmzDate, parseHttpDate } from './parse-amz-date.js';
import { parseAuthorizationHeader, type ParseAuthorizationResult } from './parse-authorization-header.js';
import { parsePresignedQuery } from './parse-presigned-query.js';
import { attachSignatureMismatchDebug } from './signature-mismatch-debug.js';
import { createScopeChecker } from './create-scope-checker.js';
import { echo } from './echo.js';
import { resolvePayloadHash } from './resolve-payload-hash.js';
import { deriveSigV4aPublicKey, verifySigV4aSignature } from './sigv4a.js';
import { SigningKeyCache } from './signing-key-cache.js';
import type {
  AuthType,
  CredentialLookupInput,
  ResolvedCredentials,
  StreamingPayload,
  VerifiedRequest,
  Verifier,
  VerifierOptions,
  VerifyRequest,
} from './types.js';
import { hasPrefix } from './has-prefix.js';

/** Everything established before the credential lookup. */
interface Pending {
  authType: AuthType;
  algorithm: string;
  /** SigV4a: the signed region set (also passed to the lookup as `region`). */
  regionSet: string | undefined;
  method: string;
  rawPath: string;
  params: QueryParameter[];
  /** The canonical query string when the raw one already was (then `params` is empty). */
  canonicalQuery: string | undefined;
  headers: HeaderLookup;
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  scope: string;
  amzDate: string;
  requestTime: number;
  now: number;
  signedHeaders: readonly string[];
  signedHeadersRaw: string;
  signature: string;
  sessionToken: string | undefined;
  /** The payload hash as it goes into the canonical request. */
  payloadHash: string;
  /** Whether the declared payload hash must be checked against the body. */
  checkBody: boolean;
  expiresAt: number | undefined;
  body: Uint8Array | string | undefined;
  bodySha256: string | undefined;
}

const NO_PARAMS: QueryParameter[] = [];
const SEPARATOR = /[,\s]/;
const notSignature = (q: QueryParameter): boolean => q.rawKey === SIGNATURE_QUERY_PARAM;
const notSignatureOrToken = (q: QueryParameter): boolean => q.rawKey === SIGNATURE_QUERY_PARAM || q.rawKey === TOKEN_QUERY_PARAM;

function isThenable<T>(value: unknown): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Creates a SigV4 verifier for one service endpoint. Checks run in the order AWS is observed to
 * use (see the checklist in shared/reference): auth present, parameters well formed, host signed,
 * date, clock skew or presign window, credential shape, credential scope, credential lookup,
 * body hash, signature.
 */
export function createVerifier<P>(options: VerifierOptions<P>): Verifier<P> {
  if (typeof options.lookup !== 'function') throw new TypeError('createVerifier: `lookup` must be a function');
  if (typeof options.now !== 'function') throw new TypeError('createVerifier: `now` must be a function');
  if (options.allowedServices === undefined) throw new TypeError('createVerifier: `allowedServices` is required (e.g. ["iam"])');
  const mode: CanonicalizationMode = options.mode ?? 'default';
  if (mode !== 'default' && mode !== 's3') throw new TypeError(`createVerifier: unknown mode '${String(mode)}' (expected 'default' or 's3')`);
  const s3 = mode === 's3';
  const pathMode: CanonicalizationMode = options.pathCanonicalization ?? mode;
  const allowUnsigned = options.allowUnsignedPayload ?? s3;
  const allowStreaming = options.allowStreamingPayload ?? s3;
  const allowUnsignedToken = options.allowUnsignedSessionToken ?? false;
  const maxSkew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const maxExpires = options.maxPresignedExpiresSeconds ?? MAX_PRESIGNED_EXPIRES_SECONDS;
  const maxPresignedAge = options.maxPresignedAgeMs;
  const debug = options.debugSignatureMismatch ?? false;
  const allowV4a = options.allowSigV4a ?? false;
  const publicKeys = new Map<string, Uint8Array>();
  const publicKeyCacheMax = options.signingKeyCache?.max ?? DEFAULT_SIGNING_KEY_CACHE_SIZE;
  const checkCredential = createScopeChecker({ s3, allowedRegions: options.allowedRegions, allowedServices: options.allowedServices });
  const payloadPolicy = { s3, allowUnsigned, allowStreaming };
  const cache = new SigningKeyCache(options.signingKeyCache?.max ?? DEFAULT_SIGNING_KEY_CACHE_SIZE);
  const mismatchMessage = s3 ? S3_SIGNATURE_MISMATCH_MESSAGE : SIGNATURE_MISMATCH_MESSAGE;
  const skewMinutes = `${Math.round(maxSkew / 60000)} min.`;

  const incomplete = (message: string): AwsError => new IncompleteSignature(message);

  // `AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n`, the part of the string to sign before the
  // canonical request's hash; the same for a client's requests within one second, so the last one
  // is kept (and with it, in hmacHexOfStringToSign, its UTF-8 bytes).
  let lastPrefixDate = '';
  let lastPrefixScope = '';
  let lastPrefix = '';
  function stringToSignPrefix(amzDate: string, scope: string): string {
    if (amzDate !== lastPrefixDate || scope !== lastPrefixScope) {
      lastPrefix = getStringToSignPrefix(amzDate, scope);
      lastPrefixDate = amzDate;
      lastPrefixScope = scope;
    }
    return lastPrefix;
  }

  function prepare(request: VerifyRequest): Pending {
    const url = request.url;
    let start = 0;
    if (hasPrefix(url, 'http://') || hasPrefix(url, 'https://')) {
      const slash = url.indexOf('/', url.indexOf('//') + 2);
      start = slash === -1 ? url.length : slash;
    }
    const q = url.indexOf('?', start);
    const rawPath = q === -1 ? url.slice(start) : url.slice(start, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    // an already-canonical query without presign parameters needs no parsing at all
    let canonicalQuery = canonicalQueryIfCanonical(rawQuery);
    if (canonicalQuery !== undefined && rawQuery.indexOf(ALGORITHM_QUERY_PARAM) !== -1) canonicalQuery = undefined;
    const params = canonicalQuery === undefined ? parseQuery(rawQuery) : NO_PARAMS;
    if (params === undefined) {
      throw s3 ? new InvalidArgument('The query string is not properly percent-encoded.') : new MalformedQueryString('The query string is not properly percent-encoded.');
    }
    const headers = createHeaderLookup(request.rawHeaders ?? request.headers);
    const authorization = firstHeaderValue(headers, AUTHORIZATION_HEADER);
    let presigned = false;
    for (let i = 0; i < params.length; i++) {
      if (params[i]!.rawKey === ALGORITHM_QUERY_PARAM) presigned = true;
    }
    // (1) exactly one auth mechanism
    if (authorization !== undefined && presigned) {
      const message =
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified';
      throw s3 ? new InvalidArgument(message) : new SignatureDoesNotMatch(message);
    }
    if (authorization === undefined && !presigned) {
      throw s3 ? new AccessDenied('Access Denied') : new MissingAuthenticationToken(MISSING_AUTH_MESSAGE);
    }
    const now = options.now();
    return presigned
      ? preparePresigned(request, rawPath, params, headers, now)
      : prepareHeader(request, authorization!, rawPath, params, canonicalQuery, headers, now);
  }

  // Clients repeat the same Credential and SignedHeaders on every request of a day: remember the
  // text before the signature of the last header that parsed in the plain SDK form, so the next
  // such header is one comparison and one slice.
  let lastAuthPrefix = '';
  let lastAuthCredential = '';
  let lastAuthSignedHeadersRaw = '';
  let lastAuthSignedHeaders: readonly string[] = [];

  function parseAuthorization(authorization: string): ParseAuthorizationResult {
    const prefixLength = lastAuthPrefix.length;
    if (prefixLength !== 0 && authorization.length === prefixLength + 64 && hasPrefix(authorization, lastAuthPrefix)) {
      const value = {
        algorithm: ALGORITHM,
        credential: lastAuthCredential,
        signedHeadersRaw: lastAuthSignedHeadersRaw,
        signedHeaders: lastAuthSignedHeaders, // frozen: shared by every request it matches
        signature: authorization.slice(prefixLength),
      };
      return { ok: true, algorithm: ALGORITHM, value };
    }
    const parsed = parseAuthorizationHeader(authorization);
    if (parsed.ok && parsed.algorithm === ALGORITHM) {
      const v = parsed.value;
      const prefix = ALGORITHM + ' Credential=' + v.credential + ', SignedHeaders=' + v.signedHeadersRaw + ', Signature=';
      // only when the header is exactly the form parseAuthorizationHeader's fast path takes, so
      // that a hit gives what it would give for any 64 characters after the prefix
      if (
        authorization.length === prefix.length + 64 &&
        hasPrefix(authorization, prefix) &&
        v.credential !== '' &&
        v.signedHeadersRaw !== '' &&
        !SEPARATOR.test(v.credential) &&
        !SEPARATOR.test(v.signedHeadersRaw)
      ) {
        lastAuthPrefix = prefix;
        lastAuthCredential = v.credential;
        lastAuthSignedHeadersRaw = v.signedHeadersRaw;
        lastAuthSignedHeaders = Object.freeze(v.signedHeaders.slice());
      }
    }
    return parsed;
  }

  function prepareHeader(
    request: VerifyRequest,
    authorization: string,
    rawPath: string,
    params: QueryParameter[],
    canonicalQuery: string | undefined,
    headers: HeaderLookup,
    now: number,
  ): Pending {
    // (2) the Authorization header is complete and well formed
    const parsed = parseAuthorization(authorization);
    const algorithm = parsed.algorithm;
    if (algorithm !== ALGORITHM && !(allowV4a && algorithm === ALGORITHM_V4A)) {
      throw s3 ? new InvalidArgument('Unsupported Authorization Type') : incomplete(`Unsupported AWS 'algorithm': '${echo(parsed.algorithm)}'.`);
    }
    const amzDateHeader = firstHeaderValue(headers, AMZ_DATE_HEADER);
    const dateHeader = amzDateHeader === undefined ? firstHeaderValue(headers, DATE_HEADER) : undefined;
    if (!parsed.ok || (amzDateHeader === undefined && dateHeader === undefined)) {
      const problems = parsed.ok ? [] : parsed.problems.slice();
      if (amzDateHeader === undefined && dateHeader === undefined) {
        if (s3 && parsed.ok) throw new AccessDenied('AWS authentication requires a valid Date or x-amz-date header');
        problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
      }
      if (s3) throw new AuthorizationHeaderMalformed('The authorization header is malformed; ' + problems.join(' '));
      throw incomplete(problems.join(' ') + ' Authorization=' + algorithm);
    }
    const auth = parsed.value;
    if (auth.signedHeaders.length > MAX_SIGNED_HEADERS) {
      throw s3 ? new AuthorizationHeaderMalformed('The authorization header is malformed; too many SignedHeaders.') : incomplete('Too many SignedHeaders.');
    }
    const sessionToken = firstHeaderValue(headers, SECURITY_TOKEN_HEADER);
    // (3) host (and the session token, and in S3 every x-amz-* header) signed
    checkSignedHeaders(auth.signedHeaders, headers, sessionToken !== undefined, 'header');
    const regionSet = algorithm === ALGORITHM_V4A ? firstHeaderValue(headers, REGION_SET_HEADER) : undefined;
    if (algorithm === ALGORITHM_V4A && (regionSet === undefined || !auth.signedHeaders.includes(REGION_SET_HEADER))) {
      throw new SignatureDoesNotMatch("'X-Amz-Region-Set' must be present and a 'SignedHeader' in the AWS Authorization.");
    }
    // (4) date
    let requestTime: number | undefined;
    let amzDate: string;
    if (amzDateHeader !== undefined) {
      amzDate = amzDateHeader;
      requestTime = parseAmzDate(amzDateHeader);
    } else {
      requestTime = parseHttpDate(dateHeader!.trim());
      amzDate = requestTime === undefined ? dateHeader! : formatAmzDate(requestTime);
    }
    if (requestTime === undefined) {
      if (s3) throw new AccessDenied('AWS authentication requires a valid Date or x-amz-date header');
      throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${echo(amzDate)}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    }
    // (5) clock skew
    if (requestTime < now - maxSkew || requestTime > now + maxSkew) {
      if (s3) throw new RequestTimeTooSkewed('The difference between the request time and the current time is too large.');
      throw new SignatureDoesNotMatch(
        requestTime < now - maxSkew
          ? `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - maxSkew)} (${formatAmzDate(now)} - ${skewMinutes})`
          : `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + maxSkew)} (${formatAmzDate(now)} + ${skewMinutes})`,
      );
    }
    // (6), (7) credential shape and scope
    const scope = checkCredential(auth.credential, amzDate, 'header', regionSet);
    const payload = resolvePayloadHash(firstHeaderValue(headers, CONTENT_SHA256_HEADER), 'header', payloadPolicy, bodyHash, request);
    return {
      authType: 'header',
      algorithm,
      regionSet,
      method: request.method,
      rawPath,
      params,
      canonicalQuery,
      headers,
      accessKeyId: scope.accessKeyId,
      date: scope.date,
      region: scope.region,
      service: scope.service,
      scope: scope.scope,
      amzDate,
      requestTime,
      now,
      signedHeaders: auth.signedHeaders,
      signedHeadersRaw: auth.signedHeadersRaw,
      signature: auth.signature,
      sessionToken,
      payloadHash: payload.payloadHash,
      checkBody: payload.checkBody,
      expiresAt: undefined,
      body: request.body,
      bodySha256: request.bodySha256,
    };
  }

  function preparePresigned(request: VerifyRequest, rawPath: string, params: QueryParameter[], headers: HeaderLookup, now: number): Pending {
    const queryError = (message: string): AwsError =>
      s3 ? new AuthorizationQueryParametersError(message) : incomplete(message);
    // (2) the X-Amz-* parameters are complete and well formed
    const parsed = parsePresignedQuery(params);
    if (!parsed.ok) throw queryError(parsed.problems.join(' ') + ' Re-examine the query-string parameters.');
    const auth = parsed.value;
    if (auth.algorithm !== ALGORITHM && !(allowV4a && auth.algorithm === ALGORITHM_V4A)) {
      throw queryError(s3 ? 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"' : `Unsupported AWS 'algorithm': '${echo(auth.algorithm)}'.`);
    }
    if (auth.signedHeaders.length > MAX_SIGNED_HEADERS) throw queryError('Too many X-Amz-SignedHeaders.');
    // (3)
    checkSignedHeaders(auth.signedHeaders, headers, false, 'presigned');
    // (4) date and expiry parameter
    const requestTime = parseAmzDate(auth.amzDate);
    if (requestTime === undefined) {
      throw queryError(
        s3
          ? `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`
          : `Date must be in ISO-8601 'basic format'. Got '${echo(auth.amzDate)}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
    const expires = auth.expires;
    let expiresSeconds = 0;
    let digitsOnly = expires.length > 0 && expires.length <= 10;
    for (let i = 0; digitsOnly && i < expires.length; i++) {
      const c = expires.charCodeAt(i);
      if (c < 0x30 || c > 0x39) digitsOnly = false;
      else expiresSeconds = expiresSeconds * 10 + (c - 0x30);
    }
    if (!digitsOnly) throw queryError('X-Amz-Expires should be a number');
    if (expiresSeconds < 1) throw queryError('X-Amz-Expires must be non-negative and at least 1 second');
    if (expiresSeconds > maxExpires) {
      throw queryError(
        `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${maxExpires} seconds`,
      );
    }
    // (5) validity window [X-Amz-Date, X-Amz-Date + X-Amz-Expires], never the skew rule
    let expiresAt = requestTime + expiresSeconds * 1000;
    if (maxPresignedAge !== undefined && requestTime + maxPresignedAge < expiresAt) expiresAt = requestTime + maxPresignedAge;
    if (requestTime > now + maxSkew) throw s3 ? new AccessDenied('Request is not yet valid') : new RequestExpired('Request is not yet valid');
    if (now > expiresAt) throw s3 ? new AccessDenied('Request has expired') : new RequestExpired('Request has expired');
    // (6), (7)
    const regionSet = auth.algorithm === ALGORITHM_V4A ? auth.regionSet : undefined;
    if (auth.algorithm === ALGORITHM_V4A && regionSet === undefined) {
      throw queryError("AWS query-string parameters must include 'X-Amz-Region-Set'. Re-examine the query-string parameters.");
    }
    const scope = checkCredential(auth.credential, auth.amzDate, 'presigned', regionSet);
    const payload = resolvePayloadHash(auth.contentSha256, 'presigned', payloadPolicy, bodyHash, request);
    return {
      authType: 'presigned',
      algorithm: auth.algorithm,
      regionSet,
      method: request.method,
      rawPath,
      params,
      canonicalQuery: undefined,
      headers,
      accessKeyId: scope.accessKeyId,
      date: scope.date,
      region: scope.region,
      service: scope.service,
      scope: scope.scope,
      amzDate: auth.amzDate,
      requestTime,
      now,
      signedHeaders: auth.signedHeaders,
      signedHeadersRaw: auth.signedHeadersRaw,
      signature: auth.signature,
      sessionToken: auth.securityToken,
      payloadHash: payload.payloadHash,
      checkBody: payload.checkBody,
      expiresAt,
      body: request.body,
      bodySha256: request.bodySha256,
    };
  }

  function checkSignedHeaders(signed: readonly string[], headers: HeaderLookup, tokenHeader: boolean, kind: AuthType): void {
    let host = false;
    let token = false;
    for (let i = 0; i < signed.length; i++) {
      const name = signed[i]!;
      if (name === HOST_HEADER || name === AUTHORITY_PSEUDO_HEADER) host = true;
      else if (name === SECURITY_TOKEN_HEADER) token = true;
    }
    if (!host) throw new SignatureDoesNotMatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    if (tokenHeader && !token && !allowUnsignedToken) {
      throw new SignatureDoesNotMatch("'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
    }
    if (s3) {
      const unsigned: string[] = [];
      for (const name of headers.names()) {
        if (!name.startsWith('x-amz-') || signed.includes(name)) continue;
        if (name === CONTENT_SHA256_HEADER) continue; // bound by the canonical request's last line anyway
        if (name === SECURITY_TOKEN_HEADER && (allowUnsignedToken || kind === 'presigned')) continue;
        unsigned.push(name);
      }
      if (unsigned.length > 0) {
        throw new AccessDenied('There were headers present in the request which were not signed', {
          detail: `HeadersNotSigned: ${unsigned.join(', ')}`,
        });
      }
    }
  }

  function publicKeyFor(accessKeyId: string, secret: string): Uint8Array {
    const id = accessKeyId + '/' + secret;
    let key = publicKeys.get(id);
    if (key === undefined) {
      key = deriveSigV4aPublicKey(accessKeyId, secret);
      if (publicKeyCacheMax > 0) {
        if (publicKeys.size >= publicKeyCacheMax) publicKeys.delete(publicKeys.keys().next().value!);
        publicKeys.set(id, key);
      }
    }
    return key;
  }

  // Pads of delegated signing keys, for lookups that hand back the same key object each time (a
  // cache). Keyed weakly by that object; a copy of its bytes guards against a key changed in place.
  const delegated = new WeakMap<Uint8Array, { bytes: Buffer; pads: Buffer }>();
  function delegatedPads(key: Uint8Array): Buffer {
    const hit = delegated.get(key);
    if (hit !== undefined && hit.bytes.equals(key)) return hit.pads;
    const entry = { bytes: Buffer.from(key), pads: hmacPads(key) };
    delegated.set(key, entry);
    return entry.pads;
  }

  function bodyHash(request: VerifyRequest): string {
    if (request.bodySha256 !== undefined) return request.bodySha256;
    const body = request.body;
    if (body === undefined || body.length === 0) return EMPTY_SHA256;
    return sha256Hex(body);
  }

  function lookupInput(p: Pending): CredentialLookupInput {
    const input: CredentialLookupInput = { accessKeyId: p.accessKeyId, date: p.date, region: p.region, service: p.service };
    if (p.algorithm === ALGORITHM_V4A) input.algorithm = ALGORITHM_V4A;
    if (p.sessionToken !== undefined) input.sessionToken = p.sessionToken;
    return input;
  }

  /** The credential lookup for a prepared request; a lookup that throws is a lookup failure. */
  function lookup(p: Pending): ReturnType<typeof options.lookup> {
    try {
      return options.lookup(lookupInput(p));
    } catch (error) {
      return lookupFailed(error);
    }
  }

  function lookupFailed(error: unknown): never {
    if (error instanceof AwsError) throw error;
    throw new InternalFailure('An internal error occurred while authenticating the request.', { cause: error });
  }

  function finish(p: Pending, creds: ResolvedCredentials<P> | undefined, request: VerifyRequest): VerifiedRequest<P> {
    // (8) the key and its session token
    if (creds === undefined || creds.status === 'Inactive' || (creds.requiresSessionToken === true && p.sessionToken === undefined)) {
      throw s3 ? new InvalidAccessKeyId(S3_INVALID_ACCESS_KEY_MESSAGE) : new InvalidClientTokenId(INVALID_TOKEN_MESSAGE);
    }
    if (creds.expiresAt !== undefined && p.now >= creds.expiresAt) throw new ExpiredToken(EXPIRED_TOKEN_MESSAGE);
    if (p.algorithm === ALGORITHM_V4A) return finishV4a(p, creds, request);
    let signingKey: Uint8Array;
    let pads: Buffer | undefined;
    if (creds.signingKey !== undefined) {
      signingKey = creds.signingKey;
      pads = delegatedPads(signingKey);
    } else if (typeof creds.secretAccessKey === 'string') {
      const cached = cache.entry(p.accessKeyId, creds.secretAccessKey, p.date, p.region, p.service);
      signingKey = cached.key;
      pads = cached.pads;
    } else throw new InternalFailure('An internal error occurred while authenticating the request.', { detail: 'lookup returned neither secretAccessKey nor signingKey' });
    // body against its declared hash
    if (p.checkBody && bodyHash(request) !== p.payloadHash) {
      throw new XAmzContentSHA256Mismatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    // (9) the signature
    const canonicalUri = getCanonicalUri(p.rawPath, pathMode);
    const canonicalHeaders = getCanonicalHeaders(p.signedHeaders, p.headers);
    let ok = false;
    let canonicalRequest = '';
    // the string to sign is `prefix + canonicalHash`; built as a string only for the debug output
    const prefix = stringToSignPrefix(p.amzDate, p.scope);
    let canonicalHash = '';
    if (canonicalHeaders.canonical !== undefined) {
      const presigned = p.authType === 'presigned';
      for (let pass = 0; pass < 2 && !ok; pass++) {
        // pass 1: a token appended to a presigned URL after signing (AWS IoT does this); opt-in only
        if (pass === 1 && !(allowUnsignedToken && presigned && p.sessionToken !== undefined)) break;
        const canonicalQuery =
          p.canonicalQuery ?? getCanonicalQuery(p.params, presigned ? (pass === 0 ? notSignature : notSignatureOrToken) : undefined);
        canonicalRequest = getCanonicalRequest({
          method: p.method,
          canonicalUri,
          canonicalQuery,
          canonicalHeaders: canonicalHeaders.canonical,
          signedHeaders: p.signedHeadersRaw,
          payloadHash: p.payloadHash,
        });
        canonicalHash = sha256Hex(canonicalRequest);
        ok = hexSignatureMatches(
          pads === undefined ? hmacHex(signingKey, prefix + canonicalHash) : hmacHexOfStringToSign(pads, signingKey, prefix, canonicalHash),
          p.signature,
        );
      }
    }
    if (!ok) {
      const error = new SignatureDoesNotMatch(mismatchMessage, {
        detail:
          canonicalHeaders.missing !== undefined
            ? `signed header '${canonicalHeaders.missing}' is absent from the request`
            : `signature mismatch for ${p.accessKeyId}`,
      });
      if (debug && canonicalHeaders.missing === undefined) attachSignatureMismatchDebug(error, { canonicalRequest, stringToSign: prefix + canonicalHash });
      throw error;
    }
    const result: VerifiedRequest<P> = {
      accessKeyId: p.accessKeyId,
      principal: creds.principal,
      credentialScope: { date: p.date, region: p.region, service: p.service },
      signedHeaders: p.signedHeaders,
      authType: p.authType,
      algorithm: ALGORITHM,
      requestTime: p.requestTime,
      amzDate: p.amzDate,
      payloadHash: p.payloadHash,
    };
    if (p.sessionToken !== undefined) result.sessionToken = p.sessionToken;
    if (p.expiresAt !== undefined) result.expiresAt = p.expiresAt;
    if (hasPrefix(p.payloadHash, 'STREAMING-')) {
      result.streaming = streamingPayload(p, signingKey);
      const body = request.body;
      if (body !== undefined && body.length > 0) {
        const verifier = result.streaming.createChunkVerifier();
        const data = verifier.push(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
        verifier.end();
        result.decodedBody = Buffer.concat(data);
      }
    }
    return result;
  }

  /** SigV4a: same canonical request; the ECDSA signature is verified, never recomputed. */
  function finishV4a(p: Pending, creds: ResolvedCredentials<P>, request: VerifyRequest): VerifiedRequest<P> {
    let publicKey: Uint8Array;
    if (creds.sigv4aPublicKey !== undefined) publicKey = creds.sigv4aPublicKey;
    else if (typeof creds.secretAccessKey === 'string') publicKey = publicKeyFor(p.accessKeyId, creds.secretAccessKey);
    else throw new InternalFailure('An internal error occurred while authenticating the request.', { detail: 'lookup returned neither secretAccessKey nor sigv4aPublicKey' });
    if (p.checkBody && bodyHash(request) !== p.payloadHash) {
      throw new XAmzContentSHA256Mismatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    if (p.payloadHash.startsWith('STREAMING-')) throw new InvalidRequest(`${p.payloadHash} is not supported with ${ALGORITHM_V4A}.`);
    const canonicalHeaders = getCanonicalHeaders(p.signedHeaders, p.headers);
    let canonicalRequest = '';
    let stringToSign = '';
    let ok = false;
    if (canonicalHeaders.canonical !== undefined) {
      const presigned = p.authType === 'presigned';
      for (let pass = 0; pass < 2 && !ok; pass++) {
        // pass 1: a token appended to a presigned URL after signing; opt-in only
        if (pass === 1 && !(allowUnsignedToken && presigned && p.sessionToken !== undefined)) break;
        canonicalRequest = getCanonicalRequest({
          method: p.method,
          canonicalUri: getCanonicalUri(p.rawPath, pathMode),
          canonicalQuery:
            p.canonicalQuery ?? getCanonicalQuery(p.params, presigned ? (pass === 0 ? notSignature : notSignatureOrToken) : undefined),
          canonicalHeaders: canonicalHeaders.canonical,
          signedHeaders: p.signedHeadersRaw,
          payloadHash: p.payloadHash,
        });
        stringToSign = ALGORITHM_V4A + '\n' + p.amzDate + '\n' + p.scope + '\n' + sha256Hex(canonicalRequest);
        ok = verifySigV4aSignature(publicKey, stringToSign, p.signature);
      }
    }
    if (!ok) {
      const error = new SignatureDoesNotMatch(mismatchMessage, { detail: `SigV4a signature mismatch for ${p.accessKeyId}` });
      if (debug && canonicalHeaders.missing === undefined) attachSignatureMismatchDebug(error, { canonicalRequest, stringToSign });
      throw error;
    }
    const result: VerifiedRequest<P> = {
      accessKeyId: p.accessKeyId,
      principal: creds.principal,
      credentialScope: { date: p.date, region: p.region, service: p.service },
      signedHeaders: p.signedHeaders,
      authType: p.authType,
      algorithm: ALGORITHM_V4A,
      requestTime: p.requestTime,
      amzDate: p.amzDate,
      payloadHash: p.payloadHash,
    };
    if (p.sessionToken !== undefined) result.sessionToken = p.sessionToken;
    if (p.expiresAt !== undefined) result.expiresAt = p.expiresAt;
    return result;
  }

  function streamingPayload(p: Pending, signingKey: Uint8Array): StreamingPayload {
    const encoding: ChunkEncoding =
      p.payloadHash === STREAMING_PAYLOAD ? 'signed' : p.payloadHash === STREAMING_PAYLOAD_TRAILER ? 'signed-trailer' : 'unsigned-trailer';
    const trailerHeader = firstHeaderValue(p.headers, TRAILER_HEADER);
    const trailers =
      trailerHeader === undefined
        ? []
        : trailerHeader
            .split(',')
            .map((t) => t.trim().toLowerCase())
            .filter((t) => t !== '');
    const lengthHeader = firstHeaderValue(p.headers, DECODED_CONTENT_LENGTH_HEADER);
    const decodedContentLength = lengthHeader !== undefined && /^\d{1,15}$/.test(lengthHeader.trim()) ? Number(lengthHeader.trim()) : undefined;
    const streaming: StreamingPayload = {
      payload: p.payloadHash,
      trailers,
      createChunkVerifier: () =>
        createChunkVerifier({
          encoding,
          signingKey,
          amzDate: p.amzDate,
          scope: p.scope,
          seedSignature: p.signature,
          expectedTrailers: trailers,
          ...(decodedContentLength === undefined ? {} : { decodedContentLength }),
          ...(options.maxChunkSize === undefined ? {} : { maxChunkSize: options.maxChunkSize }),
          signatureMismatchMessage: mismatchMessage,
        }),
    };
    if (decodedContentLength !== undefined) streaming.decodedContentLength = decodedContentLength;
    return streaming;
  }

  return {
    // Not an async function: a lookup that answers synchronously costs no await tick, only the
    // settled promise handed back; failures still arrive as rejections, never as throws.
    verify(request) {
      try {
        const pending = prepare(request);
        const found = lookup(pending);
        if (isThenable<ResolvedCredentials<P> | undefined>(found)) {
          // a thenable's own misbehaviour (a throwing `then`) is a lookup failure too
          return new Promise<ResolvedCredentials<P> | undefined>((resolve) => resolve(found)).then(
            (creds) => finish(pending, creds, request),
            lookupFailed,
          );
        }
        return Promise.resolve(finish(pending, found, request));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
    verifySync(request) {
      const pending = prepare(request);
      const found = lookup(pending);
      if (isThenable(found)) {
        // keep an eventual rejection from going unhandled
        Promise.resolve(found).catch(() => undefined);
        throw new TypeError('verifySync: the credential lookup returned a promise; use verify()');
      }
      return finish(pending, found as ResolvedCredentials<P> | undefined, request);
    },
    evictSigningKeys(accessKeyId) {
      cache.evict(accessKeyId);
    },
  };
}
