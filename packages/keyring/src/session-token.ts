import { compactDecrypt, errors as joseErrors } from 'jose';
import { createCipheriv, createSecretKey, webcrypto, type KeyObject } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { ExpiredToken, InvalidClientTokenId, type AwsError } from '@latchkey/errors';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import {
  COMPRESS_PAYLOAD_OVER,
  GCM_NONCE_BYTES,
  GCM_TAG_BYTES,
  KEY_ID_PATTERN,
  MAX_SESSION_PAYLOAD_BYTES,
  MAX_SESSION_TOKEN_LENGTH,
  SESSION_TOKEN_KEY_LABEL,
} from './constants.js';
import { deriveReservedKey, type Keyring } from './keyring.js';
import { KeyringError } from './keyring-error.js';
import { drawRandom, type Clock } from './random-source.js';
import type { Session } from './session.js';
import { claimsToSession, sessionProblem, sessionToClaims } from './session-claims.js';

/**
 * Why a token was refused. `malformed`: not a token of ours at all (wrong shape, header, sizes,
 * or an authenticated payload this version cannot read); `unknownKey`: made under a key id no
 * longer (or never) in the ring; `tampered`: authentication failed; `expired`: authentic but past
 * its expiry. The first three are AWS's `InvalidClientTokenId`, the last `ExpiredToken`.
 */
export type SessionTokenFailure = 'malformed' | 'unknownKey' | 'tampered' | 'expired';

export type SessionTokenResult =
  | { readonly ok: true; readonly session: Session }
  | { readonly ok: false; readonly failure: SessionTokenFailure };

export interface EncodeSessionTokenOptions {
  /** Tokens are made under its primary key; the nonce comes from its random source. */
  keyring: Keyring;
}

export interface DecodeSessionTokenOptions {
  /** Any key still in the ring decrypts the tokens made under it. */
  keyring: Keyring;
  /** Current time in milliseconds (`Date.now` in production). */
  now: Clock;
}

const ALG = 'dir';
const ENC = 'A256GCM';
const ZIP = 'DEF';
const HEADER_MEMBERS = ['alg', 'enc', 'kid'];

// Token keys per keyring and key id, made once: importing costs more than the AES-GCM of a
// token, and the key for a key id never changes. Minting uses a node:crypto KeyObject; reading
// uses jose, which needs a WebCrypto CryptoKey (imported on first use, the settled key kept next
// to its promise so a hot path pays no await for it).
interface TokenKey {
  readonly secret: KeyObject;
  /** The protected headers' base64url text (also the AAD), as jose writes them. */
  readonly header: string;
  readonly zippedHeader: string;
  cryptoKey?: webcrypto.CryptoKey | Promise<webcrypto.CryptoKey> | undefined;
}
const tokenKeys = new WeakMap<Keyring, Map<string, TokenKey>>();

function tokenKey(keyring: Keyring, keyId: string): TokenKey {
  let perRing = tokenKeys.get(keyring);
  if (perRing === undefined) {
    perRing = new Map();
    tokenKeys.set(keyring, perRing);
  }
  let entry = perRing.get(keyId);
  if (entry === undefined) {
    entry = {
      secret: createSecretKey(keyring[deriveReservedKey](keyId, SESSION_TOKEN_KEY_LABEL)),
      header: encodeHeader({ alg: ALG, enc: ENC, kid: keyId }),
      zippedHeader: encodeHeader({ alg: ALG, enc: ENC, kid: keyId, zip: ZIP }),
    };
    perRing.set(keyId, entry);
  }
  return entry;
}

function encodeHeader(header: Record<string, string>): string {
  return Buffer.from(JSON.stringify(header), 'utf8').toString('base64url');
}

function decryptionKey(entry: TokenKey): webcrypto.CryptoKey | Promise<webcrypto.CryptoKey> {
  if (entry.cryptoKey === undefined) {
    const promise = webcrypto.subtle.importKey('raw', entry.secret.export(), { name: 'AES-GCM' }, false, ['decrypt']);
    entry.cryptoKey = promise;
    void promise.then(
      (key) => (entry.cryptoKey = key),
      () => (entry.cryptoKey = undefined),
    );
  }
  return entry.cryptoKey;
}

const utf8 = new TextEncoder();

/**
 * Mints the `SessionToken` of a set of temporary credentials: a compact JWE (RFC 7516: `dir`,
 * `A256GCM`, `kid` = the primary master key id, `zip: "DEF"` (raw DEFLATE) for large sessions)
 * whose payload is the session with short claim names. The content key is HKDF-derived from the
 * master key under its own label. Throws `KeyringError` (`invalidArgument`) for a session that
 * could not be read back.
 *
 * Why node:crypto and not jose here: jose 6 encrypts only through WebCrypto, whose per-call
 * overhead (algorithm normalisation, an async job per call) made minting a token about 100 µs
 * against about 15 µs for the same AES-256-GCM through node:crypto — the largest single cost of
 * an AssumeRole. The output is byte for byte what jose's `CompactEncrypt` makes with the same
 * header, key and IV (a test holds it to that), and reading tokens stays with jose's
 * `compactDecrypt`, which authenticates them.
 */
export async function encodeSessionToken(session: Session, options: EncodeSessionTokenOptions): Promise<string> {
  const problem = sessionProblem(session);
  if (problem !== undefined) throw new KeyringError('invalidArgument', `invalid session: ${problem}`);
  const { keyring } = options;
  const keyId = keyring.primaryKeyId;
  const payload = utf8.encode(JSON.stringify(sessionToClaims(session)));
  if (payload.length > MAX_SESSION_PAYLOAD_BYTES) {
    throw new KeyringError('invalidArgument', `invalid session: its payload would exceed ${MAX_SESSION_PAYLOAD_BYTES} bytes`);
  }
  const zipped = payload.length > COMPRESS_PAYLOAD_OVER;
  const key = tokenKey(keyring, keyId);
  const protectedHeader = zipped ? key.zippedHeader : key.header;
  // The nonce comes from the injected source like every other random value here (production
  // injects crypto.randomBytes, and tests replay). A fresh 96-bit random nonce per token under a
  // key is GCM's standard construction.
  const iv = drawRandom(keyring.random, GCM_NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.secret, iv, { authTagLength: GCM_TAG_BYTES });
  // RFC 7516 §5.1: the AAD is the ASCII of the encoded protected header.
  cipher.setAAD(Buffer.from(protectedHeader, 'latin1'));
  const plaintext = zipped ? deflateRawSync(payload) : payload;
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const token = `${protectedHeader}..${encodeBase64url(iv)}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  if (token.length > MAX_SESSION_TOKEN_LENGTH) {
    throw new KeyringError('invalidArgument', `invalid session: the token would exceed ${MAX_SESSION_TOKEN_LENGTH} characters`);
  }
  return token;
}

const fail = (failure: SessionTokenFailure): SessionTokenResult => ({ ok: false, failure });

/** The key id of a token that has exactly the shape we mint, or undefined. */
function wellFormedKeyId(token: unknown): string | undefined {
  if (typeof token !== 'string' || token.length > MAX_SESSION_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 5) return undefined;
  const [headerText, encryptedKey, ivText, ciphertextText, tagText] = parts as [string, string, string, string, string];
  if (encryptedKey !== '') return undefined;
  if (decodeBase64url(ivText)?.length !== GCM_NONCE_BYTES || decodeBase64url(tagText)?.length !== GCM_TAG_BYTES) return undefined;
  const ciphertext = decodeBase64url(ciphertextText);
  const headerBytes = decodeBase64url(headerText);
  if (ciphertext === undefined || ciphertext.length === 0 || headerBytes === undefined) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return undefined;
  const members = header as Record<string, unknown>;
  const names = Object.keys(members);
  const zipped = Object.hasOwn(members, 'zip');
  if (zipped && members['zip'] !== ZIP) return undefined;
  if (names.length !== HEADER_MEMBERS.length + (zipped ? 1 : 0) || !HEADER_MEMBERS.every((name) => Object.hasOwn(members, name))) return undefined;
  const kid = members['kid'];
  if (members['alg'] !== ALG || members['enc'] !== ENC || typeof kid !== 'string' || !KEY_ID_PATTERN.test(kid)) return undefined;
  return kid;
}

/**
 * Reads a session token. Never throws: every input that is not an authentic, current token of
 * this keyring yields a typed failure. The shape is checked strictly before any cryptography
 * (so truncation is `malformed`, and arbitrary input cannot reach jose's error paths), then the
 * JWE is authenticated, then the payload parsed, then expiry checked against `now`.
 */
export async function decodeSessionToken(token: string, options: DecodeSessionTokenOptions): Promise<SessionTokenResult> {
  const keyId = wellFormedKeyId(token);
  if (keyId === undefined) return fail('malformed');
  const { keyring } = options;
  if (!keyring.has(keyId)) return fail('unknownKey');
  let plaintext: Uint8Array;
  try {
    const key = decryptionKey(tokenKey(keyring, keyId));
    const result = await compactDecrypt(token, key instanceof Promise ? await key : key, {
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
      maxDecompressedLength: MAX_SESSION_PAYLOAD_BYTES,
    });
    plaintext = result.plaintext;
  } catch (error) {
    return fail(error instanceof joseErrors.JWEDecryptionFailed ? 'tampered' : 'malformed');
  }
  let session: Session | undefined;
  try {
    session = claimsToSession(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)));
  } catch {
    session = undefined;
  }
  if (session === undefined) return fail('malformed');
  if (isSessionExpired(session, options.now())) return fail('expired');
  return { ok: true, session };
}

/**
 * True once `now` (milliseconds) reaches the session's expiry. Callers that cache decoded
 * sessions by token must re-check this on every cache hit.
 */
export function isSessionExpired(session: Session, now: number): boolean {
  return now >= session.expiresAt * 1000;
}

const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN_MESSAGE = 'The security token included in the request is expired';

/** The AWS error a failure is answered with (403 `ExpiredToken` or `InvalidClientTokenId`). */
export function sessionTokenError(failure: SessionTokenFailure): AwsError {
  return failure === 'expired'
    ? new ExpiredToken(EXPIRED_TOKEN_MESSAGE, { detail: 'session token expired' })
    : new InvalidClientTokenId(INVALID_TOKEN_MESSAGE, { detail: `session token ${failure}` });
}
