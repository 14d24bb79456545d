import type { AwsError } from '@latchkey/errors';
import { isStoreError } from '@latchkey/store';

/**
 * Runs a write whose uniqueness the operation checked beforehand; if a concurrent transaction
 * (another instance on PostgreSQL) took the name in between, the database's unique violation is
 * answered with the operation's own, name-bearing AWS error instead of a generic one.
 */
export async function uniquely<T>(write: () => Promise<T>, conflict: () => AwsError): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isStoreError(err) && err.kind === 'unique') throw conflict();
    throw err;
  }
}
