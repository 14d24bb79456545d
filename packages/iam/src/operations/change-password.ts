import { required, string, structure } from '@latchkey/aws-query';
import { AccessDenied, InvalidUserType, LimitExceeded, NoSuchEntity } from '@latchkey/errors';
import { iamConstraints as iam } from '@latchkey/model';
import {
  CHANGE_PASSWORD_USER_TYPE,
  noSuchLoginProfile,
  OLD_PASSWORD_INCORRECT,
  PASSWORD_CHANGE_THROTTLED,
  PASSWORD_HARD_EXPIRED,
} from '../credential-messages.js';
import type { CredentialServices } from '../credential-services.js';
import { noSuchUser } from '../messages.js';
import { defineOperation, type AnyOperation } from '../operation.js';
import { acceptablePasswordHash } from '../password-set.js';
import { nextPasswordHistory, passwordExpiresAt } from '../password-rules.js';
import { resourceTags } from '../targets.js';
import { passwordThrottleKey } from '../verify-password.js';
import { withAfterRollback } from '../after-rollback.js';
import { activeLockout, clearPasswordFailures, recordPasswordFailure } from '../failure-lockout.js';
import { authorizeWithChangePasswordGrant } from './password-policy.js';

export function changePasswordOperations(services: CredentialServices): AnyOperation[] {
  const ChangePassword = defineOperation({
    name: 'ChangePassword',
    input: structure({ OldPassword: required(string(iam.password)), NewPassword: required(string(iam.password)) }),
    async run(ctx, input) {
      const caller = ctx.caller;
      // Only an IAM user changes its own password here: not the root, not role or federated sessions.
      if (caller.kind !== 'user' || caller.identity.kind !== 'user') throw new InvalidUserType(CHANGE_PASSWORD_USER_TYPE);
      const user = await ctx.repos.users.getById(ctx.accountId, caller.identity.id, { forUpdate: true });
      if (user === undefined) throw new NoSuchEntity(noSuchUser(caller.identity.name));
      const policy = await ctx.repos.passwordPolicies.get(ctx.accountId);
      await authorizeWithChangePasswordGrant(ctx, 'iam:ChangePassword', user.arn, policy, { resourceTags: await resourceTags(ctx, 'user', user.id) });
      const profile = await ctx.repos.loginProfiles.get(ctx.accountId, user.id, { forUpdate: true });
      if (profile === undefined) throw new NoSuchEntity(noSuchLoginProfile(user.name));
      const key = passwordThrottleKey(ctx.accountId, user.id);
      const at = ctx.now.getTime();
      // The store's lockout, shared by every instance; refused without hashing while it lasts.
      if (activeLockout(profile, at) !== undefined) throw new LimitExceeded(PASSWORD_CHANGE_THROTTLED);
      if (!(await services.passwordHasher.verify(profile.passwordHash, input.OldPassword))) {
        // Counted after the call's transaction rolls back (nothing else of it may stay).
        throw withAfterRollback(new AccessDenied(OLD_PASSWORD_INCORRECT), async (repos) => {
          await recordPasswordFailure(repos, profile, at, services.backoff);
        });
      }
      // The in-process throttle is STS's optional extra layer: a correct password clears it too.
      services.passwordThrottle.success(key);
      // HardExpiry: once expired, only an administrator (UpdateLoginProfile) can set a new password.
      const expiresAt = passwordExpiresAt(profile.passwordLastChangedAt, policy);
      if (policy?.hardExpiry === true && expiresAt !== undefined && expiresAt <= at) throw new AccessDenied(PASSWORD_HARD_EXPIRED);
      const passwordHash = await acceptablePasswordHash(ctx, services.passwordHasher, user, input.NewPassword, profile);
      await ctx.repos.loginProfiles.update(ctx.accountId, user.id, {
        passwordHash,
        passwordLastChangedAt: at,
        previousHashes: nextPasswordHistory(profile),
        passwordResetRequired: false,
      });
      await clearPasswordFailures(ctx.repos, profile);
      return undefined;
    },
  });
  return [ChangePassword];
}
