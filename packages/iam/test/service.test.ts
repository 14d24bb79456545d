import { integer, required, string, structure } from '@latchkey/aws-query';
import { iamConstraints } from '@latchkey/model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineOperation, IamService, iamOperations, operationRegistry } from '../src/index.js';
import { ACCOUNT, allow, failure, fixture, params, random, type Fixture } from './helpers/fixture.js';

describe('IamService.invoke', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('answers unknown actions like AWS', async () => {
    expect(await failure(f.call('CreateWidget'))).toMatchObject({ code: 'InvalidAction', status: 400, message: 'Could not find operation CreateWidget for version 2010-05-08' });
    expect((await failure(f.call('constructor'))).code).toBe('InvalidAction');
    expect((await failure(f.call('__proto__'))).code).toBe('InvalidAction');
  });

  it('serves every operation it registers under its own name', () => {
    for (const [name, op] of Object.entries(iamOperations)) expect(op.name).toBe(name);
    const mine = ['CreateUser', 'GetUser', 'UpdateUser', 'DeleteUser', 'ListUsers', 'CreateGroup', 'GetGroup', 'UpdateGroup', 'DeleteGroup', 'ListGroups', 'AddUserToGroup', 'RemoveUserFromGroup', 'ListGroupsForUser', 'CreateAccessKey', 'ListAccessKeys', 'UpdateAccessKey', 'DeleteAccessKey', 'GetAccessKeyLastUsed', 'GetAccountSummary', 'CreateAccountAlias', 'DeleteAccountAlias', 'ListAccountAliases'];
    for (const name of mine) expect(Object.hasOwn(iamOperations, name)).toBe(true);
    expect(() => operationRegistry([iamOperations.GetUser!], [iamOperations.GetUser!])).toThrow(/duplicate/);
  });

  describe('with test operations', () => {
    // Operations that write and then fail, to show the one-transaction rule with real writes.
    const WriteThenFail = defineOperation({
      name: 'WriteThenFail',
      input: structure({ UserName: required(string(iamConstraints.userName)), FailAfter: integer() }),
      async run(ctx, input) {
        for (let i = 0; i < (input.FailAfter ?? 1); i++) {
          await ctx.repos.users.create({ accountId: ctx.accountId, id: ctx.ids.uniqueId('user'), name: `${input.UserName}${i}`, path: '/', arn: `arn:aws:iam::${ctx.accountId}:user/${input.UserName}${i}`, createdAt: 0, permissionsBoundaryArn: null, passwordLastUsedAt: null });
        }
        throw new TypeError('boom after writing');
      },
    });
    const DuplicateInsert = defineOperation({
      name: 'DuplicateInsert',
      input: structure({}),
      async run(ctx) {
        const user = { accountId: ctx.accountId, id: ctx.ids.uniqueId('user'), name: 'dup', path: '/', arn: 'arn:aws:iam::1:user/dup', createdAt: 0, permissionsBoundaryArn: null, passwordLastUsedAt: null };
        await ctx.repos.users.create(user);
        await ctx.repos.users.create({ ...user, id: ctx.ids.uniqueId('user'), name: 'DUP' });
        return undefined;
      },
    });
    const ReadOnlyWrite = defineOperation({
      name: 'ReadOnlyWrite',
      readOnly: true,
      input: structure({}),
      async run(ctx) {
        await ctx.repos.groups.create({ accountId: ctx.accountId, id: 'AGPAX', name: 'g', path: '/', arn: 'a', createdAt: 0 });
        return undefined;
      },
    });
    // Grants the caller a policy, authorizes with it (inside the transaction it is visible), then fails.
    const GrantThenFail = defineOperation({
      name: 'GrantThenFail',
      input: structure({}),
      async run(ctx) {
        const id = ctx.caller.identity.kind === 'user' ? ctx.caller.identity.id : '';
        await ctx.repos.inlinePolicies.put(ctx.accountId, { principalType: 'user', principalId: id, name: 'granted', document: allow('iam:ListUsers') });
        await ctx.authorize('iam:ListUsers', `arn:aws:iam::${ctx.accountId}:user/`);
        throw new TypeError('fail after authorizing with an uncommitted grant');
      },
    });
    let svc: IamService;
    beforeEach(() => {
      svc = new IamService({ store: f.store, keyring: f.keyring, random, operations: operationRegistry([WriteThenFail, DuplicateInsert, ReadOnlyWrite, GrantThenFail, ...Object.values(iamOperations)]) });
    });

    it('rolls back every write of a failing operation and hides internal errors', async () => {
      const err = (await failure(svc.invoke('WriteThenFail', params('WriteThenFail', { UserName: 'x', FailAfter: '3' }), f.root, f.env()))) as unknown as { code: string; status: number; message: string; detail: string };
      expect(err).toMatchObject({ code: 'ServiceFailure', status: 500, message: 'The request processing has failed because of an unknown error, exception or failure.' });
      expect(err.detail).toContain('boom after writing');
      expect(await f.store.read((r) => r.users.count(ACCOUNT))).toBe(0);
    });

    it('maps a unique violation to EntityAlreadyExists and leaves nothing behind', async () => {
      expect(await failure(svc.invoke('DuplicateInsert', params('DuplicateInsert'), f.root, f.env()))).toMatchObject({ code: 'EntityAlreadyExists', status: 409 });
      expect(await f.store.read((r) => r.users.count(ACCOUNT))).toBe(0);
    });

    it('refuses writes from read-only operations', async () => {
      expect((await failure(svc.invoke('ReadOnlyWrite', params('ReadOnlyWrite'), f.root, f.env()))).code).toBe('ServiceFailure');
      expect(await f.store.read((r) => r.groups.count(ACCOUNT))).toBe(0);
    });

    it('does not cache a principal read inside a transaction that rolled back', async () => {
      await svc.start();
      try {
        const bob = await f.user('bob');
        expect((await failure(svc.invoke('GrantThenFail', params('GrantThenFail'), bob, f.env()))).code).toBe('ServiceFailure');
        expect(await f.store.read(async (r) => r.inlinePolicies.all(ACCOUNT, 'user', bob.userId))).toEqual([]);
        expect((await failure(svc.invoke('ListUsers', params('ListUsers'), bob, f.env()))).code).toBe('AccessDenied');
      } finally {
        svc.close();
      }
    });

    it('validates before running', async () => {
      const err = await failure(svc.invoke('WriteThenFail', params('WriteThenFail', { FailAfter: 'x' }), f.root, f.env()));
      expect(err.code).toBe('MalformedInput');
      expect(await f.store.read((r) => r.users.count(ACCOUNT))).toBe(0);
    });
  });

  it('leaves nothing behind when a real operation fails after its checks began', async () => {
    // CreateUser with a boundary that is not attachable fails before writing; with a missing group the
    // membership fails after the user lookup: in both cases nothing changes.
    await f.call('CreateUser', { UserName: 'u' });
    const before = await f.store.read((r) => r.changeLog.head());
    await failure(f.call('CreateUser', { UserName: 'v', PermissionsBoundary: 'arn:aws:iam::111122223333:policy/none' }));
    await failure(f.call('AddUserToGroup', { GroupName: 'none', UserName: 'u' }));
    expect(await f.store.read((r) => r.changeLog.head())).toBe(before);
    expect(await f.store.read((r) => r.users.count(ACCOUNT))).toBe(1);
  });
});
