import type { LoginProfileRecord, MfaDeviceRecord, Repositories } from '@latchkey/store';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './attempt-throttle.js';

// The persistent form of the MFA-code and password backoff (see attempt-throttle.ts for the
// policy): the counter, the lock and the last failure time live on the device and the login
// profile, so every server instance on one database sees the same lockout. Failures are written
// outside the failing call's transaction (a rolled-back call would take them with it): STS
// verifies in a transaction of its own that commits, IAM operations attach the writes to their
// error with `withAfterRollback`.

/** The failure fields a device and a login profile share. */
export interface FailureState {
  readonly failedAttempts: number;
  readonly lockedUntil: number | null;
  readonly lastFailedAt: number | null;
}

/** When the lockout ends (epoch ms), or undefined when an attempt may be checked at `at`. */
export function activeLockout(state: FailureState, at: number): number | undefined {
  return state.lockedUntil !== null && state.lockedUntil > at ? state.lockedUntil : undefined;
}

/** A counter quiet for `forgetAfterMs`, and not locked, starts over (as the in-process throttle does). */
function forgotten(state: FailureState, at: number, policy: BackoffPolicy): boolean {
  return state.lastFailedAt !== null && at - state.lastFailedAt >= policy.forgetAfterMs && activeLockout(state, at) === undefined;
}

/**
 * Counts a wrong code against `device` and locks it for `backoffDelay(failures)` once past the
 * free allowance. The increment is atomic; the lock only ever grows, so concurrent failures on
 * several instances lock at least as long as either alone. Returns the failure count.
 */
export async function recordMfaFailure(repos: Repositories, device: MfaDeviceRecord, at: number, policy: BackoffPolicy = DEFAULT_BACKOFF): Promise<number> {
  if (forgotten(device, at, policy)) await repos.mfaDevices.resetFailures(device.accountId, device.serial);
  const failures = await repos.mfaDevices.recordFailure(device.accountId, device.serial, at);
  const delay = backoffDelay(failures, policy);
  if (delay > 0) await repos.mfaDevices.lockUntil(device.accountId, device.serial, at + delay);
  return failures;
}

/** The same for a wrong password against a login profile. */
export async function recordPasswordFailure(repos: Repositories, profile: LoginProfileRecord, at: number, policy: BackoffPolicy = DEFAULT_BACKOFF): Promise<number> {
  if (forgotten(profile, at, policy)) await repos.loginProfiles.resetFailedAttempts(profile.accountId, profile.userId);
  const failures = await repos.loginProfiles.recordFailedAttempt(profile.accountId, profile.userId, undefined, at);
  const delay = backoffDelay(failures, policy);
  if (delay > 0) await repos.loginProfiles.lockUntil(profile.accountId, profile.userId, at + delay);
  return failures;
}

/** Clears a device's failure state after an accepted code (when there is any to clear). */
export async function clearMfaFailures(repos: Repositories, device: MfaDeviceRecord): Promise<void> {
  if (device.failedAttempts > 0 || device.lockedUntil !== null || device.lastFailedAt !== null) await repos.mfaDevices.resetFailures(device.accountId, device.serial);
}

/** Clears a login profile's failure state after a correct password. */
export async function clearPasswordFailures(repos: Repositories, profile: LoginProfileRecord): Promise<void> {
  if (profile.failedAttempts > 0 || profile.lockedUntil !== null || profile.lastFailedAt !== null) await repos.loginProfiles.resetFailedAttempts(profile.accountId, profile.userId);
}
