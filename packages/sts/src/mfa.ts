import { AttemptThrottle, verifyMfaCode } from '@latchkey/iam';
import type { Keyring } from '@latchkey/keyring';
import type { Repositories } from '@latchkey/store';

/** What an MFA check found: a fresh valid code, or AWS's AccessDenied text for why not. */
export type MfaResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'unknownDevice' | 'invalidCode' | 'throttled'; readonly message: string };

export interface MfaCheck {
  readonly accountId: string;
  /** The IAM user whose device it must be. */
  readonly userId: string;
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

/**
 * The default verifier: `@latchkey/iam`'s `verifyMfaCode` (virtual MFA devices in the store,
 * seeds sealed with the keyring) with a per-device failure backoff.
 */
export function storeMfaVerifier(keyring: Keyring, throttle: AttemptThrottle = new AttemptThrottle()): MfaVerifier {
  return {
    async verify(repos, check) {
      const result = await verifyMfaCode(repos, keyring, check.now, { accountId: check.accountId, userId: check.userId, serialNumber: check.serialNumber }, check.code, { throttle });
      return result.ok ? { ok: true } : { ok: false, reason: result.reason, message: result.message };
    },
  };
}
