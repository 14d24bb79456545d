import type { Keyring } from '@latchkey/keyring';
import { base32Decode } from '@latchkey/model';
import type { MfaDeviceRecord, SealedSecret } from '@latchkey/store';

/** The owner binding of a sealed MFA seed (keyring README): purpose plus the device's serial. */
export function mfaSeedAad(serial: string): string {
  return `mfa-seed:${serial}`;
}

/** Encrypts a device's base32 seed under the keyring's primary master key, bound to its serial. */
export function sealMfaSeed(keyring: Keyring, serial: string, base32Seed: string): SealedSecret {
  const ciphertext = keyring.encrypt(base32Seed, mfaSeedAad(serial));
  return { ciphertext, keyId: keyring.keyIdOf(ciphertext) };
}

/** The raw seed bytes of a device (the caller zeroes them after use). */
export function unsealMfaSeed(keyring: Keyring, device: Pick<MfaDeviceRecord, 'serial' | 'seed'>): Uint8Array {
  const text = keyring.decryptString(device.seed.ciphertext, mfaSeedAad(device.serial));
  const bytes = base32Decode(text);
  if (bytes === undefined) throw new Error('stored MFA seed is not base32');
  return bytes;
}
