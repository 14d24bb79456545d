import { required, string, structure } from '@latchkey/aws-query';
import { DeleteConflict, EntityAlreadyExists, NoSuchEntity } from '@latchkey/errors';
import { IAM_QUOTAS, iamConstraints as iam, quotaExceeded, userArn } from '@latchkey/model';
import { attachablePolicy } from '../boundaries.js';
import { DELETE_CONFLICT, noSuchUser, userExists } from '../messages.js';
import { defineOperation, type AnyOperation } from '../operation.js';
import { userOutput } from '../outputs.js';
import { pageOutput, pageRequest } from '../paging.js';
import { pagingMembers, tagListShape } from '../shapes.js';
import { requestTags } from '../tags.js';
import { resourceTags, targetUser } from '../targets.js';
import { uniquely } from '../unique.js';

export const CreateUser = defineOperation({
  name: 'CreateUser',
  input: structure({
    Path: string(iam.path),
    UserName: required(string(iam.userName)),
    PermissionsBoundary: string(iam.arn),
    Tags: tagListShape,
  }),
  async run(ctx, input) {
    const path = input.Path ?? '/';
    const arn = userArn(ctx.accountId, path, input.UserName);
    const tags = requestTags(input.Tags);
    const boundaryArn = input.PermissionsBoundary;
    await ctx.authorize('iam:CreateUser', arn, {
      requestTags: tags,
      ...(boundaryArn === undefined ? {} : { keys: { 'iam:PermissionsBoundary': boundaryArn } }),
    });
    if (boundaryArn !== undefined) await attachablePolicy(ctx, boundaryArn);
    if ((await ctx.repos.users.getByName(ctx.accountId, input.UserName)) !== undefined) throw new EntityAlreadyExists(userExists(input.UserName));
    // Lock the account before counting, so concurrent creations cannot overshoot the quota.
    await ctx.repos.accounts.get(ctx.accountId, { forUpdate: true });
    if ((await ctx.repos.users.count(ctx.accountId)) >= IAM_QUOTAS.UsersPerAccount) throw quotaExceeded('UsersPerAccount', IAM_QUOTAS.UsersPerAccount);
    const user = {
      accountId: ctx.accountId,
      id: ctx.ids.uniqueId('user'),
      name: input.UserName,
      path,
      arn,
      createdAt: ctx.now.getTime(),
      permissionsBoundaryArn: boundaryArn ?? null,
      passwordLastUsedAt: null,
    };
    await uniquely(() => ctx.repos.users.create(user), () => new EntityAlreadyExists(userExists(input.UserName)));
    if (tags.length > 0) await ctx.repos.tags.put(ctx.accountId, 'user', user.id, tags);
    return { User: userOutput(user, { tags, withBoundary: true }) };
  },
});

export const GetUser = defineOperation({
  name: 'GetUser',
  readOnly: true,
  input: structure({ UserName: string(iam.existingUserName) }),
  async run(ctx, input) {
    const target = await targetUser(ctx, input.UserName);
    if (target.kind === 'root') {
      await ctx.authorize('iam:GetUser', target.arn);
      // The root is no IAM user: AWS answers with its account id and ARN only.
      const account = await ctx.repos.accounts.get(ctx.accountId);
      return { User: { UserId: ctx.accountId, Arn: target.arn, CreateDate: new Date(account?.createdAt ?? 0) } };
    }
    const tags = await resourceTags(ctx, 'user', target.user?.id);
    await ctx.authorize('iam:GetUser', target.arn, { resourceTags: tags });
    if (target.user === undefined) throw new NoSuchEntity(noSuchUser(target.name));
    return { User: userOutput(target.user, { tags, withBoundary: true }) };
  },
});

export const UpdateUser = defineOperation({
  name: 'UpdateUser',
  input: structure({
    UserName: required(string(iam.existingUserName)),
    NewPath: string(iam.path),
    NewUserName: string(iam.userName),
  }),
  async run(ctx, input) {
    const user = await ctx.repos.users.getByName(ctx.accountId, input.UserName, { forUpdate: true });
    const arn = user?.arn ?? userArn(ctx.accountId, '/', input.UserName);
    await ctx.authorize('iam:UpdateUser', arn, { resourceTags: await resourceTags(ctx, 'user', user?.id) });
    if (user === undefined) throw new NoSuchEntity(noSuchUser(input.UserName));
    const name = input.NewUserName ?? user.name;
    const path = input.NewPath ?? user.path;
    const newArn = userArn(ctx.accountId, path, name);
    // Renaming or moving needs permission on the target object too (IAM User Guide, "Renaming an IAM user").
    if (newArn !== arn) await ctx.authorize('iam:UpdateUser', newArn);
    if (name.toLowerCase() !== user.name.toLowerCase() && (await ctx.repos.users.getByName(ctx.accountId, name)) !== undefined) {
      throw new EntityAlreadyExists(userExists(name));
    }
    if (name !== user.name || path !== user.path) {
      await uniquely(() => ctx.repos.users.update(ctx.accountId, user.id, { name, path, arn: newArn }), () => new EntityAlreadyExists(userExists(name)));
    }
    return undefined;
  },
});

export const DeleteUser = defineOperation({
  name: 'DeleteUser',
  input: structure({ UserName: required(string(iam.existingUserName)) }),
  async run(ctx, input) {
    const repos = ctx.repos;
    const user = await repos.users.getByName(ctx.accountId, input.UserName, { forUpdate: true });
    await ctx.authorize('iam:DeleteUser', user?.arn ?? userArn(ctx.accountId, '/', input.UserName), { resourceTags: await resourceTags(ctx, 'user', user?.id) });
    if (user === undefined) throw new NoSuchEntity(noSuchUser(input.UserName));
    const { accountId } = ctx;
    // Every dependent AWS checks, in its order; the permissions boundary is not one of them.
    if ((await repos.loginProfiles.get(accountId, user.id)) !== undefined) throw new DeleteConflict(DELETE_CONFLICT.loginProfile);
    if ((await repos.accessKeys.countForOwner(accountId, user.id)) > 0) throw new DeleteConflict(DELETE_CONFLICT.accessKeys);
    if ((await repos.mfaDevices.listForUser(accountId, user.id)).length > 0) throw new DeleteConflict(DELETE_CONFLICT.mfaDevices);
    if ((await repos.inlinePolicies.all(accountId, 'user', user.id)).length > 0) throw new DeleteConflict(DELETE_CONFLICT.inlinePolicies);
    if ((await repos.attachments.count(accountId, 'user', user.id)) > 0) throw new DeleteConflict(DELETE_CONFLICT.attachedPolicies);
    if ((await repos.groups.countForUser(accountId, user.id)) > 0) throw new DeleteConflict(DELETE_CONFLICT.groupMembership);
    await repos.users.delete(accountId, user.id);
    return undefined;
  },
});

export const ListUsers = defineOperation({
  name: 'ListUsers',
  readOnly: true,
  input: structure({ PathPrefix: string(iam.pathPrefix), ...pagingMembers }),
  async run(ctx, input) {
    const prefix = input.PathPrefix ?? '/';
    // AWS authorizes listing on `arn:aws:iam::<account>:user/` (observed in AccessDenied texts).
    await ctx.authorize('iam:ListUsers', `arn:aws:iam::${ctx.accountId}:user${prefix}`);
    const page = await ctx.repos.users.list(ctx.accountId, pageRequest(input, prefix));
    return { Users: page.items.map((u) => userOutput(u)), ...pageOutput(page) };
  },
});

export const userOperations: readonly AnyOperation[] = [CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers];
