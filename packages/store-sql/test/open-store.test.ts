import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, parseStoreUrl } from '../src/index.js';
import { MIGRATIONS } from '../src/migrations.js';
import type { SqlStore } from '../src/index.js';
import { dropSchema, PG_URL, uniqueSchema } from './pg-env.js';

const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

describe('parseStoreUrl', () => {
  it.each([
    ['sqlite::memory:', { dialect: 'sqlite', filename: ':memory:' }],
    ['sqlite:/var/lib/latchkey/db.sqlite', { dialect: 'sqlite', filename: '/var/lib/latchkey/db.sqlite' }],
    ['sqlite://relative/db.sqlite', { dialect: 'sqlite', filename: 'relative/db.sqlite' }],
    ['sqlite:data.db', { dialect: 'sqlite', filename: 'data.db' }],
  ])('reads %s', (url, expected) => {
    expect(parseStoreUrl(url)).toEqual(expected);
  });

  it('takes the PostgreSQL schema from the URL or the option, the option winning', () => {
    expect(parseStoreUrl('postgres://u@h:5432/db?schema=tenant_a')).toEqual({ dialect: 'postgres', connectionString: 'postgres://u@h:5432/db', schema: 'tenant_a' });
    expect(parseStoreUrl('postgresql://u@h/db?schema=tenant_a&sslmode=disable', 'tenant_b')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgresql://u@h/db?sslmode=disable',
      schema: 'tenant_b',
    });
    expect(parseStoreUrl('postgres://u@h/db')).toMatchObject({ schema: undefined });
  });

  it.each(['mysql://h/db', 'sqlite:', 'memory', '', 'postgres://h/db?schema=Bad-Name', 'postgres://h/db?schema=x;drop'])('rejects %j', (url) => {
    expect(() => parseStoreUrl(url)).toThrow(TypeError);
  });
});

describe('openStore (SQLite)', () => {
  let dir: string | undefined;
  const opened: SqlStore[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const open = async (url: string) => {
    const store = await openStore({ url });
    opened.push(store);
    return store;
  };

  it('runs a file database in WAL mode with synchronous=FULL, foreign keys and a busy timeout', async () => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-open-'));
    const store = await open(`sqlite:${join(dir, 'db.sqlite')}`);
    expect(await store.health()).toEqual({
      dialect: 'sqlite',
      schemaVersion: LATEST,
      sqlite: { journalMode: 'wal', synchronous: 'FULL', foreignKeys: true, busyTimeoutMs: 5000 },
    });
  });

  it('keeps committed data across close and reopen, applying no migration twice', async () => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-open-'));
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    const first = await openStore({ url });
    await first.transaction((tx) => tx.accounts.create({ id: '111122223333', alias: 'kept', createdAt: 5 }));
    await first.close();
    const second = await open(url);
    expect(await second.read((r) => r.accounts.get('111122223333'))).toEqual({ id: '111122223333', alias: 'kept', createdAt: 5 });
    expect((await second.health()).schemaVersion).toBe(LATEST);
  });

  it('gives every :memory: store its own empty database', async () => {
    const a = await open('sqlite::memory:');
    const b = await open('sqlite::memory:');
    await a.transaction((tx) => tx.accounts.create({ id: '000000000001', alias: null, createdAt: 1 }));
    expect(await b.read((r) => r.accounts.get('000000000001'))).toBeUndefined();
  });

  it('refuses use after close', async () => {
    const store = await openStore({ url: 'sqlite::memory:' });
    await store.close();
    await expect(store.read((r) => r.accounts.get('x'))).rejects.toMatchObject({ kind: 'closed' });
    await expect(store.transaction(async () => 1)).rejects.toMatchObject({ kind: 'closed' });
    await store.close();
  });
});

describe.skipIf(PG_URL === undefined)('openStore (PostgreSQL)', () => {
  it('creates its schema and migrates once when several instances start together', async () => {
    const url = PG_URL!;
    const schema = uniqueSchema();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ url, schema, poolSize: 2 })));
      try {
        for (const s of stores) expect(await s.health()).toEqual({ dialect: 'postgres', schemaVersion: LATEST });
        const rows = await stores[0]!.read(async () => {
          const { default: pg } = await import('pg');
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            return (await client.query(`SELECT version FROM ${pg.escapeIdentifier(schema)}.latchkey_migrations`)).rows;
          } finally {
            await client.end();
          }
        });
        expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
      } finally {
        for (const s of stores) await s.close();
      }
    } finally {
      await dropSchema(url, schema);
    }
  });
});

describe.skipIf(PG_URL === undefined)('PostgreSQL sort keys', () => {
  it('compare bytewise (COLLATE "C") whatever the database locale, so order matches SQLite', async () => {
    const url = PG_URL!;
    const schema = uniqueSchema();
    const store = await openStore({ url, schema });
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = await client.query<{ table_name: string; column_name: string; collation_name: string | null }>(
        `SELECT table_name, column_name, collation_name FROM information_schema.columns
          WHERE table_schema = $1 AND column_name IN ('name_lower', 'key_norm', 'serial') ORDER BY table_name, column_name`,
        [schema],
      );
      expect(rows.rows.length).toBeGreaterThanOrEqual(6);
      for (const r of rows.rows) expect(r.collation_name, `${r.table_name}.${r.column_name}`).toBe('C');
    } finally {
      await client.end();
      await store.close();
      await dropSchema(url, schema);
    }
  });
});
