import { NestedTransactionError } from '@latchkey/store';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import type { SqlStore } from '../src/index.js';
import { dropSchema, PG_URL, uniqueSchema } from './pg-env.js';

// The nested-call guard is switched on only while a transaction's function runs (see
// SqlStore.runMarked); these cases cover the switching itself, beyond the contract's basics.
const stores: { dialect: string; open: () => Promise<{ store: SqlStore; dispose: () => Promise<void> }> }[] = [
  {
    dialect: 'sqlite',
    open: async () => {
      const store = await openStore({ url: 'sqlite::memory:' });
      return { store, dispose: () => store.close() };
    },
  },
];
const pgUrl = PG_URL;
if (pgUrl !== undefined) {
  stores.push({
    dialect: 'postgres',
    open: async () => {
      const schema = uniqueSchema();
      const store = await openStore({ url: pgUrl, schema });
      return {
        store,
        dispose: async () => {
          await store.close();
          await dropSchema(pgUrl, schema);
        },
      };
    },
  });
}

describe.each(stores)('SqlStore nested-call guard ($dialect)', ({ dialect, open }) => {
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await dispose?.();
    dispose = undefined;
  });
  const opened = async (): Promise<SqlStore> => {
    const o = await open();
    dispose = o.dispose;
    return o.store;
  };

  it('catches nested calls in every transaction, also after earlier ones have ended', async () => {
    const store = await opened();
    for (let i = 0; i < 3; i++) {
      await expect(store.transaction(() => store.read((r) => r.accounts.list({ maxItems: 10 })))).rejects.toBeInstanceOf(NestedTransactionError);
      await expect(store.transaction(async () => store.transaction(async () => 1))).rejects.toBeInstanceOf(NestedTransactionError);
      expect(await store.transaction(async (tx) => (await tx.accounts.list({ maxItems: 10 })).items)).toEqual([]);
      expect((await store.read((r) => r.accounts.list({ maxItems: 10 }))).items).toEqual([]);
    }
  });

  it('catches a nested call made after the transaction function has awaited timers and queries', async () => {
    const store = await opened();
    await expect(
      store.transaction(async (tx) => {
        await tx.accounts.list({ maxItems: 10 });
        await new Promise((resolve) => setTimeout(resolve, 5));
        return store.read((r) => r.accounts.list({ maxItems: 10 }));
      }),
    ).rejects.toBeInstanceOf(NestedTransactionError);
  });

  it('lets a flow started in a transaction use the store once that transaction has ended', async () => {
    const store = await opened();
    let later: Promise<unknown> | undefined;
    await store.transaction(async () => {
      later = new Promise((resolve) => setTimeout(resolve, 20)).then(() => store.read((r) => r.accounts.list({ maxItems: 10 })));
    });
    await expect(later).resolves.toEqual({ items: [], isTruncated: false });
  });

  it.runIf(dialect === 'postgres')('keeps the guard on while another transaction is still running', async () => {
    const store = await opened();
    let releaseFirst: () => void = () => undefined;
    const secondDone = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const first = store.transaction(async () => {
      // The second transaction starts and ends while this one waits...
      await secondDone;
      // ...and a nested call here is still caught.
      return store.read((r) => r.accounts.list({ maxItems: 10 }));
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await store.transaction(async (tx) => tx.accounts.list({ maxItems: 10 }));
    releaseFirst();
    await expect(first).rejects.toBeInstanceOf(NestedTransactionError);
  });
});
