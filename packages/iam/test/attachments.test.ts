import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, failure, fixture, type Fixture } from './helpers/fixture.js';
import { localPolicyArn, out, trust } from './helpers/policies-fixture.js';

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
  { noun: 'User', member: 'UserName', name: 'u', quota: 'PoliciesPerUser', missing: 'The user with name ghost cannot be found.' },
  { noun: 'Group', member: 'GroupName', name: 'g', quota: 'PoliciesPerGroup', missing: 'The group with name ghost cannot be found.' },
  { noun: 'Role', member: 'RoleName', name: 'r', quota: 'PoliciesPerRole', missing: 'The role with name ghost cannot be found.' },
] as const;

async function createPolicies(n: number): Promise<string[]> {
  const arns: string[] = [];
  for (let i = 0; i < n; i++) {
    await f.call('CreatePolicy', { PolicyName: `p${String(i).padStart(2, '0')}`, PolicyDocument: allow(`s3:Get${i}`) });
    arns.push(localPolicyArn(`p${String(i).padStart(2, '0')}`));
  }
  return arns;
}

describe.each(KINDS)('Attach/Detach/ListAttached $noun policies', ({ noun, member, name, quota, missing }) => {
  it('attaches customer and AWS managed policies, lists them by name, and detaches', async () => {
    const [mine] = await createPolicies(1);
    await f.call(`Attach${noun}Policy`, { [member]: name, PolicyArn: mine! });
    await f.call(`Attach${noun}Policy`, { [member]: name, PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    // Attaching again is a no-op, not an error.
    await f.call(`Attach${noun}Policy`, { [member]: name, PolicyArn: mine! });
    const listed = out(await f.call(`ListAttached${noun}Policies`, { [member]: name }));
    expect(listed.AttachedPolicies).toEqual([
      { PolicyName: 'IAMReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' },
      { PolicyName: 'p00', PolicyArn: mine },
    ]);
    expect(listed.IsTruncated).toBe(false);
    await f.call(`Detach${noun}Policy`, { [member]: name, PolicyArn: mine! });
    expect(out(await f.call(`ListAttached${noun}Policies`, { [member]: name })).AttachedPolicies).toHaveLength(1);
    expect(await failure(f.call(`Detach${noun}Policy`, { [member]: name, PolicyArn: mine! }))).toMatchObject({ code: 'NoSuchEntity', status: 404, message: `Policy ${mine} was not found.` });
  });

  it(`allows 10 attached policies and refuses the 11th with the ${quota} quota`, async () => {
    const arns = await createPolicies(11);
    for (const arn of arns.slice(0, 10)) await f.call(`Attach${noun}Policy`, { [member]: name, PolicyArn: arn });
    const e = await failure(f.call(`Attach${noun}Policy`, { [member]: name, PolicyArn: arns[10]! }));
    expect(e).toMatchObject({ code: 'LimitExceeded', status: 409, message: `Cannot exceed quota for ${quota}: 10` });
    const page1 = out(await f.call(`ListAttached${noun}Policies`, { [member]: name, MaxItems: '6' }));
    const page2 = out(await f.call(`ListAttached${noun}Policies`, { [member]: name, MaxItems: '6', Marker: page1.Marker }));
    expect(page1.IsTruncated).toBe(true);
    expect([...page1.AttachedPolicies, ...page2.AttachedPolicies].map((p: { PolicyName: string }) => p.PolicyName)).toEqual(arns.slice(0, 10).map((a) => a.split('/').pop()));
  });

  it('answers AWS errors for unknown entities, unknown policies and malformed ARNs', async () => {
    expect(await failure(f.call(`Attach${noun}Policy`, { [member]: 'ghost', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }))).toMatchObject({ code: 'NoSuchEntity', message: missing });
    const nope = localPolicyArn('nope');
    expect(await failure(f.call(`Attach${noun}Policy`, { [member]: name, PolicyArn: nope }))).toMatchObject({ code: 'NoSuchEntity', message: `Policy ${nope} does not exist or is not attachable.` });
    expect((await failure(f.call(`Attach${noun}Policy`, { [member]: name, PolicyArn: `arn:aws:iam::${ACCOUNT}:role/r` }))).code).toBe('InvalidInput');
    expect((await failure(f.call(`Detach${noun}Policy`, { [member]: 'ghost', PolicyArn: nope }))).code).toBe('NoSuchEntity');
    expect((await failure(f.call(`ListAttached${noun}Policies`, { [member]: 'ghost' }))).code).toBe('NoSuchEntity');
  });

  it('filters the listing by the policy path', async () => {
    await f.call('CreatePolicy', { PolicyName: 'pathed', Path: '/ops/', PolicyDocument: allow('s3:*') });
    await f.call(`Attach${noun}Policy`, { [member]: name, PolicyArn: localPolicyArn('pathed', '/ops/') });
    await f.call(`Attach${noun}Policy`, { [member]: name, PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    const ops = out(await f.call(`ListAttached${noun}Policies`, { [member]: name, PathPrefix: '/ops/' }));
    expect(ops.AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName)).toEqual(['pathed']);
  });
});

describe('AttachUserPolicy', () => {
  it('refuses a policy of another account', async () => {
    await f.iam.createAccount({ accountId: '444455556666' }, new Date(f.clock.now));
    await f.store.transaction((tx) =>
      tx.policies.create({ accountId: '444455556666', id: 'ANPAOTHERACCOUNTXXXXX', name: 'theirs', path: '/', arn: 'arn:aws:iam::444455556666:policy/theirs', description: null, isAttachable: true, createdAt: f.clock.now, document: allow('s3:*') }),
    );
    const e = await failure(f.call('AttachUserPolicy', { UserName: 'u', PolicyArn: 'arn:aws:iam::444455556666:policy/theirs' }));
    expect(e.code).toBe('NoSuchEntity');
  });
});
