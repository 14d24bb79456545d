import { randomBytes } from 'node:crypto';
import { createAccount, type CreatedAccount } from '@latchkey/iam';
import { openStore } from '@latchkey/store-sql';
import pino from 'pino';
import { bootstrapAccount, clientInstructions } from './bootstrap-account.js';
import { ensureDataDir, loadKeyring } from './master-key-file.js';
import {
  ConfigError,
  DEFAULT_PORT,
  DEFAULT_REGION,
  STORAGE_OPTIONS,
  givenRootCredentials,
  parseCommandLine,
  parseServerConfig,
  storageConfig,
  storeUrlOf,
  type StorageConfig,
} from './server-config.js';
import { startServer, type RunningServer } from './start-server.js';

// This file is a `main`: it is where process.env, the wall clock, crypto randomness and signals
// enter. The `latchkey` CLI's command files call these functions.

/** The streams a command writes to (the CLI's CliIo satisfies it). */
export interface CommandIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly cwd: string;
}

const random = (n: number): Uint8Array => randomBytes(n);
const clock = (): number => Date.now();

export { ConfigError };

async function openStorage(config: StorageConfig, warn: (m: string) => void) {
  if (config.databaseUrl === undefined) await ensureDataDir(config.dataDir);
  const { keyring } = await loadKeyring({ dataDir: config.dataDir, random, warn, ...(config.masterKey === undefined ? {} : { masterKey: config.masterKey }) });
  const store = await openStore({ url: storeUrlOf(config) });
  return { keyring, store };
}

function credentialsText(account: CreatedAccount, showSecret: boolean): string {
  return (
    `Account ${account.accountId}\n` +
    `Root access key id:     ${account.rootAccessKeyId}\n` +
    (showSecret ? `Root secret access key: ${account.rootSecretAccessKey}\n(shown this once; it is stored only encrypted)\n` : '')
  );
}

/** `latchkey server`: runs until SIGTERM or SIGINT, then shuts down gracefully. Resolves to the exit status. */
export async function serverMain(args: readonly string[], io: CommandIo): Promise<number> {
  const config = parseServerConfig(args, process.env, io.cwd);
  let running: RunningServer;
  try {
    // Log lines are written in 4 KiB batches (one write per request costs a syscall each); the
    // buffer is flushed on shutdown.
    running = await startServer(config, { random, clock, logDestination: pino.destination({ dest: 1, sync: false, minLength: 4096 }), console: io.stderr });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      io.stderr.write(`latchkey server: cannot listen on ${config.host}:${config.port} (${code}); choose another --port (default ${DEFAULT_PORT})\n`);
      return 1;
    }
    throw err;
  }
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      running.logger.info({ signal }, 'shutting down');
      running.close().then(
        () => resolve(0),
        (err: unknown) => {
          io.stderr.write(`latchkey server: shutdown failed: ${(err as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

/** `latchkey init`. */
export async function initMain(args: readonly string[], io: CommandIo): Promise<number> {
  const config = storageConfig(parseCommandLine(args, STORAGE_OPTIONS), process.env, io.cwd);
  const given = givenRootCredentials(process.env);
  const { keyring, store } = await openStorage(config, (m) => io.stderr.write(`warning: ${m}\n`));
  try {
    const result = await bootstrapAccount({ store, keyring, random, now: new Date(clock()) }, given);
    if (!result.created) {
      io.stdout.write(`Already initialised (${storeUrlOf(config).startsWith('sqlite:') ? config.dataDir : 'database'}): accounts ${result.accountIds.join(', ')}\n`);
      return 0;
    }
    io.stdout.write(`Initialised ${config.databaseUrl === undefined ? config.dataDir : 'the database'}.\n`);
    io.stdout.write(credentialsText(result.account, result.generatedSecret));
    io.stdout.write(
      `Start the server with \`latchkey server\`, then:\n` +
        clientInstructions(`http://127.0.0.1:${DEFAULT_PORT}`, DEFAULT_REGION, {
          accessKeyId: result.account.rootAccessKeyId,
          ...(result.generatedSecret ? { secretAccessKey: result.account.rootSecretAccessKey } : {}),
        }),
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** `latchkey account create`. */
export async function accountCreateMain(args: readonly string[], io: CommandIo): Promise<number> {
  const values = parseCommandLine(args, { ...STORAGE_OPTIONS, 'account-id': { type: 'string' }, json: { type: 'boolean' } });
  const config = storageConfig(values, process.env, io.cwd);
  const accountId = typeof values['account-id'] === 'string' ? values['account-id'] : undefined;
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new ConfigError('--account-id must be 12 digits');
  const { keyring, store } = await openStorage(config, (m) => io.stderr.write(`warning: ${m}\n`));
  try {
    const account = await createAccount({ store, keyring, random, now: new Date(clock()) }, accountId === undefined ? {} : { accountId });
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify({ AccountId: account.accountId, AccessKeyId: account.rootAccessKeyId, SecretAccessKey: account.rootSecretAccessKey })}\n`);
    } else io.stdout.write(credentialsText(account, true));
    return 0;
  } catch (err) {
    if ((err as { code?: string }).code === 'EntityAlreadyExists' || (err as { code?: string }).code === 'InvalidInput') {
      io.stderr.write(`latchkey account create: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

/** `latchkey account list`. */
export async function accountListMain(args: readonly string[], io: CommandIo): Promise<number> {
  const values = parseCommandLine(args, { ...STORAGE_OPTIONS, json: { type: 'boolean' } });
  const config = storageConfig(values, process.env, io.cwd);
  const { store } = await openStorage(config, (m) => io.stderr.write(`warning: ${m}\n`));
  try {
    const accounts = [];
    let marker: string | undefined;
    do {
      const page = await store.read((repos) => repos.accounts.list({ maxItems: 1000, ...(marker === undefined ? {} : { marker }) }));
      accounts.push(...page.items);
      marker = page.isTruncated ? page.marker : undefined;
    } while (marker !== undefined);
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(accounts.map((a) => ({ AccountId: a.id, Alias: a.alias, CreateDate: new Date(a.createdAt).toISOString() })))}\n`);
    } else {
      for (const a of accounts) io.stdout.write(`${a.id}  ${new Date(a.createdAt).toISOString()}  ${a.alias ?? '-'}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
