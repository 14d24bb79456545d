import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, attach, failure, fixture, managedPolicy, START, type Fixture } from './helpers/fixture.js';

type GroupOut = { Path: string; GroupName: string; GroupId: string; Arn: string; CreateDate: Date };
type Listed = { Groups: GroupOut[]; IsTruncated: boolean; Marker?: string };

describe('group operations', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('CreateGroup creates a group with an AGPA id and refuses a case-insensitive duplicate', async () => {
    const out = (await f.call('CreateGroup', { GroupName: 'Admins', Path: '/ops/' })) as { Group: GroupOut };
    expect(out.Group).toEqual({ Path: '/ops/', GroupName: 'Admins', GroupId: expect.stringMatching(/^AGPA[A-Z2-7]{17}$/), Arn: 'arn:aws:iam::111122223333:group/ops/Admins', CreateDate: new Date(START) });
    expect(await failure(f.call('CreateGroup', { GroupName: 'admins' }))).toMatchObject({ code: 'EntityAlreadyExists', message: 'Group with name admins already exists.' });
    expect((await failure(f.call('CreateGroup', { GroupName: 'a/b' }))).code).toBe('ValidationError');
  });

  it('CreateGroup enforces the 300 groups per account quota', async () => {
    for (let i = 0; i < 300; i++) await f.call('CreateGroup', { GroupName: `g${i}` });
    expect(await failure(f.call('CreateGroup', { GroupName: 'one-too-many' }))).toMatchObject({ code: 'LimitExceeded', status: 409, message: 'Cannot exceed quota for GroupsPerAccount: 300' });
    expect(await f.store.read((r) => r.groups.count(ACCOUNT))).toBe(300);
  });

  it('GetGroup returns the group and its members, paged', async () => {
    await f.call('CreateGroup', { GroupName: 'devs' });
    for (const u of ['u1', 'u2', 'u3']) {
      await f.call('CreateUser', { UserName: u });
      await f.call('AddUserToGroup', { GroupName: 'devs', UserName: u });
    }
    const first = (await f.call('GetGroup', { GroupName: 'DEVS', MaxItems: '2' })) as { Group: GroupOut; Users: { UserName: string }[]; IsTruncated: boolean; Marker?: string };
    expect(first.Group.GroupName).toBe('devs');
    expect(first.Users.map((u) => u.UserName)).toEqual(['u1', 'u2']);
    expect(first.IsTruncated).toBe(true);
    const rest = (await f.call('GetGroup', { GroupName: 'devs', MaxItems: '2', Marker: first.Marker! })) as { Users: { UserName: string }[]; IsTruncated: boolean };
    expect(rest.Users.map((u) => u.UserName)).toEqual(['u3']);
    expect(rest.IsTruncated).toBe(false);
    expect(await failure(f.call('GetGroup', { GroupName: 'nope' }))).toMatchObject({ code: 'NoSuchEntity', message: 'The group with name nope cannot be found.' });
  });

  it('UpdateGroup renames and moves, refusing a taken name', async () => {
    await f.call('CreateGroup', { GroupName: 'a' });
    await f.call('CreateGroup', { GroupName: 'b' });
    await f.call('UpdateGroup', { GroupName: 'a', NewGroupName: 'c', NewPath: '/x/' });
    const out = (await f.call('GetGroup', { GroupName: 'c' })) as { Group: GroupOut };
    expect(out.Group.Arn).toBe('arn:aws:iam::111122223333:group/x/c');
    expect(await failure(f.call('UpdateGroup', { GroupName: 'c', NewGroupName: 'B' }))).toMatchObject({ code: 'EntityAlreadyExists', message: 'Group with name B already exists.' });
    expect((await failure(f.call('UpdateGroup', { GroupName: 'a', NewGroupName: 'z' }))).code).toBe('NoSuchEntity');
  });

  it('DeleteGroup refuses while members or policies remain', async () => {
    await f.call('CreateGroup', { GroupName: 'g' });
    await f.call('CreateUser', { UserName: 'u' });
    await f.call('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
    expect(await failure(f.call('DeleteGroup', { GroupName: 'g' }))).toMatchObject({ code: 'DeleteConflict', message: 'Cannot delete entity, must remove users from group first.' });
    await f.call('RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' });
    await f.store.transaction(async (tx) => {
      const g = await tx.groups.getByName(ACCOUNT, 'g');
      await tx.inlinePolicies.put(ACCOUNT, { principalType: 'group', principalId: g!.id, name: 'p', document: allow('s3:*') });
    });
    expect(await failure(f.call('DeleteGroup', { GroupName: 'g' }))).toMatchObject({ code: 'DeleteConflict', message: 'Cannot delete entity, must delete policies first.' });
    await f.store.transaction(async (tx) => {
      const g = await tx.groups.getByName(ACCOUNT, 'g');
      await tx.inlinePolicies.delete(ACCOUNT, 'group', g!.id, 'p');
    });
    const arn = await managedPolicy(f.store, ACCOUNT, 'P', allow('s3:*'));
    await attach(f.store, ACCOUNT, 'group', 'g', arn);
    expect(await failure(f.call('DeleteGroup', { GroupName: 'g' }))).toMatchObject({ code: 'DeleteConflict', message: 'Cannot delete entity, must detach all policies first.' });
    await f.store.transaction(async (tx) => {
      const g = await tx.groups.getByName(ACCOUNT, 'g');
      await tx.attachments.detach(ACCOUNT, 'group', g!.id, arn);
    });
    await f.call('DeleteGroup', { GroupName: 'g' });
    expect(await f.store.read((r) => r.groups.count(ACCOUNT))).toBe(0);
  });

  it('ListGroups filters by path and pages', async () => {
    for (const [n, p] of [['g1', '/'], ['g2', '/a/'], ['g3', '/a/b/']]) await f.call('CreateGroup', { GroupName: n!, Path: p! });
    const a = (await f.call('ListGroups', { PathPrefix: '/a/' })) as Listed;
    expect(a.Groups.map((g) => g.GroupName)).toEqual(['g2', 'g3']);
    const first = (await f.call('ListGroups', { MaxItems: '1' })) as Listed;
    expect(first).toMatchObject({ IsTruncated: true });
    const second = (await f.call('ListGroups', { MaxItems: '5', Marker: first.Marker! })) as Listed;
    expect(second.Groups.map((g) => g.GroupName)).toEqual(['g2', 'g3']);
  });

  it('AddUserToGroup is idempotent, checks both entities and enforces 10 groups per user', async () => {
    await f.call('CreateUser', { UserName: 'u' });
    expect(await failure(f.call('AddUserToGroup', { GroupName: 'none', UserName: 'u' }))).toMatchObject({ code: 'NoSuchEntity', message: 'The group with name none cannot be found.' });
    for (let i = 1; i <= 11; i++) await f.call('CreateGroup', { GroupName: `g${i}` });
    expect(await failure(f.call('AddUserToGroup', { GroupName: 'g1', UserName: 'ghost' }))).toMatchObject({ code: 'NoSuchEntity', message: 'The user with name ghost cannot be found.' });
    for (let i = 1; i <= 10; i++) await f.call('AddUserToGroup', { GroupName: `g${i}`, UserName: 'u' });
    await f.call('AddUserToGroup', { GroupName: 'g3', UserName: 'U' });
    expect(await failure(f.call('AddUserToGroup', { GroupName: 'g11', UserName: 'u' }))).toMatchObject({ code: 'LimitExceeded', status: 409, message: 'Cannot exceed quota for GroupsPerUser: 10' });
    const groups = (await f.call('ListGroupsForUser', { UserName: 'u', MaxItems: '100' })) as Listed;
    expect(groups.Groups).toHaveLength(10);
  });

  it('RemoveUserFromGroup answers NoSuchEntity for a non-member', async () => {
    await f.call('CreateUser', { UserName: 'u' });
    await f.call('CreateGroup', { GroupName: 'g' });
    expect(await failure(f.call('RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' }))).toMatchObject({ code: 'NoSuchEntity', message: 'User u is not in group g.' });
    expect((await failure(f.call('RemoveUserFromGroup', { GroupName: 'g', UserName: 'x' }))).message).toBe('The user with name x cannot be found.');
  });

  it('ListGroupsForUser lists a user’s groups by name and needs the user', async () => {
    await f.call('CreateUser', { UserName: 'u' });
    for (const g of ['zeta', 'Alpha', 'mid']) {
      await f.call('CreateGroup', { GroupName: g });
      await f.call('AddUserToGroup', { GroupName: g, UserName: 'u' });
    }
    const out = (await f.call('ListGroupsForUser', { UserName: 'u' })) as Listed;
    expect(out.Groups.map((g) => g.GroupName)).toEqual(['Alpha', 'mid', 'zeta']);
    expect(await failure(f.call('ListGroupsForUser', { UserName: 'ghost' }))).toMatchObject({ code: 'NoSuchEntity' });
  });

  it('authorizes group actions on the group ARN', async () => {
    await f.call('CreateGroup', { GroupName: 'devs', Path: '/eng/' });
    await f.call('CreateUser', { UserName: 'u' });
    const bob = await f.user('bob', allow('iam:AddUserToGroup', 'arn:aws:iam::111122223333:group/eng/*'));
    await f.call('AddUserToGroup', { GroupName: 'devs', UserName: 'u' }, bob);
    await f.call('CreateGroup', { GroupName: 'ops' });
    expect((await failure(f.call('AddUserToGroup', { GroupName: 'ops', UserName: 'u' }, bob))).message).toBe(
      'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:AddUserToGroup on resource: arn:aws:iam::111122223333:group/ops because no identity-based policy allows the iam:AddUserToGroup action',
    );
  });
});
