import { InvalidInput, LimitExceeded, MalformedPolicyDocument, NoSuchEntity, ValidationError } from '@latchkey/errors';
import { parseIamResourceArn, roleArn } from '@latchkey/model';
import { awsPolicyError, validatePolicy } from '@latchkey/policy';
import { AWS_MANAGED_ACCOUNT_ID, decodeMarker, encodeMarker, type ManagedPolicyRecord, type Page, type RoleRecord, type Tag } from '@latchkey/store';
import type { OperationContext } from '../operation.js';
import type { AuthorizationExtras } from '../request-context.js';

// AWS's texts for roles and managed policies (recorded in public error reports where AWS's own
// wording is known; the rest follow the same forms as the user and group texts).
export const noSuchRole = (name: string): string => `The role with name ${name} cannot be found.`;
export const roleExists = (name: string): string => `Role with name ${name} already exists.`;
export const policyExists = (name: string): string => `A policy called ${name} already exists. Duplicate names are not allowed.`;
export const policyNotFound = (arn: string): string => `Policy ${arn} was not found.`;
export const policyNotAttachable = (arn: string): string => `Policy ${arn} does not exist or is not attachable.`;
export const policyVersionNotFound = (arn: string, versionId: string): string => `Policy ${arn} version ${versionId} does not exist or is not attachable.`;
export const invalidArn = (arn: string): string => `ARN ${arn} is not valid.`;
export const noSuchInlinePolicy = (type: 'user' | 'group' | 'role', policyName: string): string => `The ${type} policy with name ${policyName} cannot be found.`;

export const POLICY_DELETE_CONFLICT = {
  attached: 'Cannot delete a policy attached to entities.',
  versions:
    "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
  defaultVersion: 'Cannot delete the default version of a policy.',
} as const;

/** Throws the one error AWS answers for a document that does not validate. */
function throwPolicyError(diagnostics: Parameters<typeof awsPolicyError>[0]): void {
  const error = awsPolicyError(diagnostics);
  if (error === undefined) return;
  if (error.code === 'LimitExceeded') throw new LimitExceeded(error.message);
  if (error.code === 'ValidationError') throw new ValidationError(error.message);
  throw new MalformedPolicyDocument(error.message);
}

/** A customer managed policy document (CreatePolicy, CreatePolicyVersion): 2012-10-17, 6,144 characters. */
export function checkManagedDocument(document: string): void {
  throwPolicyError(validatePolicy(document, { type: 'identity' }).diagnostics);
}

/** An inline policy document; its size is checked in aggregate by the caller. */
export function checkInlineDocument(document: string): void {
  throwPolicyError(validatePolicy(document, { type: 'identity', inline: true, maxSize: Number.MAX_SAFE_INTEGER }).diagnostics);
}

/**
 * A role trust policy, with AWS's principal check: an IAM user or role ARN in an account this
 * store holds must name an existing entity (`Invalid principal in policy`). Principals in
 * accounts the store does not hold cannot be checked and pass, as do roots and sessions.
 */
export async function checkTrustDocument(ctx: OperationContext, document: string): Promise<void> {
  const named: string[] = [];
  // First pass: collect the ARNs the document names.
  const first = validatePolicy(document, {
    type: 'trust',
    principalExists: (arn) => {
      named.push(arn);
      return true;
    },
  });
  throwPolicyError(first.diagnostics);
  const missing = new Set<string>();
  for (const arn of new Set(named)) if (!(await principalExists(ctx, arn))) missing.add(arn);
  if (missing.size === 0) return;
  throwPolicyError(validatePolicy(document, { type: 'trust', principalExists: (arn) => !missing.has(arn) }).diagnostics);
}

async function principalExists(ctx: OperationContext, arn: string): Promise<boolean> {
  const parsed = parseIamResourceArn(arn);
  if (parsed === undefined || (parsed.type !== 'user' && parsed.type !== 'role')) return true;
  if ((await ctx.repos.accounts.get(parsed.accountId)) === undefined) return true;
  const entity = parsed.type === 'user' ? await ctx.repos.users.getByName(parsed.accountId, parsed.name) : await ctx.repos.roles.getByName(parsed.accountId, parsed.name);
  return entity !== undefined && entity.arn === arn;
}

/** Parses a `PolicyArn`: a malformed one is InvalidInput, as AWS answers. */
export function checkPolicyArn(arn: string): void {
  const parsed = parseIamResourceArn(arn);
  if (parsed === undefined || parsed.type !== 'policy') throw new InvalidInput(invalidArn(arn));
}

/** True for policies the caller's account can see: its own and AWS managed ones. */
export function visiblePolicy(ctx: OperationContext, policy: ManagedPolicyRecord | undefined): policy is ManagedPolicyRecord {
  return policy !== undefined && (policy.accountId === ctx.accountId || policy.accountId === AWS_MANAGED_ACCOUNT_ID);
}

/** AWS managed policies are evaluated as resources of the caller's account for reads and attachment. */
export function awsManagedAsOwn(ctx: OperationContext, arn: string): Pick<AuthorizationExtras, 'resourceAccountId'> {
  return arn.startsWith(`arn:aws:iam::${AWS_MANAGED_ACCOUNT_ID}:`) ? { resourceAccountId: ctx.accountId } : {};
}

/**
 * Looks a managed policy up by ARN and authorizes `action` on it (with its tags as
 * `aws:ResourceTag/*`), then insists it exists. `mutate` operations never treat AWS managed
 * policies as the caller's: the engine then denies them like any other account's resource.
 */
export async function authorizedPolicy(
  ctx: OperationContext,
  action: string,
  arn: string,
  options: { lock?: boolean; mutate?: boolean } = {},
): Promise<{ policy: ManagedPolicyRecord; tags: Tag[] }> {
  checkPolicyArn(arn);
  const found = await ctx.repos.policies.getByArn(arn, options.lock === true ? { forUpdate: true } : {});
  const policy = visiblePolicy(ctx, found) ? found : undefined;
  const tags = policy === undefined ? [] : await ctx.repos.tags.list(policy.accountId, 'policy', policy.id);
  await ctx.authorize(action, arn, { resourceTags: tags, ...(options.mutate === true ? {} : awsManagedAsOwn(ctx, arn)) });
  if (policy === undefined) throw new NoSuchEntity(policyNotFound(arn));
  return { policy, tags };
}

/** Looks a role up, authorizes `action` on its ARN (the path-less ARN when it does not exist), then insists it exists. */
export async function authorizedRole(
  ctx: OperationContext,
  action: string,
  name: string,
  options: { lock?: boolean; extras?: (role: RoleRecord | undefined) => AuthorizationExtras } = {},
): Promise<{ role: RoleRecord; tags: Tag[] }> {
  const role = await ctx.repos.roles.getByName(ctx.accountId, name, options.lock === true ? { forUpdate: true } : {});
  const tags = role === undefined ? [] : await ctx.repos.tags.list(ctx.accountId, 'role', role.id);
  const extras = options.extras?.(role) ?? {};
  // `iam:PermissionsBoundary` on an existing role is the boundary it has (the authorizer keeps it only where AWS sets it).
  const boundary = role?.permissionsBoundaryArn;
  const keys = { ...(boundary === undefined || boundary === null ? {} : { 'iam:PermissionsBoundary': boundary }), ...extras.keys };
  await ctx.authorize(action, role?.arn ?? roleArn(ctx.accountId, '/', name), { resourceTags: tags, ...extras, keys });
  if (role === undefined) throw new NoSuchEntity(noSuchRole(name));
  return { role, tags };
}

/** Managed policy (`Policy`), members in the model's order. Descriptions and tags only where AWS returns them. */
export function policyOutput(
  policy: ManagedPolicyRecord,
  usage: { attachmentCount: number; permissionsBoundaryUsageCount: number },
  extras: { description?: boolean; tags?: readonly Tag[] } = {},
) {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: usage.attachmentCount,
    PermissionsBoundaryUsageCount: usage.permissionsBoundaryUsageCount,
    IsAttachable: policy.isAttachable,
    Description: extras.description === true && policy.description !== null ? policy.description : undefined,
    CreateDate: new Date(policy.createdAt),
    UpdateDate: new Date(policy.updatedAt),
    Tags: extras.tags !== undefined && extras.tags.length > 0 ? extras.tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined,
  };
}

/** `Role`. ListRoles leaves out the boundary, tags and last use, as AWS documents; GetRole and CreateRole carry them. */
export function roleOutput(role: RoleRecord, extras: { full?: boolean; tags?: readonly Tag[]; lastUsed?: boolean } = {}) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: role.assumeRolePolicyDocument,
    Description: role.description ?? undefined,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary:
      extras.full === true && role.permissionsBoundaryArn !== null
        ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: role.permissionsBoundaryArn }
        : undefined,
    Tags: extras.tags !== undefined && extras.tags.length > 0 ? extras.tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined,
    RoleLastUsed:
      extras.lastUsed === true
        ? {
            LastUsedDate: role.lastUsedAt === null ? undefined : new Date(role.lastUsedAt),
            Region: role.lastUsedRegion ?? undefined,
          }
        : undefined,
  };
}

/**
 * Pages an in-memory list (inline policy names are paged by the store; tags, entity lists and
 * authorization details are assembled here). The marker is the position after the last item
 * returned, in the store's opaque marker encoding.
 */
export function pageArray<T>(items: readonly T[], input: { Marker?: string; MaxItems?: number }, maxDefault = 100): Page<T> {
  let start = 0;
  if (input.Marker !== undefined) {
    let decoded: (string | number)[];
    try {
      decoded = decodeMarker(input.Marker, 1);
    } catch {
      throw new InvalidInput('The specified value for marker is not valid.');
    }
    const n = decoded[0];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new InvalidInput('The specified value for marker is not valid.');
    start = n;
  }
  const max = input.MaxItems ?? maxDefault;
  const slice = items.slice(start, start + max);
  const end = start + slice.length;
  return end < items.length ? { items: slice, isTruncated: true, marker: encodeMarker([end]) } : { items: slice, isTruncated: false };
}
