import { SESSION_TOKEN_VERSION } from './constants.js';
import type { Session, SessionPrincipalType, SessionTag } from './session.js';

// The token's payload uses one- and two-letter claim names: the payload is most of the token,
// and AWS-size tokens (a few hundred bytes) matter to clients that store them in headers and
// credential files. Adding a claim needs a new SESSION_TOKEN_VERSION, because readers refuse
// unknown claims (an older instance ignoring a new restriction would widen a session).

const TYPE_CODES: Readonly<Record<SessionPrincipalType, string>> = {
  AssumedRole: 'r',
  FederatedUser: 'f',
  IAMUser: 'u',
  Root: 'o',
};
const TYPES_BY_CODE = new Map(Object.entries(TYPE_CODES).map(([type, code]) => [code, type as SessionPrincipalType]));

type StringField = 'accessKeyId' | 'secretAccessKey' | 'accountId' | 'principalArn' | 'principalId';
type OptionalStringField = 'roleArn' | 'sourceAccessKeyId' | 'sessionPolicy' | 'sessionPolicyHash' | 'sourceIdentity';
type TimeField = 'issuedAt' | 'expiresAt';

const STRINGS: ReadonlyArray<readonly [StringField, string]> = [
  ['accessKeyId', 'a'],
  ['secretAccessKey', 's'],
  ['accountId', 'c'],
  ['principalArn', 'p'],
  ['principalId', 'i'],
];
const OPTIONAL_STRINGS: ReadonlyArray<readonly [OptionalStringField, string]> = [
  ['roleArn', 'r'],
  ['sourceAccessKeyId', 'k'],
  ['sessionPolicy', 'sp'],
  ['sessionPolicyHash', 'ph'],
  ['sourceIdentity', 'si'],
];
const TIMES: ReadonlyArray<readonly [TimeField, string]> = [
  ['issuedAt', 'ia'],
  ['expiresAt', 'ex'],
];
const KNOWN_CLAIMS = new Set(['v', 't', 'pa', 'g', 'tt', 'm', 'x', ...STRINGS.map(([, c]) => c), ...OPTIONAL_STRINGS.map(([, c]) => c), ...TIMES.map(([, c]) => c)]);

const SESSION_FIELDS = new Set([
  'type',
  'sessionPolicyArns',
  'tags',
  'transitiveTagKeys',
  'mfaAuthenticatedAt',
  'attributes',
  ...STRINGS.map(([f]) => f),
  ...OPTIONAL_STRINGS.map(([f]) => f),
  ...TIMES.map(([f]) => f),
]);

type Claims = Record<string, unknown>;

const isString = (value: unknown): value is string => typeof value === 'string';
const isNonEmptyString = (value: unknown): value is string => isString(value) && value.length > 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
// Object literals and null-prototype maps (`Object.create(null)`, a safe home for attacker-chosen
// keys such as web-identity claims); class instances and arrays are not sessions.
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * Why a session cannot be encoded, naming the field (never its value); undefined when valid.
 * Decoding applies the same rules, so whatever is minted reads back and nothing else does.
 */
export function sessionProblem(session: Session): string | undefined {
  if (!isPlainObject(session)) return 'session must be a plain object';
  const unknown = Object.keys(session).find((field) => !SESSION_FIELDS.has(field));
  // Refused rather than dropped: a caller adding a field expects it to come back.
  if (unknown !== undefined) return `unknown field ${JSON.stringify(unknown.slice(0, 64))}`;
  if (!isString(session.type) || !Object.hasOwn(TYPE_CODES, session.type)) return 'type';
  for (const [field] of STRINGS) if (!isNonEmptyString(session[field])) return field;
  for (const [field] of OPTIONAL_STRINGS) if (session[field] !== undefined && !isString(session[field])) return field;
  for (const [field] of TIMES) if (!isTime(session[field])) return field;
  if (session.expiresAt <= session.issuedAt) return 'expiresAt (must be after issuedAt)';
  if (session.mfaAuthenticatedAt !== undefined && !isTime(session.mfaAuthenticatedAt)) return 'mfaAuthenticatedAt';
  if (session.sessionPolicyArns !== undefined && !isStringArray(session.sessionPolicyArns)) return 'sessionPolicyArns';
  if (session.transitiveTagKeys !== undefined && !isStringArray(session.transitiveTagKeys)) return 'transitiveTagKeys';
  if (session.tags !== undefined) {
    if (!Array.isArray(session.tags)) return 'tags';
    for (const tag of session.tags as unknown[]) {
      if (!isPlainObject(tag) || !isString(tag['key']) || !isString(tag['value'])) return 'tags';
    }
  }
  if (session.attributes !== undefined) {
    if (!isPlainObject(session.attributes) || !Object.values(session.attributes).every(isString)) return 'attributes';
  }
  return undefined;
}

/** The compact payload for a valid session (check `sessionProblem` first). */
export function sessionToClaims(session: Session): Claims {
  const claims: Claims = { v: SESSION_TOKEN_VERSION, t: TYPE_CODES[session.type] };
  for (const [field, claim] of STRINGS) claims[claim] = session[field];
  for (const [field, claim] of OPTIONAL_STRINGS) if (session[field] !== undefined) claims[claim] = session[field];
  if (session.sessionPolicyArns !== undefined) claims['pa'] = [...session.sessionPolicyArns];
  if (session.tags !== undefined) claims['g'] = session.tags.map((tag) => [tag.key, tag.value]);
  if (session.transitiveTagKeys !== undefined) claims['tt'] = [...session.transitiveTagKeys];
  if (session.mfaAuthenticatedAt !== undefined) claims['m'] = session.mfaAuthenticatedAt;
  for (const [field, claim] of TIMES) claims[claim] = session[field];
  if (session.attributes !== undefined) claims['x'] = { ...session.attributes };
  return claims;
}

/** The session a payload carries, or undefined when it is not exactly a valid payload. */
export function claimsToSession(value: unknown): Session | undefined {
  if (!isPlainObject(value) || value['v'] !== SESSION_TOKEN_VERSION) return undefined;
  if (!Object.keys(value).every((claim) => KNOWN_CLAIMS.has(claim))) return undefined;
  const type = isString(value['t']) ? TYPES_BY_CODE.get(value['t']) : undefined;
  if (type === undefined) return undefined;
  const session: Record<string, unknown> = { type };
  for (const [field, claim] of STRINGS) session[field] = value[claim];
  for (const [field, claim] of OPTIONAL_STRINGS) if (value[claim] !== undefined) session[field] = value[claim];
  if (value['pa'] !== undefined) session['sessionPolicyArns'] = value['pa'];
  if (value['g'] !== undefined) {
    const pairs = value['g'];
    if (!Array.isArray(pairs) || !pairs.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(isString))) return undefined;
    session['tags'] = pairs.map(([key, tagValue]: [string, string]): SessionTag => ({ key, value: tagValue }));
  }
  if (value['tt'] !== undefined) session['transitiveTagKeys'] = value['tt'];
  if (value['m'] !== undefined) session['mfaAuthenticatedAt'] = value['m'];
  for (const [field, claim] of TIMES) session[field] = value[claim];
  if (value['x'] !== undefined) session['attributes'] = value['x'];
  const result = session as unknown as Session;
  return sessionProblem(result) === undefined ? result : undefined;
}
