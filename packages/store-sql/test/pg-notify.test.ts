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
