export { formatArn, parseArn } from './arn.js';
export type { Arn } from './arn.js';
export {
  AWS_MANAGED_ACCOUNT,
  DEFAULT_PARTITION,
  accountRootArn,
  assumedRoleArn,
  awsManagedPolicyArn,
  federatedUserArn,
  groupArn,
  instanceProfileArn,
  mfaDeviceArn,
  oidcProviderArn,
  parseAssumedRoleArn,
  parseIamResourceArn,
  policyArn,
  roleArn,
  samlProviderArn,
  serverCertificateArn,
  userArn,
} from './iam-arns.js';
export type { AssumedRoleArnParts, IamPathedResourceType, IamResourceArn } from './iam-arns.js';
export type { RandomBytes } from './random.js';
export { BASE32_ALPHABET, base32Decode, base32Encode } from './base32.js';
export { base64ToBytes, bytesToBase64 } from './base64.js';
export {
  ACCESS_KEY_ID_LENGTH,
  ID_PREFIX,
  SECRET_ACCESS_KEY_LENGTH,
  UNIQUE_ID_LENGTH,
  accountIdFromAccessKeyId,
  generateAccessKeyId,
  generateAccountId,
  generateSecretAccessKey,
  generateUniqueId,
  idKindOf,
} from './identifiers.js';
export type { IdKind, IdPrefix } from './identifiers.js';
export { enumConstraint, integerConstraint, listConstraint, stringConstraint } from './constraint.js';
export type { Constraint, EnumConstraint, IntegerConstraint, ListConstraint, StringConstraint } from './constraint.js';
export {
  assertValid,
  checkEnum,
  checkInteger,
  checkListLength,
  checkString,
  codePointLength,
  collectViolations,
  validationMessage,
  violationClause,
} from './constraint-check.js';
export type { ValueCheck } from './constraint-check.js';
export { iamConstraints, stsConstraints } from './constraints.js';
export {
  DUPLICATE_TAG_KEYS_MESSAGE,
  MAX_TAGS_PER_RESOURCE,
  RESERVED_TAG_PREFIX_MESSAGE,
  findTagProblem,
  isReservedTagKey,
  mergeTags,
  removeTags,
  tagSize,
} from './tags.js';
export type { Tag, TagProblem } from './tags.js';
export {
  DEFAULT_MAX_ITEMS,
  IAM_QUOTAS,
  MAX_SESSION_POLICY_ARNS,
  POLICY_SIZE_QUOTAS,
  POLICY_VERSIONS_EXCEEDED_MESSAGE,
  ROLE_CHAINING_MAX_DURATION_SECONDS,
  inlinePolicySizeExceeded,
  managedPolicySizeExceeded,
  policySizeForQuota,
  policyVersionsExceeded,
  quotaExceeded,
  quotaExceededMessage,
  trustPolicySizeExceeded,
} from './limits.js';
export type { IamQuotaName } from './limits.js';
