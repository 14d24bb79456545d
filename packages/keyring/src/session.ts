/**
 * Who the temporary credentials act as, in the words of CloudTrail's `userIdentity.type`:
 * AssumeRole* sessions are `AssumedRole`, GetFederationToken sessions `FederatedUser`,
 * GetSessionToken sessions the calling `IAMUser` or `Root`.
 */
export type SessionPrincipalType = 'AssumedRole' | 'FederatedUser' | 'IAMUser' | 'Root';

export interface SessionTag {
  readonly key: string;
  readonly value: string;
}

/**
 * Everything a server instance needs to authenticate and authorize a request signed with STS
 * temporary credentials, carried inside the session token so no database read is needed.
 * Times are whole seconds since the Unix epoch (the resolution of `aws:TokenIssueTime`,
 * `aws:MultiFactorAuthAge` and `Credentials.Expiration`).
 */
export interface Session {
  readonly type: SessionPrincipalType;
  /** The temporary `ASIA…` key id; the verifier checks it equals the request's credential. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  /** The ARN `GetCallerIdentity` reports (`arn:aws:sts::…:assumed-role/Role/session`, …). */
  readonly principalArn: string;
  /** The `UserId` `GetCallerIdentity` reports (`AROA…:session`, `AIDA…`, `acct:Name`, …). */
  readonly principalId: string;
  /** For `AssumedRole`: the role's own ARN, with its path, to load its policies. */
  readonly roleArn?: string;
  /** The long-term key the session was minted with (GetSessionToken, GetFederationToken). */
  readonly sourceAccessKeyId?: string;
  /** The inline session policy as the caller sent it. */
  readonly sessionPolicy?: string;
  /** Managed session policies (`PolicyArns`). */
  readonly sessionPolicyArns?: readonly string[];
  /** A digest of the session policies when the caller stores them elsewhere to keep tokens small. */
  readonly sessionPolicyHash?: string;
  /** Session tags, in request order (transitive ones inherited through a chain included). */
  readonly tags?: readonly SessionTag[];
  readonly transitiveTagKeys?: readonly string[];
  readonly sourceIdentity?: string;
  /** When MFA was verified; absent when the session is not MFA-authenticated. */
  readonly mfaAuthenticatedAt?: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Further string facts for audit (web identity provider, subject, audience, …). */
  readonly attributes?: Readonly<Record<string, string>>;
}
