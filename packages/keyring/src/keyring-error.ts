/**
 * The closed set of failures this package reports. Tests and callers branch on `code`, never on
 * message text.
 */
export type KeyringErrorCode =
  /** Master key text could not be parsed (bad id, bad encoding, wrong length, duplicate id). */
  | 'invalidKeyMaterial'
  /** A keyring was built from no keys. */
  | 'emptyKeyring'
  /** A key id argument is not in the ring. */
  | 'unknownKeyId'
  /** A ciphertext is not in the envelope format at all. */
  | 'malformedCiphertext'
  /** Authentication failed: wrong key, wrong associated data, or modified ciphertext. */
  | 'decryptionFailed'
  /** An argument is not usable (empty associated data, reserved label, invalid session). */
  | 'invalidArgument'
  /** The injected random source returned the wrong number of bytes. */
  | 'invalidRandomSource';

/**
 * Thrown by the keyring and codec for caller or data errors. Messages name fields, positions and
 * key ids only: never key material, plaintext, ciphertext or associated data, so an error can be
 * logged as is.
 */
export class KeyringError extends Error {
  readonly code: KeyringErrorCode;

  constructor(code: KeyringErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  override get name(): string {
    return 'KeyringError';
  }
}

export function isKeyringError(value: unknown): value is KeyringError {
  return value instanceof KeyringError;
}
