import { boolean, integer, structure } from '@latchkey/aws-query';
import { AccessDenied, NoSuchEntity } from '@latchkey/errors';
import { iamConstraints as iam } from '@latchkey/model';
import type { PasswordPolicyRecord } from '@latchkey/store';
import { noSuchPasswordPolicy } from '../credential-messages.js';
import { defineOperation, type AnyOperation, type OperationContext } from '../operation.js';
import { PASSWORD_POLICY_DEFAULTS } from '../password-rules.js';

/**
 * True when an AccessDenied came from an explicit Deny (the error's never-serialised detail
 * starts with the decision). The AllowUsersToChangePassword grant overrides implicit denies only.
 */
export function isExplicitDeny(err: unknown): boolean {
  return err instanceof AccessDenied && typeof err.detail === 'string' && err.detail.startsWith('explicitDeny');
}

/**
 * Authorizes `action` on `resourceArn`, also allowing it (unless explicitly denied) for an IAM
 * user when the account policy sets AllowUsersToChangePassword: that setting grants every IAM
 * user iam:ChangePassword on itself and iam:GetAccountPasswordPolicy (IAM User Guide, "Permit
 * IAM users to change their own passwords").
 */
export async function authorizeWithChangePasswordGrant(ctx: OperationContext, action: string, resourceArn: string, policy: PasswordPolicyRecord | undefined, extras: Parameters<OperationContext['authorize']>[2] = {}): Promise<void> {
  try {
    await ctx.authorize(action, resourceArn, extras);
  } catch (err) {
    const grantApplies = policy?.allowUsersToChangePassword === true && ctx.caller.kind === 'user';
    if (!grantApplies || isExplicitDeny(err)) throw err;
  }
}

function passwordPolicyOutput(p: PasswordPolicyRecord) {
  return {
    MinimumPasswordLength: p.minimumPasswordLength,
    RequireSymbols: p.requireSymbols,
    RequireNumbers: p.requireNumbers,
    RequireUppercaseCharacters: p.requireUppercaseCharacters,
    RequireLowercaseCharacters: p.requireLowercaseCharacters,
    AllowUsersToChangePassword: p.allowUsersToChangePassword,
    ExpirePasswords: p.maxPasswordAge > 0,
    MaxPasswordAge: p.maxPasswordAge > 0 ? p.maxPasswordAge : undefined,
    PasswordReusePrevention: p.passwordReusePrevention > 0 ? p.passwordReusePrevention : undefined,
    // Always a boolean: moto once emitted `none` here and crashed Terraform (getmoto/moto#5170).
    HardExpiry: p.hardExpiry,
  };
}

export const UpdateAccountPasswordPolicy = defineOperation({
  name: 'UpdateAccountPasswordPolicy',
  input: structure({
    MinimumPasswordLength: integer(iam.minimumPasswordLength),
    RequireSymbols: boolean(),
    RequireNumbers: boolean(),
    RequireUppercaseCharacters: boolean(),
    RequireLowercaseCharacters: boolean(),
    AllowUsersToChangePassword: boolean(),
    MaxPasswordAge: integer(iam.maxPasswordAge),
    PasswordReusePrevention: integer(iam.passwordReusePrevention),
    HardExpiry: boolean(),
  }),
  async run(ctx, input) {
    await ctx.authorize('iam:UpdateAccountPasswordPolicy', '*');
    const d = PASSWORD_POLICY_DEFAULTS;
    // Not a partial update: every member not sent goes back to its default.
    await ctx.repos.passwordPolicies.put(ctx.accountId, {
      minimumPasswordLength: input.MinimumPasswordLength ?? d.minimumPasswordLength,
      requireSymbols: input.RequireSymbols ?? d.requireSymbols,
      requireNumbers: input.RequireNumbers ?? d.requireNumbers,
      requireUppercaseCharacters: input.RequireUppercaseCharacters ?? d.requireUppercaseCharacters,
      requireLowercaseCharacters: input.RequireLowercaseCharacters ?? d.requireLowercaseCharacters,
      allowUsersToChangePassword: input.AllowUsersToChangePassword ?? d.allowUsersToChangePassword,
      maxPasswordAge: input.MaxPasswordAge ?? d.maxPasswordAge,
      passwordReusePrevention: input.PasswordReusePrevention ?? d.passwordReusePrevention,
      hardExpiry: input.HardExpiry ?? d.hardExpiry,
    });
    return undefined;
  },
});

export const GetAccountPasswordPolicy = defineOperation({
  name: 'GetAccountPasswordPolicy',
  readOnly: true,
  input: structure({}),
  async run(ctx) {
    const policy = await ctx.repos.passwordPolicies.get(ctx.accountId);
    await authorizeWithChangePasswordGrant(ctx, 'iam:GetAccountPasswordPolicy', '*', policy);
    if (policy === undefined) throw new NoSuchEntity(noSuchPasswordPolicy(ctx.accountId));
    return { PasswordPolicy: passwordPolicyOutput(policy) };
  },
});

export const DeleteAccountPasswordPolicy = defineOperation({
  name: 'DeleteAccountPasswordPolicy',
  input: structure({}),
  async run(ctx) {
    await ctx.authorize('iam:DeleteAccountPasswordPolicy', '*');
    if (!(await ctx.repos.passwordPolicies.delete(ctx.accountId))) throw new NoSuchEntity(noSuchPasswordPolicy(ctx.accountId));
    return undefined;
  },
});

export const passwordPolicyOperations: readonly AnyOperation[] = [UpdateAccountPasswordPolicy, GetAccountPasswordPolicy, DeleteAccountPasswordPolicy];
