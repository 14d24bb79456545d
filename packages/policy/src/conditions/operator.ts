/**
 * Condition operator names: a base operator, optionally prefixed with `ForAllValues:` /
 * `ForAnyValue:` and suffixed with `IfExists` (not for `Null`). Names are case-sensitive, as
 * AWS's validation treats them.
 */

export type OperatorFamily = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';
export type Comparison = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

export interface BaseOperator {
  readonly name: string;
  readonly family: OperatorFamily;
  /** Negated operators: the value must match none of the policy values; true on a missing key. */
  readonly negated: boolean;
  readonly ignoreCase: boolean;
  /** `*`/`?` are wildcards (StringLike family; Arn* always). */
  readonly wildcards: boolean;
  readonly comparison: Comparison;
  /** Policy variables are substituted in the values (String, ARN and Bool operators). */
  readonly variables: boolean;
}

export interface ParsedOperator {
  readonly base: BaseOperator;
  readonly ifExists: boolean;
  readonly set: 'all' | 'any' | undefined;
}

function op(name: string, family: OperatorFamily, extra: Partial<Omit<BaseOperator, 'name' | 'family'>> = {}): BaseOperator {
  return {
    name,
    family,
    negated: extra.negated ?? false,
    ignoreCase: extra.ignoreCase ?? false,
    wildcards: extra.wildcards ?? false,
    comparison: extra.comparison ?? 'eq',
    variables: family === 'string' || family === 'arn' || family === 'bool',
  };
}

export const BASE_OPERATORS: ReadonlyMap<string, BaseOperator> = new Map(
  [
    op('StringEquals', 'string'),
    op('StringNotEquals', 'string', { negated: true }),
    op('StringEqualsIgnoreCase', 'string', { ignoreCase: true }),
    op('StringNotEqualsIgnoreCase', 'string', { ignoreCase: true, negated: true }),
    op('StringLike', 'string', { wildcards: true }),
    op('StringNotLike', 'string', { wildcards: true, negated: true }),
    op('NumericEquals', 'numeric'),
    op('NumericNotEquals', 'numeric', { negated: true }),
    op('NumericLessThan', 'numeric', { comparison: 'lt' }),
    op('NumericLessThanEquals', 'numeric', { comparison: 'lte' }),
    op('NumericGreaterThan', 'numeric', { comparison: 'gt' }),
    op('NumericGreaterThanEquals', 'numeric', { comparison: 'gte' }),
    op('DateEquals', 'date'),
    op('DateNotEquals', 'date', { negated: true }),
    op('DateLessThan', 'date', { comparison: 'lt' }),
    op('DateLessThanEquals', 'date', { comparison: 'lte' }),
    op('DateGreaterThan', 'date', { comparison: 'gt' }),
    op('DateGreaterThanEquals', 'date', { comparison: 'gte' }),
    op('Bool', 'bool'),
    op('BinaryEquals', 'binary'),
    op('IpAddress', 'ip'),
    op('NotIpAddress', 'ip', { negated: true }),
    // ArnEquals behaves exactly like ArnLike (wildcards included), per the AWS docs.
    op('ArnEquals', 'arn', { wildcards: true }),
    op('ArnLike', 'arn', { wildcards: true }),
    op('ArnNotEquals', 'arn', { wildcards: true, negated: true }),
    op('ArnNotLike', 'arn', { wildcards: true, negated: true }),
    op('Null', 'null'),
  ].map((o) => [o.name, o] as const),
);

export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: 'all' | 'any' | undefined;
  if (rest.startsWith('ForAllValues:')) {
    set = 'all';
    rest = rest.slice('ForAllValues:'.length);
  } else if (rest.startsWith('ForAnyValue:')) {
    set = 'any';
    rest = rest.slice('ForAnyValue:'.length);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASE_OPERATORS.get(rest);
  if (base === undefined) return undefined;
  if (base.family === 'null' && (ifExists || set !== undefined)) return undefined;
  return { base, ifExists, set };
}
