import { required, string, structure } from '@latchkey/aws-query';
import { NoSuchEntity } from '@latchkey/errors';
import { iamConstraints as iam, inlinePolicySizeExceeded, POLICY_SIZE_QUOTAS, policySizeForQuota } from '@latchkey/model';
import type { PrincipalType } from '@latchkey/store';
import { defineOperation, type AnyOperation } from '../operation.js';
import { pageOutput, pageRequest } from '../paging.js';
import { pagingMembers } from '../shapes.js';
import { authorizedPrincipal } from './attachments.js';
import { checkInlineDocument, noSuchInlinePolicy } from './policies-common.js';

const NAME_MEMBER = { user: 'UserName', group: 'GroupName', role: 'RoleName' } as const;
const ACTION_NOUN = { user: 'User', group: 'Group', role: 'Role' } as const;
// Inline policy calls take `existingUserNameType` (1..128) for users.
const NAME_SHAPE = { user: iam.existingUserName, group: iam.groupName, role: iam.roleName } as const;

/** Aggregate inline-policy size per principal type (non-whitespace characters). */
export const INLINE_POLICY_QUOTA = {
  user: POLICY_SIZE_QUOTAS.UserPolicySize,
  group: POLICY_SIZE_QUOTAS.GroupPolicySize,
  role: POLICY_SIZE_QUOTAS.RolePolicySize,
} as const;

type Values = Record<string, string | number | undefined>;

function putOperation(type: PrincipalType) {
  const noun = ACTION_NOUN[type];
  return defineOperation({
    name: `Put${noun}Policy`,
    input: structure({
      [NAME_MEMBER[type]]: required(string(NAME_SHAPE[type])),
      PolicyName: required(string(iam.policyName)),
      PolicyDocument: required(string(iam.policyDocument)),
    }),
    async run(ctx, input) {
      const values = input as unknown as Values;
      const policyName = values['PolicyName'] as string;
      const document = values['PolicyDocument'] as string;
      const principal = await authorizedPrincipal(ctx, type, values[NAME_MEMBER[type]] as string, `iam:Put${noun}Policy`, { lock: true });
      // The quota is on the principal's inline policies together; a replaced policy no longer counts.
      const others = await ctx.repos.inlinePolicies.all(ctx.accountId, type, principal.id);
      let total = policySizeForQuota(document);
      for (const p of others) if (p.name !== policyName) total += policySizeForQuota(p.document);
      if (total > INLINE_POLICY_QUOTA[type]) throw inlinePolicySizeExceeded(type, principal.name);
      checkInlineDocument(document);
      await ctx.repos.inlinePolicies.put(ctx.accountId, { principalType: type, principalId: principal.id, name: policyName, document });
      return undefined;
    },
  });
}

function getOperation(type: PrincipalType) {
  const noun = ACTION_NOUN[type];
  return defineOperation({
    name: `Get${noun}Policy`,
    readOnly: true,
    input: structure({ [NAME_MEMBER[type]]: required(string(NAME_SHAPE[type])), PolicyName: required(string(iam.policyName)) }),
    async run(ctx, input) {
      const values = input as unknown as Values;
      const policyName = values['PolicyName'] as string;
      const principal = await authorizedPrincipal(ctx, type, values[NAME_MEMBER[type]] as string, `iam:Get${noun}Policy`);
      const policy = await ctx.repos.inlinePolicies.get(ctx.accountId, type, principal.id, policyName);
      if (policy === undefined) throw new NoSuchEntity(noSuchInlinePolicy(type, policyName));
      // The document exactly as it was put (the wire layer URL-encodes it, as AWS does).
      return { [NAME_MEMBER[type]]: principal.name, PolicyName: policy.name, PolicyDocument: policy.document };
    },
  });
}

function deleteOperation(type: PrincipalType) {
  const noun = ACTION_NOUN[type];
  return defineOperation({
    name: `Delete${noun}Policy`,
    input: structure({ [NAME_MEMBER[type]]: required(string(NAME_SHAPE[type])), PolicyName: required(string(iam.policyName)) }),
    async run(ctx, input) {
      const values = input as unknown as Values;
      const policyName = values['PolicyName'] as string;
      const principal = await authorizedPrincipal(ctx, type, values[NAME_MEMBER[type]] as string, `iam:Delete${noun}Policy`, { lock: true });
      if (!(await ctx.repos.inlinePolicies.delete(ctx.accountId, type, principal.id, policyName))) throw new NoSuchEntity(noSuchInlinePolicy(type, policyName));
      return undefined;
    },
  });
}

function listOperation(type: PrincipalType) {
  const noun = ACTION_NOUN[type];
  return defineOperation({
    name: `List${noun}Policies`,
    readOnly: true,
    input: structure({ [NAME_MEMBER[type]]: required(string(NAME_SHAPE[type])), ...pagingMembers }),
    async run(ctx, input) {
      const values = input as unknown as { Marker?: string; MaxItems?: number } & Values;
      const principal = await authorizedPrincipal(ctx, type, values[NAME_MEMBER[type]] as string, `iam:List${noun}Policies`);
      const page = await ctx.repos.inlinePolicies.listNames(ctx.accountId, type, principal.id, pageRequest(values));
      return { PolicyNames: page.items, ...pageOutput(page) };
    },
  });
}

export const PutUserPolicy = putOperation('user');
export const PutGroupPolicy = putOperation('group');
export const PutRolePolicy = putOperation('role');
export const GetUserPolicy = getOperation('user');
export const GetGroupPolicy = getOperation('group');
export const GetRolePolicy = getOperation('role');
export const DeleteUserPolicy = deleteOperation('user');
export const DeleteGroupPolicy = deleteOperation('group');
export const DeleteRolePolicy = deleteOperation('role');
export const ListUserPolicies = listOperation('user');
export const ListGroupPolicies = listOperation('group');
export const ListRolePolicies = listOperation('role');

export const inlinePolicyOperations: readonly AnyOperation[] = [
  PutUserPolicy,
  PutGroupPolicy,
  PutRolePolicy,
  GetUserPolicy,
  GetGroupPolicy,
  GetRolePolicy,
  DeleteUserPolicy,
  DeleteGroupPolicy,
  DeleteRolePolicy,
  ListUserPolicies,
  ListGroupPolicies,
  ListRolePolicies,
];
