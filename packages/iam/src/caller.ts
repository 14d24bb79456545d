import type { Tag } from '@latchkey/store';

/**
 * The kind of principal that signed a request, in the words of `aws:PrincipalType` and
 * CloudTrail: the account root, an IAM user, a role session (AssumeRole*), or a federated user
 * (GetFederationToken). GetSessionToken credentials keep the kind of the user or root that
 * minted them and only add `session`.
 */
export type CallerKind = 'root' | 'user' | 'assumed-role' | 'federated-user';

/**
 * Whose stored policies decide the request: the root (no policies: everything in its own
 * account), an IAM user (inline + attached + groups' + boundary), or a role (its policies and
 * boundary). A federated user is decided by the IAM user (or root) that called
 * GetFederationToken, intersected with the session policies.
 */
export type PolicyIdentity =
  | { readonly kind: 'root' }
  | { readonly kind: 'user'; readonly id: string; readonly name: string; readonly arn: string }
  | { readonly kind: 'role'; readonly id: string; readonly name: string; readonly arn: string };

/**
 * What temporary (STS) credentials add to a caller. Times are `Date`s; the session token codec
 * (whole seconds) converts.
 */
export interface CallerSession {
  /** `aws:TokenIssueTime`. */
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** When MFA was verified for the session; absent = not MFA-authenticated. */
  readonly mfaAuthenticatedAt?: Date;
  /** Inline session policy documents (AssumeRole `Policy`), as sent. */
  readonly policies?: readonly string[];
  /** Managed session policies (`PolicyArns`), same account or AWS managed. */
  readonly policyArns?: readonly string[];
  /** Session tags; they override the role's own tags with the same key (case-insensitive). */
  readonly tags?: readonly Tag[];
  /** Keys of `tags` that pass on to sessions this one assumes (role chaining). */
  readonly transitiveTagKeys?: readonly string[];
  readonly sourceIdentity?: string;
}

/** The authenticated principal of one request. */
export interface Caller {
  readonly kind: CallerKind;
  readonly accountId: string;
  /** The ARN GetCallerIdentity reports (`…:user/path/bob`, `arn:aws:sts::…:assumed-role/R/s`, `…:root`). */
  readonly arn: string;
  /** `aws:userid`: `AIDA…` for users, `AROA…:session` for role sessions, the account id for root, `acct:Name` for federated users. */
  readonly userId: string;
  readonly identity: PolicyIdentity;
  /** The access key that signed the request (`AKIA…` or `ASIA…`). */
  readonly accessKeyId?: string;
  /** Present exactly for temporary credentials. */
  readonly session?: CallerSession;
}

/** Facts about the request itself, set by the server; `now` is the injected clock's reading. */
export interface RequestEnv {
  readonly requestId: string;
  readonly now: Date;
  /** The client address; absent when unknown (then `aws:SourceIp` is absent, as through a VPC endpoint). */
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly secureTransport: boolean;
  /** The region of the SigV4 credential scope (`aws:RequestedRegion`). */
  readonly region: string;
}

/** The caller for the account root, signing with a long-term root access key. */
export function rootCaller(accountId: string, accessKeyId?: string): Caller {
  return {
    kind: 'root',
    accountId,
    arn: `arn:aws:iam::${accountId}:root`,
    userId: accountId,
    identity: { kind: 'root' },
    ...(accessKeyId === undefined ? {} : { accessKeyId }),
  };
}

/** The caller for an IAM user, signing with one of its long-term access keys. */
export function userCaller(user: { accountId: string; id: string; name: string; arn: string }, accessKeyId?: string): Caller {
  return {
    kind: 'user',
    accountId: user.accountId,
    arn: user.arn,
    userId: user.id,
    identity: { kind: 'user', id: user.id, name: user.name, arn: user.arn },
    ...(accessKeyId === undefined ? {} : { accessKeyId }),
  };
}

/** The value of `aws:PrincipalType`. */
export function principalType(caller: Caller): 'Account' | 'User' | 'AssumedRole' | 'FederatedUser' {
  switch (caller.kind) {
    case 'root':
      return 'Account';
    case 'user':
      return 'User';
    case 'assumed-role':
      return 'AssumedRole';
    case 'federated-user':
      return 'FederatedUser';
  }
}
