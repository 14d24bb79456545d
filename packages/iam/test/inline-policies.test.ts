import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allow, failure, fixture, policy, type Fixture } from './helpers/fixture.js';
import { out, trust } from './helpers/policies-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
  await f.call('CreateUser', { UserName: 'u' });
  await f.call('CreateGroup', { GroupName: 'g' });
  await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
});
afterEach(async () => {
  await f.close();
});

const KINDS = [
  { noun: 'User', type: 'user', member: 'UserName', name: 'u', quota: 2048 },
  { noun: 'Group', type: 'group', member: 'GroupName', name: 'g', quota: 5120 },
  { noun: 'Role', type: 'role', member: 'RoleName', name: 'r', quota: 10240 },
] as const;

/** A document of exactly `size` non-whitespace characters. */
function sized(size: number, sid = 'S'): string {
  const base = policy({ Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::' });
  return policy({ Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'x'.repeat(size - base.length)}` });
}

describe.each(KINDS)('Put/Get/List/Delete $noun inline policies', ({ noun, type, member, name, quota }) => {
  it('stores the document exactly as submitted and replaces it on a second put', async () => {
    const doc = '{\n  "Version": "2012-10-17",\n  "Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::a%2Fb/*"}\n}';
    await f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'p', PolicyDocument: doc });
    expect(out(await f.call(`Get${noun}Policy`, { [member]: name, PolicyName: 'p' }))).toEqual({ [member]: name, PolicyName: 'p', PolicyDocument: doc });
    const next = allow('s3:PutObject');
    await f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'p', PolicyDocument: next });
    expect(out(await f.call(`Get${noun}Policy`, { [member]: name, PolicyName: 'p' })).PolicyDocument).toBe(next);
  });

  it('accepts the 2008-10-17 version and no version in inline policies', async () => {
    await f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'old', PolicyDocument: JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) });
    await f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'none', PolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) });
  });

  it('lists names in order and pages', async () => {
    for (const n of ['c', 'a', 'b']) await f.call(`Put${noun}Policy`, { [member]: name, PolicyName: n, PolicyDocument: allow('s3:*') });
    const p1 = out(await f.call(`List${noun}Policies`, { [member]: name, MaxItems: '2' }));
    expect(p1).toMatchObject({ PolicyNames: ['a', 'b'], IsTruncated: true });
    const p2 = out(await f.call(`List${noun}Policies`, { [member]: name, MaxItems: '2', Marker: p1.Marker }));
    expect(p2).toMatchObject({ PolicyNames: ['c'], IsTruncated: false });
  });

  it('deletes, then answers NoSuchEntity with AWS texts', async () => {
    await f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'p', PolicyDocument: allow('s3:*') });
    await f.call(`Delete${noun}Policy`, { [member]: name, PolicyName: 'p' });
    const message = `The ${type} policy with name p cannot be found.`;
    expect(await failure(f.call(`Get${noun}Policy`, { [member]: name, PolicyName: 'p' }))).toMatchObject({ code: 'NoSuchEntity', status: 404, message });
    expect(await failure(f.call(`Delete${noun}Policy`, { [member]: name, PolicyName: 'p' }))).toMatchObject({ code: 'NoSuchEntity', message });
    expect(await failure(f.call(`Put${noun}Policy`, { [member]: 'ghost', PolicyName: 'p', PolicyDocument: allow('s3:*') }))).toMatchObject({ code: 'NoSuchEntity', message: `The ${type} with name ghost cannot be found.` });
    expect((await failure(f.call(`List${noun}Policies`, { [member]: 'ghost' }))).code).toBe('NoSuchEntity');
  });

  it(`enforces the aggregate size quota of ${quota} non-whitespace characters`, async () => {
    const half = Math.floor(quota / 2);
    await f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'a', PolicyDocument: sized(half, 'A') });
    await f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'b', PolicyDocument: sized(quota - half, 'B') });
    const e = await failure(f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'c', PolicyDocument: allow('s3:*') }));
    expect(e).toMatchObject({ code: 'LimitExceeded', status: 409, message: `Maximum policy size of ${quota} bytes exceeded for ${type} ${name}` });
    // Replacing a policy counts only its new text.
    await f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'b', PolicyDocument: sized(quota - half, 'C') });
    expect((await failure(f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'b', PolicyDocument: sized(quota - half + 1, 'C') }))).code).toBe('LimitExceeded');
  });

  it('rejects malformed documents and leaves the previous one in place', async () => {
    await f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'p', PolicyDocument: allow('s3:*') });
    for (const [doc, message] of [
      ['nope', 'Syntax errors in policy.'],
      [policy({ Effect: 'Allow', Action: 's3:*' }), 'Policy statement must contain resources.'],
      [policy({ Effect: 'Allow', Action: 'GetObject', Resource: '*' }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ]) {
      expect(await failure(f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'p', PolicyDocument: doc! }))).toMatchObject({ code: 'MalformedPolicyDocument', status: 400, message });
    }
    expect(out(await f.call(`Get${noun}Policy`, { [member]: name, PolicyName: 'p' })).PolicyDocument).toBe(allow('s3:*'));
  });

  it('rejects an invalid policy name before anything else', async () => {
    const e = await failure(f.call(`Put${noun}Policy`, { [member]: name, PolicyName: 'bad name', PolicyDocument: allow('s3:*') }));
    expect(e.code).toBe('ValidationError');
    expect(e.message).toContain("at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  });
});

describe('DeleteUser with inline policies', () => {
  it('refuses while the user has inline policies', async () => {
    await f.call('PutUserPolicy', { UserName: 'u', PolicyName: 'p', PolicyDocument: allow('s3:*') });
    expect(await failure(f.call('DeleteUser', { UserName: 'u' }))).toMatchObject({ code: 'DeleteConflict', message: 'Cannot delete entity, must delete policies first.' });
  });
});
