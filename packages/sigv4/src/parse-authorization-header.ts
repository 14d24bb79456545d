import { MAX_AUTHORIZATION_LENGTH } from './constants.js';
import { hasPrefix } from './has-prefix.js';

export interface ParsedAuthorization {
  algorithm: string;
  /** The raw `Credential` value: `keyid/yyyymmdd/region/service/aws4_request` when well formed. */
  credential: string;
  /** `SignedHeaders` as sent (`;`-joined), and split. */
  signedHeadersRaw: string;
  signedHeaders: readonly string[];
  signature: string;
}

export type ParseAuthorizationResult =
  | { ok: true; algorithm: string; value: ParsedAuthorization }
  | {
      ok: false;
      algorithm: string;
      /** Client-safe sentences explaining what is wrong (AWS's wording where known). */
      problems: string[];
      /** Which of the three parameters are missing, for callers composing their own message. */
      missing: Array<'Credential' | 'SignedHeaders' | 'Signature'>;
    };

const MAX_ECHO = 64;
function echo(text: string): string {
  return text.length > MAX_ECHO ? text.slice(0, MAX_ECHO) + '...' : text;
}

/**
 * Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. Parameters are
 * trimmed, in any order, separated by `,` (with or without a following space). A parameter
 * without `=`, a repeated parameter or a missing one is reported, never thrown. The algorithm is
 * returned as sent: the caller decides which ones it supports.
 */
export function parseAuthorizationHeader(header: string): ParseAuthorizationResult {
  const fast = parseSdkForm(header);
  if (fast !== undefined) return fast;
  const value = header.trim();
  const space = value.indexOf(' ');
  const algorithm = space === -1 ? value : value.slice(0, space);
  if (value.length > MAX_AUTHORIZATION_LENGTH) {
    return { ok: false, algorithm, problems: ['Authorization header is too long.'], missing: [] };
  }
  let credential: string | undefined;
  let signedHeadersRaw: string | undefined;
  let signature: string | undefined;
  const problems: string[] = [];
  if (space !== -1) {
    let start = space + 1;
    while (start <= value.length) {
      let end = value.indexOf(',', start);
      if (end === -1) end = value.length;
      const piece = value.slice(start, end).trim();
      start = end + 1;
      if (piece === '') continue;
      const eq = piece.indexOf('=');
      if (eq === -1) {
        problems.push(`'${echo(piece)}' not a valid key=value pair (missing equal-sign) in Authorization header.`);
        continue;
      }
      const key = piece.slice(0, eq).trim();
      const v = piece.slice(eq + 1).trim();
      if (key === 'Credential') {
        if (credential !== undefined) problems.push(`Authorization header has a repeated 'Credential' parameter.`);
        credential = v;
      } else if (key === 'SignedHeaders') {
        if (signedHeadersRaw !== undefined) problems.push(`Authorization header has a repeated 'SignedHeaders' parameter.`);
        signedHeadersRaw = v;
      } else if (key === 'Signature') {
        if (signature !== undefined) problems.push(`Authorization header has a repeated 'Signature' parameter.`);
        signature = v;
      }
      // Unknown parameters are ignored, as AWS does.
    }
  }
  const missing: Array<'Credential' | 'SignedHeaders' | 'Signature'> = [];
  if (credential === undefined) missing.push('Credential');
  if (signature === undefined) missing.push('Signature');
  if (signedHeadersRaw === undefined) missing.push('SignedHeaders');
  for (const name of missing) problems.push(`Authorization header requires '${name}' parameter.`);
  if (problems.length > 0 || credential === undefined || signature === undefined || signedHeadersRaw === undefined) {
    return { ok: false, algorithm, problems, missing };
  }
  return {
    ok: true,
    algorithm,
    value: { algorithm, credential, signedHeadersRaw, signedHeaders: signedHeadersRaw.split(';'), signature },
  };
}

const PREFIX = 'AWS4-HMAC-SHA256 Credential=';
const SIGNED_HEADERS = ', SignedHeaders=';
const SIGNATURE = ', Signature=';

/**
 * The exact form every SDK sends (`AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`),
 * parsed with three searches; anything else (other order, other spacing, odd pieces) takes the
 * general path.
 */
function parseSdkForm(header: string): ParseAuthorizationResult | undefined {
  if (!hasPrefix(header, PREFIX)) return undefined;
  const sh = header.indexOf(SIGNED_HEADERS, PREFIX.length);
  if (sh === -1) return undefined;
  const sig = header.indexOf(SIGNATURE, sh + SIGNED_HEADERS.length);
  if (sig === -1) return undefined;
  const credential = header.slice(PREFIX.length, sh);
  const signedHeadersRaw = header.slice(sh + SIGNED_HEADERS.length, sig);
  const signature = header.slice(sig + SIGNATURE.length);
  // anything unusual (another parameter, white space, a longer signature) takes the general path
  if (signature.length !== 64 || hasSeparator(credential) || hasSeparator(signedHeadersRaw)) return undefined;
  return {
    ok: true,
    algorithm: 'AWS4-HMAC-SHA256',
    value: { algorithm: 'AWS4-HMAC-SHA256', credential, signedHeadersRaw, signedHeaders: signedHeadersRaw.split(';'), signature },
  };
}

/** A comma or white space inside a value means the header is not in the plain SDK form. */
function hasSeparator(value: string): boolean {
  return value.length === 0 || value.indexOf(',') !== -1 || value.indexOf(' ') !== -1 || value.indexOf('\t') !== -1;
}
