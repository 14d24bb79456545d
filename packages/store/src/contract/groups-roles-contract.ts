import { describe, expect, it } from 'vitest';
import { ReferenceViolationError, UniqueViolationError } from '../errors.js';
import type { ContractContext } from './context.js';

export function groupsRolesContract(c: ContractContext): void {
  describe('groups and memberships', () => {
    it('creates, renames and deletes groups with case-insensitive unique names', async () => {
      const acct = await c.account();
      const g = c.b.group(acct, 'Admins', '/ops/');
      await c.store.transaction((tx) => tx.groups.create(g));
      expect(await c.store.read((r) => r.groups.getByName(acct, 'ADMINS'))).toEqual(g);
      await expect(c.store.transaction((tx) => tx.groups.create(c.b.group(acct, 'admins')))).rejects.toBeInstanceOf(UniqueViolationError);
      await c.store.transaction((tx) => tx.groups.update(acct, g.id, { name: 'Operators', arn: `arn:aws:iam::${acct}:group/ops/Operators` }));
      expect((await c.store.read((r) => r.groups.getById(acct, g.id)))?.name).toBe('Operators');
      expect(await c.store.transaction((tx) => tx.groups.delete(acct, g.id))).toBe(true);
      expect(await c.store.read((r) => r.groups.getById(acct, g.id))).toBeUndefined();
    });

    it('adds, lists and removes members in both directions', async () => {
      const acct = await c.account();
      const [g1, g2] = [c.b.group(acct, 'zeta'), c.b.group(acct, 'Beta')];
      const [u1, u2] = [c.b.user(acct, 'xavier'), c.b.user(acct, 'Anna')];
      await c.store.transaction(async (tx) => {
        for (const g of [g1, g2]) await tx.groups.create(g);
        for (const u of [u1, u2]) await tx.users.create(u);
        expect(await tx.groups.addMember(acct, g1.id, u1.id)).toBe(true);
        expect(await tx.groups.addMember(acct, g1.id, u2.id)).toBe(true);
        expect(await tx.groups.addMember(acct, g2.id, u1.id)).toBe(true);
        expect(await tx.groups.addMember(acct, g2.id, u1.id)).toBe(false);
      });
      expect((await c.store.read((r) => r.groups.listMembers(acct, g1.id, { maxItems: 10 }))).items.map((u) => u.name)).toEqual(['Anna', 'xavier']);
      expect((await c.store.read((r) => r.groups.listForUser(acct, u1.id, { maxItems: 10 }))).items.map((g) => g.name)).toEqual(['Beta', 'zeta']);
      const firstPage = await c.store.read((r) => r.groups.listForUser(acct, u1.id, { maxItems: 1 }));
      expect(firstPage.isTruncated).toBe(true);
      const secondPage = await c.store.read((r) => r.groups.listForUser(acct, u1.id, { maxItems: 1, marker: firstPage.marker! }));
      expect(secondPage.items.map((g) => g.name)).toEqual(['zeta']);
      expect(await c.store.read((r) => r.groups.countForUser(acct, u1.id))).toBe(2);
      expect(await c.store.read((r) => r.groups.countMembers(acct, g1.id))).toBe(2);
      expect(await c.store.transaction((tx) => tx.groups.removeMember(acct, g1.id, u1.id))).toBe(true);
      expect(await c.store.transaction((tx) => tx.groups.removeMember(acct, g1.id, u1.id))).toBe(false);
      expect(await c.store.read((r) => r.groups.countMembers(acct, g1.id))).toBe(1);
    });

    it('pages the members of a group', async () => {
      const acct = await c.account();
      const g = c.b.group(acct, 'big');
      const names = ['u3', 'U1', 'u2', 'u4'];
      await c.store.transaction(async (tx) => {
        await tx.groups.create(g);
        for (const n of names) {
          const u = c.b.user(acct, n);
          await tx.users.create(u);
          await tx.groups.addMember(acct, g.id, u.id);
        }
      });
      const seen: string[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await c.store.read((r) => r.groups.listMembers(acct, g.id, { maxItems: 3, ...(marker === undefined ? {} : { marker }) }));
        seen.push(...page.items.map((u) => u.name));
        if (!page.isTruncated) break;
        marker = page.marker;
      }
      expect(seen).toEqual(['U1', 'u2', 'u3', 'u4']);
    });

    it('refuses membership of a user that does not exist, and deleting a group with members', async () => {
      const acct = await c.account();
      const g = c.b.group(acct, 'g');
      const u = c.b.user(acct, 'u');
      await c.store.transaction(async (tx) => {
        await tx.groups.create(g);
        await tx.users.create(u);
        await tx.groups.addMember(acct, g.id, u.id);
      });
      await expect(c.store.transaction((tx) => tx.groups.addMember(acct, g.id, 'AIDAMISSING'))).rejects.toBeInstanceOf(ReferenceViolationError);
      await expect(c.store.transaction((tx) => tx.groups.delete(acct, g.id))).rejects.toBeInstanceOf(ReferenceViolationError);
    });
  });

  describe('roles', () => {
    it('stores the trust policy verbatim and every role attribute', async () => {
      const acct = await c.account();
      const role = c.b.role(acct, 'Deployer', '/ci/', { description: 'déploiement ünïcode', maxSessionDuration: 43200 });
      await c.store.transaction((tx) => tx.roles.create(role));
      expect(await c.store.read((r) => r.roles.getByName(acct, 'deployer'))).toEqual(role);
    });

    it('updates description, session duration, trust policy and boundary independently', async () => {
      const acct = await c.account();
      const role = c.b.role(acct, 'r1');
      const p = c.b.policy(acct, 'bound');
      await c.store.transaction(async (tx) => {
        await tx.roles.create(role);
        await tx.policies.create(p);
      });
      const trust = ' { "Version" : "2012-10-17", "Statement": [] } ';
      await c.store.transaction((tx) => tx.roles.update(acct, role.id, { description: 'd', maxSessionDuration: 7200 }));
      await c.store.transaction((tx) => tx.roles.update(acct, role.id, { assumeRolePolicyDocument: trust, permissionsBoundaryArn: p.arn }));
      expect(await c.store.read((r) => r.roles.getById(acct, role.id))).toEqual({
        ...role,
        description: 'd',
        maxSessionDuration: 7200,
        assumeRolePolicyDocument: trust,
        permissionsBoundaryArn: p.arn,
      });
      await c.store.transaction((tx) => tx.roles.update(acct, role.id, { description: null }));
      expect((await c.store.read((r) => r.roles.getById(acct, role.id)))?.description).toBeNull();
    });

    it('records last use', async () => {
      const acct = await c.account();
      const role = c.b.role(acct, 'used');
      await c.store.transaction((tx) => tx.roles.create(role));
      await c.store.read((r) => r.roles.recordUse(acct, role.id, 1_750_000_000_000, 'eu-west-1'));
      expect(await c.store.read((r) => r.roles.getById(acct, role.id))).toMatchObject({ lastUsedAt: 1_750_000_000_000, lastUsedRegion: 'eu-west-1' });
    });

    it('refuses duplicates and deleting a role with policies; deletes its tags with it', async () => {
      const acct = await c.account();
      const role = c.b.role(acct, 'Dup');
      await c.store.transaction(async (tx) => {
        await tx.roles.create(role);
        await tx.tags.put(acct, 'role', role.id, [{ key: 'team', value: 'a' }]);
        await tx.inlinePolicies.put(acct, { principalType: 'role', principalId: role.id, name: 'p', document: '{}' });
      });
      await expect(c.store.transaction((tx) => tx.roles.create(c.b.role(acct, 'dup')))).rejects.toBeInstanceOf(UniqueViolationError);
      await expect(c.store.transaction((tx) => tx.roles.delete(acct, role.id))).rejects.toBeInstanceOf(ReferenceViolationError);
      await c.store.transaction(async (tx) => {
        await tx.inlinePolicies.delete(acct, 'role', role.id, 'p');
        expect(await tx.roles.delete(acct, role.id)).toBe(true);
      });
      expect(await c.store.read((r) => r.tags.list(acct, 'role', role.id))).toEqual([]);
      expect(await c.store.read((r) => r.roles.count(acct))).toBe(0);
    });
  });
}
