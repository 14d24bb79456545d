import { required, string, structure } from '@latchkey/aws-query';
import { DeleteConflict, EntityAlreadyExists, NoSuchEntity } from '@latchkey/errors';
import { groupArn, IAM_QUOTAS, iamConstraints as iam, quotaExceeded } from '@latchkey/model';
import type { GroupRecord } from '@latchkey/store';
import { DELETE_CONFLICT, groupExists, noSuchGroup, noSuchUser } from '../messages.js';
import { defineOperation, type AnyOperation, type OperationContext } from '../operation.js';
import { groupOutput, userOutput } from '../outputs.js';
import { pageOutput, pageRequest } from '../paging.js';
import { pagingMembers } from '../shapes.js';
import { resourceTags, targetUser } from '../targets.js';
import { uniquely } from '../unique.js';

/** Looks a group up and authorizes on its ARN (the path-less ARN when it does not exist), then insists it exists. */
async function authorizedGroup(ctx: OperationContext, action: string, name: string, lock = false): Promise<GroupRecord> {
  const group = await ctx.repos.groups.getByName(ctx.accountId, name, lock ? { forUpdate: true } : {});
  await ctx.authorize(action, group?.arn ?? groupArn(ctx.accountId, '/', name));
  if (group === undefined) throw new NoSuchEntity(noSuchGroup(name));
  return group;
}

export const CreateGroup = defineOperation({
  name: 'CreateGroup',
  input: structure({ Path: string(iam.path), GroupName: required(string(iam.groupName)) }),
  async run(ctx, input) {
    const path = input.Path ?? '/';
    const arn = groupArn(ctx.accountId, path, input.GroupName);
    await ctx.authorize('iam:CreateGroup', arn);
    if ((await ctx.repos.groups.getByName(ctx.accountId, input.GroupName)) !== undefined) throw new EntityAlreadyExists(groupExists(input.GroupName));
    await ctx.repos.accounts.get(ctx.accountId, { forUpdate: true });
    if ((await ctx.repos.groups.count(ctx.accountId)) >= IAM_QUOTAS.GroupsPerAccount) throw quotaExceeded('GroupsPerAccount', IAM_QUOTAS.GroupsPerAccount);
    const group: GroupRecord = { accountId: ctx.accountId, id: ctx.ids.uniqueId('group'), name: input.GroupName, path, arn, createdAt: ctx.now.getTime() };
    await uniquely(() => ctx.repos.groups.create(group), () => new EntityAlreadyExists(groupExists(input.GroupName)));
    return { Group: groupOutput(group) };
  },
});

export const GetGroup = defineOperation({
  name: 'GetGroup',
  readOnly: true,
  input: structure({ GroupName: required(string(iam.groupName)), ...pagingMembers }),
  async run(ctx, input) {
    const group = await authorizedGroup(ctx, 'iam:GetGroup', input.GroupName);
    const page = await ctx.repos.groups.listMembers(ctx.accountId, group.id, pageRequest(input));
    return { Group: groupOutput(group), Users: page.items.map((u) => userOutput(u)), ...pageOutput(page) };
  },
});

export const UpdateGroup = defineOperation({
  name: 'UpdateGroup',
  input: structure({ GroupName: required(string(iam.groupName)), NewPath: string(iam.path), NewGroupName: string(iam.groupName) }),
  async run(ctx, input) {
    const group = await authorizedGroup(ctx, 'iam:UpdateGroup', input.GroupName, true);
    const name = input.NewGroupName ?? group.name;
    const path = input.NewPath ?? group.path;
    const arn = groupArn(ctx.accountId, path, name);
    // As for users: renaming or moving needs permission on the target object too.
    if (arn !== group.arn) await ctx.authorize('iam:UpdateGroup', arn);
    if (name.toLowerCase() !== group.name.toLowerCase() && (await ctx.repos.groups.getByName(ctx.accountId, name)) !== undefined) {
      throw new EntityAlreadyExists(groupExists(name));
    }
    if (name !== group.name || path !== group.path) {
      await uniquely(() => ctx.repos.groups.update(ctx.accountId, group.id, { name, path, arn }), () => new EntityAlreadyExists(groupExists(name)));
    }
    return undefined;
  },
});

export const DeleteGroup = defineOperation({
  name: 'DeleteGroup',
  input: structure({ GroupName: required(string(iam.groupName)) }),
  async run(ctx, input) {
    const group = await authorizedGroup(ctx, 'iam:DeleteGroup', input.GroupName, true);
    const { accountId, repos } = ctx;
    if ((await repos.groups.countMembers(accountId, group.id)) > 0) throw new DeleteConflict(DELETE_CONFLICT.groupMembership);
    if ((await repos.inlinePolicies.all(accountId, 'group', group.id)).length > 0) throw new DeleteConflict(DELETE_CONFLICT.inlinePolicies);
    if ((await repos.attachments.count(accountId, 'group', group.id)) > 0) throw new DeleteConflict(DELETE_CONFLICT.attachedPolicies);
    await repos.groups.delete(accountId, group.id);
    return undefined;
  },
});

export const ListGroups = defineOperation({
  name: 'ListGroups',
  readOnly: true,
  input: structure({ PathPrefix: string(iam.pathPrefix), ...pagingMembers }),
  async run(ctx, input) {
    const prefix = input.PathPrefix ?? '/';
    await ctx.authorize('iam:ListGroups', `arn:aws:iam::${ctx.accountId}:group${prefix}`);
    const page = await ctx.repos.groups.list(ctx.accountId, pageRequest(input, prefix));
    return { Groups: page.items.map(groupOutput), ...pageOutput(page) };
  },
});

export const AddUserToGroup = defineOperation({
  name: 'AddUserToGroup',
  input: structure({ GroupName: required(string(iam.groupName)), UserName: required(string(iam.existingUserName)) }),
  async run(ctx, input) {
    const group = await authorizedGroup(ctx, 'iam:AddUserToGroup', input.GroupName);
    // Lock the user before counting its groups, so two concurrent adds cannot both pass the quota.
    const user = await ctx.repos.users.getByName(ctx.accountId, input.UserName, { forUpdate: true });
    if (user === undefined) throw new NoSuchEntity(noSuchUser(input.UserName));
    const page = await ctx.repos.groups.listForUser(ctx.accountId, user.id, { maxItems: IAM_QUOTAS.GroupsPerUser + 1 });
    if (page.items.some((g) => g.id === group.id)) return undefined; // already a member: AWS succeeds
    if (page.items.length >= IAM_QUOTAS.GroupsPerUser) throw quotaExceeded('GroupsPerUser', IAM_QUOTAS.GroupsPerUser);
    await ctx.repos.groups.addMember(ctx.accountId, group.id, user.id);
    return undefined;
  },
});

export const RemoveUserFromGroup = defineOperation({
  name: 'RemoveUserFromGroup',
  input: structure({ GroupName: required(string(iam.groupName)), UserName: required(string(iam.existingUserName)) }),
  async run(ctx, input) {
    const group = await authorizedGroup(ctx, 'iam:RemoveUserFromGroup', input.GroupName);
    const user = await ctx.repos.users.getByName(ctx.accountId, input.UserName);
    if (user === undefined) throw new NoSuchEntity(noSuchUser(input.UserName));
    if (!(await ctx.repos.groups.removeMember(ctx.accountId, group.id, user.id))) {
      throw new NoSuchEntity(`User ${user.name} is not in group ${group.name}.`);
    }
    return undefined;
  },
});

export const ListGroupsForUser = defineOperation({
  name: 'ListGroupsForUser',
  readOnly: true,
  input: structure({ UserName: required(string(iam.existingUserName)), ...pagingMembers }),
  async run(ctx, input) {
    const target = await targetUser(ctx, input.UserName);
    const user = target.kind === 'user' ? target.user : undefined;
    await ctx.authorize('iam:ListGroupsForUser', target.arn, { resourceTags: await resourceTags(ctx, 'user', user?.id) });
    if (user === undefined) throw new NoSuchEntity(noSuchUser(input.UserName));
    const page = await ctx.repos.groups.listForUser(ctx.accountId, user.id, pageRequest(input));
    return { Groups: page.items.map(groupOutput), ...pageOutput(page) };
  },
});

export const groupOperations: readonly AnyOperation[] = [CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser];
