import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '@latchkey/errors';
import cases from './cases/constraints.json' with { type: 'json' };
import {
  assertValid,
  codePointLength,
  collectViolations,
  iamConstraints,
  stsConstraints,
  validationMessage,
  type EnumConstraint,
  type IntegerConstraint,
  type StringConstraint,
} from '../src/index.js';

type Checkable = StringConstraint | EnumConstraint | IntegerConstraint;
const tables: Record<string, Record<string, unknown>> = { iam: iamConstraints, sts: stsConstraints };
function lookup(name: string): Checkable {
  const [table, key] = name.split('.') as [string, string];
  const c = tables[table]![key];
  if (!c) throw new Error(`no constraint ${name}`);
  return c as Checkable;
}

describe('assertValid', () => {
  for (const c of cases) {
    it(`${c.message === null ? 'accepts' : 'rejects'} ${c.constraint} = ${JSON.stringify(c.value)}`, () => {
      const check = { path: c.path, value: c.value, constraint: lookup(c.constraint), required: c.required === true };
      if (c.message === null) {
        expect(() => assertValid([check])).not.toThrow();
        return;
      }
      let thrown: unknown;
      try {
        assertValid([check]);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).message).toBe(c.message);
      expect((thrown as ValidationError).status).toBe(400);
    });
  }

  it('joins the clauses of several members with "; "', () => {
    const clauses = collectViolations([
      { path: 'roleSessionName', value: 'x', constraint: stsConstraints.roleSessionName },
      { path: 'durationSeconds', value: 10, constraint: stsConstraints.assumeRoleDurationSeconds },
    ]);
    expect(validationMessage(clauses)).toBe(
      "2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
        "Value '10' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });
});

describe('codePointLength', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('😀'.repeat(3))).toBe(3);
    expect(codePointLength('e\u0301')).toBe(2);
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => codePointLength(s) === [...s].length));
  });
});

describe('name constraints', () => {
  it('accept every name made of [\\w+=,.@-] within the length bounds and nothing else', () => {
    const ok = fc.stringMatching(/^[A-Za-z0-9_+=,.@-]{1,64}$/);
    fc.assert(fc.property(ok, (name) => collectViolations([{ path: 'roleName', value: name, constraint: iamConstraints.roleName }]).length === 0));
    const bad = fc.tuple(fc.stringMatching(/^[A-Za-z0-9]{0,10}$/), fc.constantFrom(' ', '/', ':', '*', '?', 'é', '\u0000'));
    fc.assert(fc.property(bad, ([a, ch]) => collectViolations([{ path: 'roleName', value: a + ch, constraint: iamConstraints.roleName }]).length > 0));
  });
});
