import type { Diagnostic } from '@latchkey/policy';

/**
 * Warnings that only say the service reference does not know a name (a new or in-house service,
 * a typo): worth showing, not a security finding. Every other warning (Allow with NotAction,
 * `iam:PassRole` on `*`, `ForAllValues` with Allow, operator/key type mismatch, ...) is a
 * security finding and fails validation under `--strict`.
 */
const CATALOG_WARNING_CODES: ReadonlySet<string> = new Set(['unknown-service', 'unknown-action', 'unknown-condition-key']);

export function isSecurityWarning(diagnostic: Diagnostic): boolean {
  return diagnostic.severity === 'warning' && !CATALOG_WARNING_CODES.has(diagnostic.code);
}
