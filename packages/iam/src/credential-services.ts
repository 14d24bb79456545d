import { AttemptThrottle, DEFAULT_BACKOFF, type BackoffPolicy } from './attempt-throttle.js';
import type { AnyOperation } from './operation.js';
import { changePasswordOperations } from './operations/change-password.js';
import { loginProfileOperations } from './operations/login-profiles.js';
import { mfaDeviceOperations } from './operations/mfa-devices.js';
import { passwordPolicyOperations } from './operations/password-policy.js';
import { Argon2idHasher, type PasswordHasher } from './password-hasher.js';

/**
 * What the MFA and password operations need beyond the operation context: the password hasher
 * (injected so tests can hash cheaply), the failure backoff policy, the in-process throttles
 * (an optional extra layer STS keeps; the lockout itself is in the store), and the issuer named
 * in MFA QR codes. `credentialOperations(services)` builds the operations over them.
 */
export interface CredentialServices {
  readonly passwordHasher: PasswordHasher;
  /** The persistent lockout's backoff (failure counts and `lockedUntil` in the store). */
  readonly backoff: BackoffPolicy;
  readonly mfaThrottle: AttemptThrottle;
  readonly passwordThrottle: AttemptThrottle;
  /** The issuer authenticator apps show for a device (AWS: "Amazon Web Services"). */
  readonly mfaIssuer: string;
}

export const DEFAULT_MFA_ISSUER = 'Latchkey';

/** Defaults: argon2id with OWASP parameters, the default backoff, fresh in-process throttles. */
export function credentialServices(overrides: Partial<CredentialServices> = {}): CredentialServices {
  return {
    passwordHasher: overrides.passwordHasher ?? new Argon2idHasher(),
    backoff: overrides.backoff ?? DEFAULT_BACKOFF,
    mfaThrottle: overrides.mfaThrottle ?? new AttemptThrottle(),
    passwordThrottle: overrides.passwordThrottle ?? new AttemptThrottle(),
    mfaIssuer: overrides.mfaIssuer ?? DEFAULT_MFA_ISSUER,
  };
}

/** Every MFA-device, login-profile, ChangePassword and password-policy operation over `services`. */
export function credentialOperations(services: CredentialServices): AnyOperation[] {
  return [...mfaDeviceOperations(services), ...loginProfileOperations(services), ...changePasswordOperations(services), ...passwordPolicyOperations];
}

/**
 * `operations` with the credential operations rebuilt over `services` (a test hasher, shared
 * throttles, another QR issuer): pass the result as `IamServiceOptions.operations`.
 */
export function withCredentialServices(operations: Readonly<Record<string, AnyOperation>>, services: CredentialServices): Readonly<Record<string, AnyOperation>> {
  const table: Record<string, AnyOperation> = Object.assign(Object.create(null) as Record<string, AnyOperation>, operations);
  for (const op of credentialOperations(services)) table[op.name] = op;
  return Object.freeze(table);
}
