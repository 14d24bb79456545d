import { enumOf, required, string, structure } from '@latchkey/aws-query';
import { AccessDenied, InvalidInput, NoSuchEntity } from '@latchkey/errors';
import { accountRootArn, IAM_QUOTAS, iamConstraints as iam, quotaExceeded } from '@latchkey/model';
import type { AccessKeyRecord } from '@latchkey/store';
import { noSuchAccessKey, noSuchUser } from '../messages.js';
import { defineOperation, type AnyOperation, type OperationContext } from '../operation.js';
import { accessKeyMetadataOutput } from '../outputs.js';
import { pageOutput, pageRequest } from '../paging.js';
import { sealSecretAccessKey } from '../secrets.js';
import { pagingMembers } from '../shapes.js';
import { resourceTags, targetUser } from '../targets.js';

/** The owner of the keys an access-key operation acts on, after authorization on its ARN. */
interface KeyOwner {
  /** The IAM user id, or null for the root's keys. */
  readonly userId: string | null;
  readonly userName: string | undefined;
}

async function authorizedOwner(ctx: OperationContext, action: string, userName: string | undefined, lock = false): Promise<KeyOwner> {
  const target = await targetUser(ctx, userName);
  if (target.kind === 'root') {
    await ctx.authorize(action, target.arn);
    if (lock) await ctx.repos.accounts.get(ctx.accountId, { forUpdate: true });
    return { userId: null, userName: undefined };
  }
  await ctx.authorize(action, target.arn, { resourceTags: await resourceTags(ctx, 'user', target.user?.id) });
  if (target.user === undefined) throw new NoSuchEntity(noSuchUser(target.name));
  if (lock) await ctx.repos.users.getById(ctx.accountId, target.user.id, { forUpdate: true });
  return { userId: target.user.id, userName: target.user.name };
}

/** The owner's key with this id; keys of anyone else are reported as missing. */
async function ownedKey(ctx: OperationContext, owner: KeyOwner, accessKeyId: string): Promise<AccessKeyRecord> {
  const key = await ctx.repos.accessKeys.get(accessKeyId);
  if (key === undefined || key.accountId !== ctx.accountId || key.userId !== owner.userId) throw new NoSuchEntity(noSuchAccessKey(accessKeyId));
  return key;
}

export const CreateAccessKey = defineOperation({
  name: 'CreateAccessKey',
  sensitiveOutput: true,
  input: structure({ UserName: string(iam.existingUserName) }),
  async run(ctx, input) {
    const owner = await authorizedOwner(ctx, 'iam:CreateAccessKey', input.UserName, true);
    if ((await ctx.repos.accessKeys.countForOwner(ctx.accountId, owner.userId)) >= IAM_QUOTAS.AccessKeysPerUser) {
      throw quotaExceeded('AccessKeysPerUser', IAM_QUOTAS.AccessKeysPerUser);
    }
    const id = ctx.ids.accessKeyId();
    const secret = ctx.ids.secretAccessKey();
    const createdAt = ctx.now.getTime();
    await ctx.repos.accessKeys.create({
      accountId: ctx.accountId,
      id,
      userId: owner.userId,
      isRoot: owner.userId === null,
      secret: sealSecretAccessKey(ctx.keyring, id, secret),
      status: 'Active',
      createdAt,
    });
    // The only response that ever carries a secret access key: it is shown once, here.
    return { AccessKey: { UserName: owner.userName, AccessKeyId: id, Status: 'Active', SecretAccessKey: secret, CreateDate: new Date(createdAt) } };
  },
});

export const ListAccessKeys = defineOperation({
  name: 'ListAccessKeys',
  readOnly: true,
  input: structure({ UserName: string(iam.existingUserName), ...pagingMembers }),
  async run(ctx, input) {
    const owner = await authorizedOwner(ctx, 'iam:ListAccessKeys', input.UserName);
    const page = await ctx.repos.accessKeys.listForOwner(ctx.accountId, owner.userId, pageRequest(input));
    return { AccessKeyMetadata: page.items.map((k) => accessKeyMetadataOutput(k, owner.userName)), ...pageOutput(page) };
  },
});

export const UpdateAccessKey = defineOperation({
  name: 'UpdateAccessKey',
  input: structure({
    UserName: string(iam.existingUserName),
    AccessKeyId: required(string(iam.accessKeyId)),
    Status: required(enumOf(['Active', 'Inactive', 'Expired'])),
  }),
  async run(ctx, input) {
    const owner = await authorizedOwner(ctx, 'iam:UpdateAccessKey', input.UserName);
    const key = await ownedKey(ctx, owner, input.AccessKeyId);
    // `Expired` is in the model's shared status enum for service-specific credentials only.
    if (input.Status === 'Expired') throw new InvalidInput('Access keys can only be set to Active or Inactive.');
    if (key.status !== input.Status) await ctx.repos.accessKeys.updateStatus(ctx.accountId, key.id, input.Status);
    return undefined;
  },
});

export const DeleteAccessKey = defineOperation({
  name: 'DeleteAccessKey',
  input: structure({ UserName: string(iam.existingUserName), AccessKeyId: required(string(iam.accessKeyId)) }),
  async run(ctx, input) {
    const owner = await authorizedOwner(ctx, 'iam:DeleteAccessKey', input.UserName);
    const key = await ownedKey(ctx, owner, input.AccessKeyId);
    await ctx.repos.accessKeys.delete(ctx.accountId, key.id);
    return undefined;
  },
});

export const GetAccessKeyLastUsed = defineOperation({
  name: 'GetAccessKeyLastUsed',
  readOnly: true,
  input: structure({ AccessKeyId: required(string(iam.accessKeyId)) }),
  async run(ctx, input) {
    const key = await ctx.repos.accessKeys.get(input.AccessKeyId);
    if (key === undefined || key.accountId !== ctx.accountId) {
      // No owner to authorize against, and no account's keys are another account's business:
      // answered as AWS answers keys it will not describe to the caller.
      throw new AccessDenied(`User: ${ctx.caller.arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${input.AccessKeyId}`);
    }
    const owner = key.userId === null ? undefined : await ctx.repos.users.getById(ctx.accountId, key.userId);
    const arn = owner?.arn ?? accountRootArn(ctx.accountId);
    await ctx.authorize('iam:GetAccessKeyLastUsed', arn, owner === undefined ? {} : { resourceTags: await resourceTags(ctx, 'user', owner.id) });
    return {
      UserName: owner?.name,
      AccessKeyLastUsed: {
        LastUsedDate: key.lastUsedAt === null ? undefined : new Date(key.lastUsedAt),
        // Before first use AWS reports `N/A` for both.
        ServiceName: key.lastUsedService ?? 'N/A',
        Region: key.lastUsedRegion ?? 'N/A',
      },
    };
  },
});

export const accessKeyOperations: readonly AnyOperation[] = [CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed];
