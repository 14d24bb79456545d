import type { Diagnostic } from '@latchkey/policy';

/**
 * Warnings that are hygiene, not security: names the service reference does not know (a new or
 * in-house service, a typo), redundancy, style. Every other warning (Allow with NotAction,
 * `iam:PassRole` on `*`, `ForAllValues` with Allow, operator/key type mismatch, a public
 * principal without a condition, a variable that will not be substituted, ...) is a security
 * finding and fails validation under `--strict`. Listing the harmless ones (rather than the
 * security ones) means a warning code added later fails closed.
 */
const HYGIENE_WARNING_CODES: ReadonlySet<string> = new Set([
  'UnknownService',
  'UnknownAction',
  'UnknownConditionKey',
  'ConditionKeyWithoutVendor',
  'LegacyVersion',
  'RedundantStatement',
  'RedundantValue',
  'EmptyConditionBlock',
  'WhitespaceInAction',
  'SidCharacters',
  'PrincipalUniqueId',
  'UnusualServicePrincipal',
  'TrustPolicyUnusualAction',
]);

export function isSecurityWarning(diagnostic: Diagnostic): boolean {
  return diagnostic.severity === 'warning' && !HYGIENE_WARNING_CODES.has(diagnostic.code);
}
