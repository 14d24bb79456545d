import { describe, expect, it } from 'vitest';
import { ReferenceViolationError, UniqueViolationError } from '../errors.js';
import type { ContractContext } from './context.js';

export function usersContract(c: ContractContext): void {
  describe('accounts', () => {
    it('creates, reads and lists accounts, never the AWS-managed pseudo-account', async () => {
      const id = await c.account();
      const got = await c.store.read((r) => r.accounts.get(id));
      expect(got).toEqual({ id, alias: null, createdAt: 1_700_000_000_000 });
      expect(await c.store.read((r) => r.accounts.get('aws'))).toBeUndefined();
      const all = await c.store.read((r) => r.accounts.list({ maxItems: 1000 }));
      expect(all.items.map((a) => a.id)).toContain(id);
      expect(all.items.map((a) => a.id)).not.toContain('aws');
    });

    it('keeps account aliases unique across accounts', async () => {
      const a = await c.account();
      const b = await c.account();
      const alias = `alias-${a}`;
      await c.store.transaction((tx) => tx.accounts.setAlias(a, alias));
      expect((await c.store.read((r) => r.accounts.getByAlias(alias)))?.id).toBe(a);
      await expect(c.store.transaction((tx) => tx.accounts.setAlias(b, alias))).rejects.toBeInstanceOf(UniqueViolationError);
      await c.store.transaction((tx) => tx.accounts.setAlias(a, null));
      expect(await c.store.read((r) => r.accounts.getByAlias(alias))).toBeUndefined();
      await c.store.transaction((tx) => tx.accounts.setAlias(b, alias));
      expect((await c.store.read((r) => r.accounts.get(b)))?.alias).toBe(alias);
    });

    it('pages accounts by id', async () => {
      const ids = [await c.account(), await c.account(), await c.account()];
      const seen: string[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await c.store.read((r) => r.accounts.list({ maxItems: 2, ...(marker === undefined ? {} : { marker }) }));
        seen.push(...page.items.map((a) => a.id));
        if (!page.isTruncated) break;
        marker = page.marker;
      }
      expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].sort());
      expect([...seen].sort()).toEqual(seen);
    });

    it('counts what GetAccountSummary reports', async () => {
      const acct = await c.account();
      const other = await c.account();
      const empty = { users: 0, groups: 0, roles: 0, policies: 0, policyVersionsInUse: 0, mfaDevices: 0, mfaDevicesInUse: 0, rootAccessKeys: 0, oidcProviders: 0 };
      expect(await c.store.read((r) => r.accounts.usage(acct))).toEqual(empty);
      const u = c.b.user(acct, 'summary-user');
      const p = c.b.policy(acct, 'summary-policy');
      const d1 = c.b.mfa(acct, 'summary-1');
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.users.create(c.b.user(other, 'elsewhere'));
        await tx.groups.create(c.b.group(acct, 'summary-group'));
        await tx.roles.create(c.b.role(acct, 'summary-role'));
        await tx.policies.create(p);
        await tx.policies.createVersion(p.arn, '{}', false, 1);
        await tx.mfaDevices.create(d1);
        await tx.mfaDevices.create(c.b.mfa(acct, 'summary-2'));
        await tx.mfaDevices.enable(acct, d1.serial, u.id, 1, 1);
        await tx.accessKeys.create(c.b.accessKey(acct, null));
        await tx.accessKeys.create(c.b.accessKey(acct, u.id));
        await tx.oidcProviders.create({ accountId: acct, arn: `arn:aws:iam::${acct}:oidc-provider/x.example`, url: 'https://x.example', clientIds: [], thumbprints: [], createdAt: 1 });
      });
      expect(await c.store.read((r) => r.accounts.usage(acct))).toEqual({
        users: 1,
        groups: 1,
        roles: 1,
        policies: 1,
        policyVersionsInUse: 2,
        mfaDevices: 2,
        mfaDevicesInUse: 1,
        rootAccessKeys: 1,
        oidcProviders: 1,
      });
    });

    it('rejects a duplicate account id', async () => {
      const a = await c.account();
      await expect(c.store.transaction((tx) => tx.accounts.create({ id: a, alias: null, createdAt: 1 }))).rejects.toBeInstanceOf(UniqueViolationError);
    });
  });

  describe('users', () => {
    it('stores and returns every attribute', async () => {
      const acct = await c.account();
      const user = c.b.user(acct, 'Alice', '/eng/');
      await c.store.transaction((tx) => tx.users.create(user));
      expect(await c.store.read((r) => r.users.getByName(acct, 'Alice'))).toEqual(user);
      expect(await c.store.read((r) => r.users.getById(acct, user.id))).toEqual(user);
    });

    it('matches names case-insensitively and keeps the stored case', async () => {
      const acct = await c.account();
      await c.store.transaction((tx) => tx.users.create(c.b.user(acct, 'MixedCase')));
      expect((await c.store.read((r) => r.users.getByName(acct, 'mixedcase')))?.name).toBe('MixedCase');
      expect((await c.store.read((r) => r.users.getByName(acct, 'MIXEDCASE')))?.name).toBe('MixedCase');
    });

    it('rejects a second user whose name differs only in case, even on another path', async () => {
      const acct = await c.account();
      await c.store.transaction((tx) => tx.users.create(c.b.user(acct, 'bob')));
      await expect(c.store.transaction((tx) => tx.users.create(c.b.user(acct, 'BOB', '/other/')))).rejects.toSatisfy(
        (e: unknown) => e instanceof UniqueViolationError && e.table === 'users',
      );
    });

    it('allows the same user name in two accounts', async () => {
      const a = await c.account();
      const b = await c.account();
      await c.store.transaction((tx) => tx.users.create(c.b.user(a, 'same')));
      await c.store.transaction((tx) => tx.users.create(c.b.user(b, 'same')));
      expect((await c.store.read((r) => r.users.getByName(b, 'same')))?.accountId).toBe(b);
    });

    it('does not see users of another account', async () => {
      const a = await c.account();
      const b = await c.account();
      const u = c.b.user(a, 'private');
      await c.store.transaction((tx) => tx.users.create(u));
      expect(await c.store.read((r) => r.users.getByName(b, 'private'))).toBeUndefined();
      expect(await c.store.read((r) => r.users.getById(b, u.id))).toBeUndefined();
      expect((await c.store.read((r) => r.users.list(b, { maxItems: 100 }))).items).toEqual([]);
    });

    it('refuses a user in an account that does not exist', async () => {
      await expect(c.store.transaction((tx) => tx.users.create(c.b.user('999999999999', 'ghost')))).rejects.toBeInstanceOf(ReferenceViolationError);
    });

    it('renames and moves a user, keeping its id', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'old');
      await c.store.transaction((tx) => tx.users.create(u));
      const ok = await c.store.transaction((tx) => tx.users.update(acct, u.id, { name: 'New', path: '/p/', arn: `arn:aws:iam::${acct}:user/p/New` }));
      expect(ok).toBe(true);
      expect(await c.store.read((r) => r.users.getByName(acct, 'old'))).toBeUndefined();
      expect(await c.store.read((r) => r.users.getByName(acct, 'new'))).toMatchObject({ id: u.id, name: 'New', path: '/p/', arn: `arn:aws:iam::${acct}:user/p/New` });
    });

    it('refuses a rename onto an existing name', async () => {
      const acct = await c.account();
      const a = c.b.user(acct, 'first');
      await c.store.transaction(async (tx) => {
        await tx.users.create(a);
        await tx.users.create(c.b.user(acct, 'second'));
      });
      await expect(c.store.transaction((tx) => tx.users.update(acct, a.id, { name: 'SECOND' }))).rejects.toBeInstanceOf(UniqueViolationError);
      expect((await c.store.read((r) => r.users.getById(acct, a.id)))?.name).toBe('first');
    });

    it('reports whether update and delete found the user', async () => {
      const acct = await c.account();
      expect(await c.store.transaction((tx) => tx.users.update(acct, 'AIDANOPE', { path: '/x/' }))).toBe(false);
      expect(await c.store.transaction((tx) => tx.users.delete(acct, 'AIDANOPE'))).toBe(false);
      const u = c.b.user(acct, 'gone');
      await c.store.transaction((tx) => tx.users.create(u));
      expect(await c.store.transaction((tx) => tx.users.delete(acct, u.id))).toBe(true);
      expect(await c.store.read((r) => r.users.getById(acct, u.id))).toBeUndefined();
    });

    it('refuses to delete a user that still has access keys, group memberships or policies', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'busy');
      const g = c.b.group(acct, 'team');
      const p = c.b.policy(acct, 'pol');
      const key = c.b.accessKey(acct, u.id);
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.groups.create(g);
        await tx.policies.create(p);
        await tx.accessKeys.create(key);
        await tx.groups.addMember(acct, g.id, u.id);
        await tx.attachments.attach(acct, 'user', u.id, p.arn);
        await tx.inlinePolicies.put(acct, { principalType: 'user', principalId: u.id, name: 'inline', document: '{}' });
      });
      const del = () => c.store.transaction((tx) => tx.users.delete(acct, u.id));
      await expect(del()).rejects.toBeInstanceOf(ReferenceViolationError);
      await c.store.transaction((tx) => tx.attachments.detach(acct, 'user', u.id, p.arn));
      await expect(del()).rejects.toBeInstanceOf(ReferenceViolationError);
      await c.store.transaction((tx) => tx.inlinePolicies.delete(acct, 'user', u.id, 'inline'));
      await expect(del()).rejects.toBeInstanceOf(ReferenceViolationError);
      await c.store.transaction((tx) => tx.accessKeys.delete(acct, key.id));
      await expect(del()).rejects.toBeInstanceOf(ReferenceViolationError);
      await c.store.transaction((tx) => tx.groups.removeMember(acct, g.id, u.id));
      expect(await del()).toBe(true);
    });

    it('sets and clears a permissions boundary, which must be an existing policy', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'bounded');
      const p = c.b.policy(acct, 'boundary');
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.policies.create(p);
      });
      await c.store.transaction((tx) => tx.users.update(acct, u.id, { permissionsBoundaryArn: p.arn }));
      expect((await c.store.read((r) => r.users.getById(acct, u.id)))?.permissionsBoundaryArn).toBe(p.arn);
      expect(await c.store.read((r) => r.policies.usage(acct, p.arn))).toEqual({ attachmentCount: 0, permissionsBoundaryUsageCount: 1 });
      await expect(
        c.store.transaction((tx) => tx.users.update(acct, u.id, { permissionsBoundaryArn: `arn:aws:iam::${acct}:policy/missing` })),
      ).rejects.toBeInstanceOf(ReferenceViolationError);
      await c.store.transaction((tx) => tx.users.update(acct, u.id, { permissionsBoundaryArn: null }));
      expect((await c.store.read((r) => r.users.getById(acct, u.id)))?.permissionsBoundaryArn).toBeNull();
    });

    it('records password use outside a transaction', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'console');
      await c.store.transaction((tx) => tx.users.create(u));
      await c.store.read((r) => r.users.recordPasswordUse(acct, u.id, 1_800_000_000_000));
      expect((await c.store.read((r) => r.users.getById(acct, u.id)))?.passwordLastUsedAt).toBe(1_800_000_000_000);
    });

    it('counts users per account', async () => {
      const acct = await c.account();
      await c.store.transaction(async (tx) => {
        for (const n of ['a', 'b', 'c']) await tx.users.create(c.b.user(acct, n));
      });
      expect(await c.store.read((r) => r.users.count(acct))).toBe(3);
    });
  });
}
