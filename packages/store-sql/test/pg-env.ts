import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL for tests: 127.0.0.1:5432, database `test`, trust auth, user `postgres` or `root`
 * (LATCHKEY_TEST_PG_URL overrides). Under CI=true an unreachable server fails the run; elsewhere
 * the PostgreSQL tests are skipped with a message.
 */
async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function findPg(): Promise<string | undefined> {
  const candidates = process.env['LATCHKEY_TEST_PG_URL'] !== undefined
    ? [process.env['LATCHKEY_TEST_PG_URL']]
    : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
  for (const url of candidates) if (await reachable(url)) return url;
  return undefined;
}

export const PG_URL = await findPg();

if (PG_URL === undefined) {
  if (process.env['CI'] === 'true') throw new Error('CI=true but PostgreSQL is not reachable at 127.0.0.1:5432 (database test)');
  console.warn('[store-sql] PostgreSQL not reachable at 127.0.0.1:5432/test: skipping PostgreSQL tests');
}

/** A schema name no parallel run will share. */
export function uniqueSchema(): string {
  return `latchkey_test_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
