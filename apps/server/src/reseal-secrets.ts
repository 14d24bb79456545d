import { secretAccessKeyAad } from '@latchkey/iam';
import type { Keyring } from '@latchkey/keyring';
import type { Store } from '@latchkey/store';

/**
 * Re-encrypts secret access keys sealed under a master key other than the keyring's primary
 * (after `LATCHKEY_MASTER_KEY` gained a new first entry). Each key is authenticated under its old
 * master key first; the old entry can be removed once this reports 0 on every instance.
 */
export async function resealSecrets(store: Store, keyring: Keyring, batch = 100): Promise<number> {
  const primary = keyring.toJSON().primaryKeyId;
  let count = 0;
  for (const keyId of keyring.toJSON().keyIds) {
    if (keyId === primary) continue;
    for (;;) {
      const sealed = await store.read((repos) => repos.accessKeys.listSealedWith(keyId, batch));
      let progressed = false;
      for (const key of sealed) {
        const ciphertext = keyring.reencrypt(key.secret.ciphertext, secretAccessKeyAad(key.id));
        if (await store.transaction((tx) => tx.accessKeys.reseal(key.id, { ciphertext, keyId: keyring.keyIdOf(ciphertext) }))) {
          progressed = true;
          count++;
        }
      }
      // Keys deleted meanwhile cannot be resealed: stop rather than list them again forever.
      if (!progressed) break;
    }
  }
  return count;
}
