import { integer, required, string, structure } from '@latchkey/aws-query';
import { DeleteConflict, EntityAlreadyExists } from '@latchkey/errors';
import { IAM_QUOTAS, iamConstraints as iam, quotaExceeded, roleArn } from '@latchkey/model';
import type { RoleRecord } from '@latchkey/store';
import { attachablePolicy } from '../boundaries.js';
import { DELETE_CONFLICT } from '../messages.js';
import { defineOperation, type AnyOperation } from '../operation.js';
import { pageOutput, pageRequest } from '../paging.js';
import { uniquely } from '../unique.js';
import { pagingMembers, tagListShape } from '../shapes.js';
import { requestTags } from '../tags.js';
import { authorizedRole, checkTrustDocument, roleExists, roleOutput } from './policies-common.js';

/** AWS's default `MaxSessionDuration` (one hour). */
export const DEFAULT_MAX_SESSION_DURATION = 3600;

export const CreateRole = defineOperation({
  name: 'CreateRole',
  input: structure({
    Path: string(iam.path),
    RoleName: required(string(iam.roleName)),
    AssumeRolePolicyDocument: required(string(iam.policyDocument)),
    Description: string(iam.roleDescription),
    MaxSessionDuration: integer(iam.maxSessionDuration),
    PermissionsBoundary: string(iam.arn),
    Tags: tagListShape,
  }),
  async run(ctx, input) {
    const path = input.Path ?? '/';
    const arn = roleArn(ctx.accountId, path, input.RoleName);
    const tags = requestTags(input.Tags);
    const boundaryArn = input.PermissionsBoundary;
    await ctx.authorize('iam:CreateRole', arn, {
      requestTags: tags,
      ...(boundaryArn === undefined ? {} : { keys: { 'iam:PermissionsBoundary': boundaryArn } }),
    });
    if ((await ctx.repos.roles.getByName(ctx.accountId, input.RoleName)) !== undefined) throw new EntityAlreadyExists(roleExists(input.RoleName));
    await checkTrustDocument(ctx, input.AssumeRolePolicyDocument);
    if (boundaryArn !== undefined) await attachablePolicy(ctx, boundaryArn);
    // Lock the account before counting, so concurrent creations cannot overshoot the quota.
    await ctx.repos.accounts.get(ctx.accountId, { forUpdate: true });
    if ((await ctx.repos.roles.count(ctx.accountId)) >= IAM_QUOTAS.RolesPerAccount) throw quotaExceeded('RolesPerAccount', IAM_QUOTAS.RolesPerAccount);
    const role: RoleRecord = {
      accountId: ctx.accountId,
      id: ctx.ids.uniqueId('role'),
      name: input.RoleName,
      path,
      arn,
      createdAt: ctx.now.getTime(),
      assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
      description: input.Description ?? null,
      maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
      permissionsBoundaryArn: boundaryArn ?? null,
      lastUsedAt: null,
      lastUsedRegion: null,
    };
    await uniquely(() => ctx.repos.roles.create(role), () => new EntityAlreadyExists(roleExists(input.RoleName)));
    if (tags.length > 0) await ctx.repos.tags.put(ctx.accountId, 'role', role.id, tags);
    return { Role: roleOutput(role, { full: true, tags }) };
  },
});

export const GetRole = defineOperation({
  name: 'GetRole',
  readOnly: true,
  input: structure({ RoleName: required(string(iam.roleName)) }),
  async run(ctx, input) {
    const { role, tags } = await authorizedRole(ctx, 'iam:GetRole', input.RoleName);
    return { Role: roleOutput(role, { full: true, tags, lastUsed: true }) };
  },
});

export const UpdateRole = defineOperation({
  name: 'UpdateRole',
  input: structure({
    RoleName: required(string(iam.roleName)),
    Description: string(iam.roleDescription),
    MaxSessionDuration: integer(iam.maxSessionDuration),
  }),
  async run(ctx, input) {
    const { role } = await authorizedRole(ctx, 'iam:UpdateRole', input.RoleName, { lock: true });
    const changes = {
      ...(input.Description === undefined ? {} : { description: input.Description }),
      ...(input.MaxSessionDuration === undefined ? {} : { maxSessionDuration: input.MaxSessionDuration }),
    };
    if (Object.keys(changes).length > 0) await ctx.repos.roles.update(ctx.accountId, role.id, changes);
    // UpdateRole is the one IAM action whose result wrapper is present and empty.
    return {};
  },
});

export const UpdateRoleDescription = defineOperation({
  name: 'UpdateRoleDescription',
  input: structure({ RoleName: required(string(iam.roleName)), Description: required(string(iam.roleDescription)) }),
  async run(ctx, input) {
    const { role, tags } = await authorizedRole(ctx, 'iam:UpdateRoleDescription', input.RoleName, { lock: true });
    await ctx.repos.roles.update(ctx.accountId, role.id, { description: input.Description });
    return { Role: roleOutput({ ...role, description: input.Description }, { full: true, tags, lastUsed: true }) };
  },
});

export const UpdateAssumeRolePolicy = defineOperation({
  name: 'UpdateAssumeRolePolicy',
  input: structure({ RoleName: required(string(iam.roleName)), PolicyDocument: required(string(iam.policyDocument)) }),
  async run(ctx, input) {
    const { role } = await authorizedRole(ctx, 'iam:UpdateAssumeRolePolicy', input.RoleName, { lock: true });
    await checkTrustDocument(ctx, input.PolicyDocument);
    await ctx.repos.roles.update(ctx.accountId, role.id, { assumeRolePolicyDocument: input.PolicyDocument });
    return undefined;
  },
});

export const DeleteRole = defineOperation({
  name: 'DeleteRole',
  input: structure({ RoleName: required(string(iam.roleName)) }),
  async run(ctx, input) {
    const { role } = await authorizedRole(ctx, 'iam:DeleteRole', input.RoleName, { lock: true });
    // AWS's order: attached managed policies, then inline policies (instance profiles are not served).
    if ((await ctx.repos.attachments.count(ctx.accountId, 'role', role.id)) > 0) throw new DeleteConflict(DELETE_CONFLICT.attachedPolicies);
    if ((await ctx.repos.inlinePolicies.all(ctx.accountId, 'role', role.id)).length > 0) throw new DeleteConflict(DELETE_CONFLICT.inlinePolicies);
    await ctx.repos.roles.delete(ctx.accountId, role.id);
    return undefined;
  },
});

export const ListRoles = defineOperation({
  name: 'ListRoles',
  readOnly: true,
  input: structure({ PathPrefix: string(iam.pathPrefix), ...pagingMembers }),
  async run(ctx, input) {
    const prefix = input.PathPrefix ?? '/';
    await ctx.authorize('iam:ListRoles', `arn:aws:iam::${ctx.accountId}:role${prefix}`);
    const page = await ctx.repos.roles.list(ctx.accountId, pageRequest(input, prefix));
    return { Roles: page.items.map((r) => roleOutput(r)), ...pageOutput(page) };
  },
});

export const roleOperations: readonly AnyOperation[] = [CreateRole, GetRole, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy, DeleteRole, ListRoles];
