/**
 * The validated, normalised form of a policy document. Validation produces it; compilation
 * consumes it. Every list element of the JSON (which AWS allows as a string or an array) is an
 * array here, and each element keeps the text exactly as written (case included), so that
 * compilation and explanations see what the author wrote.
 */

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export type Effect = 'Allow' | 'Deny';

/** A JSON scalar as written in a condition block. AWS compares everything as text after
 * conversion, but keeping the JSON type lets validation and explanation be precise. */
export type ConditionValue = string | number | boolean;

/**
 * `Principal` / `NotPrincipal`. `"Principal": "*"` sets `wildcard`; the object form fills the
 * per-type lists (`{"AWS": "*"}` puts `"*"` in `AWS`, which is not the same as `wildcard`).
 */
export interface PrincipalSpec {
  readonly wildcard: boolean;
  readonly AWS: readonly string[];
  readonly Service: readonly string[];
  readonly Federated: readonly string[];
  readonly CanonicalUser: readonly string[];
}

/** One `operator: { key: values }` entry of a `Condition` block. */
export interface ConditionClause {
  /** As written, e.g. `ForAnyValue:StringLikeIfExists`. Validation guarantees it is known. */
  readonly operator: string;
  /** As written, e.g. `aws:PrincipalTag/Team` (keys are matched case-insensitively). */
  readonly key: string;
  readonly values: readonly ConditionValue[];
  /** JSON pointer of the key inside the document, for diagnostics and explanations. */
  readonly pointer: string;
}

export interface Statement {
  /** Position in the `Statement` array (0 when `Statement` is a single object). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly conditions: readonly ConditionClause[];
}

export interface Policy {
  /** `2008-10-17` also when `Version` is absent: policy variables are then literal text. */
  readonly version: PolicyVersion;
  readonly versionExplicit: boolean;
  readonly id?: string;
  readonly statements: readonly Statement[];
}
