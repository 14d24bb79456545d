import { describe, expect, it } from 'vitest';
import { UniqueViolationError } from '../errors.js';
import type { AuditRecord } from '../records.js';
import type { AuditQuery } from '../repositories.js';
import type { ContractContext } from './context.js';

export function auditContract(c: ContractContext): void {
  describe('audit trail', () => {
    it('appends records with increasing sequence numbers, each linked to its predecessor', async () => {
      const acct = await c.account();
      const appended: AuditRecord[] = [];
      for (let i = 0; i < 3; i++) appended.push(await c.store.transaction((tx) => tx.audit.append(c.b.audit(acct))));
      const [a, b, d] = appended as [AuditRecord, AuditRecord, AuditRecord];
      expect(b.seq).toBeGreaterThan(a.seq);
      expect(d.seq).toBeGreaterThan(b.seq);
      expect(b.prevHash).toBe(a.hash);
      expect(d.prevHash).toBe(b.hash);
      expect(new Set([a.hash, b.hash, d.hash]).size).toBe(3);
      expect((await c.store.read((r) => r.audit.last()))?.id).toBe(d.id);
      const stored = await c.store.read((r) => r.audit.query({ accountId: acct, maxItems: 10 }));
      expect(stored.items).toEqual(appended);
    });

    it('keeps the chain linear when appends race', async () => {
      const acct = await c.account();
      await Promise.all(Array.from({ length: 5 }, () => c.store.transaction((tx) => tx.audit.append(c.b.audit(acct)))));
      const all = (await c.store.read((r) => r.audit.query({ maxItems: 1000 }))).items;
      for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    });

    it('drops an audit record written in a transaction that rolls back', async () => {
      const acct = await c.account();
      const entry = c.b.audit(acct);
      await expect(
        c.store.transaction(async (tx) => {
          await tx.audit.append(entry);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect((await c.store.read((r) => r.audit.query({ accountId: acct, maxItems: 10 }))).items).toEqual([]);
    });

    it('rejects a duplicate event id', async () => {
      const acct = await c.account();
      const entry = c.b.audit(acct);
      await c.store.transaction((tx) => tx.audit.append(entry));
      await expect(c.store.transaction((tx) => tx.audit.append(entry))).rejects.toBeInstanceOf(UniqueViolationError);
    });

    it('queries by time range, principal, action and outcome, with paging', async () => {
      const acct = await c.account();
      const t0 = 1_900_000_000_000;
      const entries = [
        c.b.audit(acct, { at: t0, action: 'iam:CreateUser' }),
        c.b.audit(acct, { at: t0 + 1000, action: 'iam:DeleteUser', outcome: 'failure', errorCode: 'DeleteConflict' }),
        c.b.audit(acct, { at: t0 + 2000, action: 'iam:CreateUser', principalArn: `arn:aws:iam::${acct}:user/mallory` }),
        c.b.audit(acct, { at: t0 + 3000, action: 'sts:AssumeRole' }),
      ];
      await c.store.transaction(async (tx) => {
        for (const e of entries) await tx.audit.append(e);
      });
      const ids = async (q: Omit<AuditQuery, 'maxItems'>) =>
        (await c.store.read((r) => r.audit.query({ accountId: acct, maxItems: 100, ...q }))).items.map((x) => x.id);
      expect(await ids({ from: t0 + 1000, to: t0 + 3000 })).toEqual([entries[1]!.id, entries[2]!.id]);
      expect(await ids({ action: 'iam:CreateUser' })).toEqual([entries[0]!.id, entries[2]!.id]);
      expect(await ids({ outcome: 'failure' })).toEqual([entries[1]!.id]);
      expect(await ids({ principalArn: `arn:aws:iam::${acct}:user/mallory` })).toEqual([entries[2]!.id]);
      const first = await c.store.read((r) => r.audit.query({ accountId: acct, maxItems: 3 }));
      expect(first.isTruncated).toBe(true);
      const second = await c.store.read((r) => r.audit.query({ accountId: acct, maxItems: 3, marker: first.marker! }));
      expect([...first.items, ...second.items].map((x) => x.id)).toEqual(entries.map((e) => e.id));
      const stored = second.items[0]!;
      expect(stored).toMatchObject({ errorCode: null, params: '{"UserName":"bob"}', sourceIp: '192.0.2.1', userAgent: 'aws-sdk-js/3' });
    });

    it('offers no way to change or remove a record', async () => {
      const repos = await c.store.read(async (r) => r.audit);
      expect(Object.keys(repos).sort()).toEqual(['append', 'last', 'query']);
    });
  });
}
