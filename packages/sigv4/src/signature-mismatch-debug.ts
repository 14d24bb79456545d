/** What the server computed, for debugging a SignatureDoesNotMatch (AWS S3 returns these). */
export interface SignatureMismatchDebug {
  canonicalRequest: string;
  stringToSign: string;
}

const debugInfo = new WeakMap<Error, SignatureMismatchDebug>();

export function attachSignatureMismatchDebug(error: Error, debug: SignatureMismatchDebug): void {
  debugInfo.set(error, debug);
}

/**
 * The canonical request and string to sign behind a SignatureDoesNotMatch raised by a verifier
 * created with `debugSignatureMismatch: true`; undefined otherwise. Never contains the secret or
 * signing key; it does contain every signed header (a signed session token included), so render
 * it to the client or to logs only where that is acceptable.
 */
export function getSignatureMismatchDebug(error: unknown): SignatureMismatchDebug | undefined {
  return error instanceof Error ? debugInfo.get(error) : undefined;
}
