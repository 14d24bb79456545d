import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { Argon2idHasher, createAccount, credentialServices, type CreatedAccount } from '@latchkey/iam';
import { Keyring, generateMasterKey } from '@latchkey/keyring';
import { openStore, type SqlStore } from '@latchkey/store-sql';
import type { StsService } from '@latchkey/sts';
import pino from 'pino';
import { createServer, type LatchkeyServer } from '../../src/create-server.js';
import { jwksFetcher } from '../../src/jwks-fetcher.js';
import { latchkeyServices } from '../../src/latchkey-services.js';
import { LOG_REDACT_PATHS } from '../../src/redact.js';
import { LogCapture, random } from './in-process-server.js';

export interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface StsTestServer {
  readonly url: string;
  readonly store: SqlStore;
  readonly keyring: Keyring;
  readonly server: LatchkeyServer;
  readonly sts: StsService;
  /** Two accounts (cross-account AssumeRole). */
  readonly account: CreatedAccount;
  readonly other: CreatedAccount;
  readonly logs: LogCapture;
  rootKeys(account?: CreatedAccount): Keys;
  iam(keys?: Keys): IAMClient;
  stsClient(keys?: Keys): STSClient;
  stop(): Promise<void>;
}

export interface StsStartOptions {
  readonly clock?: () => number;
  /** Per issuer: JWKS file path or URL (the server's `--oidc-jwks`). */
  readonly jwksSources?: ReadonlyMap<string, string>;
}

/**
 * The real server with IAM and STS wired as `startServer` wires them (latchkeyServices), in
 * process on an ephemeral port, SQLite in memory, two accounts, a cheap argon2id for passwords.
 */
export async function startStsServer(options: StsStartOptions = {}): Promise<StsTestServer> {
  const store = await openStore({ url: 'sqlite::memory:' });
  const keyring = Keyring.fromText(generateMasterKey(random), { random });
  const clock = options.clock ?? (() => Date.now());
  const logs = new LogCapture();
  const logger = pino({ level: 'info', redact: { paths: [...LOG_REDACT_PATHS], censor: '[REDACTED]' } }, logs);
  const account = await createAccount({ store, keyring, random, now: new Date(clock()) }, {});
  const other = await createAccount({ store, keyring, random, now: new Date(clock()) }, {});
  const wiring = latchkeyServices({
    store,
    keyring,
    random,
    clock,
    credentialServices: credentialServices({ passwordHasher: new Argon2idHasher({ memoryCost: 256, timeCost: 1 }) }),
    webIdentity: { fetchJwks: jwksFetcher({ fetch: globalThis.fetch, readFile: (p) => readFile(p, 'utf8'), ...(options.jwksSources === undefined ? {} : { sources: options.jwksSources }) }) },
  });
  const server = await createServer({ store, keyring, random, clock, logger, health: () => store.health(), ...wiring });
  const http: Server = createHttpServer(server.handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: { destroy(): void }[] = [];
  const rootKeys = (a: CreatedAccount = account): Keys => ({ accessKeyId: a.rootAccessKeyId, secretAccessKey: a.rootSecretAccessKey });
  return {
    url,
    store,
    keyring,
    server,
    sts: wiring.sts,
    account,
    other,
    logs,
    rootKeys,
    iam(keys = rootKeys()) {
      const c = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    stsClient(keys = rootKeys()) {
      const c = new STSClient({ endpoint: url, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.destroy();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await server.close();
      await store.close();
    },
  };
}
