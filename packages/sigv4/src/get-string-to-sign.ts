import { ALGORITHM, KEY_TYPE_IDENTIFIER } from './constants.js';
import { sha256Hex } from './crypto.js';

export interface CredentialScope {
  /** yyyymmdd */
  date: string;
  region: string;
  service: string;
}

/** `date/region/service/aws4_request`. */
export function getCredentialScopeString(scope: CredentialScope): string {
  return scope.date + '/' + scope.region + '/' + scope.service + '/' + KEY_TYPE_IDENTIFIER;
}

/** `AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n`: the string to sign up to the canonical request's hash. */
export function getStringToSignPrefix(amzDate: string, scope: string): string {
  return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n';
}

/**
 * `AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex SHA-256 of the canonical request as UTF-8>`.
 * `amzDate` is the ISO 8601 basic form (`20150830T123600Z`).
 */
export function getStringToSign(amzDate: string, scope: CredentialScope | string, canonicalRequest: string): string {
  const scopeString = typeof scope === 'string' ? scope : getCredentialScopeString(scope);
  return getStringToSignPrefix(amzDate, scopeString) + sha256Hex(canonicalRequest);
}
