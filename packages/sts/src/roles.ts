import { ValidationError, type AccessDenied } from '@latchkey/errors';
import { parseArn, parseIamResourceArn, ROLE_CHAINING_MAX_DURATION_SECONDS } from '@latchkey/model';
import type { Repositories, RoleRecord } from '@latchkey/store';
import type { RoleCache } from './role-cache.js';
import { DURATION_EXCEEDS_CHAINING, DURATION_EXCEEDS_MAX, invalidArn } from './messages.js';

/** AWS's default session length for AssumeRole* (one hour). */
export const DEFAULT_ROLE_SESSION_SECONDS = 3600;

/**
 * The role a `RoleArn` names, or an AccessDenied that reads the same whether the role is
 * missing or merely not assumable (AWS never reveals which). A value that is not an ARN at all
 * is `ValidationError "<value> is invalid"`.
 */
export async function targetRole(repos: Repositories, roles: RoleCache, roleArnText: string, deny: () => AccessDenied): Promise<RoleRecord> {
  if (parseArn(roleArnText) === undefined) throw new ValidationError(invalidArn(roleArnText));
  const parsed = parseIamResourceArn(roleArnText);
  if (parsed === undefined || parsed.type !== 'role') throw deny();
  const role = await roles.get(repos, parsed.accountId, parsed.name);
  // The path is part of the role's ARN: a RoleArn with another path names no role.
  if (role === undefined || role.arn !== roleArnText) throw deny();
  return role;
}

/** Fails a chained request over an hour before anything is looked up (the cap does not depend on the role). */
export function checkChainingDuration(requested: number | undefined, chained: boolean): void {
  if (chained && requested !== undefined && requested > ROLE_CHAINING_MAX_DURATION_SECONDS) throw new ValidationError(DURATION_EXCEEDS_CHAINING);
}

/** The session length: the request's (default one hour), at most the role's `MaxSessionDuration`. */
export function roleSessionDuration(requested: number | undefined, role: RoleRecord): number {
  const duration = requested ?? DEFAULT_ROLE_SESSION_SECONDS;
  if (duration > role.maxSessionDuration) throw new ValidationError(DURATION_EXCEEDS_MAX);
  return duration;
}
