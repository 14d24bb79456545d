import type { LoginProfileRecord, PasswordPolicyRecord } from '@latchkey/store';
import type { PasswordHasher } from './password-hasher.js';

/** The symbols a `RequireSymbols` policy counts (IAM User Guide, "Set an account password policy"). */
export const PASSWORD_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

/**
 * What `UpdateAccountPasswordPolicy` stores for every member it is not given: the call is not
 * a partial update (shared/reference/sts-iam-api.md §4.2).
 */
export const PASSWORD_POLICY_DEFAULTS: PasswordPolicyRecord = {
  minimumPasswordLength: 6,
  requireSymbols: false,
  requireNumbers: false,
  requireUppercaseCharacters: false,
  requireLowercaseCharacters: false,
  allowUsersToChangePassword: false,
  maxPasswordAge: 0,
  passwordReusePrevention: 0,
  hardExpiry: false,
};

/**
 * Without a custom policy AWS applies its default one: at least 8 characters and at least three
 * of uppercase, lowercase, numbers and symbols, and not the account's name (IAM User Guide,
 * "Default password policy"). We check the name rule against the user name and account alias.
 */
export const AWS_DEFAULT_MINIMUM_LENGTH = 8;

/** Previous passwords kept per login profile: the largest `PasswordReusePrevention` (24) minus the current one. */
export const PASSWORD_HISTORY_SIZE = 23;

interface CharacterClasses {
  upper: boolean;
  lower: boolean;
  number: boolean;
  symbol: boolean;
}

function classesOf(password: string): CharacterClasses {
  const c = { upper: false, lower: false, number: false, symbol: false };
  for (const ch of password) {
    if (ch >= 'A' && ch <= 'Z') c.upper = true;
    else if (ch >= 'a' && ch <= 'z') c.lower = true;
    else if (ch >= '0' && ch <= '9') c.number = true;
    else if (PASSWORD_SYMBOLS.includes(ch)) c.symbol = true;
  }
  return c;
}

/**
 * Every rule `password` breaks (PasswordPolicyViolation texts), empty when it complies. Length is
 * counted in characters (code points). The messages name the rule, never the password.
 */
export function passwordViolations(password: string, policy: PasswordPolicyRecord | undefined, names: { userName?: string; accountName?: string } = {}): string[] {
  const length = [...password].length;
  const c = classesOf(password);
  const out: string[] = [];
  if (policy === undefined) {
    if (length < AWS_DEFAULT_MINIMUM_LENGTH) out.push(`Password should have a minimum length of ${AWS_DEFAULT_MINIMUM_LENGTH}`);
    const kinds = [c.upper, c.lower, c.number, c.symbol].filter(Boolean).length;
    if (kinds < 3) out.push('Password should have at least three of the following: uppercase letters, lowercase letters, numbers, symbols');
    const lower = password.toLowerCase();
    for (const name of [names.userName, names.accountName]) {
      if (name !== undefined && name.toLowerCase() === lower) {
        out.push('Password should not be identical to the user or account name');
        break;
      }
    }
    return out;
  }
  if (length < policy.minimumPasswordLength) out.push(`Password should have a minimum length of ${policy.minimumPasswordLength}`);
  if (policy.requireUppercaseCharacters && !c.upper) out.push('Password should have at least one uppercase letter');
  if (policy.requireLowercaseCharacters && !c.lower) out.push('Password should have at least one lowercase letter');
  if (policy.requireNumbers && !c.number) out.push('Password should have at least one number');
  if (policy.requireSymbols && !c.symbol) out.push('Password should have at least one symbol');
  return out;
}

export const PASSWORD_REUSED = 'Password has been used before and cannot be reused';

/**
 * True when `password` is one of the last `PasswordReusePrevention` passwords of the profile
 * (the current one counts as the first). Every remembered hash is checked, match or not, so the
 * time taken says nothing about which one matched.
 */
export async function isReusedPassword(hasher: PasswordHasher, password: string, profile: LoginProfileRecord | undefined, policy: PasswordPolicyRecord | undefined): Promise<boolean> {
  const remember = policy?.passwordReusePrevention ?? 0;
  if (profile === undefined || remember <= 0) return false;
  const hashes = [profile.passwordHash, ...profile.previousHashes].slice(0, remember);
  const results = await Promise.all(hashes.map((h) => hasher.verify(h, password)));
  return results.includes(true);
}

/** The history after replacing the current password: the old current hash first, capped. */
export function nextPasswordHistory(profile: LoginProfileRecord): string[] {
  return [profile.passwordHash, ...profile.previousHashes].slice(0, PASSWORD_HISTORY_SIZE);
}

/** When the password set at `changedAt` expires under `policy` (epoch ms), or undefined when it never does. */
export function passwordExpiresAt(changedAt: number, policy: PasswordPolicyRecord | undefined): number | undefined {
  if (policy === undefined || policy.maxPasswordAge <= 0) return undefined;
  return changedAt + policy.maxPasswordAge * 86_400_000;
}
