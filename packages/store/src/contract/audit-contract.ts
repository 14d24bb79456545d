import { describe, expect, it } from 'vitest';
import { NestedTransactionError, UniqueViolationError } from '../errors.js';
import type { AuditEntry, AuditRecord } from '../records.js';
import type { AuditQuery } from '../repositories.js';
import type { Store } from '../store.js';
import type { ContractContext } from './context.js';

/** The whole trail, oldest first, read in pages. */
async function wholeTrail(store: Store): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await store.read((r) => r.audit.query({ maxItems: 500, ...(marker === undefined ? {} : { marker }) }));
    out.push(...page.items);
    if (!page.isTruncated || page.marker === undefined) return out;
    marker = page.marker;
  }
}

/** The first record whose link does not name its predecessor's hash (a fork or a gap), if any. */
function firstBrokenLink(trail: readonly AuditRecord[]): AuditRecord | undefined {
  for (let i = 1; i < trail.length; i++) {
    const [prev, cur] = [trail[i - 1]!, trail[i]!];
    if (cur.prevHash !== prev.hash || cur.seq <= prev.seq) return cur;
  }
  return undefined;
}

/** What the store hands back for an entry, whatever its chain position. */
const entryOf = (r: AuditRecord): AuditEntry => {
  const { seq: _seq, prevHash: _prev, hash: _hash, ...entry } = r;
  return entry;
};

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

    it('appendAudit stores a batch in order, chained to the head, and returns each record as stored', async () => {
      const acct = await c.account();
      const before = await c.store.transaction((tx) => tx.audit.append(c.b.audit(acct)));
      const entries = Array.from({ length: 5 }, (_, i) => c.b.audit(acct, { action: i % 2 === 0 ? 'iam:GetUser' : 'sts:AssumeRole', errorCode: i === 3 ? 'AccessDenied' : null }));
      const stored = await c.store.appendAudit(entries);
      expect(stored.map(entryOf)).toEqual(entries);
      expect(stored[0]!.prevHash).toBe(before.hash);
      expect(firstBrokenLink([before, ...stored])).toBeUndefined();
      expect(new Set(stored.map((r) => r.hash)).size).toBe(5);
      const read = await c.store.read((r) => r.audit.query({ accountId: acct, maxItems: 10 }));
      expect(read.items).toEqual([before, ...stored]);
      expect((await c.store.read((r) => r.audit.last()))?.id).toBe(entries[4]!.id);
      expect(await c.store.appendAudit([])).toEqual([]);
    });

    it('appendAudit interleaves with appends inside ordinary transactions in one linear chain', async () => {
      const acct = await c.account();
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 6; i++) {
        writes.push(c.store.appendAudit([c.b.audit(acct), c.b.audit(acct)]));
        writes.push(
          c.store.transaction(async (tx) => {
            await tx.accounts.get(acct);
            return tx.audit.append(c.b.audit(acct));
          }),
        );
      }
      await Promise.all(writes);
      const trail = await wholeTrail(c.store);
      expect(trail.filter((r) => r.accountId === acct)).toHaveLength(18);
      expect(firstBrokenLink(trail)).toBeUndefined();
    });

    it('keeps the chain linear under many concurrent appendAudit calls', async () => {
      const acct = await c.account();
      const batches = Array.from({ length: 20 }, (_, i) => Array.from({ length: 1 + (i % 4) }, () => c.b.audit(acct)));
      const results = await Promise.all(batches.map((batch) => c.store.appendAudit(batch)));
      results.forEach((stored, i) => expect(stored.map((r) => r.id)).toEqual(batches[i]!.map((e) => e.id)));
      const trail = await wholeTrail(c.store);
      expect(trail.filter((r) => r.accountId === acct)).toHaveLength(batches.flat().length);
      expect(firstBrokenLink(trail)).toBeUndefined();
    });

    it('keeps the chain linear when two instances appendAudit at once', async (t) => {
      if (c.fixture.openPeer === undefined) {
        t.skip();
        return;
      }
      const peer = await c.fixture.openPeer();
      const acct = await c.account();
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? c.store : peer).appendAudit([c.b.audit(acct), c.b.audit(acct)])));
      const trail = await wholeTrail(c.store);
      expect(trail.filter((r) => r.accountId === acct)).toHaveLength(20);
      expect(firstBrokenLink(trail)).toBeUndefined();
    });

    it('stores nothing of an appendAudit batch that fails, and the chain goes on from the old head', async () => {
      const acct = await c.account();
      const [existing] = await c.store.appendAudit([c.b.audit(acct)]);
      const fresh = c.b.audit(acct);
      await expect(c.store.appendAudit([fresh, { ...c.b.audit(acct), id: existing!.id }])).rejects.toBeInstanceOf(UniqueViolationError);
      await expect(c.store.appendAudit([{ ...c.b.audit(acct), outcome: 'maybe' as 'success' }])).rejects.toThrow();
      expect((await c.store.read((r) => r.audit.query({ accountId: acct, maxItems: 10 }))).items.map((r) => r.id)).toEqual([existing!.id]);
      const [next] = await c.store.appendAudit([fresh]);
      expect(next!.prevHash).toBe((await wholeTrail(c.store)).at(-2)!.hash);
      expect(firstBrokenLink(await wholeTrail(c.store))).toBeUndefined();
    });

    it('refuses appendAudit inside a transaction', async () => {
      const acct = await c.account();
      await expect(c.store.transaction(() => c.store.appendAudit([c.b.audit(acct)]))).rejects.toBeInstanceOf(NestedTransactionError);
      expect((await c.store.read((r) => r.audit.query({ accountId: acct, maxItems: 10 }))).items).toEqual([]);
    });

    it('offers no way to change or remove a record', async () => {
      const repos = await c.store.read(async (r) => r.audit);
      expect(Object.keys(repos).sort()).toEqual(['append', 'last', 'query']);
    });
  });
}
