import { InvalidAction } from '@latchkey/errors';
import { MISSING_ACTION_REDIRECT, NO_VERSION_SPECIFIED } from './constants.js';
import type { QueryParams } from './parse-query-params.js';

export interface QueryService<Operation> {
  /** API version, e.g. `2010-05-08`. */
  readonly version: string;
  /** Operations by action name. */
  readonly operations: Readonly<Record<string, Operation>>;
}

export type ResolvedOperation<Operation> =
  | { readonly kind: 'operation'; readonly action: string; readonly operation: Operation }
  /** No `Action` at all: AWS answers `302 Found` with this `Location` and an empty body. */
  | { readonly kind: 'redirect'; readonly location: string };

/** `Could not find operation X for version Y`, AWS's text for an unknown action or version. */
export function invalidAction(action: string, version: string | undefined): InvalidAction {
  return new InvalidAction(`Could not find operation ${action} for version ${version ?? NO_VERSION_SPECIFIED}`);
}

/**
 * Finds the operation a request names. An unknown action, a missing or empty `Version`, or a version other
 * than the service's all give `InvalidAction` (400) as AWS does; a request without `Action` resolves to the
 * redirect AWS answers with (the query string, if any, carried over as AWS does on GET).
 */
export function resolveOperation<Operation>(service: QueryService<Operation>, request: QueryParams, rawQuery = ''): ResolvedOperation<Operation> {
  const { action, version } = request;
  if (action === undefined) {
    const q = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
    return { kind: 'redirect', location: q.length > 0 ? `${MISSING_ACTION_REDIRECT}?${q}` : MISSING_ACTION_REDIRECT };
  }
  // Object.hasOwn: `constructor`, `__proto__` and friends are not operations.
  if (version !== service.version || !Object.hasOwn(service.operations, action)) throw invalidAction(action, version);
  return { kind: 'operation', action, operation: service.operations[action]! };
}
