import type { Effect } from './ast.js';
import type { PolicyType } from './policy-type.js';

export type DecisionValue = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** A statement that matched the request (action, resource, principal and every condition). */
export interface MatchedStatement {
  readonly policyType: PolicyType;
  /** The policy's id as given to `compilePolicy` (an ARN, `user/alice/inline-name`, a file name). */
  readonly policyId: string;
  readonly statementIndex: number;
  readonly sid?: string;
  readonly effect: Effect;
}

/** A statement that could not be evaluated (e.g. a value that does not parse for its
 * operator). It is reported and never allows; a Deny that cannot be evaluated denies whatever its
 * action, resource and principal match (fail closed). */
export interface EvaluationError {
  readonly policyType: PolicyType;
  readonly policyId: string;
  readonly statementIndex: number;
  readonly sid?: string;
  readonly message: string;
}

export interface Decision {
  readonly decision: DecisionValue;
  /** For `explicitDeny`: the Deny statements that matched. For `allowed`: the Allow statements
   * that made it so (one or more per policy type that had to allow). For `implicitDeny`: empty,
   * or the Allows found in the policy types that did allow. */
  readonly matchedStatements: readonly MatchedStatement[];
  /** For `implicitDeny`: the policy types that failed to allow (e.g. `['boundary']`). */
  readonly notAllowedBy: readonly PolicyType[];
  /** Condition keys a statement needed but the request context did not have, as written in the
   * policy (same order as first met, no duplicates). */
  readonly missingContextKeys: readonly string[];
  readonly errors: readonly EvaluationError[];
}
