import { required, string, structure } from '@latchkey/aws-query';
import { iamConstraints as iam } from '@latchkey/model';
import { attachablePolicy } from '../boundaries.js';
import { defineOperation, type AnyOperation } from '../operation.js';
import { authorizedPrincipal } from './attachments.js';

// `iam:PermissionsBoundary` is the boundary being set (Put*) or the one being removed (Delete*):
// policies use it to let administrators delegate user creation only under a given boundary.

export const PutUserPermissionsBoundary = defineOperation({
  name: 'PutUserPermissionsBoundary',
  input: structure({ UserName: required(string(iam.userName)), PermissionsBoundary: required(string(iam.arn)) }),
  async run(ctx, input) {
    const arn = input.PermissionsBoundary;
    const user = await authorizedPrincipal(ctx, 'user', input.UserName, 'iam:PutUserPermissionsBoundary', {
      lock: true,
      keys: { 'iam:PermissionsBoundary': arn },
    });
    await attachablePolicy(ctx, arn);
    if (user.boundaryArn !== arn) await ctx.repos.users.update(ctx.accountId, user.id, { permissionsBoundaryArn: arn });
    return undefined;
  },
});

export const DeleteUserPermissionsBoundary = defineOperation({
  name: 'DeleteUserPermissionsBoundary',
  input: structure({ UserName: required(string(iam.userName)) }),
  async run(ctx, input) {
    const user = await authorizedPrincipal(ctx, 'user', input.UserName, 'iam:DeleteUserPermissionsBoundary', { lock: true });
    // Removing a boundary that is not there is a no-op, as for an untag of an absent key.
    if (user.boundaryArn !== null) await ctx.repos.users.update(ctx.accountId, user.id, { permissionsBoundaryArn: null });
    return undefined;
  },
});

export const PutRolePermissionsBoundary = defineOperation({
  name: 'PutRolePermissionsBoundary',
  input: structure({ RoleName: required(string(iam.roleName)), PermissionsBoundary: required(string(iam.arn)) }),
  async run(ctx, input) {
    const arn = input.PermissionsBoundary;
    const role = await authorizedPrincipal(ctx, 'role', input.RoleName, 'iam:PutRolePermissionsBoundary', {
      lock: true,
      keys: { 'iam:PermissionsBoundary': arn },
    });
    await attachablePolicy(ctx, arn);
    if (role.boundaryArn !== arn) await ctx.repos.roles.update(ctx.accountId, role.id, { permissionsBoundaryArn: arn });
    return undefined;
  },
});

export const DeleteRolePermissionsBoundary = defineOperation({
  name: 'DeleteRolePermissionsBoundary',
  input: structure({ RoleName: required(string(iam.roleName)) }),
  async run(ctx, input) {
    const role = await authorizedPrincipal(ctx, 'role', input.RoleName, 'iam:DeleteRolePermissionsBoundary', { lock: true });
    if (role.boundaryArn !== null) await ctx.repos.roles.update(ctx.accountId, role.id, { permissionsBoundaryArn: null });
    return undefined;
  },
});

export const boundaryOperations: readonly AnyOperation[] = [PutUserPermissionsBoundary, DeleteUserPermissionsBoundary, PutRolePermissionsBoundary, DeleteRolePermissionsBoundary];
