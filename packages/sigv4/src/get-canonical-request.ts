/** The parts of a canonical request, each already in canonical form. */
export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  /** `name:value\n` lines, as built by `getCanonicalHeaders`. */
  canonicalHeaders: string;
  /** `;`-joined lower-case names. */
  signedHeaders: string;
  payloadHash: string;
}

/**
 * `METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED_HEADERS\nPAYLOAD_HASH` (the headers block carries its
 * own line ends, hence the blank line; no newline after the payload hash).
 */
export function getCanonicalRequest(parts: CanonicalRequestParts): string {
  return (
    parts.method +
    '\n' +
    parts.canonicalUri +
    '\n' +
    parts.canonicalQuery +
    '\n' +
    parts.canonicalHeaders +
    '\n' +
    parts.signedHeaders +
    '\n' +
    parts.payloadHash
  );
}
