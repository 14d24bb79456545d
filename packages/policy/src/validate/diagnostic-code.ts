/**
 * The closed set of diagnostic codes. Tests and callers assert on these, never on message
 * text. Errors mean AWS would reject the document (or, where AWS's behaviour is unknown, the
 * safe reading rejects it); warnings are findings in the spirit of IAM Access Analyzer.
 */
export const ERROR_CODES = [
  // text and structure
  'InvalidJson',
  'DuplicateKey',
  'InvalidCharacter',
  'PolicySizeExceeded',
  'NotAnObject',
  'UnknownElement',
  'InvalidVersion',
  'VersionNotSupported',
  'InvalidId',
  'MissingStatement',
  'InvalidStatement',
  // Sid and Effect
  'InvalidSid',
  'SidNotAlphanumeric',
  'DuplicateSid',
  'MissingEffect',
  'InvalidEffect',
  'EffectCase',
  // Action / NotAction
  'ActionAndNotAction',
  'MissingAction',
  'InvalidActionValue',
  'ActionMissingVendor',
  'ActionTooManyColons',
  'ActionInvalidVendor',
  'TrustPolicyAction',
  // Resource / NotResource
  'ResourceAndNotResource',
  'MissingResource',
  'InvalidResourceValue',
  'ResourceNotArn',
  'ResourceInvalidPartition',
  'ResourceVendorNotQualified',
  'ResourceRegionNotAllowed',
  'IamResourcePath',
  'ResourceLegacyParse',
  'ResourceProhibited',
  // Principal / NotPrincipal
  'PrincipalNotAllowed',
  'MissingPrincipal',
  'PrincipalAndNotPrincipal',
  'NotPrincipalNotAllowed',
  'InvalidPrincipalValue',
  'EmptyPrincipal',
  'InvalidPrincipal',
  // Condition
  'InvalidCondition',
  'UnknownConditionOperator',
  'InvalidConditionValue',
  'InvalidDateValue',
  'InvalidNumericValue',
  'InvalidBoolValue',
  'InvalidNullValue',
  'InvalidIpValue',
  'InvalidArnValue',
  'InvalidBinaryValue',
  // the validator itself
  'InternalError',
] as const;

export const WARNING_CODES = [
  'LegacyVersion',
  'AllowWithNotAction',
  'AllowWithNotResource',
  'PassRoleWildcard',
  'ForAllValuesWithAllow',
  'SetOperatorOnSingleValuedKey',
  'MissingSetOperator',
  'OperatorKeyTypeMismatch',
  'UnknownService',
  'UnknownAction',
  'UnknownConditionKey',
  'ConditionKeyWithoutVendor',
  'RedundantStatement',
  'RedundantValue',
  'PublicPrincipalWithoutCondition',
  'EmptyConditionBlock',
  'EmptyConditionValues',
  'NullIfExists',
  'VariableInLegacyVersion',
  'VariableNotAllowedHere',
  'InvalidVariable',
  'MultiValuedVariable',
  'WhitespaceInAction',
  'SidCharacters',
  'TrustPolicyWildcardAction',
  'TrustPolicyUnusualAction',
  'PrincipalUniqueId',
  'UnusualServicePrincipal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
export type WarningCode = (typeof WARNING_CODES)[number];
export type DiagnosticCode = ErrorCode | WarningCode;

export const DIAGNOSTIC_CODES: readonly DiagnosticCode[] = [...ERROR_CODES, ...WARNING_CODES];

const errorSet: ReadonlySet<string> = new Set(ERROR_CODES);
export function isErrorCode(code: string): code is ErrorCode {
  return errorSet.has(code);
}
