import { list, required, string, structure } from '@latchkey/aws-query';
import { EntityAlreadyExists, InvalidInput, LimitExceeded, NoSuchEntity } from '@latchkey/errors';
import { IAM_QUOTAS, iamConstraints as iam, mergeTags, oidcProviderArn, quotaExceeded, quotaExceededMessage } from '@latchkey/model';
import type { OidcProviderRecord, Tag } from '@latchkey/store';
import { defineOperation, type AnyOperation, type OperationContext } from '../operation.js';
import { tagsOutput } from '../outputs.js';
import { pageOutput } from '../paging.js';
import { pagingMembers, tagListShape } from '../shapes.js';
import { requestTags } from '../tags.js';
import { pageArray } from './policies-common.js';

// OpenID Connect identity providers (what AssumeRoleWithWebIdentity trusts). Texts follow those
// AWS answers as recorded by moto and public Terraform issue threads.

/** AWS's cap on thumbprints per provider. */
export const MAX_THUMBPRINTS = 5;
/** AWS's cap on client ids (audiences) per provider. */
export const MAX_CLIENT_IDS = 100;

const clientIdList = list(string(iam.clientId));
const thumbprintList = list(string(iam.thumbprint));
const providerArnMember = { OpenIDConnectProviderArn: required(string(iam.arn)) } as const;
const tagKeys = list(string(iam.tagKey), iam.tagKeys);

export const noSuchProvider = (arn: string): string => `OpenIDConnect Provider not found for arn ${arn}`;
export const providerExists = (url: string): string => `Provider with url ${url} already exists.`;
export const INVALID_PROVIDER_URL = 'Invalid Open ID Connect Provider URL';
export const TOO_MANY_THUMBPRINTS = `Thumbprint list must contain fewer than ${MAX_THUMBPRINTS} entries.`;

function checkUrl(url: string): void {
  // AWS accepts only https issuers, with a host (the ARN is the URL without its scheme).
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInput(INVALID_PROVIDER_URL);
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '' || parsed.search !== '' || parsed.hash !== '') throw new InvalidInput(INVALID_PROVIDER_URL);
}

function checkThumbprints(thumbprints: readonly string[]): void {
  if (thumbprints.length > MAX_THUMBPRINTS) throw new InvalidInput(TOO_MANY_THUMBPRINTS);
}

function checkClientIds(ids: readonly string[]): void {
  if (ids.length > MAX_CLIENT_IDS) throw new LimitExceeded(quotaExceededMessage('ClientIdsPerOpenIdConnectProvider', MAX_CLIENT_IDS));
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/** Authorizes on the ARN as given (before any lookup), then finds the provider in the caller's account. */
async function authorizedProvider(
  ctx: OperationContext,
  action: string,
  arn: string,
  extras: { requestTags?: readonly Tag[]; keys?: Record<string, string[]> } = {},
  lock = false,
): Promise<{ provider: OidcProviderRecord; tags: Tag[] }> {
  const existing = await ctx.repos.oidcProviders.get(ctx.accountId, arn, lock ? { forUpdate: true } : {});
  const tags = existing === undefined ? [] : await ctx.repos.tags.list(ctx.accountId, 'oidc', arn);
  await ctx.authorize(action, arn, { ...extras, ...(existing === undefined ? {} : { resourceTags: tags }) });
  if (existing === undefined) throw new NoSuchEntity(noSuchProvider(arn));
  return { provider: existing, tags };
}

export const CreateOpenIDConnectProvider = defineOperation({
  name: 'CreateOpenIDConnectProvider',
  input: structure({ Url: required(string(iam.openIdConnectUrl)), ClientIDList: clientIdList, ThumbprintList: thumbprintList, Tags: tagListShape }),
  async run(ctx, input) {
    checkUrl(input.Url);
    const arn = oidcProviderArn(ctx.accountId, input.Url);
    const tags = requestTags(input.Tags);
    await ctx.authorize('iam:CreateOpenIDConnectProvider', arn, { requestTags: tags });
    const clientIds = unique(input.ClientIDList ?? []);
    const thumbprints = unique((input.ThumbprintList ?? []).map((t) => t.toLowerCase()));
    checkClientIds(clientIds);
    checkThumbprints(thumbprints);
    if ((await ctx.repos.oidcProviders.get(ctx.accountId, arn)) !== undefined) throw new EntityAlreadyExists(providerExists(input.Url));
    if ((await ctx.repos.oidcProviders.count(ctx.accountId)) >= IAM_QUOTAS.OpenIdConnectProvidersPerAccount) {
      throw quotaExceeded('OpenIdConnectProvidersPerAccount', IAM_QUOTAS.OpenIdConnectProvidersPerAccount);
    }
    await ctx.repos.oidcProviders.create({ accountId: ctx.accountId, arn, url: input.Url.replace(/\/+$/, ''), clientIds, thumbprints, createdAt: ctx.now.getTime() });
    if (tags.length > 0) await ctx.repos.tags.put(ctx.accountId, 'oidc', arn, tags);
    return { OpenIDConnectProviderArn: arn, ...(tags.length > 0 ? { Tags: tagsOutput(tags) } : {}) };
  },
});

export const GetOpenIDConnectProvider = defineOperation({
  name: 'GetOpenIDConnectProvider',
  readOnly: true,
  input: structure(providerArnMember),
  async run(ctx, input) {
    const { provider, tags } = await authorizedProvider(ctx, 'iam:GetOpenIDConnectProvider', input.OpenIDConnectProviderArn);
    return {
      // AWS reports the URL without its scheme.
      Url: provider.url.replace(/^https:\/\//i, ''),
      ClientIDList: provider.clientIds,
      ThumbprintList: provider.thumbprints,
      CreateDate: new Date(provider.createdAt),
      Tags: tagsOutput(tags),
    };
  },
});

export const ListOpenIDConnectProviders = defineOperation({
  name: 'ListOpenIDConnectProviders',
  readOnly: true,
  input: structure({}),
  async run(ctx) {
    await ctx.authorize('iam:ListOpenIDConnectProviders', '*');
    const providers = await ctx.repos.oidcProviders.list(ctx.accountId);
    return { OpenIDConnectProviderList: providers.map((p) => ({ Arn: p.arn })) };
  },
});

export const DeleteOpenIDConnectProvider = defineOperation({
  name: 'DeleteOpenIDConnectProvider',
  input: structure(providerArnMember),
  async run(ctx, input) {
    const { provider } = await authorizedProvider(ctx, 'iam:DeleteOpenIDConnectProvider', input.OpenIDConnectProviderArn, {}, true);
    await ctx.repos.oidcProviders.delete(ctx.accountId, provider.arn);
    return undefined;
  },
});

export const AddClientIDToOpenIDConnectProvider = defineOperation({
  name: 'AddClientIDToOpenIDConnectProvider',
  input: structure({ ...providerArnMember, ClientID: required(string(iam.clientId)) }),
  async run(ctx, input) {
    const { provider } = await authorizedProvider(ctx, 'iam:AddClientIDToOpenIDConnectProvider', input.OpenIDConnectProviderArn, {}, true);
    // Adding a client id already present succeeds without change.
    if (provider.clientIds.includes(input.ClientID)) return undefined;
    const clientIds = [...provider.clientIds, input.ClientID];
    checkClientIds(clientIds);
    await ctx.repos.oidcProviders.update(ctx.accountId, provider.arn, { clientIds });
    return undefined;
  },
});

export const RemoveClientIDFromOpenIDConnectProvider = defineOperation({
  name: 'RemoveClientIDFromOpenIDConnectProvider',
  input: structure({ ...providerArnMember, ClientID: required(string(iam.clientId)) }),
  async run(ctx, input) {
    const { provider } = await authorizedProvider(ctx, 'iam:RemoveClientIDFromOpenIDConnectProvider', input.OpenIDConnectProviderArn, {}, true);
    // Removing a client id that is not there succeeds (AWS documents this).
    if (!provider.clientIds.includes(input.ClientID)) return undefined;
    await ctx.repos.oidcProviders.update(ctx.accountId, provider.arn, { clientIds: provider.clientIds.filter((c) => c !== input.ClientID) });
    return undefined;
  },
});

export const UpdateOpenIDConnectProviderThumbprint = defineOperation({
  name: 'UpdateOpenIDConnectProviderThumbprint',
  input: structure({ ...providerArnMember, ThumbprintList: required(thumbprintList) }),
  async run(ctx, input) {
    const { provider } = await authorizedProvider(ctx, 'iam:UpdateOpenIDConnectProviderThumbprint', input.OpenIDConnectProviderArn, {}, true);
    const thumbprints = unique(input.ThumbprintList.map((t) => t.toLowerCase()));
    checkThumbprints(thumbprints);
    await ctx.repos.oidcProviders.update(ctx.accountId, provider.arn, { thumbprints });
    return undefined;
  },
});

export const TagOpenIDConnectProvider = defineOperation({
  name: 'TagOpenIDConnectProvider',
  input: structure({ ...providerArnMember, Tags: required(tagListShape) }),
  async run(ctx, input) {
    const tags = requestTags(input.Tags);
    const { provider, tags: existing } = await authorizedProvider(ctx, 'iam:TagOpenIDConnectProvider', input.OpenIDConnectProviderArn, { requestTags: tags }, true);
    // Keys are case-sensitive on providers (only users and roles fold case).
    const merged = mergeTags(
      existing.map((t) => ({ Key: t.key, Value: t.value })),
      input.Tags,
      false,
    );
    if (merged.length > IAM_QUOTAS.TagsPerResource) throw quotaExceeded('TagsPerResource', IAM_QUOTAS.TagsPerResource);
    await ctx.repos.tags.put(ctx.accountId, 'oidc', provider.arn, tags);
    return undefined;
  },
});

export const UntagOpenIDConnectProvider = defineOperation({
  name: 'UntagOpenIDConnectProvider',
  input: structure({ ...providerArnMember, TagKeys: required(tagKeys) }),
  async run(ctx, input) {
    const { provider } = await authorizedProvider(ctx, 'iam:UntagOpenIDConnectProvider', input.OpenIDConnectProviderArn, { keys: { 'aws:TagKeys': [...input.TagKeys] } }, true);
    if (input.TagKeys.length > 0) await ctx.repos.tags.remove(ctx.accountId, 'oidc', provider.arn, input.TagKeys);
    return undefined;
  },
});

export const ListOpenIDConnectProviderTags = defineOperation({
  name: 'ListOpenIDConnectProviderTags',
  readOnly: true,
  input: structure({ ...providerArnMember, ...pagingMembers }),
  async run(ctx, input) {
    const { tags } = await authorizedProvider(ctx, 'iam:ListOpenIDConnectProviderTags', input.OpenIDConnectProviderArn);
    const page = pageArray(tags, input);
    return { Tags: tagsOutput(page.items), ...pageOutput(page) };
  },
});

export const oidcProviderOperations: readonly AnyOperation[] = [
  CreateOpenIDConnectProvider,
  GetOpenIDConnectProvider,
  ListOpenIDConnectProviders,
  DeleteOpenIDConnectProvider,
  AddClientIDToOpenIDConnectProvider,
  RemoveClientIDFromOpenIDConnectProvider,
  UpdateOpenIDConnectProviderThumbprint,
  TagOpenIDConnectProvider,
  UntagOpenIDConnectProvider,
  ListOpenIDConnectProviderTags,
];
