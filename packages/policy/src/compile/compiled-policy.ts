import type { Effect } from '../ast.js';
import type { CompiledCondition } from '../conditions/compile-condition.js';
import type { EvaluationError, MatchedStatement } from '../decision.js';
import type { StringMatcher } from '../match/glob.js';
import type { ActionMatcher } from '../match/action-matcher.js';
import type { PrincipalMatcher } from '../match/principal-matcher.js';
import type { ResourceMatcher } from '../match/resource-matcher.js';
import type { PolicyType } from '../policy-type.js';

export interface PolicySource {
  readonly type: PolicyType;
  /** An ARN, `user/alice/inline-name`, a file name: reported in decisions as `policyId`. */
  readonly id: string;
}

export interface CompiledStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  readonly actions: ActionMatcher | undefined;
  readonly notActions: ActionMatcher | undefined;
  /** Undefined with `notResources` undefined too: the statement applies to any resource. */
  readonly resources: ResourceMatcher | undefined;
  readonly notResources: ResourceMatcher | undefined;
  /** Only for resource-based and trust policies. */
  readonly principal: PrincipalMatcher | undefined;
  readonly notPrincipal: PrincipalMatcher | undefined;
  readonly conditions: readonly CompiledCondition[];
  /** Why the statement cannot be evaluated (structure or a condition value), if it cannot. */
  readonly error: string | undefined;
  /** Built once so that decisions allocate nothing per matched statement. */
  readonly matched: MatchedStatement;
  readonly errorRecord: EvaluationError | undefined;
}

/** One entry of a service bucket: the statement and its action-name matchers for that service. */
export interface IndexEntry {
  readonly statement: CompiledStatement;
  /** Undefined in the "visit always" bucket: the whole action matcher is consulted. */
  readonly names: readonly StringMatcher[] | undefined;
}

export interface StatementIndex {
  /** Lower-cased service prefix → statements whose `Action` names that service. */
  readonly byService: ReadonlyMap<string, readonly IndexEntry[]>;
  /** `NotAction` statements, wildcard service prefixes, and statements without actions. */
  readonly always: readonly IndexEntry[];
  /**
   * Action (as sent) → the statements whose Action/NotAction matches it, filled on first use.
   * Services have a few hundred actions, so after warm-up a decision does no action matching
   * at all. Bounded: past `ACTION_CACHE_LIMIT` distinct actions, new ones are not cached.
   */
  readonly byAction: Map<string, readonly CompiledStatement[]>;
}

export const ACTION_CACHE_LIMIT = 4096;

/** A policy compiled once: every matcher built, statements indexed by service prefix. */
export interface CompiledPolicy {
  readonly source: PolicySource;
  readonly version: '2012-10-17' | '2008-10-17';
  readonly statements: readonly CompiledStatement[];
  readonly index: StatementIndex;
}
