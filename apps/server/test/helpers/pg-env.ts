import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL for tests: 127.0.0.1:5432, database `test` (LATCHKEY_TEST_PG_URL overrides). The
 * PostgreSQL tests run under CI=true, where an unreachable server fails the run; elsewhere they
 * are skipped with a message.
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
  if (process.env['CI'] !== 'true') return undefined;
  const override = process.env['LATCHKEY_TEST_PG_URL'];
  const candidates = override !== undefined ? [override] : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
  for (const url of candidates) if (await reachable(url)) return url;
  throw new Error('CI=true but PostgreSQL is not reachable at 127.0.0.1:5432 (database test)');
}

export const PG_URL = await findPg();
if (PG_URL === undefined) console.warn('[server] PostgreSQL tests run under CI=true only (127.0.0.1:5432/test): skipped');

/** A connection URL to a schema of its own (created on open by store-sql). */
export function pgSchemaUrl(base: string): { url: string; schema: string } {
  const schema = `latchkey_srv_${randomBytes(6).toString('hex')}`;
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return { url: u.toString(), schema };
}

export async function dropSchema(base: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
