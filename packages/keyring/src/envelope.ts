import { ENVELOPE_VERSION, GCM_NONCE_BYTES, GCM_TAG_BYTES, KEY_ID_PATTERN } from './constants.js';
import { decodeBase64url, encodeBase64url } from './base64url.js';

/** The parts of an envelope ciphertext `v1.<kid>.<nonce>.<ciphertext+tag>`. */
export interface Envelope {
  readonly keyId: string;
  readonly nonce: Uint8Array;
  /** AES-GCM ciphertext followed by its 16-byte tag. */
  readonly sealed: Uint8Array;
}

/** Parses the envelope text form; undefined for anything that is not exactly that form. */
export function parseEnvelope(text: unknown): Envelope | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const [version, keyId, nonceText, sealedText] = parts as [string, string, string, string];
  if (version !== ENVELOPE_VERSION || !KEY_ID_PATTERN.test(keyId)) return undefined;
  const nonce = decodeBase64url(nonceText);
  const sealed = decodeBase64url(sealedText);
  if (nonce?.length !== GCM_NONCE_BYTES || sealed === undefined || sealed.length < GCM_TAG_BYTES) return undefined;
  return { keyId, nonce, sealed };
}

export function formatEnvelope(envelope: Envelope): string {
  return [ENVELOPE_VERSION, envelope.keyId, encodeBase64url(envelope.nonce), encodeBase64url(envelope.sealed)].join('.');
}

/**
 * The GCM associated data: the format version and key id (so the visible header is
 * authenticated too) and the caller's owner binding. Key ids cannot contain NUL, so the
 * encoding is unambiguous.
 */
export function envelopeAad(keyId: string, aad: string): Buffer {
  return Buffer.from(`${ENVELOPE_VERSION}\u0000${keyId}\u0000${aad}`, 'utf8');
}
