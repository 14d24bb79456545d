import type { Keyring } from '@latchkey/keyring';
import type { MfaDeviceRecord, Repositories } from '@latchkey/store';
import { DEFAULT_BACKOFF, type AttemptThrottle, type BackoffPolicy } from './attempt-throttle.js';
import { activeLockout, recordMfaFailure } from './failure-lockout.js';
import { MFA_INVALID_CODE, MFA_UNKNOWN_DEVICE } from './credential-messages.js';
import { unsealMfaSeed } from './mfa-seed.js';
import { matchStep, TOTP_TOLERANCE_STEPS, totpStep } from './totp.js';

/** Whose device, which device: STS passes the calling user and the request's `SerialNumber`. */
export interface MfaCodeTarget {
  readonly accountId: string;
  /** The IAM user the device must be assigned to. */
  readonly userId: string;
  readonly serialNumber: string;
}

export type MfaVerification =
  | { readonly ok: true; readonly step: number; readonly device: MfaDeviceRecord }
  | {
      readonly ok: false;
      /** `unknownDevice`: not this user's device; `invalidCode`: wrong or reused code; `throttled`: too many failures. */
      readonly reason: 'unknownDevice' | 'invalidCode' | 'throttled';
      /** AWS's text for the AccessDenied STS answers with. */
      readonly message: string;
      /** When the device may be tried again (throttled only). */
      readonly retryAt?: Date;
    };

export interface VerifyMfaOptions {
  /** The persistent lockout's policy; defaults to the throttle's, else `DEFAULT_BACKOFF`. */
  readonly backoff?: BackoffPolicy;
  /** An optional extra in-process backoff layer on top of the store's lockout. */
  readonly throttle?: AttemptThrottle;
}

/** The throttle key of a device. */
export const mfaThrottleKey = (accountId: string, serial: string): string => `mfa:${accountId}:${serial}`;

/**
 * Checks a TOTP code for an MFA device assigned to a user, as AssumeRole / GetSessionToken with
 * `SerialNumber` + `TokenCode` need: the code must be the device's for the current step or one
 * step either side, and later than the last accepted step (each code works once per device:
 * `acceptStep` is atomic, so of two concurrent uses exactly one wins). Failures count against the
 * device in the store (its `failedAttempts` and `lockedUntil`, shared by every instance: `repos`
 * must commit even though the check failed, as STS's own verification transaction does) and a
 * locked device is refused without looking at the code. Never throws for a bad code; the code
 * never appears in the result.
 */
export async function verifyMfaCode(
  repos: Repositories,
  keyring: Keyring,
  now: Date,
  target: MfaCodeTarget,
  code: string,
  options: VerifyMfaOptions = {},
): Promise<MfaVerification> {
  const device = await repos.mfaDevices.get(target.accountId, target.serialNumber);
  if (device === undefined || device.userId !== target.userId) return { ok: false, reason: 'unknownDevice', message: MFA_UNKNOWN_DEVICE };
  const key = mfaThrottleKey(target.accountId, device.serial);
  const at = now.getTime();
  const retryAt = Math.max(options.throttle?.retryAt(key, at) ?? 0, activeLockout(device, at) ?? 0);
  if (retryAt > 0) return { ok: false, reason: 'throttled', message: MFA_INVALID_CODE, retryAt: new Date(retryAt) };
  const step = acceptableStep(keyring, device, code, totpStep(now));
  if (step !== undefined && (await repos.mfaDevices.acceptStep(target.accountId, device.serial, step, at))) {
    options.throttle?.success(key);
    return { ok: true, step, device };
  }
  options.throttle?.failure(key, at);
  await recordMfaFailure(repos, device, at, options.backoff ?? options.throttle?.policy ?? DEFAULT_BACKOFF);
  return { ok: false, reason: 'invalidCode', message: MFA_INVALID_CODE };
}

/** The step `code` belongs to within the tolerance window and after the last accepted step, if any. */
export function acceptableStep(keyring: Keyring, device: MfaDeviceRecord, code: string, currentStep: number): number | undefined {
  if (!/^\d{6}$/u.test(code)) return undefined;
  const from = Math.max(currentStep - TOTP_TOLERANCE_STEPS, (device.lastUsedStep ?? -Infinity) + 1);
  const to = currentStep + TOTP_TOLERANCE_STEPS;
  if (from > to) return undefined;
  const seed = unsealMfaSeed(keyring, device);
  try {
    return matchStep(seed, code, from, to);
  } finally {
    seed.fill(0);
  }
}
