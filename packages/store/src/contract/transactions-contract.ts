import { describe, expect, it } from 'vitest';
import { NestedTransactionError, NotInTransactionError, UniqueViolationError } from '../errors.js';
import type { Store } from '../store.js';
import type { ContractContext } from './context.js';

class Boom extends Error {}

/** The "2 access keys per user" check as the service layer writes it: lock, count, insert. */
async function createKeyWithinLimit(c: ContractContext, store: Store, acct: string, userId: string): Promise<boolean> {
  return store.transaction(async (tx) => {
    const user = await tx.users.getById(acct, userId, { forUpdate: true });
    if (user === undefined) throw new Error('user vanished');
    const count = await tx.accessKeys.countForOwner(acct, userId);
    // Yield between check and write so racing transactions interleave if the lock does not hold them back.
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (count >= 2) return false;
    await tx.accessKeys.create(c.b.accessKey(acct, userId));
    return true;
  });
}

export function transactionsContract(c: ContractContext): void {
  describe('transactions', () => {
    it('commits every write of a transaction together', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'atomic');
      const g = c.b.group(acct, 'atomic-group');
      const result = await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.groups.create(g);
        await tx.groups.addMember(acct, g.id, u.id);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await c.store.read((r) => r.groups.countMembers(acct, g.id))).toBe(1);
    });

    it('rolls back every write when the function throws, and rethrows the same error', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'partial');
      const p = c.b.policy(acct, 'partial-policy');
      const boom = new Boom('stop');
      await expect(
        c.store.transaction(async (tx) => {
          await tx.users.create(u);
          await tx.policies.create(p);
          await tx.policies.createVersion(p.arn, '{}', true, 1);
          await tx.attachments.attach(acct, 'user', u.id, p.arn);
          await tx.tags.put(acct, 'user', u.id, [{ key: 'k', value: 'v' }]);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await c.store.read((r) => r.users.getById(acct, u.id))).toBeUndefined();
      expect(await c.store.read((r) => r.policies.getByArn(p.arn))).toBeUndefined();
      expect(await c.store.read((r) => r.attachments.count(acct, 'user', u.id))).toBe(0);
      expect(await c.store.read((r) => r.tags.count(acct, 'user', u.id))).toBe(0);
    });

    it('rolls back earlier writes when a later write violates a constraint', async () => {
      const acct = await c.account();
      await c.store.transaction((tx) => tx.users.create(c.b.user(acct, 'taken')));
      const fresh = c.b.user(acct, 'fresh');
      await expect(
        c.store.transaction(async (tx) => {
          await tx.users.create(fresh);
          await tx.users.create(c.b.user(acct, 'TAKEN'));
        }),
      ).rejects.toBeInstanceOf(UniqueViolationError);
      expect(await c.store.read((r) => r.users.getById(acct, fresh.id))).toBeUndefined();
      // The store stays usable afterwards.
      await c.store.transaction((tx) => tx.users.create(fresh));
      expect((await c.store.read((r) => r.users.getById(acct, fresh.id)))?.name).toBe('fresh');
    });

    it('sees its own uncommitted writes inside the transaction', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'visible');
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        expect((await tx.users.getByName(acct, 'VISIBLE'))?.id).toBe(u.id);
        expect(await tx.users.count(acct)).toBe(1);
      });
    });

    it('refuses writes outside a transaction', async () => {
      const acct = await c.account();
      await expect(c.store.read((r) => r.users.create(c.b.user(acct, 'loose')))).rejects.toBeInstanceOf(NotInTransactionError);
      await expect(c.store.read((r) => r.accounts.setAlias(acct, 'loose'))).rejects.toBeInstanceOf(NotInTransactionError);
      expect(await c.store.read((r) => r.users.count(acct))).toBe(0);
    });

    it('refuses store.transaction and store.read from inside a transaction, rolling back', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'nested');
      await expect(
        c.store.transaction(async (tx) => {
          await tx.users.create(u);
          await c.store.transaction(async () => undefined);
        }),
      ).rejects.toBeInstanceOf(NestedTransactionError);
      await expect(c.store.transaction(() => c.store.read((r) => r.users.count(acct)))).rejects.toBeInstanceOf(NestedTransactionError);
      expect(await c.store.read((r) => r.users.getById(acct, u.id))).toBeUndefined();
      // Concurrent (not nested) transactions and reads are fine.
      await Promise.all([c.store.transaction((tx) => tx.users.create(u)), c.store.read((r) => r.users.count(acct))]);
    });

    it('keeps a per-user limit under concurrent transactions on one instance', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'racer');
      await c.store.transaction((tx) => tx.users.create(u));
      const results = await Promise.all(Array.from({ length: 6 }, () => createKeyWithinLimit(c, c.store, acct, u.id)));
      expect(results.filter(Boolean)).toHaveLength(2);
      expect(await c.store.read((r) => r.accessKeys.countForOwner(acct, u.id))).toBe(2);
    });

    it('keeps a per-user limit when two instances race on one database', async (t) => {
      if (c.fixture.openPeer === undefined) {
        t.skip();
        return;
      }
      const peer = await c.fixture.openPeer();
      try {
        const acct = await c.account();
        const u = c.b.user(acct, 'cross-racer');
        await c.store.transaction((tx) => tx.users.create(u));
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) => createKeyWithinLimit(c, i % 2 === 0 ? c.store : peer, acct, u.id)),
        );
        expect(results.filter(Boolean)).toHaveLength(2);
        expect(await peer.read((r) => r.accessKeys.countForOwner(acct, u.id))).toBe(2);
      } finally {
        await peer.close();
      }
    });

    it('keeps version numbers unique when versions are created concurrently', async () => {
      const acct = await c.account();
      const p = c.b.policy(acct, 'concurrent-versions');
      await c.store.transaction((tx) => tx.policies.create(p));
      const created = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          c.store.transaction(async (tx) => {
            const locked = await tx.policies.getByArn(p.arn, { forUpdate: true });
            expect(locked).toBeDefined();
            if ((await tx.policies.countVersions(p.arn)) >= 5) return undefined;
            return (await tx.policies.createVersion(p.arn, `{"i":${i}}`, false, i)).versionId;
          }),
        ),
      );
      expect(new Set(created).size).toBe(4);
      expect([...created].sort()).toEqual(['v2', 'v3', 'v4', 'v5']);
    });
  });
}
