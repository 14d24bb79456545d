import { describe, expect, it } from 'vitest';
import { LimitExceeded } from '@latchkey/errors';
import {
  DUPLICATE_TAG_KEYS_MESSAGE,
  IAM_QUOTAS,
  findTagProblem,
  inlinePolicySizeExceeded,
  managedPolicySizeExceeded,
  mergeTags,
  policySizeForQuota,
  policyVersionsExceeded,
  quotaExceeded,
  removeTags,
  trustPolicySizeExceeded,
} from '../src/index.js';

describe('findTagProblem', () => {
  it('accepts distinct keys up to 50', () => {
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: '' }));
    expect(findTagProblem(tags)).toBeUndefined();
  });
  it('rejects keys that differ only in case', () => {
    expect(findTagProblem([{ Key: 'Team', Value: 'a' }, { Key: 'team', Value: 'b' }])).toEqual({ kind: 'duplicate', key: 'team', message: DUPLICATE_TAG_KEYS_MESSAGE });
  });
  it('rejects the reserved aws: prefix in any case', () => {
    expect(findTagProblem([{ Key: 'AWS:x', Value: 'a' }])?.kind).toBe('reserved');
    expect(findTagProblem([{ Key: 'awsx', Value: 'a' }])).toBeUndefined();
  });
  it('rejects more than 50', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' }));
    expect(findTagProblem(tags)).toMatchObject({ kind: 'tooMany', count: 51 });
  });
});

describe('mergeTags / removeTags', () => {
  const existing = [{ Key: 'Department', Value: 'finance' }, { Key: 'env', Value: 'prod' }];
  it('replaces a case-insensitive match on users and roles, keeping the slot', () => {
    expect(mergeTags(existing, [{ Key: 'department', Value: 'hr' }], true)).toEqual([{ Key: 'department', Value: 'hr' }, { Key: 'env', Value: 'prod' }]);
  });
  it('keeps both spellings where keys are case-sensitive', () => {
    expect(mergeTags(existing, [{ Key: 'department', Value: 'hr' }], false)).toHaveLength(3);
  });
  it('removes by key with the same case rule', () => {
    expect(removeTags(existing, ['DEPARTMENT'], true)).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect(removeTags(existing, ['DEPARTMENT'], false)).toEqual(existing);
  });
});

describe('quota errors', () => {
  it('use AWS texts and LimitExceeded (409)', () => {
    const e = quotaExceeded('AccessKeysPerUser', IAM_QUOTAS.AccessKeysPerUser);
    expect(e).toBeInstanceOf(LimitExceeded);
    expect(e.status).toBe(409);
    expect(e.message).toBe('Cannot exceed quota for AccessKeysPerUser: 2');
    expect(managedPolicySizeExceeded().message).toBe('Cannot exceed quota for PolicySize: 6144');
    expect(trustPolicySizeExceeded().message).toBe('Cannot exceed quota for ACLSizePerRole: 2048');
    expect(inlinePolicySizeExceeded('role', 'app').message).toBe('Maximum policy size of 10240 bytes exceeded for role app');
    expect(inlinePolicySizeExceeded('user', 'bob').message).toBe('Maximum policy size of 2048 bytes exceeded for user bob');
    expect(inlinePolicySizeExceeded('group', 'devs').message).toBe('Maximum policy size of 5120 bytes exceeded for group devs');
    expect(policyVersionsExceeded().message).toBe('A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
  });
});

describe('policySizeForQuota', () => {
  it('counts non-whitespace characters only', () => {
    expect(policySizeForQuota('{ "Version" : "2012-10-17" }\n\t')).toBe('{"Version":"2012-10-17"}'.length);
    expect(policySizeForQuota('   ')).toBe(0);
  });
});
