import { list, required, string, structure } from '@latchkey/aws-query';
import { iamConstraints as iam, IAM_QUOTAS, mergeTags, quotaExceeded } from '@latchkey/model';
import type { Tag, TaggableType } from '@latchkey/store';
import { defineOperation, type AnyOperation, type OperationContext } from '../operation.js';
import { pageOutput } from '../paging.js';
import { pagingMembers, tagListShape } from '../shapes.js';
import { requestTags } from '../tags.js';
import { authorizedPrincipal } from './attachments.js';
import { authorizedPolicy, pageArray } from './policies-common.js';

const tagKeysShape = list(string(iam.tagKey), iam.tagKeys);

/** The resource a Tag*, Untag* or List*Tags call acts on, found and authorized. */
interface Target {
  readonly type: TaggableType;
  readonly accountId: string;
  readonly id: string;
  readonly tags: readonly Tag[];
}

type Kind = 'user' | 'role' | 'policy';
const NOUN = { user: 'User', role: 'Role', policy: 'Policy' } as const;

async function target(ctx: OperationContext, kind: Kind, values: Record<string, unknown>, action: string, requested: { tags?: readonly Tag[]; keys?: readonly string[] }): Promise<Target> {
  const extras = {
    ...(requested.tags === undefined ? {} : { requestTags: requested.tags }),
    // UntagX carries only keys: `aws:TagKeys` is all it sets.
    ...(requested.keys === undefined ? {} : { keys: { 'aws:TagKeys': [...requested.keys] } }),
  };
  if (kind === 'policy') {
    const { policy, tags } = await authorizedPolicyWith(ctx, action, values['PolicyArn'] as string, extras);
    return { type: 'policy', accountId: policy.accountId, id: policy.id, tags };
  }
  const name = values[kind === 'user' ? 'UserName' : 'RoleName'] as string;
  const lock = requested.tags !== undefined || requested.keys !== undefined;
  const p = await authorizedPrincipal(ctx, kind, name, action, { lock, extras: requested.tags === undefined ? {} : { requestTags: requested.tags }, ...(requested.keys === undefined ? {} : { keys: { 'aws:TagKeys': [...requested.keys] } }) });
  return { type: kind, accountId: ctx.accountId, id: p.id, tags: p.tags };
}

// Policies are tagged only in the caller's own account: the mutate flag keeps AWS managed
// policies foreign to the engine. Request tags ride along with the policy's own tags.
async function authorizedPolicyWith(ctx: OperationContext, action: string, arn: string, extras: { requestTags?: readonly Tag[]; keys?: Record<string, string[]> }) {
  const wrapped: OperationContext = { ...ctx, authorize: (a, r, e) => ctx.authorize(a, r, { ...e, ...extras }) };
  const mutate = action !== 'iam:ListPolicyTags';
  return authorizedPolicy(wrapped, action, arn, { lock: mutate, mutate });
}

function tagOperation(kind: Kind) {
  const noun = NOUN[kind];
  const nameMember = kind === 'user' ? { UserName: required(string(iam.existingUserName)) } : kind === 'role' ? { RoleName: required(string(iam.roleName)) } : { PolicyArn: required(string(iam.arn)) };
  return defineOperation({
    name: `Tag${noun}`,
    input: structure({ ...nameMember, Tags: required(tagListShape) }),
    async run(ctx, input) {
      const values = input as unknown as Record<string, unknown> & { Tags: { Key: string; Value: string }[] };
      const tags = requestTags(values.Tags);
      const t = await target(ctx, kind, values, `iam:Tag${noun}`, { tags });
      // Keys are case-insensitive on users and roles (a new spelling replaces the old), case-sensitive on policies.
      const merged = mergeTags(
        t.tags.map((x) => ({ Key: x.key, Value: x.value })),
        values.Tags,
        kind !== 'policy',
      );
      if (merged.length > IAM_QUOTAS.TagsPerResource) throw quotaExceeded('TagsPerResource', IAM_QUOTAS.TagsPerResource);
      await ctx.repos.tags.put(t.accountId, t.type, t.id, tags);
      return undefined;
    },
  });
}

function untagOperation(kind: Kind) {
  const noun = NOUN[kind];
  const nameMember = kind === 'user' ? { UserName: required(string(iam.existingUserName)) } : kind === 'role' ? { RoleName: required(string(iam.roleName)) } : { PolicyArn: required(string(iam.arn)) };
  return defineOperation({
    name: `Untag${noun}`,
    input: structure({ ...nameMember, TagKeys: required(tagKeysShape) }),
    async run(ctx, input) {
      const values = input as unknown as Record<string, unknown> & { TagKeys: string[] };
      const t = await target(ctx, kind, values, `iam:Untag${noun}`, { keys: values.TagKeys });
      if (values.TagKeys.length > 0) await ctx.repos.tags.remove(t.accountId, t.type, t.id, values.TagKeys);
      return undefined;
    },
  });
}

function listTagsOperation(kind: Kind) {
  const noun = NOUN[kind];
  const nameMember = kind === 'user' ? { UserName: required(string(iam.existingUserName)) } : kind === 'role' ? { RoleName: required(string(iam.roleName)) } : { PolicyArn: required(string(iam.arn)) };
  return defineOperation({
    name: `List${noun}Tags`,
    readOnly: true,
    input: structure({ ...nameMember, ...pagingMembers }),
    async run(ctx, input) {
      const values = input as unknown as Record<string, unknown> & { Marker?: string; MaxItems?: number };
      const t = await target(ctx, kind, values, `iam:List${noun}Tags`, {});
      const page = pageArray(t.tags, values);
      return { Tags: page.items.map((x) => ({ Key: x.key, Value: x.value })), ...pageOutput(page) };
    },
  });
}

export const TagUser = tagOperation('user');
export const TagRole = tagOperation('role');
export const TagPolicy = tagOperation('policy');
export const UntagUser = untagOperation('user');
export const UntagRole = untagOperation('role');
export const UntagPolicy = untagOperation('policy');
export const ListUserTags = listTagsOperation('user');
export const ListRoleTags = listTagsOperation('role');
export const ListPolicyTags = listTagsOperation('policy');

export const tagOperations: readonly AnyOperation[] = [TagUser, TagRole, TagPolicy, UntagUser, UntagRole, UntagPolicy, ListUserTags, ListRoleTags, ListPolicyTags];
