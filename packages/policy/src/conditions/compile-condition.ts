import type { ConditionClause, ConditionValue } from '../ast.js';
import type { PreparedRequest } from '../evaluate/prepared-request.js';
import type { ContextScalar } from '../request.js';
import { compileArnPattern, type ArnPattern } from '../match/arn-pattern.js';
import { splitArn } from '../match/arn.js';
import { compileTemplateMatcher, type TemplateMatcher } from '../match/template-matcher.js';
import { parseTemplate, resolveTemplate, tokensToText, type Template } from '../variables/template.js';
import { parseDate } from './date.js';
import { cidrContains, parseCidr, type Cidr } from './ip.js';
import { parseOperator, type BaseOperator, type Comparison } from './operator.js';

/** Three-valued result: a condition that cannot be evaluated is neither true nor false. */
export const FALSE = 0;
export const TRUE = 1;
export const ERROR = 2;
export type Tri = typeof FALSE | typeof TRUE | typeof ERROR;

export interface CompiledCondition {
  readonly operator: string;
  readonly key: string;
  readonly keyLower: string;
  readonly pointer: string;
  /** Set when the clause cannot be evaluated (unknown operator, value that does not parse). */
  readonly error: string | undefined;
  evaluate(req: PreparedRequest): Tri;
}

/** Does one request value match at least one policy value? `null` results (a variable with no
 * value) count as "does not match". */
type AnyMatch = (value: ContextScalar, req: PreparedRequest) => boolean;

function broken(clause: ConditionClause, message: string): CompiledCondition {
  return {
    operator: clause.operator,
    key: clause.key,
    keyLower: clause.key.toLowerCase(),
    pointer: clause.pointer,
    error: message,
    evaluate: () => ERROR,
  };
}

function compare(c: Comparison, a: number, b: number): boolean {
  switch (c) {
    case 'eq':
      return a === b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
  }
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function toNumber(v: ContextScalar): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return undefined;
  const t = v.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string): string | undefined {
  if (!BASE64.test(text)) return undefined;
  try {
    return atob(text);
  } catch {
    return undefined;
  }
}

interface Built {
  readonly anyMatch?: AnyMatch;
  readonly error?: string;
}

function buildString(base: BaseOperator, values: readonly ConditionValue[], variables: boolean): Built {
  const templates: Template[] = values.map((v) => parseTemplate(String(v), { wildcards: base.wildcards, variables }));
  if (!templates.some((t) => t.hasVariables) && !base.wildcards) {
    const set = new Set(templates.map((t) => (base.ignoreCase ? tokensToText(t.tokens).toLowerCase() : tokensToText(t.tokens))));
    if (base.ignoreCase) return { anyMatch: (v) => set.has(String(v).toLowerCase()) };
    return { anyMatch: (v) => set.has(String(v)) };
  }
  const matchers: TemplateMatcher[] = templates.map((t) => compileTemplateMatcher(t, base.ignoreCase));
  return {
    anyMatch: (v, req) => {
      const text = base.ignoreCase ? String(v).toLowerCase() : String(v);
      for (const m of matchers) if (m(text, req) === true) return true;
      return false;
    },
  };
}

function buildNumeric(base: BaseOperator, values: readonly ConditionValue[]): Built {
  const numbers: number[] = [];
  for (const v of values) {
    const n = toNumber(v);
    if (n === undefined) return { error: `${base.name}: "${String(v)}" is not a number` };
    numbers.push(n);
  }
  return {
    anyMatch: (v) => {
      const n = toNumber(v);
      if (n === undefined) return false; // a non-numeric request value matches nothing
      for (const p of numbers) if (compare(base.comparison, n, p)) return true;
      return false;
    },
  };
}

function buildDate(base: BaseOperator, values: readonly ConditionValue[]): Built {
  const dates: number[] = [];
  for (const v of values) {
    const d = parseDate(v);
    if (d === undefined) return { error: `${base.name}: "${String(v)}" is not an ISO 8601 date or epoch time` };
    dates.push(d);
  }
  return {
    anyMatch: (v) => {
      const d = parseDate(v);
      if (d === undefined) return false;
      for (const p of dates) if (compare(base.comparison, d, p)) return true;
      return false;
    },
  };
}

function buildBool(values: readonly ConditionValue[], variables: boolean): Built {
  const templates = values.map((v) => parseTemplate(String(v), { wildcards: false, variables }));
  if (!templates.some((t) => t.hasVariables)) {
    const wanted = templates.map((t) => tokensToText(t.tokens).toLowerCase());
    const one = wanted.length === 1 ? wanted[0]! : undefined;
    if (one !== undefined) return { anyMatch: (v) => (v === true ? 'true' : v === false ? 'false' : String(v).toLowerCase()) === one };
    return { anyMatch: (v) => wanted.includes(String(v).toLowerCase()) };
  }
  return {
    anyMatch: (v, req) => {
      const text = String(v).toLowerCase();
      for (const t of templates) {
        const tokens = t.hasVariables ? resolveTemplate(t, req) : t.tokens;
        if (tokens !== undefined && tokensToText(tokens).toLowerCase() === text) return true;
      }
      return false;
    },
  };
}

function buildBinary(values: readonly ConditionValue[]): Built {
  const decoded: string[] = [];
  for (const v of values) {
    const d = decodeBase64(String(v));
    if (d === undefined) return { error: `BinaryEquals: "${String(v)}" is not base64` };
    decoded.push(d);
  }
  return {
    anyMatch: (v) => {
      const d = decodeBase64(String(v));
      return d !== undefined && decoded.includes(d);
    },
  };
}

function buildIp(base: BaseOperator, values: readonly ConditionValue[]): Built {
  const blocks: Cidr[] = [];
  for (const v of values) {
    const c = parseCidr(String(v).trim());
    if (c === undefined) return { error: `${base.name}: "${String(v)}" is not an IP address or CIDR block` };
    blocks.push(c);
  }
  return {
    anyMatch: (v, req) => {
      const ip = req.ip(typeof v === 'string' ? v.trim() : String(v));
      if (ip === undefined) return false;
      for (const b of blocks) if (cidrContains(b, ip)) return true;
      return false;
    },
  };
}

function buildArn(values: readonly ConditionValue[], variables: boolean): Built {
  const patterns: ArnPattern[] = values.map((v) => compileArnPattern(parseTemplate(String(v), { wildcards: true, variables })));
  return {
    anyMatch: (v, req) => {
      // A request value that is not an ARN matches no ARN pattern.
      const parts = splitArn(String(v));
      if (parts === undefined) return false;
      for (const p of patterns) if (p.match(parts, req) === true) return true;
      return false;
    },
  };
}

function compileNull(clause: ConditionClause, keyLower: string): CompiledCondition {
  const wanted: boolean[] = [];
  for (const v of clause.values) {
    const t = String(v).toLowerCase();
    if (t !== 'true' && t !== 'false') return broken(clause, `Null: "${String(v)}" must be true or false`);
    wanted.push(t === 'true');
  }
  return {
    operator: clause.operator,
    key: clause.key,
    keyLower,
    pointer: clause.pointer,
    error: undefined,
    evaluate(req) {
      const raw = req.get(keyLower, clause.key);
      const absent = raw === undefined || (Array.isArray(raw) && raw.length === 0);
      for (const w of wanted) if (w === absent) return TRUE;
      return FALSE;
    },
  };
}

/**
 * Compiles one `operator: { key: values }` clause. `variables` is true for 2012-10-17 policies;
 * the operator decides whether its values may hold variables at all.
 */
export function compileCondition(clause: ConditionClause, variablesEnabled: boolean): CompiledCondition {
  const parsed = parseOperator(clause.operator);
  if (parsed === undefined) return broken(clause, `unknown condition operator "${clause.operator}"`);
  const keyLower = clause.key.toLowerCase();
  const { base, ifExists, set } = parsed;
  if (base.family === 'null') return compileNull(clause, keyLower);
  if (clause.values.length === 0) return broken(clause, `${clause.operator}: no values for "${clause.key}"`);
  const variables = variablesEnabled && base.variables;
  let built: Built;
  switch (base.family) {
    case 'string':
      built = buildString(base, clause.values, variables);
      break;
    case 'numeric':
      built = buildNumeric(base, clause.values);
      break;
    case 'date':
      built = buildDate(base, clause.values);
      break;
    case 'bool':
      built = buildBool(clause.values, variables);
      break;
    case 'binary':
      built = buildBinary(clause.values);
      break;
    case 'ip':
      built = buildIp(base, clause.values);
      break;
    case 'arn':
      built = buildArn(clause.values, variables);
      break;
  }
  if (built.anyMatch === undefined) return broken(clause, built.error ?? `${clause.operator}: cannot be evaluated`);
  const anyMatch = built.anyMatch;
  const negated = base.negated;
  // Per request value: positive operators need one policy value to match (OR); negated ones
  // need none to match (NOR).
  const test = (v: ContextScalar, req: PreparedRequest): boolean => anyMatch(v, req) !== negated;
  const key = clause.key;
  // The result when the key is absent (or an empty set).
  const whenMissing: Tri = ifExists ? TRUE : set === 'all' ? TRUE : set === 'any' ? FALSE : negated ? TRUE : FALSE;
  return {
    operator: clause.operator,
    key,
    keyLower,
    pointer: clause.pointer,
    error: undefined,
    evaluate(req) {
      const raw = req.get(keyLower, key);
      if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
        req.noteMissing(key);
        return whenMissing;
      }
      if (set !== undefined) {
        const values: readonly ContextScalar[] = Array.isArray(raw) ? raw : [raw as ContextScalar];
        if (set === 'all') {
          for (const v of values) if (!test(v, req)) return FALSE;
          return TRUE;
        }
        for (const v of values) if (test(v, req)) return TRUE;
        return FALSE;
      }
      if (Array.isArray(raw)) {
        // A plain operator on a multivalued key: one value is read as a scalar; several do not
        // match (AWS requires a set operator for multivalued keys).
        if (raw.length !== 1) return FALSE;
        return test(raw[0] as ContextScalar, req) ? TRUE : FALSE;
      }
      return test(raw as ContextScalar, req) ? TRUE : FALSE;
    },
  };
}
