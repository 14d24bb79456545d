import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSessionPolicies, packedPolicySize, sessionTags, stsOperations, PACKED_BUDGET_BYTES } from '../src/index.js';

const key = fc.stringMatching(/^[A-Za-z0-9_.:/=+@-]{1,20}$/).filter((k) => !k.toLowerCase().startsWith('aws:'));
const tag = fc.record({ key, value: fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{0,30}$/) });
const uniqueTags = fc.uniqueArray(tag, { selector: (t) => t.key.toLowerCase(), maxLength: 10 });

describe('packedPolicySize', () => {
  it('is 0 without policies or tags and grows with every tag added', () => {
    expect(packedPolicySize({}, [])).toBe(0);
    fc.assert(
      fc.property(uniqueTags, tag, (tags, extra) => {
        expect(packedPolicySize({}, [...tags, extra])).toBeGreaterThanOrEqual(packedPolicySize({}, tags));
      }),
    );
  });

  it('ignores whitespace in the inline policy and counts ARNs', () => {
    const compact = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}';
    const spaced = JSON.stringify(JSON.parse(compact), null, 4);
    expect(packedPolicySize({ policy: spaced }, [])).toBe(packedPolicySize({ policy: compact }, []));
    expect(packedPolicySize({ policy: compact }, [])).toBe(Math.ceil((compact.length * 100) / PACKED_BUDGET_BYTES));
    const arn = 'arn:aws:iam::111122223333:policy/p';
    expect(packedPolicySize({ policyArns: [arn] }, [])).toBe(Math.ceil((arn.length * 100) / PACKED_BUDGET_BYTES));
  });
});

describe('checkSessionPolicies', () => {
  it('accepts a valid session policy and refuses identity-only elements', () => {
    const ok = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    expect(checkSessionPolicies({ Policy: ok })).toEqual({ policy: ok });
    expect(() => checkSessionPolicies({ Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}' })).toThrow(
      expect.objectContaining({ code: 'MalformedPolicyDocument' }),
    );
    expect(() => checkSessionPolicies({ PolicyArns: [{ arn: 'arn:aws:iam::111122223333:role/r' }] })).toThrow(expect.objectContaining({ code: 'ValidationError' }));
  });
});

describe('sessionTags', () => {
  it('keeps every request tag and exactly the inherited transitive ones', () => {
    fc.assert(
      fc.property(uniqueTags, uniqueTags, fc.array(fc.boolean(), { maxLength: 10 }), (inheritedTags, requested, marks) => {
        const transitiveKeys = inheritedTags.filter((_, i) => marks[i] === true).map((t) => t.key);
        const folded = new Set(transitiveKeys.map((k) => k.toLowerCase()));
        const request = requested.filter((t) => !folded.has(t.key.toLowerCase()));
        const result = sessionTags({ Tags: request.map((t) => ({ Key: t.key, Value: t.value })) }, { tags: inheritedTags, transitiveTagKeys: transitiveKeys });
        expect(result.tags).toEqual([...inheritedTags.filter((t) => folded.has(t.key.toLowerCase())), ...request]);
        expect(result.requestTags).toEqual(request);
        expect(result.transitiveTagKeys.map((k) => k.toLowerCase()).sort()).toEqual([...folded].sort());
      }),
    );
  });

  it('refuses a request tag that reuses an inherited transitive key, in any case', () => {
    fc.assert(
      fc.property(tag, (t) => {
        expect(() => sessionTags({ Tags: [{ Key: t.key.toUpperCase(), Value: 'x' }] }, { tags: [t], transitiveTagKeys: [t.key] })).toThrow(
          expect.objectContaining({ code: 'InvalidParameterValue' }),
        );
      }),
    );
  });
});

describe('stsOperations', () => {
  it('marks exactly the credential-returning operations sensitive and only AssumeRoleWithWebIdentity and LatchkeySignIn unsigned', () => {
    const sensitive = Object.values(stsOperations).filter((o) => o.sensitiveOutput === true).map((o) => o.name).sort();
    expect(sensitive).toEqual(['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetFederationToken', 'GetSessionToken', 'LatchkeySignIn']);
    expect(Object.values(stsOperations).filter((o) => o.unsigned === true).map((o) => o.name)).toEqual(['AssumeRoleWithWebIdentity', 'LatchkeySignIn']);
  });
});
