import { LimitExceeded } from '@latchkey/errors';
import { codePointLength } from './constraint-check.js';

/**
 * IAM quotas (IAM User Guide, "IAM and AWS STS quotas"; shared/reference/sts-iam-api.md §4.1).
 * Adjustable quotas carry AWS's default; the server may be configured higher.
 */
export const IAM_QUOTAS = {
  UsersPerAccount: 5000,
  GroupsPerAccount: 300,
  RolesPerAccount: 1000,
  PoliciesPerAccount: 1500,
  InstanceProfilesPerAccount: 1000,
  ServerCertificatesPerAccount: 20,
  OpenIdConnectProvidersPerAccount: 100,
  SamlProvidersPerAccount: 100,
  AccountAliasesPerAccount: 1,
  AccessKeysPerUser: 2,
  GroupsPerUser: 10,
  // Attached managed policies; the quota name in AWS's message is `PoliciesPerRole` (observed:
  // "Cannot exceed quota for PoliciesPerRole: 15"), the user and group names follow it.
  PoliciesPerUser: 10,
  PoliciesPerGroup: 10,
  PoliciesPerRole: 10,
  MFADevicesPerUser: 8,
  SigningCertificatesPerUser: 2,
  SSHPublicKeysPerUser: 5,
  LoginProfilesPerUser: 1,
  RolesPerInstanceProfile: 1,
  TagsPerResource: 50,
  VersionsPerPolicy: 5,
} as const;

export type IamQuotaName = keyof typeof IAM_QUOTAS;

/**
 * Policy-size quotas, counted in non-whitespace characters (see `policySizeForQuota`).
 * The names are those AWS uses in `GetAccountSummary` and its LimitExceeded texts.
 */
export const POLICY_SIZE_QUOTAS = {
  /** Each version of a customer managed policy. */
  PolicySize: 6144,
  /** Aggregate of a user's inline policies. */
  UserPolicySize: 2048,
  /** Aggregate of a group's inline policies. */
  GroupPolicySize: 5120,
  /** Aggregate of a role's inline policies. */
  RolePolicySize: 10240,
  /** A role trust policy; AWS's default (adjustable upward). */
  AssumeRolePolicySize: 2048,
  /** STS session policy plaintext (inline policy document). */
  SessionPolicySize: 2048,
} as const;

/** STS: at most 10 managed session policies (`PolicyArns`). */
export const MAX_SESSION_POLICY_ARNS = 10;

/** Role-chained sessions are capped at one hour, whatever the role's MaxSessionDuration. */
export const ROLE_CHAINING_MAX_DURATION_SECONDS = 3600;

export const DEFAULT_MAX_ITEMS = 100;

/** `Cannot exceed quota for AccessKeysPerUser: 2` (409 LimitExceeded), AWS's text for every count quota. */
export function quotaExceededMessage(quotaName: string, limit: number): string {
  return `Cannot exceed quota for ${quotaName}: ${limit}`;
}

export function quotaExceeded(quotaName: string, limit: number): LimitExceeded {
  return new LimitExceeded(quotaExceededMessage(quotaName, limit));
}

/** A managed policy version above PolicySize: `Cannot exceed quota for PolicySize: 6144`. */
export function managedPolicySizeExceeded(limit: number = POLICY_SIZE_QUOTAS.PolicySize): LimitExceeded {
  return quotaExceeded('PolicySize', limit);
}

/** A trust policy above the quota: `Cannot exceed quota for ACLSizePerRole: 2048` (observed). */
export function trustPolicySizeExceeded(limit: number = POLICY_SIZE_QUOTAS.AssumeRolePolicySize): LimitExceeded {
  return quotaExceeded('ACLSizePerRole', limit);
}

/** Inline aggregate: `Maximum policy size of 10240 bytes exceeded for role <name>`. */
export function inlinePolicySizeExceeded(entity: 'user' | 'group' | 'role', name: string, limit?: number): LimitExceeded {
  const max = limit ?? (entity === 'user' ? POLICY_SIZE_QUOTAS.UserPolicySize : entity === 'group' ? POLICY_SIZE_QUOTAS.GroupPolicySize : POLICY_SIZE_QUOTAS.RolePolicySize);
  return new LimitExceeded(`Maximum policy size of ${max} bytes exceeded for ${entity} ${name}`);
}

export const POLICY_VERSIONS_EXCEEDED_MESSAGE =
  'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.';

export function policyVersionsExceeded(): LimitExceeded {
  return new LimitExceeded(POLICY_VERSIONS_EXCEEDED_MESSAGE);
}

const WHITESPACE = /\s+/gu;

/** Size of a policy document as IAM's quotas count it: characters that are not whitespace (doc). */
export function policySizeForQuota(document: string): number {
  return codePointLength(document.replace(WHITESPACE, ''));
}
