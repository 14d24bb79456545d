import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, failure, fixture, type Fixture } from './helpers/fixture.js';
import { localPolicyArn, out, trust } from './helpers/policies-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
  await f.call('CreateUser', { UserName: 'u' });
  await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
  await f.call('CreatePolicy', { PolicyName: 'b', PolicyDocument: allow('s3:*') });
});
afterEach(async () => {
  await f.close();
});

const KINDS = [
  { noun: 'User', member: 'UserName', name: 'u', get: 'GetUser', key: 'User' },
  { noun: 'Role', member: 'RoleName', name: 'r', get: 'GetRole', key: 'Role' },
] as const;

describe.each(KINDS)('Put/Delete $noun permissions boundary', ({ noun, member, name, get, key }) => {
  it('sets, replaces and removes the boundary', async () => {
    await f.call(`Put${noun}PermissionsBoundary`, { [member]: name, PermissionsBoundary: localPolicyArn('b') });
    expect(out(await f.call(get, { [member]: name }))[key].PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: localPolicyArn('b') });
    await f.call(`Put${noun}PermissionsBoundary`, { [member]: name, PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' });
    expect(out(await f.call(get, { [member]: name }))[key].PermissionsBoundary.PermissionsBoundaryArn).toBe('arn:aws:iam::aws:policy/PowerUserAccess');
    expect(out(await f.call('GetPolicy', { PolicyArn: localPolicyArn('b') })).Policy.PermissionsBoundaryUsageCount).toBe(0);
    await f.call(`Delete${noun}PermissionsBoundary`, { [member]: name });
    expect(out(await f.call(get, { [member]: name }))[key].PermissionsBoundary).toBeUndefined();
    // Deleting an absent boundary changes nothing.
    await f.call(`Delete${noun}PermissionsBoundary`, { [member]: name });
  });

  it('refuses unknown policies, non-policy ARNs and unknown entities', async () => {
    expect((await failure(f.call(`Put${noun}PermissionsBoundary`, { [member]: name, PermissionsBoundary: localPolicyArn('none') }))).code).toBe('NoSuchEntity');
    expect((await failure(f.call(`Put${noun}PermissionsBoundary`, { [member]: name, PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:user/u` }))).code).toBe('InvalidInput');
    expect((await failure(f.call(`Put${noun}PermissionsBoundary`, { [member]: 'ghost', PermissionsBoundary: localPolicyArn('b') }))).code).toBe('NoSuchEntity');
    expect((await failure(f.call(`Delete${noun}PermissionsBoundary`, { [member]: 'ghost' }))).code).toBe('NoSuchEntity');
    expect(out(await f.call(get, { [member]: name }))[key].PermissionsBoundary).toBeUndefined();
  });
});
