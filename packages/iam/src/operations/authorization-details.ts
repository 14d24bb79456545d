import { enumOf, list, structure } from '@latchkey/aws-query';
import type { GroupRecord, ManagedPolicyRecord, PrincipalType, Repositories, RoleRecord, UserRecord } from '@latchkey/store';
import { defineOperation, type AnyOperation, type OperationContext } from '../operation.js';
import { pageOutput } from '../paging.js';
import { pagingMembers } from '../shapes.js';
import { pageArray, policyOutput } from './policies-common.js';
import { policyVersionOutput } from './policy-versions.js';

type EntityType = 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';
const ALL: readonly EntityType[] = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'];

type Entry =
  | { readonly kind: 'user'; readonly record: UserRecord }
  | { readonly kind: 'group'; readonly record: GroupRecord }
  | { readonly kind: 'role'; readonly record: RoleRecord }
  | { readonly kind: 'policy'; readonly record: ManagedPolicyRecord };

/** Every item of a paged store listing. */
async function all<T>(fetch: (marker: string | undefined) => Promise<{ items: T[]; marker?: string }>): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    out.push(...page.items);
    marker = page.marker;
  } while (marker !== undefined);
  return out;
}

const req = (marker: string | undefined) => ({ maxItems: 1000, ...(marker === undefined ? {} : { marker }) });

async function inlineList(repos: Repositories, accountId: string, type: PrincipalType, id: string) {
  const policies = await repos.inlinePolicies.all(accountId, type, id);
  return policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((p) => ({ PolicyName: p.name, PolicyDocument: p.document }));
}

async function attachedList(repos: Repositories, accountId: string, type: PrincipalType, id: string) {
  const attached = await all((m) => repos.attachments.list(accountId, type, id, req(m)));
  return attached.map((a) => ({ PolicyName: a.policyName, PolicyArn: a.policyArn }));
}

const boundary = (arn: string | null) => (arn === null ? undefined : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn });
const tagList = (tags: readonly { key: string; value: string }[]) => (tags.length === 0 ? undefined : tags.map((t) => ({ Key: t.key, Value: t.value })));

async function userDetail(ctx: OperationContext, u: UserRecord) {
  const { repos, accountId } = ctx;
  const groups = await all((m) => repos.groups.listForUser(accountId, u.id, req(m)));
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.id,
    Arn: u.arn,
    CreateDate: new Date(u.createdAt),
    UserPolicyList: await inlineList(repos, accountId, 'user', u.id),
    GroupList: groups.map((g) => g.name),
    AttachedManagedPolicies: await attachedList(repos, accountId, 'user', u.id),
    PermissionsBoundary: boundary(u.permissionsBoundaryArn),
    Tags: tagList(await repos.tags.list(accountId, 'user', u.id)),
  };
}

async function groupDetail(ctx: OperationContext, g: GroupRecord) {
  const { repos, accountId } = ctx;
  return {
    Path: g.path,
    GroupName: g.name,
    GroupId: g.id,
    Arn: g.arn,
    CreateDate: new Date(g.createdAt),
    GroupPolicyList: await inlineList(repos, accountId, 'group', g.id),
    AttachedManagedPolicies: await attachedList(repos, accountId, 'group', g.id),
  };
}

async function roleDetail(ctx: OperationContext, r: RoleRecord) {
  const { repos, accountId } = ctx;
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id,
    Arn: r.arn,
    CreateDate: new Date(r.createdAt),
    AssumeRolePolicyDocument: r.assumeRolePolicyDocument,
    // Instance profiles are not served: every role's list is empty.
    InstanceProfileList: [],
    RolePolicyList: await inlineList(repos, accountId, 'role', r.id),
    AttachedManagedPolicies: await attachedList(repos, accountId, 'role', r.id),
    PermissionsBoundary: boundary(r.permissionsBoundaryArn),
    Tags: tagList(await repos.tags.list(accountId, 'role', r.id)),
    RoleLastUsed: { LastUsedDate: r.lastUsedAt === null ? undefined : new Date(r.lastUsedAt), Region: r.lastUsedRegion ?? undefined },
  };
}

async function policyDetail(ctx: OperationContext, p: ManagedPolicyRecord) {
  const { repos, accountId } = ctx;
  const usage = await repos.policies.usage(accountId, p.arn);
  const versions = await all((m) => repos.policies.listVersions(p.arn, req(m)));
  const { Tags: _tags, ...rest } = policyOutput(p, usage, { description: true });
  return { ...rest, PolicyVersionList: versions.map((v) => policyVersionOutput(v, true)) };
}

export const GetAccountAuthorizationDetails = defineOperation({
  name: 'GetAccountAuthorizationDetails',
  readOnly: true,
  input: structure({ Filter: list(enumOf(['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'])), ...pagingMembers }),
  async run(ctx, input) {
    await ctx.authorize('iam:GetAccountAuthorizationDetails', '*');
    const { repos, accountId } = ctx;
    // An absent or empty filter means every entity type.
    const wanted = new Set<EntityType>(input.Filter === undefined || input.Filter.length === 0 ? ALL : input.Filter);
    const entries: Entry[] = [];
    if (wanted.has('User')) for (const record of await all((m) => repos.users.list(accountId, req(m)))) entries.push({ kind: 'user', record });
    if (wanted.has('Group')) for (const record of await all((m) => repos.groups.list(accountId, req(m)))) entries.push({ kind: 'group', record });
    if (wanted.has('Role')) for (const record of await all((m) => repos.roles.list(accountId, req(m)))) entries.push({ kind: 'role', record });
    if (wanted.has('LocalManagedPolicy')) {
      for (const record of await all((m) => repos.policies.list(accountId, { scope: 'Local', ...req(m) }))) entries.push({ kind: 'policy', record });
    }
    if (wanted.has('AWSManagedPolicy')) {
      // AWS lists the AWS managed policies the account uses, not the whole catalogue.
      for (const record of await all((m) => repos.policies.list(accountId, { scope: 'AWS', onlyAttached: true, ...req(m) }))) entries.push({ kind: 'policy', record });
    }
    const page = pageArray(entries, input);
    const out = {
      UserDetailList: [] as Awaited<ReturnType<typeof userDetail>>[],
      GroupDetailList: [] as Awaited<ReturnType<typeof groupDetail>>[],
      RoleDetailList: [] as Awaited<ReturnType<typeof roleDetail>>[],
      Policies: [] as Awaited<ReturnType<typeof policyDetail>>[],
    };
    for (const e of page.items) {
      if (e.kind === 'user') out.UserDetailList.push(await userDetail(ctx, e.record));
      else if (e.kind === 'group') out.GroupDetailList.push(await groupDetail(ctx, e.record));
      else if (e.kind === 'role') out.RoleDetailList.push(await roleDetail(ctx, e.record));
      else out.Policies.push(await policyDetail(ctx, e.record));
    }
    return { ...out, ...pageOutput(page) };
  },
});

export const authorizationDetailsOperations: readonly AnyOperation[] = [GetAccountAuthorizationDetails];
