const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Strict, canonical base64url (no padding): returns undefined for any other alphabet, an
 * impossible length, or non-zero unused trailing bits. Node's decoder silently ignores those
 * bits, which would let two different strings carry the same bytes; refusing them means every
 * character of a token or ciphertext is covered by authentication.
 */
export function decodeBase64url(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
