import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreContract } from '@latchkey/store/contract';
import { describe } from 'vitest';
import { openStore } from '../src/index.js';
import { dropSchema, PG_URL, uniqueSchema } from './pg-env.js';

runStoreContract('sqlite :memory:', async () => {
  const store = await openStore({ url: 'sqlite::memory:' });
  return { store, dispose: () => store.close() };
});

runStoreContract('sqlite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-store-'));
  const store = await openStore({ url: `sqlite:${join(dir, 'latchkey.db')}` });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const pgUrl = PG_URL;
if (pgUrl === undefined) {
  describe.skip('postgres (unreachable)', () => undefined);
} else {
  runStoreContract('postgres', async () => {
    const schema = uniqueSchema();
    const store = await openStore({ url: pgUrl, schema });
    const peers: { close(): Promise<void> }[] = [];
    return {
      store,
      openPeer: async () => {
        const peer = await openStore({ url: pgUrl, schema });
        peers.push(peer);
        return peer;
      },
      dispose: async () => {
        for (const peer of peers) await peer.close();
        await store.close();
        await dropSchema(pgUrl, schema);
      },
    };
  });
}
