import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Keyring, generateMasterKey, isKeyringError } from '@latchkey/keyring';
import type { RandomBytes } from '@latchkey/model';
import { ConfigError, MASTER_KEY_FILE } from './server-config.js';

export interface LoadKeyringOptions {
  readonly dataDir: string;
  /** `LATCHKEY_MASTER_KEY`, when set: the file is then neither read nor created. */
  readonly masterKey?: string;
  readonly random: RandomBytes;
  /** Operator warnings (a generated key file, loose permissions). */
  readonly warn: (message: string) => void;
}

export interface LoadedKeyring {
  readonly keyring: Keyring;
  readonly source: 'environment' | 'file' | 'generated';
  readonly path?: string;
}

/** Creates the data directory (mode 0700: it holds the key file and the database). */
export async function ensureDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
}

/**
 * The keyring from `LATCHKEY_MASTER_KEY`, or from `master.key` in the data directory, generated
 * on first use with mode 0600 and a warning (whoever reads the file and the database has every
 * secret). Keyring errors name entry positions only, never key text.
 */
export async function loadKeyring(options: LoadKeyringOptions): Promise<LoadedKeyring> {
  const random = options.random;
  if (options.masterKey !== undefined) {
    try {
      return { keyring: Keyring.fromText(options.masterKey, { random }), source: 'environment' };
    } catch (err) {
      // Keyring messages name entry positions and ids only, never key text.
      if (isKeyringError(err)) throw new ConfigError(`LATCHKEY_MASTER_KEY: ${err.message}`);
      throw err;
    }
  }
  await ensureDataDir(options.dataDir);
  const path = join(options.dataDir, MASTER_KEY_FILE);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    const mode = (await stat(path)).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      options.warn(`master key file ${path} is readable by other users (mode ${mode.toString(8)}); restricting it to 0600`);
      await chmod(path, 0o600);
    }
    return { keyring: Keyring.fromText(text.trim(), { random }), source: 'file', path };
  }
  const entry = generateMasterKey(random);
  try {
    // `wx`: never overwrite a key another process created meanwhile (its ciphertexts would be lost).
    await writeFile(path, `${entry}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadKeyring(options);
    throw err;
  }
  options.warn(
    `generated a master key in ${path} (mode 0600). It encrypts every secret access key: back it up with the database, ` +
      'or set LATCHKEY_MASTER_KEY from a secret store in production.',
  );
  return { keyring: Keyring.fromText(entry, { random }), source: 'generated', path };
}
