import { describe, expect, it } from 'vitest';
import { TrustPolicies } from '../src/trust-policies.js';

const ROLE = 'arn:aws:iam::111122223333:role/r';
const trust = (sid: string, principal: string): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
const alice = trust('Alice', 'arn:aws:iam::111122223333:user/alice');
const bob = trust('Bob', 'arn:aws:iam::111122223333:user/bob');
// Which document a compiled policy came from (its statement's Sid).
const sidOf = (compiled: ReturnType<TrustPolicies['get']>): string | undefined => JSON.stringify(compiled?.statements.map((s) => s.matched)).match(/"sid":"(\w+)"/)?.[1];

describe('TrustPolicies', () => {
  it('compiles a document once per role and hands back the same compiled policy', () => {
    const cache = new TrustPolicies();
    const first = cache.get(ROLE, alice);
    expect(first).toBeDefined();
    // An equal document in another string object (a re-read role record) still hits.
    expect(cache.get(ROLE, `${alice}`.slice(0))).toBe(first);
  });

  it('compiles a changed document anew, and the old one again when it comes back', () => {
    const cache = new TrustPolicies();
    const forAlice = cache.get(ROLE, alice);
    const forBob = cache.get(ROLE, bob);
    expect(forBob).toBeDefined();
    expect(forBob).not.toBe(forAlice);
    expect(sidOf(forAlice)).toBe('Alice');
    expect(sidOf(forBob)).toBe('Bob');
    expect(sidOf(cache.get(ROLE, alice))).toBe('Alice');
  });

  it('keeps roles apart: the same document under two ARNs is two entries', () => {
    const cache = new TrustPolicies();
    const other = 'arn:aws:iam::111122223333:role/other';
    expect(cache.get(ROLE, alice)).not.toBe(cache.get(other, alice));
  });

  it('gives undefined (nobody may assume the role) for a document that does not compile', () => {
    const cache = new TrustPolicies();
    expect(cache.get(ROLE, '{"Version":')).toBeUndefined();
    expect(cache.get(ROLE, '{"Version":')).toBeUndefined();
    expect(cache.get(ROLE, alice)).toBeDefined();
  });
});
