import { required, string, structure, XmlMap } from '@latchkey/aws-query';
import { EntityAlreadyExists, NoSuchEntity } from '@latchkey/errors';
import { IAM_QUOTAS, iamConstraints as iam, POLICY_SIZE_QUOTAS, quotaExceeded } from '@latchkey/model';
import type { Page, Repositories } from '@latchkey/store';
import { defineOperation, type AnyOperation } from '../operation.js';
import { pagingMembers } from '../shapes.js';

/** AWS's quota on policy versions in use per account (GetAccountSummary's PolicyVersionsInUseQuota). */
const POLICY_VERSIONS_IN_USE_QUOTA = 10_000;

async function countAll<T>(fetch: (marker: string | undefined) => Promise<Page<T>>, each?: (item: T) => Promise<number>): Promise<number> {
  let marker: string | undefined;
  let total = 0;
  do {
    const page = await fetch(marker);
    for (const item of page.items) total += each === undefined ? 1 : await each(item);
    marker = page.isTruncated ? page.marker : undefined;
  } while (marker !== undefined);
  return total;
}

async function summary(repos: Repositories, accountId: string): Promise<[string, number][]> {
  const [users, groups, roles, policies, providers, rootKeys] = await Promise.all([
    repos.users.count(accountId),
    repos.groups.count(accountId),
    repos.roles.count(accountId),
    repos.policies.count(accountId),
    repos.oidcProviders.count(accountId),
    repos.accessKeys.countForOwner(accountId, null),
  ]);
  const versions = await countAll(
    (marker) => repos.policies.list(accountId, { scope: 'Local', maxItems: 1000, ...(marker === undefined ? {} : { marker }) }),
    (p) => repos.policies.countVersions(p.arn),
  );
  const mfa = await countAll((marker) => repos.mfaDevices.list(accountId, { maxItems: 1000, ...(marker === undefined ? {} : { marker }) }));
  const mfaInUse = await countAll((marker) => repos.mfaDevices.list(accountId, { assignment: 'Assigned', maxItems: 1000, ...(marker === undefined ? {} : { marker }) }));
  // The keys of AWS's summaryKeyType enum, in its order. Counts of features Latchkey does not
  // host (server and signing certificates, instance profiles, root MFA and password) are 0.
  return [
    ['Users', users],
    ['UsersQuota', IAM_QUOTAS.UsersPerAccount],
    ['Groups', groups],
    ['GroupsQuota', IAM_QUOTAS.GroupsPerAccount],
    ['ServerCertificates', 0],
    ['ServerCertificatesQuota', IAM_QUOTAS.ServerCertificatesPerAccount],
    ['UserPolicySizeQuota', POLICY_SIZE_QUOTAS.UserPolicySize],
    ['GroupPolicySizeQuota', POLICY_SIZE_QUOTAS.GroupPolicySize],
    ['GroupsPerUserQuota', IAM_QUOTAS.GroupsPerUser],
    ['SigningCertificatesPerUserQuota', IAM_QUOTAS.SigningCertificatesPerUser],
    ['AccessKeysPerUserQuota', IAM_QUOTAS.AccessKeysPerUser],
    ['MFADevices', mfa],
    ['MFADevicesInUse', mfaInUse],
    ['AccountMFAEnabled', 0],
    ['AccountAccessKeysPresent', rootKeys > 0 ? 1 : 0],
    ['AccountPasswordPresent', 0],
    ['AccountSigningCertificatesPresent', 0],
    ['AttachedPoliciesPerGroupQuota', IAM_QUOTAS.PoliciesPerGroup],
    ['AttachedPoliciesPerRoleQuota', IAM_QUOTAS.PoliciesPerRole],
    ['AttachedPoliciesPerUserQuota', IAM_QUOTAS.PoliciesPerUser],
    ['Policies', policies],
    ['PoliciesQuota', IAM_QUOTAS.PoliciesPerAccount],
    ['PolicySizeQuota', POLICY_SIZE_QUOTAS.PolicySize],
    ['PolicyVersionsInUse', versions],
    ['PolicyVersionsInUseQuota', POLICY_VERSIONS_IN_USE_QUOTA],
    ['VersionsPerPolicyQuota', IAM_QUOTAS.VersionsPerPolicy],
    ['GlobalEndpointTokenVersion', 1],
    ['AssumeRolePolicySizeQuota', POLICY_SIZE_QUOTAS.AssumeRolePolicySize],
    ['InstanceProfiles', 0],
    ['InstanceProfilesQuota', IAM_QUOTAS.InstanceProfilesPerAccount],
    ['Providers', providers],
    ['RolePolicySizeQuota', POLICY_SIZE_QUOTAS.RolePolicySize],
    ['Roles', roles],
    ['RolesQuota', IAM_QUOTAS.RolesPerAccount],
  ];
}

export const GetAccountSummary = defineOperation({
  name: 'GetAccountSummary',
  readOnly: true,
  input: structure({}),
  async run(ctx) {
    await ctx.authorize('iam:GetAccountSummary', '*');
    return { SummaryMap: new XmlMap(await summary(ctx.repos, ctx.accountId)) };
  },
});

export const CreateAccountAlias = defineOperation({
  name: 'CreateAccountAlias',
  input: structure({ AccountAlias: required(string(iam.accountAlias)) }),
  async run(ctx, input) {
    await ctx.authorize('iam:CreateAccountAlias', '*');
    const account = await ctx.repos.accounts.get(ctx.accountId, { forUpdate: true });
    if (account?.alias === input.AccountAlias) return undefined;
    const holder = await ctx.repos.accounts.getByAlias(input.AccountAlias);
    // Aliases are unique across every account of the service, as across AWS.
    if (holder !== undefined) throw new EntityAlreadyExists(`The account alias ${input.AccountAlias} already exists.`);
    if (account?.alias != null) throw quotaExceeded('AccountAliasesPerAccount', IAM_QUOTAS.AccountAliasesPerAccount);
    await ctx.repos.accounts.setAlias(ctx.accountId, input.AccountAlias);
    return undefined;
  },
});

export const DeleteAccountAlias = defineOperation({
  name: 'DeleteAccountAlias',
  input: structure({ AccountAlias: required(string(iam.accountAlias)) }),
  async run(ctx, input) {
    await ctx.authorize('iam:DeleteAccountAlias', '*');
    const account = await ctx.repos.accounts.get(ctx.accountId, { forUpdate: true });
    if (account?.alias !== input.AccountAlias) throw new NoSuchEntity(`The account alias ${input.AccountAlias} cannot be found.`);
    await ctx.repos.accounts.setAlias(ctx.accountId, null);
    return undefined;
  },
});

export const ListAccountAliases = defineOperation({
  name: 'ListAccountAliases',
  readOnly: true,
  input: structure({ ...pagingMembers }),
  async run(ctx) {
    await ctx.authorize('iam:ListAccountAliases', '*');
    const account = await ctx.repos.accounts.get(ctx.accountId);
    // At most one alias: a single page whatever MaxItems says.
    return { AccountAliases: account?.alias == null ? [] : [account.alias], IsTruncated: false };
  },
});

export const accountOperations: readonly AnyOperation[] = [GetAccountSummary, CreateAccountAlias, DeleteAccountAlias, ListAccountAliases];
