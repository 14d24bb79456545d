import type { LoginProfileRecord, Repositories } from '@latchkey/store';
import { DEFAULT_BACKOFF, type AttemptThrottle, type BackoffPolicy } from './attempt-throttle.js';
import { activeLockout, clearPasswordFailures, recordPasswordFailure } from './failure-lockout.js';
import type { PasswordHasher } from './password-hasher.js';
import { passwordExpiresAt } from './password-rules.js';

export interface PasswordTarget {
  readonly accountId: string;
  readonly userId: string;
}

export type PasswordVerification =
  | {
      readonly ok: true;
      readonly profile: LoginProfileRecord;
      /** The user must set a new password before doing anything else (PasswordResetRequired, or expired without HardExpiry). */
      readonly passwordChangeRequired: boolean;
      /** When the password expires under the account policy, if it does. */
      readonly expiresAt?: Date;
    }
  | {
      readonly ok: false;
      /**
       * `noLoginProfile`: the user has no password; `invalidPassword`: wrong password;
       * `locked`: too many failures, refused without checking; `expired`: the password is past
       * MaxPasswordAge under HardExpiry (only an administrator can reset it).
       */
      readonly reason: 'noLoginProfile' | 'invalidPassword' | 'locked' | 'expired';
      readonly retryAt?: Date;
    };

export interface VerifyPasswordOptions {
  /** The persistent lockout's policy; defaults to the throttle's, else `DEFAULT_BACKOFF`. */
  readonly backoff?: BackoffPolicy;
  /** An optional extra in-process backoff layer on top of the store's lockout. */
  readonly throttle?: AttemptThrottle;
}

/** The throttle key of a user's password. */
export const passwordThrottleKey = (accountId: string, userId: string): string => `password:${accountId}:${userId}`;

/**
 * Checks a user's password (the STS sign-in extension uses it) with lockout: after the throttle
 * policy's free attempts each failure locks the profile (store `lockedUntil`, and the throttle
 * when given) for an exponentially growing time, and a locked profile is refused without
 * hashing. A missing profile still costs one hash, so timing does not reveal which users have
 * passwords. The password never appears in the result.
 */
export async function verifyPassword(
  repos: Repositories,
  hasher: PasswordHasher,
  now: Date,
  target: PasswordTarget,
  password: string,
  options: VerifyPasswordOptions = {},
): Promise<PasswordVerification> {
  const at = now.getTime();
  const profile = await repos.loginProfiles.get(target.accountId, target.userId);
  if (profile === undefined) {
    await hasher.verify(await dummyHash(hasher), password);
    return { ok: false, reason: 'noLoginProfile' };
  }
  const key = passwordThrottleKey(target.accountId, target.userId);
  const throttled = options.throttle?.retryAt(key, at);
  const retryAt = Math.max(throttled ?? 0, activeLockout(profile, at) ?? 0);
  if (retryAt > 0) return { ok: false, reason: 'locked', retryAt: new Date(retryAt) };
  if (!(await hasher.verify(profile.passwordHash, password))) {
    options.throttle?.failure(key, at);
    await recordPasswordFailure(repos, profile, at, options.backoff ?? options.throttle?.policy ?? DEFAULT_BACKOFF);
    return { ok: false, reason: 'invalidPassword' };
  }
  options.throttle?.success(key);
  await clearPasswordFailures(repos, profile);
  const policy = await repos.passwordPolicies.get(target.accountId);
  const expiresAt = passwordExpiresAt(profile.passwordLastChangedAt, policy);
  const expired = expiresAt !== undefined && expiresAt <= at;
  if (expired && policy?.hardExpiry === true) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    profile,
    passwordChangeRequired: profile.passwordResetRequired || expired,
    ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt) }),
  };
}

const dummies = new WeakMap<PasswordHasher, Promise<string>>();

/** A hash of a fixed non-secret string per hasher, computed once: the cost of a miss equals a hit's. */
function dummyHash(hasher: PasswordHasher): Promise<string> {
  let hash = dummies.get(hasher);
  if (hash === undefined) {
    hash = hasher.hash('latchkey-no-login-profile');
    dummies.set(hasher, hash);
  }
  return hash;
}
