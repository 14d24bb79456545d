import { PasswordPolicyViolation } from '@latchkey/errors';
import type { LoginProfileRecord, UserRecord } from '@latchkey/store';
import type { OperationContext } from './operation.js';
import type { PasswordHasher } from './password-hasher.js';
import { isReusedPassword, PASSWORD_REUSED, passwordViolations } from './password-rules.js';

/**
 * Checks a new password against the account's policy (or AWS's default policy when none is set)
 * and its reuse-prevention history, then hashes it. Every path that sets a password goes
 * through here. The PasswordPolicyViolation names the rules broken, never the password.
 */
export async function acceptablePasswordHash(ctx: OperationContext, hasher: PasswordHasher, user: UserRecord, password: string, profile?: LoginProfileRecord): Promise<string> {
  const policy = await ctx.repos.passwordPolicies.get(ctx.accountId);
  const account = await ctx.repos.accounts.get(ctx.accountId);
  const violations = passwordViolations(password, policy, { userName: user.name, ...(account?.alias == null ? {} : { accountName: account.alias }) });
  if (violations.length === 0 && (await isReusedPassword(hasher, password, profile, policy))) violations.push(PASSWORD_REUSED);
  if (violations.length > 0) throw new PasswordPolicyViolation(violations.join('; '));
  return hasher.hash(password);
}
