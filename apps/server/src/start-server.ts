import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { AuditTrail } from '@latchkey/iam';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RandomBytes } from '@latchkey/model';
import { bufferedRandom } from '@latchkey/keyring';
import { openStore, type SqlStore } from '@latchkey/store-sql';
import pino, { type DestinationStream, type Logger } from 'pino';
import { bootstrapAccount, clientInstructions, type BootstrapResult } from './bootstrap-account.js';
import { createServer, type LatchkeyServer } from './create-server.js';
import { jwksFetcher } from './jwks-fetcher.js';
import { latchkeyServices } from './latchkey-services.js';
import { ensureDataDir, loadKeyring } from './master-key-file.js';
import { LOG_REDACT_PATHS } from './redact.js';
import { resealSecrets } from './reseal-secrets.js';
import { DEFAULT_REGION, storeUrlOf, type ServerConfig } from './server-config.js';

/** What `main` hands over: the only process-level facts the server uses. */
export interface ServerRuntime {
  readonly random: RandomBytes;
  readonly clock: () => number;
  /** Where JSON log lines go (stdout in production). */
  readonly logDestination: DestinationStream;
  /** Human-facing start-up text (the endpoint, first-start credentials): stderr in production. */
  readonly console: { write(text: string): unknown };
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly store: SqlStore;
  readonly server: LatchkeyServer;
  readonly logger: Logger;
  readonly bootstrap: BootstrapResult;
  /** Stops accepting connections, lets in-flight requests finish (up to `graceMs`), closes the store. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Opens the store (migrations applied), loads the keyring, creates the first account on first
 * start, and listens. Prints how to point clients at it, and the root credentials once when they
 * were generated; nothing secret ever goes to the log.
 */
export async function startServer(config: ServerConfig, runtime: ServerRuntime): Promise<RunningServer> {
  // Ids, keys, secrets, nonces and audit event ids are drawn a few bytes at a time; one 4 KiB
  // draw from the runtime's source serves many of them (each randomBytes call costs
  // microseconds whatever its size). Everything the server wires below shares this one pool.
  const random = bufferedRandom(runtime.random);
  const logger = pino({ level: config.logLevel, base: { service: 'latchkey' }, redact: { paths: [...LOG_REDACT_PATHS], censor: '[REDACTED]' } }, runtime.logDestination);
  const warn = (message: string): void => logger.warn(message);
  if (config.databaseUrl === undefined) await ensureDataDir(config.dataDir);
  const { keyring } = await loadKeyring({ dataDir: config.dataDir, random, warn, ...(config.masterKey === undefined ? {} : { masterKey: config.masterKey }) });
  const store = await openStore({ url: storeUrlOf(config) });
  let server: LatchkeyServer | undefined;
  let http: Server | undefined;
  let auditFile: WriteStream | undefined;
  try {
    const bootstrap = await bootstrapAccount({ store, keyring, random, now: new Date(runtime.clock()) }, config.given);
    if (!bootstrap.created && config.given.rootAccessKeyId !== undefined) {
      const known = await store.read((repos) => repos.accessKeys.get(config.given.rootAccessKeyId as string));
      if (known === undefined) warn('LATCHKEY_ROOT_ACCESS_KEY_ID is ignored: the store already has accounts (use `latchkey account create` for another)');
    }
    // The audit trail lives in the store (hash-chained); --audit-log mirrors it as JSON lines.
    let auditSink: ((line: string) => void) | undefined;
    if (config.auditLog === '-') {
      auditSink = (line) => runtime.logDestination.write(`${line}\n`);
    } else if (config.auditLog !== undefined) {
      auditFile = createWriteStream(config.auditLog, { flags: 'a', mode: 0o600 });
      auditFile.on('error', (err) => logger.error({ error: { message: err.message } }, 'cannot write the audit log file'));
      const file = auditFile;
      auditSink = (line) => void file.write(`${line}\n`);
    }
    server = await createServer({
      audit: new AuditTrail({ store, random, ...(auditSink === undefined ? {} : { sink: auditSink }) }),
      store,
      keyring,
      random,
      clock: runtime.clock,
      logger,
      health: () => store.health(),
      trustProxy: config.trustProxy,
      ...latchkeyServices({
        store,
        keyring,
        random,
        clock: runtime.clock,
        ...(config.strictPolicies === true ? { strictPolicies: true } : {}),
        webIdentity: { fetchJwks: jwksFetcher({ fetch: globalThis.fetch, readFile: (path) => readFile(path, 'utf8'), ...(config.oidcJwks === undefined ? {} : { sources: config.oidcJwks }) }) },
      }),
      ...(config.maxBodyBytes === undefined ? {} : { maxBodyBytes: config.maxBodyBytes }),
    });
    http = createHttpServer(server.handler);
    // Slow or idle clients must not pin sockets forever.
    http.headersTimeout = 20_000;
    http.requestTimeout = 60_000;
    http.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      http!.once('error', reject);
      http!.listen(config.port, config.host, () => {
        http!.off('error', reject);
        resolve();
      });
    });
    const port = (http.address() as AddressInfo).port;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${shownHost}:${port}`;
    logger.info({ url, store: store.dialect, accounts: bootstrap.created ? [bootstrap.account.accountId] : bootstrap.accountIds }, 'listening');

    let text = `Latchkey IAM/STS endpoint listening on ${url} (store: ${store.dialect === 'sqlite' ? storeUrlOf(config) : 'postgres'})\n`;
    if (bootstrap.created) {
      const a = bootstrap.account;
      text += `Created account ${a.accountId} with root access key ${a.rootAccessKeyId}.\n`;
      if (bootstrap.generatedSecret) text += 'Its secret access key is shown this once; it is stored only encrypted:\n';
      text += clientInstructions(url, DEFAULT_REGION, { accessKeyId: a.rootAccessKeyId, ...(bootstrap.generatedSecret ? { secretAccessKey: a.rootSecretAccessKey } : {}) });
    } else {
      text += `Accounts: ${bootstrap.accountIds.join(', ')}\n` + clientInstructions(url, DEFAULT_REGION);
    }
    runtime.console.write(text);

    // Secrets sealed under an older master key move to the primary in the background (rotation without downtime).
    void resealSecrets(store, keyring).then(
      (count) => count > 0 && logger.info({ count }, 'resealed secret access keys under the primary master key'),
      (err: unknown) => logger.warn({ error: { message: (err as Error).message } }, 'resealing secrets failed; will retry on next start'),
    );

    const running = server;
    const listening = http;
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      store,
      server: running,
      logger,
      bootstrap,
      close(graceMs = 10_000) {
        closing ??= (async () => {
          // Services' long polls would hold their connections open until the grace period ends.
          running.releaseWaiting();
          const closed = new Promise<void>((resolve) => listening.close(() => resolve()));
          listening.closeIdleConnections();
          const timer = setTimeout(() => listening.closeAllConnections(), graceMs);
          await closed;
          clearTimeout(timer);
          await running.close();
          await store.close();
          if (auditFile !== undefined) await new Promise<void>((resolve) => auditFile!.end(() => resolve()));
          logger.info('stopped');
          await new Promise<void>((resolve) => logger.flush(() => resolve()));
        })();
        return closing;
      },
    };
  } catch (err) {
    http?.close();
    await server?.close();
    await store.close();
    throw err;
  }
}
