import type { ChangeEvent } from '@latchkey/store';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { dropSchema, PG_URL, uniqueSchema } from './pg-env.js';

describe.skipIf(PG_URL === undefined)('PostgreSQL change notification across instances', () => {
  it('delivers every change from writer instance to listener instance in commit order (and reports the latency)', async () => {
    const url = PG_URL!;
    const schema = uniqueSchema();
    const writer = await openStore({ url, schema });
    const listener = await openStore({ url, schema });
    try {
      const account = '555566667777';
      await writer.transaction((tx) => tx.accounts.create({ id: account, alias: null, createdAt: 0 }));
      const received: { event: ChangeEvent; at: bigint }[] = [];
      const stop = await listener.changes.subscribe((event) => received.push({ event, at: process.hrtime.bigint() }));
      const committedAt: bigint[] = [];
      const rounds = 20;
      for (let i = 0; i < rounds; i++) {
        // Taken before the transaction starts: the delivery time below is an upper bound that includes the write itself.
        committedAt.push(process.hrtime.bigint());
        await writer.transaction((tx) =>
          tx.users.create({
            accountId: account,
            id: `AIDA${String(i).padStart(13, '0')}`,
            name: `n${i}`,
            path: '/',
            arn: `arn:aws:iam::${account}:user/n${i}`,
            createdAt: i,
            permissionsBoundaryArn: null,
            passwordLastUsedAt: null,
          }),
        );
        const want = i + 1;
        while (received.filter((r) => r.event.kind === 'user').length < want) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      stop();
      const users = received.filter((r) => r.event.kind === 'user');
      expect(users.map((r) => r.event.entity)).toEqual(Array.from({ length: rounds }, (_, i) => `AIDA${String(i).padStart(13, '0')}`));
      const seqs = users.map((r) => r.event.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      // Reported, not asserted (no timing thresholds in tests): transaction start to delivery on another instance.
      const ms = users.map((r, i) => Number(r.at - committedAt[i]!) / 1e6).sort((a, b) => a - b);
      console.info(`[store-sql] cross-instance change delivery (write start → listener on another instance) over ${rounds} commits: p50 ${ms[Math.floor(rounds / 2)]!.toFixed(2)} ms, max ${ms[rounds - 1]!.toFixed(2)} ms`);
    } finally {
      await listener.close();
      await writer.close();
      await dropSchema(url, schema);
    }
  });
});

describe.skipIf(PG_URL === undefined)('PostgreSQL change listener', () => {
  it('reconnects after its connection is killed and replays what was committed meanwhile, once each', async () => {
    const url = PG_URL!;
    const schema = uniqueSchema();
    const writer = await openStore({ url, schema });
    const listener = await openStore({ url, schema });
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const account = '888877776666';
      await writer.transaction((tx) => tx.accounts.create({ id: account, alias: null, createdAt: 0 }));
      const received: ChangeEvent[] = [];
      const stop = await listener.changes.subscribe((event) => received.push(event));
      const user = (i: number) => ({
        accountId: account,
        id: `AIDARECONNECT${String(i).padStart(8, '0')}`,
        name: `r${i}`,
        path: '/',
        arn: `arn:aws:iam::${account}:user/r${i}`,
        createdAt: i,
        permissionsBoundaryArn: null,
        passwordLastUsedAt: null,
      });
      await writer.transaction((tx) => tx.users.create(user(0)));
      while (!received.some((e) => e.entity === user(0).id)) await new Promise((resolve) => setTimeout(resolve, 10));
      // Kill the listener's backend, as a network failure or a server restart would.
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`,
        [`LISTEN ${pg.escapeIdentifier(`latchkey_changes_${schema}`)}`],
      );
      expect(killed.rows).toEqual([{ ok: true }]);
      // Committed while nobody listens: only the catch-up can deliver these.
      await writer.transaction((tx) => tx.users.create(user(1)));
      await writer.transaction((tx) => tx.users.create(user(2)));
      const arrived = async (i: number) => {
        while (!received.some((e) => e.entity === user(i).id)) await new Promise((resolve) => setTimeout(resolve, 10));
      };
      await arrived(2);
      // Once caught up, live notifications flow again.
      await writer.transaction((tx) => tx.users.create(user(3)));
      await arrived(3);
      stop();
      expect(received.filter((e) => e.kind === 'user').map((e) => e.entity)).toEqual([0, 1, 2, 3].map((i) => user(i).id));
      const seqs = received.map((e) => e.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    } finally {
      await admin.end();
      await listener.close();
      await writer.close();
      await dropSchema(url, schema);
    }
  });
});
