import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserRecord } from '@latchkey/store';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import type { SqlStore } from '../src/index.js';

// SQLite reads outside transactions skip Kysely's connection queue when no transaction is open
// (CachedSqliteDatabase.readNow); while one is open they must wait and never see its writes.
const ACCOUNT = '123456789012';
const user = (name: string): UserRecord => ({
  accountId: ACCOUNT,
  id: `AIDA${name.toUpperCase().padEnd(17, 'X')}`,
  name,
  path: '/',
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  createdAt: 1,
  permissionsBoundaryArn: null,
  passwordLastUsedAt: null,
});

describe('SqlStore reads beside an open SQLite transaction', () => {
  let store: SqlStore | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    store = undefined;
    dir = undefined;
  });
  const open = async (): Promise<SqlStore> => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-direct-'));
    store = await openStore({ url: `sqlite:${join(dir, 'db.sqlite')}` });
    await store.transaction((tx) => tx.accounts.create({ id: ACCOUNT, alias: null, createdAt: 1 }));
    return store;
  };

  for (const outcome of ['commit', 'rollback'] as const) {
    it(`waits for the transaction and then reads what it left (${outcome})`, async () => {
      const s = await open();
      let open_: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        open_ = resolve;
      });
      let inside: () => void = () => undefined;
      const started = new Promise<void>((resolve) => {
        inside = resolve;
      });
      const writing = s
        .transaction(async (tx) => {
          await tx.users.create(user('pending'));
          inside();
          await gate;
          if (outcome === 'rollback') throw new Error('roll back');
        })
        .catch(() => 'rolled back');
      await started;
      let settled = false;
      const reading = s.read((r) => r.users.getByName(ACCOUNT, 'pending')).finally(() => {
        settled = true;
      });
      const tags = s.read((r) => r.tags.list(ACCOUNT, 'user', user('pending').id));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);
      open_();
      await writing;
      expect(await reading).toEqual(outcome === 'commit' ? user('pending') : undefined);
      expect(await tags).toEqual([]);
    });
  }

  it('reads committed rows at once when nothing is open', async () => {
    const s = await open();
    await s.transaction((tx) => tx.users.create(user('ready')));
    expect(await s.read((r) => r.users.getByName(ACCOUNT, 'READY'))).toEqual(user('ready'));
    expect(await s.read((r) => r.users.getById(ACCOUNT, user('ready').id))).toEqual(user('ready'));
  });
});
