import { boolean, required, string, structure } from '@latchkey/aws-query';
import { EntityAlreadyExists, NoSuchEntity, ValidationError } from '@latchkey/errors';
import { iamConstraints as iam } from '@latchkey/model';
import type { LoginProfileRecord, UserRecord } from '@latchkey/store';
import { loginProfileExists, noSuchLoginProfile, PASSWORD_REQUIRED } from '../credential-messages.js';
import type { CredentialServices } from '../credential-services.js';
import { MUST_SPECIFY_USER_NAME, noSuchUser } from '../messages.js';
import { defineOperation, type AnyOperation, type OperationContext } from '../operation.js';
import { acceptablePasswordHash } from '../password-set.js';
import { nextPasswordHistory } from '../password-rules.js';
import { resourceTags, targetUser } from '../targets.js';
import { passwordThrottleKey } from '../verify-password.js';

/** The IAM user a login-profile call names (the caller itself without `UserName`), after authorization. */
async function authorizedProfileUser(ctx: OperationContext, action: string, userName: string | undefined, lock = false): Promise<UserRecord> {
  const target = await targetUser(ctx, userName);
  if (target.kind === 'root') {
    await ctx.authorize(action, target.arn);
    // The root's console password is no login profile (AWS manages it outside IAM).
    throw new ValidationError(MUST_SPECIFY_USER_NAME);
  }
  await ctx.authorize(action, target.arn, { resourceTags: await resourceTags(ctx, 'user', target.user?.id) });
  if (target.user === undefined) throw new NoSuchEntity(noSuchUser(target.name));
  if (lock) await ctx.repos.users.getById(ctx.accountId, target.user.id, { forUpdate: true });
  return target.user;
}

async function existingProfile(ctx: OperationContext, user: UserRecord): Promise<LoginProfileRecord> {
  const profile = await ctx.repos.loginProfiles.get(ctx.accountId, user.id, { forUpdate: true });
  if (profile === undefined) throw new NoSuchEntity(noSuchLoginProfile(user.name));
  return profile;
}

function loginProfileOutput(user: UserRecord, profile: Pick<LoginProfileRecord, 'createdAt' | 'passwordResetRequired'>) {
  return { UserName: user.name, CreateDate: new Date(profile.createdAt), PasswordResetRequired: profile.passwordResetRequired };
}

export function loginProfileOperations(services: CredentialServices): AnyOperation[] {
  const hasher = services.passwordHasher;

  const CreateLoginProfile = defineOperation({
    name: 'CreateLoginProfile',
    input: structure({ UserName: string(iam.userName), Password: string(iam.password), PasswordResetRequired: boolean() }),
    async run(ctx, input) {
      const user = await authorizedProfileUser(ctx, 'iam:CreateLoginProfile', input.UserName, true);
      // The model leaves Password optional for AssumeRoot sessions only; everyone else must send it.
      if (input.Password === undefined) throw new ValidationError(PASSWORD_REQUIRED);
      if ((await ctx.repos.loginProfiles.get(ctx.accountId, user.id)) !== undefined) throw new EntityAlreadyExists(loginProfileExists(user.name));
      const passwordHash = await acceptablePasswordHash(ctx, hasher, user, input.Password);
      const at = ctx.now.getTime();
      const profile = { accountId: ctx.accountId, userId: user.id, passwordHash, passwordResetRequired: input.PasswordResetRequired ?? false, createdAt: at, passwordLastChangedAt: at };
      await ctx.repos.loginProfiles.create(profile);
      services.passwordThrottle.success(passwordThrottleKey(ctx.accountId, user.id));
      return { LoginProfile: loginProfileOutput(user, profile) };
    },
  });

  const GetLoginProfile = defineOperation({
    name: 'GetLoginProfile',
    readOnly: true,
    input: structure({ UserName: string(iam.userName) }),
    async run(ctx, input) {
      const user = await authorizedProfileUser(ctx, 'iam:GetLoginProfile', input.UserName);
      const profile = await ctx.repos.loginProfiles.get(ctx.accountId, user.id);
      if (profile === undefined) throw new NoSuchEntity(noSuchLoginProfile(user.name));
      return { LoginProfile: loginProfileOutput(user, profile) };
    },
  });

  const UpdateLoginProfile = defineOperation({
    name: 'UpdateLoginProfile',
    input: structure({ UserName: required(string(iam.userName)), Password: string(iam.password), PasswordResetRequired: boolean() }),
    async run(ctx, input) {
      const user = await authorizedProfileUser(ctx, 'iam:UpdateLoginProfile', input.UserName);
      const profile = await existingProfile(ctx, user);
      if (input.Password !== undefined) {
        const passwordHash = await acceptablePasswordHash(ctx, hasher, user, input.Password, profile);
        await ctx.repos.loginProfiles.update(ctx.accountId, user.id, { passwordHash, passwordLastChangedAt: ctx.now.getTime(), previousHashes: nextPasswordHistory(profile) });
        // An administrator's reset also lifts any lockout.
        await ctx.repos.loginProfiles.resetFailedAttempts(ctx.accountId, user.id);
        services.passwordThrottle.success(passwordThrottleKey(ctx.accountId, user.id));
      }
      if (input.PasswordResetRequired !== undefined) await ctx.repos.loginProfiles.update(ctx.accountId, user.id, { passwordResetRequired: input.PasswordResetRequired });
      return undefined;
    },
  });

  const DeleteLoginProfile = defineOperation({
    name: 'DeleteLoginProfile',
    input: structure({ UserName: string(iam.userName) }),
    async run(ctx, input) {
      const user = await authorizedProfileUser(ctx, 'iam:DeleteLoginProfile', input.UserName);
      await existingProfile(ctx, user);
      await ctx.repos.loginProfiles.delete(ctx.accountId, user.id);
      services.passwordThrottle.success(passwordThrottleKey(ctx.accountId, user.id));
      return undefined;
    },
  });

  return [CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile];
}
