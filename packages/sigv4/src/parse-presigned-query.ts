import {
  ALGORITHM_QUERY_PARAM,
  AMZ_DATE_QUERY_PARAM,
  CONTENT_SHA256_QUERY_PARAM,
  CREDENTIAL_QUERY_PARAM,
  EXPIRES_QUERY_PARAM,
  REGION_SET_QUERY_PARAM,
  SIGNATURE_QUERY_PARAM,
  SIGNED_HEADERS_QUERY_PARAM,
  TOKEN_QUERY_PARAM,
} from './constants.js';
import type { QueryParameter } from './get-canonical-query.js';
import { percentDecode } from './uri-escape.js';

export interface ParsedPresignedQuery {
  algorithm: string;
  credential: string;
  amzDate: string;
  expires: string;
  signedHeadersRaw: string;
  signedHeaders: string[];
  signature: string;
  securityToken?: string;
  contentSha256?: string;
  /** SigV4a */
  regionSet?: string;
}

export type ParsePresignedQueryResult =
  | { ok: true; value: ParsedPresignedQuery }
  | { ok: false; problems: string[]; missing: string[] };

const REQUIRED = [CREDENTIAL_QUERY_PARAM, SIGNATURE_QUERY_PARAM, SIGNED_HEADERS_QUERY_PARAM, AMZ_DATE_QUERY_PARAM, EXPIRES_QUERY_PARAM] as const;
const KNOWN = new Set<string>([...REQUIRED, ALGORITHM_QUERY_PARAM, TOKEN_QUERY_PARAM, CONTENT_SHA256_QUERY_PARAM, REGION_SET_QUERY_PARAM]);

/** Whether the query carries presigned-URL auth (an `X-Amz-Algorithm` parameter). */
export function hasPresignedQuery(params: readonly QueryParameter[]): boolean {
  for (const p of params) if (p.rawKey === ALGORITHM_QUERY_PARAM) return true;
  return false;
}

/**
 * Reads the `X-Amz-*` auth parameters of a presigned URL, percent-decoded (`+` stays a plus).
 * Missing required parameters and repeated auth parameters are reported, never thrown.
 */
export function parsePresignedQuery(params: readonly QueryParameter[]): ParsePresignedQueryResult {
  const found = new Map<string, string>();
  const problems: string[] = [];
  for (const p of params) {
    if (!KNOWN.has(p.rawKey)) continue;
    if (found.has(p.rawKey)) {
      problems.push(`AWS query-string parameters must not repeat '${p.rawKey}'.`);
      continue;
    }
    const decoded = percentDecode(p.rawValue);
    if (decoded === undefined) {
      problems.push(`AWS query-string parameter '${p.rawKey}' is not properly percent-encoded.`);
      continue;
    }
    found.set(p.rawKey, decoded);
  }
  const missing = REQUIRED.filter((name) => !found.has(name));
  for (const name of missing) problems.push(`AWS query-string parameters must include '${name}'.`);
  if (problems.length > 0) return { ok: false, problems, missing };
  const signedHeadersRaw = found.get(SIGNED_HEADERS_QUERY_PARAM)!;
  const value: ParsedPresignedQuery = {
    algorithm: found.get(ALGORITHM_QUERY_PARAM)!,
    credential: found.get(CREDENTIAL_QUERY_PARAM)!,
    amzDate: found.get(AMZ_DATE_QUERY_PARAM)!,
    expires: found.get(EXPIRES_QUERY_PARAM)!,
    signedHeadersRaw,
    signedHeaders: signedHeadersRaw.split(';'),
    signature: found.get(SIGNATURE_QUERY_PARAM)!,
  };
  const token = found.get(TOKEN_QUERY_PARAM);
  if (token !== undefined) value.securityToken = token;
  const sha = found.get(CONTENT_SHA256_QUERY_PARAM);
  if (sha !== undefined) value.contentSha256 = sha;
  const regionSet = found.get(REGION_SET_QUERY_PARAM);
  if (regionSet !== undefined) value.regionSet = regionSet;
  return { ok: true, value };
}
