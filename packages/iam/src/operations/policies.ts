import { boolean, enumOf, required, string, structure } from '@latchkey/aws-query';
import { DeleteConflict, EntityAlreadyExists } from '@latchkey/errors';
import { IAM_QUOTAS, iamConstraints as iam, policyArn, quotaExceeded } from '@latchkey/model';
import type { PolicyEntityRecord, Repositories, RoleRecord, UserRecord } from '@latchkey/store';
import { defineOperation, type AnyOperation } from '../operation.js';
import { uniquely } from '../unique.js';
import { pageOutput, pageRequest } from '../paging.js';
import { pagingMembers, tagListShape } from '../shapes.js';
import { requestTags } from '../tags.js';
import { authorizedPolicy, checkManagedDocument, pageArray, policyExists, policyOutput, POLICY_DELETE_CONFLICT } from './policies-common.js';

export const CreatePolicy = defineOperation({
  name: 'CreatePolicy',
  input: structure({
    PolicyName: required(string(iam.policyName)),
    Path: string(iam.policyPath),
    PolicyDocument: required(string(iam.policyDocument)),
    Description: string(iam.policyDescription),
    Tags: tagListShape,
  }),
  async run(ctx, input) {
    const path = input.Path ?? '/';
    const arn = policyArn(ctx.accountId, path, input.PolicyName);
    const tags = requestTags(input.Tags);
    await ctx.authorize('iam:CreatePolicy', arn, { requestTags: tags });
    checkManagedDocument(input.PolicyDocument);
    const { repos, accountId } = ctx;
    // Lock the account before counting, so concurrent creations cannot overshoot the quota.
    await repos.accounts.get(accountId, { forUpdate: true });
    if ((await repos.policies.count(accountId)) >= IAM_QUOTAS.PoliciesPerAccount) throw quotaExceeded('PoliciesPerAccount', IAM_QUOTAS.PoliciesPerAccount);
    // Names are unique per account whatever the path: the store's unique key on the name
    // (case-insensitive) answers a clash, with AWS's name-bearing text.
    const record = {
      accountId,
      id: ctx.ids.uniqueId('managedPolicy'),
      name: input.PolicyName,
      path,
      arn,
      description: input.Description ?? null,
      isAttachable: true,
      createdAt: ctx.now.getTime(),
      document: input.PolicyDocument,
    };
    const policy = await uniquely(() => repos.policies.create(record), () => new EntityAlreadyExists(policyExists(input.PolicyName)));
    if (tags.length > 0) await repos.tags.put(accountId, 'policy', policy.id, tags);
    return { Policy: policyOutput(policy, { attachmentCount: 0, permissionsBoundaryUsageCount: 0 }, { description: true, tags }) };
  },
});

export const GetPolicy = defineOperation({
  name: 'GetPolicy',
  readOnly: true,
  input: structure({ PolicyArn: required(string(iam.arn)) }),
  async run(ctx, input) {
    const { policy, tags } = await authorizedPolicy(ctx, 'iam:GetPolicy', input.PolicyArn);
    const usage = await ctx.repos.policies.usage(ctx.accountId, policy.arn);
    return { Policy: policyOutput(policy, usage, { description: true, tags }) };
  },
});

export const DeletePolicy = defineOperation({
  name: 'DeletePolicy',
  input: structure({ PolicyArn: required(string(iam.arn)) }),
  async run(ctx, input) {
    const { policy } = await authorizedPolicy(ctx, 'iam:DeletePolicy', input.PolicyArn, { lock: true, mutate: true });
    const usage = await ctx.repos.policies.usage(ctx.accountId, policy.arn);
    if (usage.attachmentCount > 0 || usage.permissionsBoundaryUsageCount > 0) throw new DeleteConflict(POLICY_DELETE_CONFLICT.attached);
    if ((await ctx.repos.policies.countVersions(policy.arn)) > 1) throw new DeleteConflict(POLICY_DELETE_CONFLICT.versions);
    await ctx.repos.policies.delete(policy.arn);
    return undefined;
  },
});

export const ListPolicies = defineOperation({
  name: 'ListPolicies',
  readOnly: true,
  input: structure({
    Scope: enumOf(['All', 'AWS', 'Local']),
    OnlyAttached: boolean(),
    PathPrefix: string(iam.policyPath),
    PolicyUsageFilter: enumOf(['PermissionsPolicy', 'PermissionsBoundary']),
    ...pagingMembers,
  }),
  async run(ctx, input) {
    await ctx.authorize('iam:ListPolicies', '*');
    const page = await ctx.repos.policies.list(ctx.accountId, {
      ...pageRequest(input, input.PathPrefix ?? '/'),
      scope: input.Scope ?? 'All',
      onlyAttached: input.OnlyAttached === true,
      // PermissionsPolicy: policies attached in this account; PermissionsBoundary: policies used as a boundary here.
      ...(input.PolicyUsageFilter === undefined ? {} : { usage: input.PolicyUsageFilter }),
    });
    const policies = [];
    for (const p of page.items) policies.push(policyOutput(p, await ctx.repos.policies.usage(ctx.accountId, p.arn)));
    return { Policies: policies, ...pageOutput(page) };
  },
});

/** Every user and role in the account whose permissions boundary is `arn`. */
async function boundaryEntities(repos: Repositories, accountId: string, arn: string): Promise<PolicyEntityRecord[]> {
  const out: PolicyEntityRecord[] = [];
  const scan = async <T extends UserRecord | RoleRecord>(type: 'user' | 'role', list: (marker: string | undefined) => Promise<{ items: T[]; marker?: string }>) => {
    let marker: string | undefined;
    do {
      const page = await list(marker);
      for (const e of page.items) if (e.permissionsBoundaryArn === arn) out.push({ principalType: type, id: e.id, name: e.name, path: e.path });
      marker = page.marker;
    } while (marker !== undefined);
  };
  const request = (marker: string | undefined) => ({ maxItems: 1000, ...(marker === undefined ? {} : { marker }) });
  await scan('user', (m) => repos.users.list(accountId, request(m)));
  await scan('role', (m) => repos.roles.list(accountId, request(m)));
  return out;
}

const ENTITY_TYPES = { User: 'user', Role: 'role', Group: 'group' } as const;

export const ListEntitiesForPolicy = defineOperation({
  name: 'ListEntitiesForPolicy',
  readOnly: true,
  input: structure({
    PolicyArn: required(string(iam.arn)),
    EntityFilter: enumOf(['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']),
    PathPrefix: string(iam.path),
    PolicyUsageFilter: enumOf(['PermissionsPolicy', 'PermissionsBoundary']),
    ...pagingMembers,
  }),
  async run(ctx, input) {
    const { policy } = await authorizedPolicy(ctx, 'iam:ListEntitiesForPolicy', input.PolicyArn);
    const usage = input.PolicyUsageFilter;
    const found: PolicyEntityRecord[] = [];
    if (usage !== 'PermissionsBoundary') found.push(...(await ctx.repos.attachments.entitiesForPolicy(ctx.accountId, policy.arn)));
    if (usage !== 'PermissionsPolicy') found.push(...(await boundaryEntities(ctx.repos, ctx.accountId, policy.arn)));
    const filter = input.EntityFilter;
    const wanted = filter === undefined || filter === 'LocalManagedPolicy' || filter === 'AWSManagedPolicy' ? undefined : ENTITY_TYPES[filter];
    const prefix = input.PathPrefix ?? '/';
    const seen = new Set<string>();
    const rank = { group: 0, user: 1, role: 2 } as const;
    const entities = found
      .filter((e) => (wanted === undefined || e.principalType === wanted) && e.path.startsWith(prefix))
      .filter((e) => {
        // An entity with the policy both attached and as boundary is listed once.
        const key = `${e.principalType}|${e.id}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) => rank[a.principalType] - rank[b.principalType] || a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    const page = pageArray(entities, input);
    const of = (type: PolicyEntityRecord['principalType']) => page.items.filter((e) => e.principalType === type);
    return {
      PolicyGroups: of('group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
      PolicyUsers: of('user').map((e) => ({ UserName: e.name, UserId: e.id })),
      PolicyRoles: of('role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
      ...pageOutput(page),
    };
  },
});

export const policyOperations: readonly AnyOperation[] = [CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, ListEntitiesForPolicy];
