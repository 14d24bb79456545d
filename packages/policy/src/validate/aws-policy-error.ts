import type { Diagnostic } from '../diagnostic.js';
import type { ErrorCode } from './diagnostic-code.js';

/** The single error AWS would return for a document (AWS reports one problem per call). */
export interface AwsPolicyError {
  /** The AWS error code to answer with (`@latchkey/errors` has a class for each). */
  readonly code: 'MalformedPolicyDocument' | 'LimitExceeded' | 'ValidationError';
  readonly message: string;
}

// The order in which AWS checks (policy-language.md V14: syntax → version → legacy parse →
// Sid uniqueness → actions present → resource errors → action prefixes → resources present),
// with the size quota first and the checks moto does not model (principals, Sid charset,
// trust actions, condition values) last. The first group with a diagnostic decides.
const ORDER: readonly (readonly ErrorCode[])[] = [
  ['InvalidCharacter'],
  ['PolicySizeExceeded'],
  ['InvalidJson'],
  [
    'DuplicateKey',
    'NotAnObject',
    'UnknownElement',
    'InvalidVersion',
    'InvalidId',
    'MissingStatement',
    'InvalidStatement',
    'InvalidSid',
    'MissingEffect',
    'InvalidEffect',
    'ActionAndNotAction',
    'ResourceAndNotResource',
    'PrincipalAndNotPrincipal',
    'InvalidActionValue',
    'InvalidResourceValue',
    'InvalidPrincipalValue',
    'InvalidCondition',
    'UnknownConditionOperator',
    'InvalidConditionValue',
  ],
  ['VersionNotSupported'],
  ['EffectCase', 'InvalidDateValue', 'ResourceLegacyParse'],
  ['DuplicateSid'],
  ['MissingAction'],
  ['ResourceNotArn', 'ResourceInvalidPartition', 'ResourceVendorNotQualified', 'ResourceRegionNotAllowed', 'IamResourcePath'],
  ['ActionMissingVendor', 'ActionTooManyColons', 'ActionInvalidVendor'],
  ['MissingResource'],
  ['ResourceProhibited', 'TrustPolicyAction'],
  ['PrincipalNotAllowed', 'MissingPrincipal', 'EmptyPrincipal', 'InvalidPrincipal', 'NotPrincipalNotAllowed'],
  ['SidNotAlphanumeric'],
  ['InvalidNumericValue', 'InvalidBoolValue', 'InvalidNullValue', 'InvalidIpValue', 'InvalidArnValue', 'InvalidBinaryValue'],
  ['InternalError'],
];

/**
 * Picks, from a validation's diagnostics, the one error AWS would answer with, and the AWS
 * error code to use, or undefined when there is no error.
 */
export function awsPolicyError(diagnostics: readonly Diagnostic[]): AwsPolicyError | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return undefined;
  for (const group of ORDER) {
    const hit = errors.find((d) => (group as readonly string[]).includes(d.code));
    if (hit === undefined) continue;
    const code = hit.code === 'PolicySizeExceeded' ? 'LimitExceeded' : hit.code === 'InvalidCharacter' ? 'ValidationError' : 'MalformedPolicyDocument';
    return { code, message: hit.message };
  }
  return { code: 'MalformedPolicyDocument', message: errors[0]!.message };
}
