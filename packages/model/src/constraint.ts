/**
 * A model constraint on one member, as data. `pattern` is our anchored JavaScript translation;
 * `patternText` is the service model's own text, which AWS prints verbatim in ValidationError
 * messages ("Member must satisfy regular expression pattern: [\w+=,.@-]*").
 */
export interface StringConstraint {
  readonly type: 'string';
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
  readonly patternText?: string;
  /** Sensitive members (passwords, tokens) are never echoed: AWS writes `Value at 'x'`. */
  readonly sensitive?: boolean;
}

export interface EnumConstraint {
  readonly type: 'enum';
  readonly values: readonly string[];
}

export interface IntegerConstraint {
  readonly type: 'integer';
  readonly min?: number;
  readonly max?: number;
}

export interface ListConstraint {
  readonly type: 'list';
  readonly min?: number;
  readonly max?: number;
}

export type Constraint = StringConstraint | EnumConstraint | IntegerConstraint | ListConstraint;

/** Builds a string constraint from the model's pattern text; the regex is anchored (AWS matches whole values). */
export function stringConstraint(options: { min?: number; max?: number; pattern?: string; jsPattern?: string; sensitive?: boolean }): StringConstraint {
  const source = options.jsPattern ?? options.pattern;
  return {
    type: 'string',
    ...(options.min === undefined ? {} : { min: options.min }),
    ...(options.max === undefined ? {} : { max: options.max }),
    ...(source === undefined ? {} : { pattern: new RegExp(`^(?:${source})$`, 'u'), patternText: options.pattern ?? source }),
    ...(options.sensitive ? { sensitive: true } : {}),
  };
}

export function enumConstraint(values: readonly string[]): EnumConstraint {
  return { type: 'enum', values };
}

export function integerConstraint(min?: number, max?: number): IntegerConstraint {
  return { type: 'integer', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

export function listConstraint(min?: number, max?: number): ListConstraint {
  return { type: 'list', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}
