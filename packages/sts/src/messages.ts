// AWS's texts for STS failures, each with where it was recorded (see
// shared/reference/sts-iam-api.md §3.2 and the issue threads cited there).

/** AssumeRole* denied, for a missing role as for a trust policy that does not allow: AWS never reveals which. */
export function notAuthorizedToAssume(callerArn: string, action: string, roleArn: string): string {
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${roleArn}`;
}

/** ValidationError for a `RoleArn` that does not parse (localstack snapshot of AWS). */
export function invalidArn(value: string): string {
  return `${value} is invalid`;
}

export const DURATION_EXCEEDS_MAX = 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';
// aws/eks-anywhere#9485, prowler-cloud/prowler#7721, 99designs/aws-vault#263.
export const DURATION_EXCEEDS_CHAINING = 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.';

// The unknown-device text is @latchkey/iam's MFA_UNKNOWN_DEVICE (aws/aws-cli#6325): one source
// for every MFA failure STS answers.
/** Our text: SerialNumber without TokenCode (or the reverse). */
export const MFA_INCOMPLETE = 'MultiFactorAuthentication failed, unable to validate MFA code.  Both SerialNumber and TokenCode must be provided.';

// aws/aws-sdk-net#1704.
export const SESSION_TOKEN_WITH_SESSION = 'Cannot call GetSessionToken with session credentials';
/** Same rule for GetFederationToken (model doc: long-term credentials only). */
export const FEDERATION_TOKEN_WITH_SESSION = 'Cannot call GetFederationToken with session credentials';

// localstack/localstack tests/aws/services/sts/test_sts.snapshot.json (recorded from AWS).
export const TRANSITIVE_KEY_NOT_IN_TAGS = 'The specified transitive tag key must be included in the requested tags.';
export const TRANSITIVE_TAG_CONFLICT = "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.";
export const DUPLICATE_TAG_KEYS = 'Duplicate tag keys found. Please note that Tag keys are case insensitive.';

export const PACKED_POLICY_TOO_LARGE = (percent: number): string =>
  `Packed size of consumed session policies and session tags exceeds the limit (${percent}% of allowed).`;

export const SOURCE_IDENTITY_CHANGED = 'The SourceIdentity of the calling session cannot be changed by a role chain.';

// kubeflow/testing#961, amzn/selling-partner-api-docs#2005.
export const ROOT_CANNOT_ASSUME = 'Roles may not be assumed by root accounts.';

export const MISSING_AUTHENTICATION = 'Request is missing Authentication Token';

export const INVALID_AUTHORIZATION_MESSAGE = 'The encoded authorization message is invalid or was not issued by this service.';
