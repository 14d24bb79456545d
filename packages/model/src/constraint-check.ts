import { ValidationError } from '@latchkey/errors';
import type { EnumConstraint, IntegerConstraint, ListConstraint, StringConstraint } from './constraint.js';

const SURROGATE = /[\uD800-\uDFFF]/;

/** Length as AWS counts it: Unicode code points (a supplementary character is one, a combining mark another). */
export function codePointLength(value: string): number {
  if (!SURROGATE.test(value)) return value.length;
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function lengthChecks(length: number, min: number | undefined, max: number | undefined, out: string[]): void {
  if (min !== undefined && length < min) out.push(`Member must have length greater than or equal to ${min}`);
  if (max !== undefined && length > max) out.push(`Member must have length less than or equal to ${max}`);
}

/**
 * The constraint clauses a string violates, in AWS's order (pattern first, then length: AWS answers
 * `RoleArn=` with the pattern clause and then the minimum-length clause).
 */
export function checkString(value: string, c: StringConstraint): string[] {
  const out: string[] = [];
  if (c.pattern && !c.pattern.test(value)) out.push(`Member must satisfy regular expression pattern: ${c.patternText ?? c.pattern.source}`);
  lengthChecks(codePointLength(value), c.min, c.max, out);
  return out;
}

export function checkEnum(value: string, c: EnumConstraint): string[] {
  return c.values.includes(value) ? [] : [`Member must satisfy enum value set: [${c.values.join(', ')}]`];
}

export function checkInteger(value: number, c: IntegerConstraint): string[] {
  const out: string[] = [];
  if (c.min !== undefined && value < c.min) out.push(`Member must have value greater than or equal to ${c.min}`);
  if (c.max !== undefined && value > c.max) out.push(`Member must have value less than or equal to ${c.max}`);
  return out;
}

export function checkListLength(length: number, c: ListConstraint): string[] {
  const out: string[] = [];
  lengthChecks(length, c.min, c.max, out);
  return out;
}

/**
 * One clause of a ValidationError message: `Value 'x' at 'roleSessionName' failed to satisfy constraint: …`.
 * `value` is the already-rendered value: `null` prints `Value null`, `undefined` (sensitive) prints `Value at`.
 */
export function violationClause(path: string, value: string | null | undefined, constraint: string): string {
  const shown = value === undefined ? 'Value' : value === null ? 'Value null' : `Value '${value}'`;
  return `${shown} at '${path}' failed to satisfy constraint: ${constraint}`;
}

/** `1 validation error detected: …` / `N validation errors detected: …; …`. */
export function validationMessage(clauses: readonly string[]): string {
  const n = clauses.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${clauses.join('; ')}`;
}

export interface ValueCheck {
  /** Member path as AWS prints it (`userName`, `tags.1.member.key`). */
  readonly path: string;
  readonly value: string | number | null | undefined;
  readonly constraint: StringConstraint | EnumConstraint | IntegerConstraint;
  /** A missing value violates "Member must not be null" when set. */
  readonly required?: boolean;
}

/** Checks values the service computes or reads outside the wire layer; collects every clause. */
export function collectViolations(checks: readonly ValueCheck[]): string[] {
  const clauses: string[] = [];
  for (const { path, value, constraint, required } of checks) {
    if (value === null || value === undefined) {
      if (required) clauses.push(violationClause(path, null, 'Member must not be null'));
      continue;
    }
    let found: string[];
    if (constraint.type === 'integer') found = typeof value === 'number' ? checkInteger(value, constraint) : [];
    else if (constraint.type === 'enum') found = checkEnum(String(value), constraint);
    else found = checkString(String(value), constraint);
    const sensitive = constraint.type === 'string' && constraint.sensitive === true;
    for (const f of found) clauses.push(violationClause(path, sensitive ? undefined : String(value), f));
  }
  return clauses;
}

/** Throws `ValidationError` with AWS's message when any check fails. */
export function assertValid(checks: readonly ValueCheck[]): void {
  const clauses = collectViolations(checks);
  if (clauses.length > 0) throw new ValidationError(validationMessage(clauses));
}
