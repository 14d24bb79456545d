import type { Keyring } from '@latchkey/keyring';
import type { SealedSecret } from '@latchkey/store';

/** The owner binding of a sealed secret access key (keyring README): purpose plus key id. */
export function secretAccessKeyAad(accessKeyId: string): string {
  return `secret-access-key:${accessKeyId}`;
}

/** Encrypts a secret access key under the keyring's primary master key, bound to its key id. */
export function sealSecretAccessKey(keyring: Keyring, accessKeyId: string, secret: string): SealedSecret {
  const ciphertext = keyring.encrypt(secret, secretAccessKeyAad(accessKeyId));
  return { ciphertext, keyId: keyring.keyIdOf(ciphertext) };
}

export function unsealSecretAccessKey(keyring: Keyring, accessKeyId: string, sealed: SealedSecret): string {
  return keyring.decryptString(sealed.ciphertext, secretAccessKeyAad(accessKeyId));
}
