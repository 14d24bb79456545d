import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { auditHash, openStore, verifyAuditChain } from '../src/index.js';
import { dropSchema, PG_URL, uniqueSchema } from './pg-env.js';

const entry = {
  id: 'evt-1',
  at: 1_700_000_000_000,
  requestId: 'req-1',
  accountId: '123456789012',
  principalArn: 'arn:aws:iam::123456789012:root',
  action: 'iam:CreateUser',
  resource: null,
  sourceIp: '198.51.100.7',
  userAgent: null,
  outcome: 'success' as const,
  errorCode: null,
  params: '{}',
};

describe('audit_log', () => {
  it('chains hashes that anyone can recompute from the records', async () => {
    const store = await openStore({ url: 'sqlite::memory:' });
    try {
      const a = await store.transaction((tx) => tx.audit.append(entry));
      const b = await store.transaction((tx) => tx.audit.append({ ...entry, id: 'evt-2' }));
      expect(a.hash).toBe(auditHash(null, entry));
      expect(b.hash).toBe(auditHash(a.hash, { ...entry, id: 'evt-2' }));
      // Any change to a field changes the hash.
      expect(auditHash(null, { ...entry, outcome: 'failure' })).not.toBe(a.hash);
    } finally {
      await store.close();
    }
  });

  it('chains a batch appended in one transaction, and the transactions around it', async () => {
    const store = await openStore({ url: 'sqlite::memory:' });
    try {
      await store.transaction((tx) => tx.audit.append(entry));
      const batch = await store.transaction(async (tx) => {
        const out = [];
        for (let i = 2; i <= 5; i++) out.push(await tx.audit.append({ ...entry, id: `evt-${i}` }));
        return out;
      });
      expect(batch.map((r) => r.prevHash)).toEqual([auditHash(null, entry), ...batch.slice(0, 3).map((r) => r.hash)]);
      // A rolled-back batch leaves the head where it was.
      await store.transaction(async (tx) => {
        await tx.audit.append({ ...entry, id: 'evt-lost' });
        throw new Error('roll back');
      }).catch(() => undefined);
      const after = await store.transaction((tx) => tx.audit.append({ ...entry, id: 'evt-6' }));
      expect(after.prevHash).toBe(batch[3]!.hash);
      expect(await verifyAuditChain(store)).toEqual({ ok: true, records: 6, head: after.hash });
    } finally {
      await store.close();
    }
  });

  it.skipIf(PG_URL === undefined)('keeps one chain when PostgreSQL instances append batches concurrently', async () => {
    const schema = uniqueSchema();
    const stores = [await openStore({ url: PG_URL!, schema }), await openStore({ url: PG_URL!, schema })];
    try {
      await Promise.all(
        Array.from({ length: 8 }, (_, t) =>
          stores[t % 2]!.transaction(async (tx) => {
            for (let i = 0; i < 4; i++) await tx.audit.append({ ...entry, id: `evt-${t}-${i}` });
          }),
        ),
      );
      expect(await verifyAuditChain(stores[0]!)).toMatchObject({ ok: true, records: 32 });
    } finally {
      for (const s of stores) await s.close();
      await dropSchema(PG_URL!, schema);
    }
  });

  it('verifies an intact chain and pinpoints an altered or removed record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-audit-'));
    try {
      const file = join(dir, 'db.sqlite');
      const url = `sqlite:${file}`;
      let store = await openStore({ url });
      for (let i = 1; i <= 5; i++) await store.transaction((tx) => tx.audit.append({ ...entry, id: `evt-${i}`, at: entry.at + i }));
      const intact = await verifyAuditChain(store, 2);
      expect(intact).toEqual({ ok: true, records: 5, head: (await store.read((r) => r.audit.last()))!.hash });
      await store.close();

      // Someone with file access drops the guard and edits history.
      const raw = new Database(file);
      raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      raw.prepare("UPDATE audit_log SET outcome = 'failure' WHERE id = 'evt-3'").run();
      const seq3 = (raw.prepare("SELECT seq FROM audit_log WHERE id = 'evt-3'").get() as { seq: number }).seq;
      raw.close();
      store = await openStore({ url });
      expect(await verifyAuditChain(store, 2)).toEqual({ ok: false, records: 3, brokenAtSeq: seq3, reason: 'hash' });
      await store.close();

      const raw2 = new Database(file);
      raw2.prepare("DELETE FROM audit_log WHERE id IN ('evt-3')").run();
      const seq4 = (raw2.prepare("SELECT seq FROM audit_log WHERE id = 'evt-4'").get() as { seq: number }).seq;
      raw2.close();
      store = await openStore({ url });
      expect(await verifyAuditChain(store)).toEqual({ ok: false, records: 3, brokenAtSeq: seq4, reason: 'link' });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses UPDATE and DELETE in SQLite, whoever connects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-audit-'));
    try {
      const file = join(dir, 'db.sqlite');
      const store = await openStore({ url: `sqlite:${file}` });
      await store.transaction((tx) => tx.audit.append(entry));
      await store.close();
      const raw = new Database(file);
      try {
        expect(() => raw.prepare("UPDATE audit_log SET outcome = 'failure'").run()).toThrow(/append-only/);
        expect(() => raw.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
        expect(raw.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
      } finally {
        raw.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(PG_URL === undefined)('refuses UPDATE and DELETE in PostgreSQL, whoever connects', async () => {
    const url = PG_URL!;
    const schema = uniqueSchema();
    const store = await openStore({ url, schema });
    const client = new pg.Client({ connectionString: url });
    try {
      await store.transaction((tx) => tx.audit.append(entry));
      await client.connect();
      const table = `${pg.escapeIdentifier(schema)}.audit_log`;
      await expect(client.query(`UPDATE ${table} SET outcome = 'failure'`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
      expect((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end().catch(() => undefined);
      await store.close();
      await dropSchema(url, schema);
    }
  });
});
