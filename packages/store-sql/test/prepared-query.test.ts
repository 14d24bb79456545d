import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '../src/context.js';
import { migrate } from '../src/migrations.js';
import { preparedQuery } from '../src/prepared-query.js';
import type { Database as Schema, Dialect } from '../src/schema.js';
import { dropSchema, PG_URL, uniqueSchema } from './pg-env.js';

// Module-level like the repositories' own: one prepared query serves every store and dialect.
let builds = 0;
const usersOf = preparedQuery((db, accountId: string, pathPrefix: string, limit: number) => {
  builds++;
  return db
    .selectFrom('users')
    .select(['name', 'path'])
    .where('account_id', '=', accountId)
    .where('path', '>=', pathPrefix)
    .where('name', '!=', 'hidden')
    .orderBy('name_lower')
    .limit(limit);
});

interface Target {
  dialect: Dialect;
  open(): Promise<{ db: Kysely<Schema>; close(): Promise<void> }>;
}

const targets: Target[] = [
  {
    dialect: 'sqlite',
    async open() {
      const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
      return { db, close: () => db.destroy() };
    },
  },
];
if (PG_URL !== undefined) {
  const url = PG_URL;
  targets.push({
    dialect: 'postgres',
    async open() {
      const schema = uniqueSchema();
      const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
      const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
      await db.connection().execute((conn) => migrate(conn, 'postgres', schema));
      return {
        db,
        async close() {
          await db.destroy();
          await dropSchema(url, schema);
        },
      };
    },
  });
}

describe.each(targets)('preparedQuery on $dialect', ({ dialect, open }) => {
  let opened: { db: Kysely<Schema>; close(): Promise<void> };
  let ctx: Context;
  beforeAll(async () => {
    opened = await open();
    if (dialect === 'sqlite') await opened.db.connection().execute((conn) => migrate(conn, 'sqlite', undefined));
    ctx = new Context(opened.db, dialect, false);
    await opened.db.insertInto('accounts').values([{ id: '111111111111', alias: null, created_at: 1 }, { id: '222222222222', alias: null, created_at: 1 }]).execute();
    const user = (account: string, name: string, path: string) => ({
      account_id: account,
      id: `AIDA${name.toUpperCase()}`,
      name,
      name_lower: name.toLowerCase(),
      path,
      arn: `arn:aws:iam::${account}:user${path}${name}`,
      created_at: 1,
      permissions_boundary_arn: null,
      password_last_used_at: null,
    });
    await opened.db
      .insertInto('users')
      .values([user('111111111111', 'alice', '/a/'), user('111111111111', 'bob', '/b/'), user('111111111111', 'hidden', '/z/'), user('222222222222', 'carol', '/c/')])
      .execute();
  });
  afterAll(async () => {
    await opened.close();
  });

  it('binds each call\'s arguments in place of the placeholders, keeping the constants', async () => {
    expect(await usersOf(ctx, '111111111111', '/', 10)).toEqual([
      { name: 'alice', path: '/a/' },
      { name: 'bob', path: '/b/' },
    ]);
    expect(await usersOf(ctx, '111111111111', '/b', 10)).toEqual([{ name: 'bob', path: '/b/' }]);
    expect(await usersOf(ctx, '111111111111', '/', 1)).toEqual([{ name: 'alice', path: '/a/' }]);
    expect(await usersOf(ctx, '222222222222', '/', 10)).toEqual([{ name: 'carol', path: '/c/' }]);
    expect(await usersOf(ctx, '333333333333', '/', 10)).toEqual([]);
  });

  it('builds the query once per dialect, however many calls and contexts', async () => {
    const before = builds;
    await usersOf(ctx, '111111111111', '/', 10);
    await opened.db.connection().execute((conn) => usersOf(new Context(conn, dialect, true), '111111111111', '/', 10));
    expect(builds).toBe(before);
  });

  it('runs on a transaction\'s connection and sees its uncommitted writes', async () => {
    await opened.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('users').values({ account_id: '222222222222', id: 'AIDADAVE', name: 'dave', name_lower: 'dave', path: '/d/', arn: 'x', created_at: 1, permissions_boundary_arn: null, password_last_used_at: null }).execute();
        expect(await usersOf(new Context(trx, dialect, true), '222222222222', '/', 10)).toHaveLength(2);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await usersOf(ctx, '222222222222', '/', 10)).toEqual([{ name: 'carol', path: '/c/' }]);
  });

  it('refuses, on first use, a build that does not bind each argument exactly once', async () => {
    const twice = preparedQuery((db, id: string) => db.selectFrom('accounts').selectAll().where('id', '=', id).where('alias', '=', id));
    await expect(twice(ctx, '111111111111')).rejects.toThrow(/argument 0 must be bound exactly once/);
    const unused = preparedQuery((db, _id: string) => db.selectFrom('accounts').selectAll());
    await expect(unused(ctx, '111111111111')).rejects.toThrow(/argument 0/);
    const transformed = preparedQuery((db, prefix: string) => db.selectFrom('accounts').selectAll().where('id', 'like', `${prefix}%`));
    await expect(transformed(ctx, '1')).rejects.toThrow(/argument 0/);
  });
});
