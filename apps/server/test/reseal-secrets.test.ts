import { createAccount, resolveAccessKey } from '@latchkey/iam';
import { Keyring, generateMasterKey } from '@latchkey/keyring';
import { openStore } from '@latchkey/store-sql';
import { describe, expect, it } from 'vitest';
import { resealSecrets } from '../src/reseal-secrets.js';
import { random } from './helpers/in-process-server.js';

describe('resealSecrets', () => {
  it('moves every secret access key under the new primary master key, after which the old key can go', async () => {
    const store = await openStore({ url: 'sqlite::memory:' });
    try {
      const oldKey = generateMasterKey(random, { id: 'old' });
      const newKey = generateMasterKey(random, { id: 'new' });
      const before = Keyring.fromText(oldKey, { random });
      const a = await createAccount({ store, keyring: before, random, now: new Date() });
      const b = await createAccount({ store, keyring: before, random, now: new Date() });
      const rotated = Keyring.fromText(`${newKey},${oldKey}`, { random });
      expect(await resealSecrets(store, rotated, 1)).toBe(2);
      expect(await resealSecrets(store, rotated)).toBe(0);
      const onlyNew = Keyring.fromText(newKey, { random });
      for (const account of [a, b]) {
        const resolved = await resolveAccessKey(store, onlyNew, account.rootAccessKeyId);
        expect(resolved?.secretAccessKey).toBe(account.rootSecretAccessKey);
      }
      // The old key alone can no longer read them.
      await expect(resolveAccessKey(store, before, a.rootAccessKeyId)).rejects.toMatchObject({ code: 'unknownKeyId' });
    } finally {
      await store.close();
    }
  });

  it('does nothing when the keyring has a single key', async () => {
    const store = await openStore({ url: 'sqlite::memory:' });
    try {
      const keyring = Keyring.fromText(generateMasterKey(random), { random });
      await createAccount({ store, keyring, random, now: new Date() });
      expect(await resealSecrets(store, keyring)).toBe(0);
    } finally {
      await store.close();
    }
  });
});
