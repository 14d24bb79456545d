import { required, string, structure } from '@latchkey/aws-query';
import { NoSuchEntity, PolicyNotAttachable } from '@latchkey/errors';
import { groupArn, IAM_QUOTAS, iamConstraints as iam, quotaExceeded, roleArn, userArn } from '@latchkey/model';
import type { PrincipalType, Tag } from '@latchkey/store';
import { noSuchGroup, noSuchUser } from '../messages.js';
import { defineOperation, type AnyOperation, type OperationContext } from '../operation.js';
import { pageOutput, pageRequest } from '../paging.js';
import type { AuthorizationExtras } from '../request-context.js';
import { pagingMembers } from '../shapes.js';
import { checkPolicyArn, noSuchRole, policyNotAttachable, policyNotFound, visiblePolicy } from './policies-common.js';

/** A user, group or role an operation acts on. */
export interface Principal {
  readonly type: PrincipalType;
  readonly id: string;
  readonly name: string;
  readonly arn: string;
}

const ARN = { user: userArn, group: groupArn, role: roleArn } as const;
const NOT_FOUND = { user: noSuchUser, group: noSuchGroup, role: noSuchRole } as const;

/**
 * Looks the named user, group or role up, authorizes `action` on its ARN (path-less when it does
 * not exist) with its tags and boundary as condition keys, then insists it exists.
 */
export async function authorizedPrincipal(
  ctx: OperationContext,
  type: PrincipalType,
  name: string,
  action: string,
  options: { lock?: boolean; keys?: AuthorizationExtras['keys']; extras?: AuthorizationExtras } = {},
): Promise<Principal & { tags: readonly Tag[]; boundaryArn: string | null }> {
  const lock = options.lock === true ? { forUpdate: true } : {};
  const repos = ctx.repos;
  const found =
    type === 'user' ? await repos.users.getByName(ctx.accountId, name, lock) : type === 'group' ? await repos.groups.getByName(ctx.accountId, name, lock) : await repos.roles.getByName(ctx.accountId, name, lock);
  const tags = found === undefined || type === 'group' ? [] : await repos.tags.list(ctx.accountId, type, found.id);
  const boundaryArn: string | null = found !== undefined && 'permissionsBoundaryArn' in found ? (found.permissionsBoundaryArn as string | null) : null;
  await ctx.authorize(action, found?.arn ?? ARN[type](ctx.accountId, '/', name), {
    ...options.extras,
    ...(type === 'group' ? {} : { resourceTags: tags }),
    keys: { ...(boundaryArn === null ? {} : { 'iam:PermissionsBoundary': boundaryArn }), ...options.keys },
  });
  if (found === undefined) throw new NoSuchEntity(NOT_FOUND[type](name));
  return { type, id: found.id, name: found.name, arn: found.arn, tags, boundaryArn };
}

const QUOTA = { user: 'PoliciesPerUser', group: 'PoliciesPerGroup', role: 'PoliciesPerRole' } as const;
const NAME_MEMBER = { user: 'UserName', group: 'GroupName', role: 'RoleName' } as const;
const ACTION_NOUN = { user: 'User', group: 'Group', role: 'Role' } as const;

function attachOperation<T extends PrincipalType>(type: T) {
  const noun = ACTION_NOUN[type];
  const nameShape = type === 'user' ? iam.userName : type === 'group' ? iam.groupName : iam.roleName;
  return defineOperation({
    name: `Attach${noun}Policy`,
    input: structure({ [NAME_MEMBER[type]]: required(string(nameShape)), PolicyArn: required(string(iam.arn)) }),
    async run(ctx, input) {
      const values = input as unknown as Record<string, string>;
      const arn = values['PolicyArn']!;
      const principal = await authorizedPrincipal(ctx, type, values[NAME_MEMBER[type]]!, `iam:Attach${noun}Policy`, {
        lock: true,
        keys: { 'iam:PolicyARN': arn },
      });
      checkPolicyArn(arn);
      const policy = await ctx.repos.policies.getByArn(arn);
      if (!visiblePolicy(ctx, policy)) throw new NoSuchEntity(policyNotAttachable(arn));
      if (!policy.isAttachable) throw new PolicyNotAttachable(`Policy ${arn} is not attachable.`);
      const attached = await ctx.repos.attachments.list(ctx.accountId, type, principal.id, { maxItems: 1000 });
      // Attaching a policy that is already attached changes nothing and is not an error.
      if (attached.items.some((a) => a.policyArn === arn)) return undefined;
      const quota = IAM_QUOTAS[QUOTA[type]];
      if (attached.items.length >= quota) throw quotaExceeded(QUOTA[type], quota);
      await ctx.repos.attachments.attach(ctx.accountId, type, principal.id, arn);
      return undefined;
    },
  });
}

function detachOperation<T extends PrincipalType>(type: T) {
  const noun = ACTION_NOUN[type];
  const nameShape = type === 'user' ? iam.userName : type === 'group' ? iam.groupName : iam.roleName;
  return defineOperation({
    name: `Detach${noun}Policy`,
    input: structure({ [NAME_MEMBER[type]]: required(string(nameShape)), PolicyArn: required(string(iam.arn)) }),
    async run(ctx, input) {
      const values = input as unknown as Record<string, string>;
      const arn = values['PolicyArn']!;
      const principal = await authorizedPrincipal(ctx, type, values[NAME_MEMBER[type]]!, `iam:Detach${noun}Policy`, {
        lock: true,
        keys: { 'iam:PolicyARN': arn },
      });
      checkPolicyArn(arn);
      if (!(await ctx.repos.attachments.detach(ctx.accountId, type, principal.id, arn))) throw new NoSuchEntity(policyNotFound(arn));
      return undefined;
    },
  });
}

function listAttachedOperation<T extends PrincipalType>(type: T) {
  const noun = ACTION_NOUN[type];
  const nameShape = type === 'user' ? iam.userName : type === 'group' ? iam.groupName : iam.roleName;
  return defineOperation({
    name: `ListAttached${noun}Policies`,
    readOnly: true,
    input: structure({ [NAME_MEMBER[type]]: required(string(nameShape)), PathPrefix: string(iam.policyPath), ...pagingMembers }),
    async run(ctx, input) {
      const values = input as unknown as { PathPrefix?: string; Marker?: string; MaxItems?: number } & Record<string, unknown>;
      const principal = await authorizedPrincipal(ctx, type, values[NAME_MEMBER[type]] as string, `iam:ListAttached${noun}Policies`);
      const page = await ctx.repos.attachments.list(ctx.accountId, type, principal.id, pageRequest(values, values.PathPrefix ?? '/'));
      return { AttachedPolicies: page.items.map((a) => ({ PolicyName: a.policyName, PolicyArn: a.policyArn })), ...pageOutput(page) };
    },
  });
}

export const AttachUserPolicy = attachOperation('user');
export const AttachGroupPolicy = attachOperation('group');
export const AttachRolePolicy = attachOperation('role');
export const DetachUserPolicy = detachOperation('user');
export const DetachGroupPolicy = detachOperation('group');
export const DetachRolePolicy = detachOperation('role');
export const ListAttachedUserPolicies = listAttachedOperation('user');
export const ListAttachedGroupPolicies = listAttachedOperation('group');
export const ListAttachedRolePolicies = listAttachedOperation('role');

export const attachmentOperations: readonly AnyOperation[] = [
  AttachUserPolicy,
  AttachGroupPolicy,
  AttachRolePolicy,
  DetachUserPolicy,
  DetachGroupPolicy,
  DetachRolePolicy,
  ListAttachedUserPolicies,
  ListAttachedGroupPolicies,
  ListAttachedRolePolicies,
];
