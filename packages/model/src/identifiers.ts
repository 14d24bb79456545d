import { BASE32_ALPHABET, base32Decode, base32Encode } from './base32.js';
import { bytesToBase64 } from './base64.js';
import { draw, uniformIndices, type RandomBytes } from './random.js';

/**
 * Unique-id and key-id prefixes (IAM User Guide, "Understanding unique ID prefixes").
 * `AAGA` (action group) is listed for completeness; AWS's archived table does not have it.
 */
export const ID_PREFIX = {
  accessKey: 'AKIA',
  temporaryAccessKey: 'ASIA',
  user: 'AIDA',
  group: 'AGPA',
  role: 'AROA',
  managedPolicy: 'ANPA',
  managedPolicyVersion: 'ANVA',
  instanceProfile: 'AIPA',
  publicKey: 'APKA',
  certificate: 'ASCA',
  contextSpecificCredential: 'ACCA',
  actionGroup: 'AAGA',
  bearerToken: 'ABIA',
} as const;

export type IdKind = keyof typeof ID_PREFIX;
export type IdPrefix = (typeof ID_PREFIX)[IdKind];

/** Key ids are 20 characters (prefix + 16), unique ids 21 (prefix + 17), as AWS issues them. */
export const ACCESS_KEY_ID_LENGTH = 20;
export const UNIQUE_ID_LENGTH = 21;
export const SECRET_ACCESS_KEY_LENGTH = 40;

const ACCOUNT_RE = /^\d{12}$/;
// Bits 21..60 of a new-generation id (counting from the prefix) hold the account id; bit 20
// marks the generation. Decoding as published (A. Steele 2020, T. Beery, WithSecure Labs):
// base32-decode the characters after the prefix, take the first 48 bits big-endian,
// AND 0x7fffffffff80, shift right by 7.
const ACCOUNT_MASK = 0x7fffffffff80n;
const GENERATION_BIT = 0x800000000000n;

/**
 * The 12-digit account id encoded in a new-generation AWS identifier (`AKIA…`, `ASIA…`, `AIDA…`, `AROA…`, …),
 * as `sts:GetAccessKeyInfo` reports it. `undefined` when the id is too short, not base32, or an old-generation
 * id (5th character below `Q`, e.g. `AKIAIOSFODNN7EXAMPLE`), which carries no account.
 */
export function accountIdFromAccessKeyId(id: string): string | undefined {
  if (typeof id !== 'string' || id.length < 16) return undefined;
  const bytes = base32Decode(id.slice(4, 14));
  if (!bytes || bytes.length < 6) return undefined;
  let n = 0n;
  for (let i = 0; i < 6; i++) n = (n << 8n) | BigInt(bytes[i]!);
  if ((n & GENERATION_BIT) === 0n) return undefined;
  const account = (n & ACCOUNT_MASK) >> 7n;
  if (account > 999_999_999_999n) return undefined;
  return account.toString().padStart(12, '0');
}

/** 16 base32 characters carrying the account id (new-generation layout) followed by random bits. */
function accountBody(accountId: string, random: RandomBytes): string {
  if (!ACCOUNT_RE.test(accountId)) throw new RangeError('accountId must be 12 digits');
  const bytes = draw(random, 10).slice();
  const low7 = BigInt(bytes[5]! & 0x7f);
  const head = GENERATION_BIT | (BigInt(accountId) << 7n) | low7;
  for (let i = 5; i >= 0; i--) bytes[5 - i] = Number((head >> BigInt(i * 8)) & 0xffn);
  return base32Encode(bytes);
}

/** A new access key id (`AKIA…`, or `ASIA…` for temporary credentials) that decodes to `accountId`. */
export function generateAccessKeyId(accountId: string, random: RandomBytes, temporary = false): string {
  return (temporary ? ID_PREFIX.temporaryAccessKey : ID_PREFIX.accessKey) + accountBody(accountId, random);
}

/** A 21-character unique id (`AIDA…`, `AROA…`, `AGPA…`, `ANPA…`, …) that, like AWS's, decodes to `accountId`. */
export function generateUniqueId(kind: IdKind, accountId: string, random: RandomBytes): string {
  const last = uniformIndices(random, 32, 1)[0]!;
  return ID_PREFIX[kind] + accountBody(accountId, random) + BASE32_ALPHABET[last];
}

/** 40 characters of `[A-Za-z0-9+/]` (30 random bytes, base64 without padding), the shape of AWS secret keys. */
export function generateSecretAccessKey(random: RandomBytes): string {
  return bytesToBase64(draw(random, 30));
}

/** A uniformly random 12-digit account id. */
export function generateAccountId(random: RandomBytes): string {
  return uniformIndices(random, 10, 12).join('');
}

/** Which kind of IAM identifier a string is, by prefix; `undefined` for anything else. */
export function idKindOf(id: string): IdKind | undefined {
  const prefix = id.slice(0, 4);
  for (const [kind, p] of Object.entries(ID_PREFIX)) if (p === prefix) return kind as IdKind;
  return undefined;
}
