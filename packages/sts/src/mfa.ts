import { createHmac } from 'node:crypto';
import type { Keyring } from '@latchkey/keyring';
import { base32Decode } from '@latchkey/model';
import type { Repositories } from '@latchkey/store';
import { timingSafeEqualString } from '@latchkey/keyring';

/** What an MFA check found: a fresh valid code, a wrong (or replayed) code, or no such device for this user. */
export type MfaResult = 'ok' | 'invalidCode' | 'unknownDevice';

export interface MfaCheck {
  readonly accountId: string;
  /** The IAM user whose device it must be; null for the account root. */
  readonly userId: string | null;
  readonly serialNumber: string;
  readonly code: string;
  readonly now: Date;
}

/**
 * Verifies `SerialNumber` + `TokenCode` inside the call's transaction: the device must be
 * assigned to the caller, the code valid (RFC 6238, ±1 step) and not used before (the store's
 * `acceptStep` makes each step usable once, also across instances).
 */
export interface MfaVerifier {
  verify(repos: Repositories, check: MfaCheck): Promise<MfaResult>;
}

const STEP_SECONDS = 30;
const DIGITS = 6;

/** RFC 4226 HOTP (HMAC-SHA1, dynamic truncation), as virtual MFA devices compute it. */
export function hotp(secret: Uint8Array, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

/** The TOTP time step of an instant. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS);
}

// A seed may be sealed as its raw bytes or as the Base32 text AWS hands out (Base32StringSeed).
function seedBytes(plaintext: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(plaintext);
  if (/^[A-Z2-7]{16,}=*$/.test(text)) {
    const decoded = base32Decode(text.replace(/=+$/, ''));
    if (decoded !== undefined) return decoded;
  }
  return plaintext;
}

/**
 * The default verifier over the store's MFA devices (seeds sealed with the keyring under
 * `mfa-seed:<SerialNumber>`). Tries steps now, now−1, now+1 and accepts the first match through
 * `acceptStep`, so a code (or an earlier one) already accepted is refused; failures are counted.
 */
export function storeMfaVerifier(keyring: Keyring): MfaVerifier {
  return {
    async verify(repos, check) {
      const device = await repos.mfaDevices.get(check.accountId, check.serialNumber);
      if (device === undefined || device.enabledAt === null) return 'unknownDevice';
      if ((check.userId === null && device.userId !== null) || (check.userId !== null && device.userId !== check.userId)) return 'unknownDevice';
      let secret: Uint8Array;
      try {
        secret = seedBytes(keyring.decrypt(device.seed.ciphertext, `mfa-seed:${device.serial}`));
      } catch {
        return 'unknownDevice';
      }
      const current = totpStep(check.now);
      let matched: number | undefined;
      // Compare every candidate (no early exit) so timing does not tell which step matched.
      for (const step of [current, current - 1, current + 1]) {
        if (timingSafeEqualString(hotp(secret, step), check.code) && matched === undefined) matched = step;
      }
      if (matched !== undefined && (await repos.mfaDevices.acceptStep(check.accountId, device.serial, matched, check.now.getTime()))) return 'ok';
      await repos.mfaDevices.recordFailure(check.accountId, device.serial);
      return 'invalidCode';
    },
  };
}
