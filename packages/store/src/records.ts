/**
 * Records the store persists. Identifiers, ARNs and timestamps are produced by the caller (the
 * service layer owns id generation and the clock); the store only keeps them. Every timestamp
 * is epoch milliseconds (UTC). Policy documents are kept as the exact text submitted, because
 * AWS returns a document the way it was given.
 */

/** Epoch milliseconds, UTC. */
export type EpochMs = number;

/** The pseudo-account that owns AWS managed policies (`arn:aws:iam::aws:policy/...`). */
export const AWS_MANAGED_ACCOUNT_ID = 'aws';

export interface AccountRecord {
  id: string;
  alias: string | null;
  createdAt: EpochMs;
}

/** Entity counts for GetAccountSummary (quotas are the service's constants). */
export interface AccountUsage {
  users: number;
  groups: number;
  roles: number;
  /** Customer managed policies. */
  policies: number;
  /** Stored versions of the account's customer managed policies. */
  policyVersionsInUse: number;
  mfaDevices: number;
  mfaDevicesInUse: number;
  rootAccessKeys: number;
  oidcProviders: number;
}

export interface UserRecord {
  accountId: string;
  id: string;
  name: string;
  path: string;
  arn: string;
  createdAt: EpochMs;
  permissionsBoundaryArn: string | null;
  passwordLastUsedAt: EpochMs | null;
}

export interface GroupRecord {
  accountId: string;
  id: string;
  name: string;
  path: string;
  arn: string;
  createdAt: EpochMs;
}

export interface RoleRecord {
  accountId: string;
  id: string;
  name: string;
  path: string;
  arn: string;
  createdAt: EpochMs;
  /** The trust policy, exactly as submitted. */
  assumeRolePolicyDocument: string;
  description: string | null;
  maxSessionDuration: number;
  permissionsBoundaryArn: string | null;
  lastUsedAt: EpochMs | null;
  lastUsedRegion: string | null;
}

export interface ManagedPolicyRecord {
  /** The owning account, or `AWS_MANAGED_ACCOUNT_ID` for AWS managed policies. */
  accountId: string;
  id: string;
  name: string;
  path: string;
  arn: string;
  description: string | null;
  defaultVersionId: string;
  /** Whether the policy may be attached (AWS marks some service policies as not attachable). */
  isAttachable: boolean;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

export interface PolicyVersionRecord {
  policyId: string;
  versionId: string;
  document: string;
  isDefaultVersion: boolean;
  createdAt: EpochMs;
}

/** Counts AWS reports on a policy; they are per viewing account for AWS managed policies. */
export interface PolicyUsage {
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
}

export type PrincipalType = 'user' | 'group' | 'role';

export interface AttachedPolicyRecord {
  policyArn: string;
  policyName: string;
  policyPath: string;
}

export interface PolicyEntityRecord {
  principalType: PrincipalType;
  id: string;
  name: string;
  path: string;
}

/** A managed policy's default version, as authorization needs it. */
export interface ManagedPolicyDocument {
  arn: string;
  versionId: string;
  document: string;
}

/**
 * Every policy document that shapes one principal's permissions, gathered in one read for the
 * authorizer (compiled once, cached per principal, invalidated by change events).
 */
export interface PrincipalPolicySet {
  /** The principal's own inline policies, by name. */
  inline: InlinePolicyRecord[];
  /** Managed policies attached to the principal, by policy name. */
  managed: ManagedPolicyDocument[];
  /** Users only: each group the user belongs to (by group name) with its own policies. */
  groups: { group: GroupRecord; inline: InlinePolicyRecord[]; managed: ManagedPolicyDocument[] }[];
  /** Users and roles: the permissions boundary's default version. */
  boundary: ManagedPolicyDocument | null;
}

export interface InlinePolicyRecord {
  principalType: PrincipalType;
  principalId: string;
  name: string;
  document: string;
}

export type AccessKeyStatus = 'Active' | 'Inactive';

/** A secret as the store keeps it: ciphertext plus the id of the master key that sealed it. */
export interface SealedSecret {
  ciphertext: string;
  keyId: string;
}

export interface AccessKeyRecord {
  accountId: string;
  id: string;
  /** The owning IAM user, or null for the account root's keys. */
  userId: string | null;
  isRoot: boolean;
  secret: SealedSecret;
  status: AccessKeyStatus;
  createdAt: EpochMs;
  lastUsedAt: EpochMs | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
}

export type TaggableType = 'user' | 'role' | 'policy' | 'mfa' | 'oidc';

export interface Tag {
  key: string;
  value: string;
}

export interface MfaDeviceRecord {
  accountId: string;
  /** The device ARN, which is also its serial number. */
  serial: string;
  name: string;
  path: string;
  seed: SealedSecret;
  createdAt: EpochMs;
  userId: string | null;
  enabledAt: EpochMs | null;
  /** Last accepted TOTP time step: a code at or before it is a replay. */
  lastUsedStep: number | null;
  lastUsedAt: EpochMs | null;
  /** Consecutive wrong codes since the last accepted one (the lockout backoff counts these). */
  failedAttempts: number;
  /** Codes are refused unchecked until this time (failure backoff). */
  lockedUntil: EpochMs | null;
  /** When the last wrong code was tried: a counter quiet for long enough starts over. */
  lastFailedAt: EpochMs | null;
}

export interface LoginProfileRecord {
  accountId: string;
  userId: string;
  /** argon2id hash (PHC string). */
  passwordHash: string;
  passwordResetRequired: boolean;
  createdAt: EpochMs;
  passwordLastChangedAt: EpochMs;
  /** Earlier hashes, newest first, for PasswordReusePrevention. */
  previousHashes: string[];
  failedAttempts: number;
  lockedUntil: EpochMs | null;
  /** When the last wrong password was tried: a counter quiet for long enough starts over. */
  lastFailedAt: EpochMs | null;
}

export interface PasswordPolicyRecord {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  allowUsersToChangePassword: boolean;
  /** 0 = passwords never expire. */
  maxPasswordAge: number;
  /** 0 = reuse prevention off. */
  passwordReusePrevention: number;
  hardExpiry: boolean;
}

export interface OidcProviderRecord {
  accountId: string;
  arn: string;
  /** The issuer URL as given (AWS keeps host and path; the ARN is derived from it). */
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createdAt: EpochMs;
}

export type AuditOutcome = 'success' | 'failure';

/** An audit event as the caller hands it over (secrets already removed from `params`). */
export interface AuditEntry {
  id: string;
  at: EpochMs;
  requestId: string;
  accountId: string;
  principalArn: string | null;
  action: string;
  resource: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  outcome: AuditOutcome;
  errorCode: string | null;
  /** JSON text of the request parameters with secrets removed. */
  params: string;
}

/** A stored audit record: the entry plus its position in the tamper-evident hash chain. */
export interface AuditRecord extends AuditEntry {
  seq: number;
  prevHash: string | null;
  hash: string;
}

/** One IAM user's credential state, as a credential report row needs it. */
export interface CredentialReportUserState {
  user: UserRecord;
  /** Null when the user has no console password. */
  loginProfile: { createdAt: EpochMs; passwordLastChangedAt: EpochMs } | null;
  mfaActive: boolean;
  /** The user's access keys, oldest first (the report shows the first two). */
  accessKeys: AccessKeyRecord[];
}

export interface CredentialReportRecord {
  accountId: string;
  generatedAt: EpochMs;
  content: string;
}

/** What changed, for cache invalidation. `entity` is the id of the thing that changed. */
export type ChangeKind =
  | 'account'
  | 'user'
  | 'group'
  | 'role'
  | 'policy'
  | 'membership'
  | 'attachment'
  | 'inlinePolicy'
  | 'boundary'
  | 'trustPolicy'
  | 'accessKey'
  | 'mfa'
  | 'loginProfile'
  | 'oidcProvider'
  | 'tags';

/**
 * An in-house service's catalog (actions, resource types, condition keys) registered with
 * Latchkey, so that policy validation knows the service. One per service name and account.
 */
export interface ServiceCatalogRecord {
  accountId: string;
  /** The service prefix (`orders`), lower case. */
  service: string;
  /** The catalog as JSON text, validated before it is stored. */
  document: string;
  updatedAt: EpochMs;
}

export interface ChangeEvent {
  seq: number;
  kind: ChangeKind;
  accountId: string;
  /** Id of the changed entity: a user/group/role/policy id, an access key id, an MFA serial. */
  entity: string;
}
