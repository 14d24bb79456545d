import { TransactionConflictError } from '@latchkey/store';
import type { Repositories } from '@latchkey/store';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { dropSchema, PG_URL, uniqueSchema } from './pg-env.js';

/** A one-shot rendezvous: both sides wait until the other arrived. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived === parties) release();
    await all;
  };
}

describe.skipIf(PG_URL === undefined)('transaction retries (PostgreSQL)', () => {
  it('re-runs the loser of a deadlock so both transactions commit', async () => {
    const url = PG_URL!;
    const schema = uniqueSchema();
    const store = await openStore({ url, schema });
    try {
      const acct = '999988887777';
      const user = (n: string) => ({
        accountId: acct,
        id: `AIDADEADLOCK${n}`,
        name: n,
        path: '/',
        arn: `arn:aws:iam::${acct}:user/${n}`,
        createdAt: 0,
        permissionsBoundaryArn: null,
        passwordLastUsedAt: null,
      });
      await store.transaction(async (tx) => {
        await tx.accounts.create({ id: acct, alias: null, createdAt: 0 });
        await tx.users.create(user('one'));
        await tx.users.create(user('two'));
      });
      const meet = barrier(2);
      const runs = { a: 0, b: 0 };
      // Each locks one row, waits for the other to hold its lock, then wants the other's row.
      const crossing = (me: 'a' | 'b', first: string, second: string) => async (tx: Repositories) => {
        runs[me] += 1;
        await tx.users.getByName(acct, first, { forUpdate: true });
        if (runs[me] === 1) await meet();
        await tx.users.getByName(acct, second, { forUpdate: true });
        await tx.users.update(acct, `AIDADEADLOCK${second}`, { path: `/${me}/` });
        return me;
      };
      const results = await Promise.all([store.transaction(crossing('a', 'one', 'two')), store.transaction(crossing('b', 'two', 'one'))]);
      expect(results).toEqual(['a', 'b']);
      // PostgreSQL aborted exactly one of them; the store ran that one again.
      expect(runs.a + runs.b).toBe(3);
    } finally {
      await store.close();
      await dropSchema(url, schema);
    }
  });

  it('gives up with TransactionConflictError when retries are exhausted', async () => {
    const url = PG_URL!;
    const schema = uniqueSchema();
    const store = await openStore({ url, schema });
    try {
      let runs = 0;
      const serializationFailure = Object.assign(new Error('could not serialize access'), { code: '40001' });
      await expect(
        store.transaction(
          async () => {
            runs += 1;
            throw serializationFailure;
          },
          { retries: 2 },
        ),
      ).rejects.toBeInstanceOf(TransactionConflictError);
      expect(runs).toBe(3);
    } finally {
      await store.close();
      await dropSchema(url, schema);
    }
  });
});
