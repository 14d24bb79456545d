import { MalformedPolicyDocument } from '@latchkey/errors';

const EXTRA = /[!'()*]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * URL-encodes a JSON policy document as IAM returns it inside XML (RFC 3986: everything but
 * `A-Za-z0-9-._~` is percent-encoded as UTF-8, so `/` → `%2F`, space → `%20`, `*` → `%2A`).
 * Unpaired surrogates, which cannot be encoded, become U+FFFD rather than throwing.
 */
export function encodePolicyDocument(document: string): string {
  return encodeURIComponent(document.replace(LONE_SURROGATE, '\uFFFD')).replace(EXTRA, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The inverse, for callers that read our own responses (or a stored encoded document). */
export function decodePolicyDocument(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new MalformedPolicyDocument('The policy document is not a valid URL-encoded string.');
  }
}
