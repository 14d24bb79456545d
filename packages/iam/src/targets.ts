import { ValidationError } from '@latchkey/errors';
import { accountRootArn, userArn } from '@latchkey/model';
import type { Tag, UserRecord } from '@latchkey/store';
import { MUST_SPECIFY_USER_NAME } from './messages.js';
import type { OperationContext } from './operation.js';

/** The IAM user (or account root) an operation with an optional `UserName` acts on. */
export type TargetUser =
  | { readonly kind: 'user'; readonly name: string; readonly arn: string; readonly user: UserRecord | undefined }
  | { readonly kind: 'root'; readonly arn: string };

/**
 * Resolves `UserName` (or, without it, the calling user itself; the root when the root calls).
 * Looks the user up without revealing anything: the caller learns whether it exists only after
 * `authorize` passed on the resource ARN (the plain `user/<name>` ARN when it does not exist).
 */
export async function targetUser(ctx: OperationContext, userName: string | undefined): Promise<TargetUser> {
  if (userName === undefined) {
    const caller = ctx.caller;
    if (caller.kind === 'root') return { kind: 'root', arn: accountRootArn(ctx.accountId) };
    if (caller.kind === 'user' && caller.identity.kind === 'user') userName = caller.identity.name;
    else throw new ValidationError(MUST_SPECIFY_USER_NAME);
  }
  const user = await ctx.repos.users.getByName(ctx.accountId, userName);
  return { kind: 'user', name: user?.name ?? userName, arn: user?.arn ?? userArn(ctx.accountId, '/', userName), user };
}

/** Tags of a user or role that exists (`aws:ResourceTag/*`), none otherwise. */
export async function resourceTags(ctx: OperationContext, type: 'user' | 'role', id: string | undefined): Promise<readonly Tag[]> {
  return id === undefined ? [] : ctx.repos.tags.list(ctx.accountId, type, id);
}
