import type { Page, PageRequest } from './paging.js';
import type {
  AccessKeyRecord,
  AccountUsage,
  AccessKeyStatus,
  AccountRecord,
  AttachedPolicyRecord,
  AuditEntry,
  AuditOutcome,
  AuditRecord,
  ChangeEvent,
  CredentialReportRecord,
  CredentialReportUserState,
  EpochMs,
  GroupRecord,
  InlinePolicyRecord,
  LoginProfileRecord,
  ManagedPolicyRecord,
  MfaDeviceRecord,
  PrincipalPolicySet,
  OidcProviderRecord,
  PasswordPolicyRecord,
  PolicyEntityRecord,
  PolicyUsage,
  PolicyVersionRecord,
  PrincipalType,
  RoleRecord,
  SealedSecret,
  ServiceCatalogRecord,
  Tag,
  TaggableType,
  UserRecord,
} from './records.js';

/**
 * Conventions shared by every repository:
 * - lookups return `undefined` when nothing matches; they never throw for absence;
 * - names are matched case-insensitively (AWS semantics) and returned with their stored case;
 * - `delete*`/`remove*` return whether a row went away, so the caller can answer NoSuchEntity;
 * - `{ forUpdate: true }` locks the parent row until commit (PostgreSQL `SELECT … FOR UPDATE`;
 *   SQLite transactions are already exclusive). Take it before checking a per-parent limit
 *   ("2 access keys per user") so two instances cannot both pass the check;
 * - writes need `store.transaction`; through `store.read` they throw NotInTransactionError,
 *   except the `record*Use` touches, which are single-statement and safe on their own.
 */
export interface LockOption {
  forUpdate?: boolean;
}

export interface AccountsRepository {
  create(account: AccountRecord): Promise<void>;
  get(id: string, options?: LockOption): Promise<AccountRecord | undefined>;
  /** Real accounts, ascending id (the AWS-managed pseudo-account is excluded). */
  list(page: Omit<PageRequest, 'pathPrefix'>): Promise<Page<AccountRecord>>;
  /** Sets or clears the alias. Aliases are unique across all accounts. */
  setAlias(id: string, alias: string | null): Promise<boolean>;
  getByAlias(alias: string): Promise<AccountRecord | undefined>;
  /** Counts for GetAccountSummary, in one call. */
  usage(id: string): Promise<AccountUsage>;
}

export interface UserUpdate {
  name?: string;
  path?: string;
  arn?: string;
  permissionsBoundaryArn?: string | null;
}

export interface UsersRepository {
  create(user: UserRecord): Promise<void>;
  getByName(accountId: string, name: string, options?: LockOption): Promise<UserRecord | undefined>;
  getById(accountId: string, id: string, options?: LockOption): Promise<UserRecord | undefined>;
  /** Ordered by name, case-insensitively. */
  list(accountId: string, page: PageRequest): Promise<Page<UserRecord>>;
  count(accountId: string): Promise<number>;
  update(accountId: string, id: string, changes: UserUpdate): Promise<boolean>;
  /** Deletes the user and its tags; other dependents must be gone (DeleteConflict is the caller's check). */
  delete(accountId: string, id: string): Promise<boolean>;
  recordPasswordUse(accountId: string, id: string, at: EpochMs): Promise<void>;
}

export interface GroupUpdate {
  name?: string;
  path?: string;
  arn?: string;
}

export interface GroupsRepository {
  create(group: GroupRecord): Promise<void>;
  getByName(accountId: string, name: string, options?: LockOption): Promise<GroupRecord | undefined>;
  getById(accountId: string, id: string, options?: LockOption): Promise<GroupRecord | undefined>;
  list(accountId: string, page: PageRequest): Promise<Page<GroupRecord>>;
  count(accountId: string): Promise<number>;
  update(accountId: string, id: string, changes: GroupUpdate): Promise<boolean>;
  delete(accountId: string, id: string): Promise<boolean>;
  /** Returns false when the user already was a member. */
  addMember(accountId: string, groupId: string, userId: string): Promise<boolean>;
  removeMember(accountId: string, groupId: string, userId: string): Promise<boolean>;
  /** Members ordered by user name. */
  listMembers(accountId: string, groupId: string, page: Omit<PageRequest, 'pathPrefix'>): Promise<Page<UserRecord>>;
  countMembers(accountId: string, groupId: string): Promise<number>;
  /** Groups of a user ordered by group name. */
  listForUser(accountId: string, userId: string, page: Omit<PageRequest, 'pathPrefix'>): Promise<Page<GroupRecord>>;
  countForUser(accountId: string, userId: string): Promise<number>;
}

export interface RoleUpdate {
  description?: string | null;
  maxSessionDuration?: number;
  assumeRolePolicyDocument?: string;
  permissionsBoundaryArn?: string | null;
}

export interface RolesRepository {
  create(role: RoleRecord): Promise<void>;
  getByName(accountId: string, name: string, options?: LockOption): Promise<RoleRecord | undefined>;
  getById(accountId: string, id: string, options?: LockOption): Promise<RoleRecord | undefined>;
  list(accountId: string, page: PageRequest): Promise<Page<RoleRecord>>;
  count(accountId: string): Promise<number>;
  update(accountId: string, id: string, changes: RoleUpdate): Promise<boolean>;
  delete(accountId: string, id: string): Promise<boolean>;
  recordUse(accountId: string, id: string, at: EpochMs, region: string): Promise<void>;
}

export type PolicyScope = 'All' | 'AWS' | 'Local';
export type PolicyUsageFilter = 'PermissionsPolicy' | 'PermissionsBoundary';

export interface PolicyListRequest extends PageRequest {
  /** `All` (default): both; `AWS`: AWS managed only; `Local`: the account's own. */
  scope?: PolicyScope;
  /** Only policies attached (or used as a boundary, per `usage`) in the viewing account. */
  onlyAttached?: boolean;
  usage?: PolicyUsageFilter;
}

export interface NewManagedPolicy extends Omit<ManagedPolicyRecord, 'defaultVersionId' | 'updatedAt'> {
  /** The document of `v1`, which becomes the default version. */
  document: string;
}

export interface PoliciesRepository {
  /** Creates the policy with `v1` as its default version. */
  create(policy: NewManagedPolicy): Promise<ManagedPolicyRecord>;
  getByArn(arn: string, options?: LockOption): Promise<ManagedPolicyRecord | undefined>;
  getById(id: string): Promise<ManagedPolicyRecord | undefined>;
  /**
   * Lists the viewing account's policies and, per `scope`, AWS managed ones. Ordered by name
   * case-insensitively, then ARN (an AWS managed and a local policy may share a name).
   */
  list(viewerAccountId: string, request: PolicyListRequest): Promise<Page<ManagedPolicyRecord>>;
  count(accountId: string): Promise<number>;
  /** Attachment and boundary counts within the viewing account. */
  usage(viewerAccountId: string, arn: string): Promise<PolicyUsage>;
  /** Deletes the policy, its versions and tags. Refused by the database while attached or used as a boundary. */
  delete(arn: string): Promise<boolean>;
  /**
   * Adds the next version (`v<n>`, never reusing a number, even after deletes). Lock the policy
   * and check the 5-version limit first.
   */
  createVersion(arn: string, document: string, setAsDefault: boolean, at: EpochMs): Promise<PolicyVersionRecord>;
  getVersion(arn: string, versionId: string): Promise<PolicyVersionRecord | undefined>;
  getDefaultVersion(arn: string): Promise<PolicyVersionRecord | undefined>;
  /** Newest first, as AWS lists them. */
  listVersions(arn: string, page: Omit<PageRequest, 'pathPrefix'>): Promise<Page<PolicyVersionRecord>>;
  countVersions(arn: string): Promise<number>;
  deleteVersion(arn: string, versionId: string): Promise<boolean>;
  setDefaultVersion(arn: string, versionId: string, at: EpochMs): Promise<boolean>;
}

export interface AttachmentsRepository {
  /** Returns false when already attached. The policy must exist (foreign key). */
  attach(accountId: string, principalType: PrincipalType, principalId: string, policyArn: string): Promise<boolean>;
  detach(accountId: string, principalType: PrincipalType, principalId: string, policyArn: string): Promise<boolean>;
  /** Ordered by policy name; `pathPrefix` filters on the policy's path. */
  list(accountId: string, principalType: PrincipalType, principalId: string, page: PageRequest): Promise<Page<AttachedPolicyRecord>>;
  count(accountId: string, principalType: PrincipalType, principalId: string): Promise<number>;
  /** Users, groups and roles in the account that have the policy attached. */
  entitiesForPolicy(accountId: string, policyArn: string): Promise<PolicyEntityRecord[]>;
}

export interface AuthorizationRepository {
  /**
   * Gathers the policies of a user, group or role: inline, attached (default versions), the
   * user's groups' policies and the boundary. Undefined when the principal does not exist.
   */
  policiesFor(accountId: string, principalType: PrincipalType, principalId: string): Promise<PrincipalPolicySet | undefined>;
}

export interface InlinePoliciesRepository {
  /** Creates or replaces; returns true when created. */
  put(accountId: string, policy: InlinePolicyRecord): Promise<boolean>;
  get(accountId: string, principalType: PrincipalType, principalId: string, name: string): Promise<InlinePolicyRecord | undefined>;
  /** Names ascending. */
  listNames(accountId: string, principalType: PrincipalType, principalId: string, page: Omit<PageRequest, 'pathPrefix'>): Promise<Page<string>>;
  /** Every inline policy of the principal (aggregate size checks, authorization). */
  all(accountId: string, principalType: PrincipalType, principalId: string): Promise<InlinePolicyRecord[]>;
  delete(accountId: string, principalType: PrincipalType, principalId: string, name: string): Promise<boolean>;
}

export interface AccessKeyUse {
  at: EpochMs;
  service: string;
  region: string;
  /**
   * Skip the write when the stored use has the same service and region and is at most this old
   * (AWS reports last use approximately). Keeps per-request bookkeeping off the disk on hot keys.
   */
  coalesceMs?: number;
}

export interface AccessKeysRepository {
  create(key: Omit<AccessKeyRecord, 'lastUsedAt' | 'lastUsedService' | 'lastUsedRegion'>): Promise<void>;
  /** Global lookup by key id (SigV4 authentication starts here). */
  get(id: string): Promise<AccessKeyRecord | undefined>;
  /** A user's keys (or the root's, with `userId` null), oldest first. */
  listForOwner(accountId: string, userId: string | null, page: Omit<PageRequest, 'pathPrefix'>): Promise<Page<AccessKeyRecord>>;
  countForOwner(accountId: string, userId: string | null): Promise<number>;
  updateStatus(accountId: string, id: string, status: AccessKeyStatus): Promise<boolean>;
  delete(accountId: string, id: string): Promise<boolean>;
  /** Returns whether the stored last use changed. */
  recordUse(id: string, use: AccessKeyUse): Promise<boolean>;
  /** Keys sealed under `keyId`, for re-encryption after a master-key rotation. */
  listSealedWith(keyId: string, limit: number): Promise<AccessKeyRecord[]>;
  reseal(id: string, secret: SealedSecret): Promise<boolean>;
}

export interface TagsRepository {
  /**
   * Adds or replaces tags. On users and roles keys are case-insensitive (tagging `dept` replaces
   * `Dept`, taking the new case); on other resources they are case-sensitive, as AWS has it.
   */
  put(accountId: string, type: TaggableType, resourceId: string, tags: readonly Tag[]): Promise<void>;
  /** Removes the given keys (matched the same way); absent keys are ignored, as UntagX does. */
  remove(accountId: string, type: TaggableType, resourceId: string, keys: readonly string[]): Promise<void>;
  /** Ordered by key. */
  list(accountId: string, type: TaggableType, resourceId: string): Promise<Tag[]>;
  count(accountId: string, type: TaggableType, resourceId: string): Promise<number>;
}

export type MfaAssignmentStatus = 'Assigned' | 'Unassigned' | 'Any';

export interface MfaDevicesRepository {
  create(device: Omit<MfaDeviceRecord, 'userId' | 'enabledAt' | 'lastUsedStep' | 'lastUsedAt' | 'failedAttempts' | 'lockedUntil' | 'lastFailedAt'>): Promise<void>;
  get(accountId: string, serial: string, options?: LockOption): Promise<MfaDeviceRecord | undefined>;
  /** Ordered by serial. `assignment` defaults to `Any`, as ListVirtualMFADevices does. */
  list(accountId: string, page: Omit<PageRequest, 'pathPrefix'> & { assignment?: MfaAssignmentStatus }): Promise<Page<MfaDeviceRecord>>;
  listForUser(accountId: string, userId: string): Promise<MfaDeviceRecord[]>;
  /** Assigns an unassigned device; false when it is missing or already assigned. */
  enable(accountId: string, serial: string, userId: string, at: EpochMs, step: number): Promise<boolean>;
  deactivate(accountId: string, serial: string): Promise<boolean>;
  delete(accountId: string, serial: string): Promise<boolean>;
  /**
   * Accepts a TOTP step only if it is later than the last accepted one, atomically: of two
   * concurrent uses of one code exactly one wins. Resets the failure state on success.
   */
  acceptStep(accountId: string, serial: string, step: number, at: EpochMs): Promise<boolean>;
  /**
   * Atomically increments and returns the failure counter (0 for a missing device), stamping
   * `lastFailedAt` when `at` is given. Like the other failure-state writes it may run outside a
   * write transaction (the lockout commits on its own after a failed call rolls back).
   */
  recordFailure(accountId: string, serial: string, at?: EpochMs): Promise<number>;
  /** Raises `lockedUntil` to `until` (never lowers it: of two concurrent lockouts the longer stands). */
  lockUntil(accountId: string, serial: string, until: EpochMs): Promise<void>;
  /** Clears the failure counter, `lockedUntil` and `lastFailedAt`. */
  resetFailures(accountId: string, serial: string): Promise<void>;
  /** Re-seeds the counter after ResyncMFADevice (and clears the failure state). */
  resync(accountId: string, serial: string, step: number, at: EpochMs): Promise<boolean>;
  listSealedWith(keyId: string, limit: number): Promise<MfaDeviceRecord[]>;
  reseal(serial: string, seed: SealedSecret): Promise<boolean>;
}

export interface LoginProfileUpdate {
  passwordHash?: string;
  passwordResetRequired?: boolean;
  passwordLastChangedAt?: EpochMs;
  previousHashes?: string[];
}

export interface LoginProfilesRepository {
  create(profile: Omit<LoginProfileRecord, 'failedAttempts' | 'lockedUntil' | 'lastFailedAt' | 'previousHashes'> & { previousHashes?: string[] }): Promise<void>;
  get(accountId: string, userId: string, options?: LockOption): Promise<LoginProfileRecord | undefined>;
  update(accountId: string, userId: string, changes: LoginProfileUpdate): Promise<boolean>;
  delete(accountId: string, userId: string): Promise<boolean>;
  /**
   * Atomically increments the failure counter, optionally locking until `lockUntil` and stamping
   * `lastFailedAt` with `at`; returns the new count (0 for a missing profile).
   */
  recordFailedAttempt(accountId: string, userId: string, lockUntil?: EpochMs, at?: EpochMs): Promise<number>;
  /** Raises `lockedUntil` to `until` (never lowers it). */
  lockUntil(accountId: string, userId: string, until: EpochMs): Promise<void>;
  /** Clears the failure counter, `lockedUntil` and `lastFailedAt`. */
  resetFailedAttempts(accountId: string, userId: string): Promise<void>;
}

export interface PasswordPoliciesRepository {
  get(accountId: string): Promise<PasswordPolicyRecord | undefined>;
  /** Replaces the whole policy (UpdateAccountPasswordPolicy is not a partial update). */
  put(accountId: string, policy: PasswordPolicyRecord): Promise<void>;
  delete(accountId: string): Promise<boolean>;
}

export interface OidcProvidersRepository {
  create(provider: OidcProviderRecord): Promise<void>;
  get(accountId: string, arn: string, options?: LockOption): Promise<OidcProviderRecord | undefined>;
  /** Ordered by ARN. */
  list(accountId: string): Promise<OidcProviderRecord[]>;
  count(accountId: string): Promise<number>;
  update(accountId: string, arn: string, changes: { clientIds?: string[]; thumbprints?: string[] }): Promise<boolean>;
  delete(accountId: string, arn: string): Promise<boolean>;
}

export interface AuditQuery {
  accountId?: string;
  /** Inclusive lower bound on `at`. */
  from?: EpochMs;
  /** Exclusive upper bound on `at`. */
  to?: EpochMs;
  principalArn?: string;
  action?: string;
  outcome?: AuditOutcome;
  marker?: string;
  maxItems: number;
}

/**
 * Append-only: there is no update or delete, and the SQL adapters refuse them with triggers.
 * Each record links to its predecessor by hash, so a removed or altered record is detectable.
 * Append audit records last in a transaction (after any row locks): appends serialise on the
 * chain head.
 */
export interface AuditRepository {
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Oldest first. */
  query(query: AuditQuery): Promise<Page<AuditRecord>>;
  /** The chain head (latest record), if any. */
  last(): Promise<AuditRecord | undefined>;
}

export interface CredentialReportsRepository {
  put(report: CredentialReportRecord): Promise<void>;
  get(accountId: string): Promise<CredentialReportRecord | undefined>;
  /** Every user's credential state in the account, by user name, in a fixed number of queries. */
  collect(accountId: string): Promise<CredentialReportUserState[]>;
}

export interface ServiceCatalogsRepository {
  get(accountId: string, service: string): Promise<ServiceCatalogRecord | undefined>;
  /** Ordered by service name. */
  list(accountId: string): Promise<ServiceCatalogRecord[]>;
  count(accountId: string): Promise<number>;
  /** Creates or replaces the service's catalog. */
  put(record: ServiceCatalogRecord): Promise<void>;
  delete(accountId: string, service: string): Promise<boolean>;
}

export interface ChangeLogRepository {
  /** Committed changes with `seq` greater than `afterSeq`, ascending, at most `limit`. */
  since(afterSeq: number, limit?: number): Promise<ChangeEvent[]>;
  /** The highest committed sequence number (0 when none). */
  head(): Promise<number>;
}

/** Everything an IAM/STS operation reads and writes, bound to one transaction (or none, for reads). */
export interface Repositories {
  readonly accounts: AccountsRepository;
  readonly users: UsersRepository;
  readonly groups: GroupsRepository;
  readonly roles: RolesRepository;
  readonly policies: PoliciesRepository;
  readonly attachments: AttachmentsRepository;
  readonly authorization: AuthorizationRepository;
  readonly inlinePolicies: InlinePoliciesRepository;
  readonly accessKeys: AccessKeysRepository;
  readonly tags: TagsRepository;
  readonly mfaDevices: MfaDevicesRepository;
  readonly loginProfiles: LoginProfilesRepository;
  readonly passwordPolicies: PasswordPoliciesRepository;
  readonly oidcProviders: OidcProvidersRepository;
  readonly audit: AuditRepository;
  readonly credentialReports: CredentialReportsRepository;
  readonly changeLog: ChangeLogRepository;
  readonly serviceCatalogs: ServiceCatalogsRepository;
}
