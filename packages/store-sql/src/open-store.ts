import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { AuditWriter } from './audit-writer.js';
import { Context } from './context.js';
import { migrate } from './migrations.js';
import { PgChangeSource } from './pg-change-source.js';
import { makeRepositories } from './repositories/index.js';
import type { Database as Schema } from './schema.js';
import { SqlStore } from './sql-store.js';
import { withStatementCache } from './statement-cache.js';

export interface OpenStoreOptions {
  /** `sqlite:<path>`, `sqlite::memory:`, or `postgres://…` / `postgresql://…`. */
  url: string;
  /**
   * PostgreSQL schema to use (created if missing). Also read from a `schema` query parameter of
   * the URL. Default: the connection's search_path (normally `public`).
   */
  schema?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** SQLite busy timeout in ms (default 5000). */
  busyTimeoutMs?: number;
}

export type StoreLocation =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'postgres'; connectionString: string; schema: string | undefined };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Parses a store URL; throws a TypeError naming the accepted forms on anything else. */
export function parseStoreUrl(url: string, schema?: string): StoreLocation {
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (rest === '') throw new TypeError('sqlite store URL needs a path: sqlite:<path> or sqlite::memory:');
    return { dialect: 'sqlite', filename: rest };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const parsed = new URL(url);
    const fromUrl = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    const chosen = schema ?? fromUrl;
    if (chosen !== undefined && !SCHEMA_NAME.test(chosen)) throw new TypeError(`invalid PostgreSQL schema name: ${chosen}`);
    return { dialect: 'postgres', connectionString: parsed.toString(), schema: chosen };
  }
  throw new TypeError('store URL must be sqlite:<path>, sqlite::memory: or postgres://…');
}

// BIGINT (int8) and COUNT(*) come back as strings by default; every value we keep fits a double.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Opens a store and applies pending migrations. SQLite runs in WAL mode with
 * `synchronous=FULL` (an acknowledged commit survives SIGKILL and power loss), foreign keys on
 * and a busy timeout; `:memory:` is the in-memory store.
 */
export async function openStore(options: OpenStoreOptions): Promise<SqlStore> {
  const location = parseStoreUrl(options.url, options.schema);
  if (location.dialect === 'sqlite') {
    const database = new Database(location.filename);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
    database.pragma(`busy_timeout = ${busyTimeoutMs}`);
    const cached = withStatementCache(database);
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cached }) });
    try {
      await db.connection().execute((conn) => migrate(conn, 'sqlite', undefined));
    } catch (err) {
      await db.destroy();
      throw err;
    }
    // A file can take a second connection: audit batches get their own, on a writer thread, so
    // their inserts and fsync never block this thread. `:memory:` is private to its connection.
    const auditWriter = database.memory ? undefined : new AuditWriter({ filename: resolve(location.filename), busyTimeoutMs });
    return new SqlStore({ db, dialect: 'sqlite', readNow: cached.readNow, ...(auditWriter === undefined ? {} : { auditWriter }) });
  }

  const clientConfig: pg.ClientConfig = {
    connectionString: location.connectionString,
    types: pgTypes,
    ...(location.schema === undefined ? {} : { options: `-c search_path=${location.schema}` }),
  };
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await db.connection().execute((conn) => migrate(conn, 'postgres', location.schema));
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const channel = `latchkey_changes_${location.schema ?? 'public'}`.slice(0, 63);
  // The catch-up reader goes through the pool, never through the LISTEN connection.
  const log = makeRepositories(new Context(db, 'postgres', false)).changeLog;
  return new SqlStore({ db, dialect: 'postgres', channel, changeSource: new PgChangeSource(clientConfig, channel, log) });
}
