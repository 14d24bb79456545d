// The validation cases as data (test/validate/cases/*.json), driven by one table test. Each
// case names the reference row it checks (policy-language.md V*, C*, P*, M*).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, validatePolicy, type PolicyType, type ValidateOptions } from '../../src/index.js';

interface Case {
  readonly name: string;
  readonly ref: string;
  readonly type: PolicyType;
  readonly options?: Omit<ValidateOptions, 'type'>;
  /** `{Version: 2012-10-17, Statement: statement}` */
  readonly statement?: unknown;
  readonly document?: unknown;
  readonly text?: string;
  readonly valid?: boolean;
  /** Exactly the error diagnostics expected: [code, pointer, message?]. */
  readonly errors?: readonly [string, string, string?][];
  /** Warnings that must be present: [code, pointer]. */
  readonly warnings?: readonly [string, string][];
  readonly noWarnings?: boolean;
}

const dir = new URL('./cases/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

// `@repeat:c:N` in a string value stands for c repeated N times; `@pad:N` at the end of a
// text stands for N spaces (keeps size cases readable).
function expand(v: unknown): unknown {
  if (typeof v === 'string') {
    const m = /^@repeat:(.):(\d+)$/.exec(v);
    return m ? m[1]!.repeat(Number(m[2])) : v;
  }
  if (Array.isArray(v)) return v.map(expand);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expand(x)]));
  return v;
}

function documentText(c: Case): string {
  if (c.text !== undefined) return c.text.replace(/@pad:(\d+)$/, (_, n: string) => ' '.repeat(Number(n)));
  const doc = c.document !== undefined ? c.document : { Version: '2012-10-17', Statement: c.statement };
  return JSON.stringify(expand(doc), null, 2);
}

let total = 0;
const produced = new Set<string>();
for (const file of files) {
  const data = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { describe: string; cases: Case[] };
  describe(`validatePolicy: ${data.describe}`, () => {
    for (const c of data.cases) {
      total++;
      it(`${c.name} [${c.ref}]`, () => {
        const text = documentText(c);
        const result = validatePolicy(text, { type: c.type, ...c.options });
        for (const d of result.diagnostics) produced.add(d.code);
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        const expectedErrors = c.errors ?? [];
        expect(errors.map((d) => [d.code, d.pointer])).toEqual(expectedErrors.map(([code, pointer]) => [code, pointer]));
        expectedErrors.forEach(([, , message], i) => {
          if (message !== undefined) expect(errors[i]!.message).toBe(message);
        });
        expect(result.valid).toBe(expectedErrors.length === 0);
        if (c.valid !== undefined) expect(result.valid).toBe(c.valid);
        expect(result.policy !== undefined).toBe(result.valid);
        const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map((d) => [d.code, d.pointer]);
        for (const w of c.warnings ?? []) expect(warnings).toContainEqual(w);
        if (c.noWarnings === true) expect(warnings).toEqual([]);
        // Text positions: every diagnostic found in a text document carries line and column.
        for (const d of result.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
        }
        // The same document given as a value yields the same codes and pointers (no positions).
        if (c.text === undefined) {
          const asValue = validatePolicy(JSON.parse(text) as unknown, { type: c.type, ...c.options });
          expect(asValue.diagnostics.map((d) => [d.severity, d.code, d.pointer]).sort()).toEqual(result.diagnostics.map((d) => [d.severity, d.code, d.pointer]).sort());
          expect(asValue.diagnostics.every((d) => d.line === undefined)).toBe(true);
        }
      });
    }
  });
}

describe('validation cases', () => {
  it('has a case for every V row of the reference', () => {
    const refs = new Set<string>();
    for (const file of files) {
      for (const c of (JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { cases: Case[] }).cases) refs.add(c.ref);
    }
    for (const row of ['V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'V7', 'V8', 'V9', 'V10', 'V11', 'V12', 'V13', 'V14']) expect(refs).toContain(row);
    expect(total).toBeGreaterThan(150);
  });

  it('produce every diagnostic code at least once (the set is closed and every code is reachable)', () => {
    // InternalError and the catalog findings are covered in validate-policy.test.ts (they need
    // a hostile input or a ServiceCatalog, which data cases cannot carry).
    const elsewhere = new Set(['InternalError', 'UnknownService', 'UnknownAction', 'UnknownConditionKey']);
    expect(DIAGNOSTIC_CODES.filter((code) => !elsewhere.has(code) && !produced.has(code))).toEqual([]);
  });
});
