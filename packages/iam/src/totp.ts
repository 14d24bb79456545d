import { timingSafeEqualString } from '@latchkey/keyring';
import { base32Encode } from '@latchkey/model';
import { generateSync } from 'otplib';

// RFC 6238 TOTP as AWS's virtual MFA devices use it: HMAC-SHA-1, 6 digits, 30-second steps
// counted from the Unix epoch. Codes come from otplib (`generateSync`); the window search,
// replay rule and constant-time comparison are ours, so the matched time step is explicit.

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** AWS seeds are 64 base32 characters: 40 random bytes. */
export const MFA_SEED_BYTES = 40;
/** Steps either side of the current one a code may come from (the usual one-step tolerance). */
export const TOTP_TOLERANCE_STEPS = 1;

/** The TOTP time step of an instant (epoch milliseconds or a Date). */
export function totpStep(at: number | Date): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  return Math.floor(ms / 1000 / TOTP_PERIOD_SECONDS);
}

/** The 6-digit code of `secret` (raw seed bytes) at time step `step`. */
export function totpCode(secret: Uint8Array, step: number): string {
  return generateSync({ secret, epoch: step * TOTP_PERIOD_SECONDS, period: TOTP_PERIOD_SECONDS, digits: TOTP_DIGITS, algorithm: 'sha1' });
}

/**
 * The latest step in `[from, to]` whose code equals `code`, or undefined. Every candidate is
 * computed and compared in constant time, so timing says nothing about which step matched.
 */
export function matchStep(secret: Uint8Array, code: string, from: number, to: number): number | undefined {
  let found: number | undefined;
  for (let step = from; step <= to; step++) {
    if (timingSafeEqualString(totpCode(secret, step), code)) found = step;
  }
  return found;
}

/**
 * The step of `code2` when `code1` and `code2` are the codes of two consecutive steps with
 * `code2`'s step in `[from, to]` (what EnableMFADevice and ResyncMFADevice require), else undefined.
 */
export function matchConsecutive(secret: Uint8Array, code1: string, code2: string, from: number, to: number): number | undefined {
  let found: number | undefined;
  let previous = totpCode(secret, from - 1);
  for (let step = from; step <= to; step++) {
    const current = totpCode(secret, step);
    // Both comparisons always run (no short-circuit), so the time taken does not depend on the codes.
    const first = timingSafeEqualString(previous, code1);
    const second = timingSafeEqualString(current, code2);
    if (first && second) found = step;
    previous = current;
  }
  return found;
}

/** A new seed as AWS hands it out: 64 characters of unpadded RFC 4648 base32. */
export function encodeMfaSeed(bytes: Uint8Array): string {
  if (bytes.length !== MFA_SEED_BYTES) throw new RangeError(`an MFA seed is ${MFA_SEED_BYTES} bytes`);
  return base32Encode(bytes);
}

/**
 * The `otpauth://` URI a virtual MFA device's QR code carries. AWS documents the label as
 * `<VirtualMFADeviceName>@<AccountName>` and prefixes it with its issuer (authenticator apps
 * show "Amazon Web Services (name@account)"); the issuer here is configurable.
 */
export function otpauthUri(options: { issuer: string; deviceName: string; accountName: string; seed: string }): string {
  const issuer = encodeURIComponent(options.issuer);
  const label = `${issuer}:${encodeURIComponent(`${options.deviceName}@${options.accountName}`)}`;
  return `otpauth://totp/${label}?secret=${options.seed}&issuer=${issuer}`;
}
