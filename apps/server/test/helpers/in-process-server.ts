import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { IAMClient } from '@aws-sdk/client-iam';
import { createAccount, type CreatedAccount } from '@latchkey/iam';
import { Keyring, generateMasterKey } from '@latchkey/keyring';
import { openStore, type SqlStore } from '@latchkey/store-sql';
import pino from 'pino';
import { createServer, type LatchkeyServer } from '../../src/create-server.js';
import { LOG_REDACT_PATHS } from '../../src/redact.js';
import { latchkeyServices } from '../../src/latchkey-services.js';

export const random = (n: number): Uint8Array => randomBytes(n);

/** Every log line the server wrote, as text (for secret scans) and parsed. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line.length > 0) this.lines.push(line);
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface TestServer {
  readonly url: string;
  readonly store: SqlStore;
  readonly keyring: Keyring;
  readonly server: LatchkeyServer;
  readonly account: CreatedAccount;
  readonly logs: LogCapture;
  /** An IAM client signing with the given keys (default: the account root). */
  client(credentials?: { accessKeyId: string; secretAccessKey: string }, region?: string): IAMClient;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly storeUrl?: string;
  readonly clock?: () => number;
  readonly maxBodyBytes?: number;
  readonly account?: { accountId?: string; rootAccessKeyId?: string; rootSecretAccessKey?: string };
  /** Serve IAM and STS as `latchkey server` does (`latchkeyServices`), in strict mode (`--strict-policies`). */
  readonly strictPolicies?: boolean;
}

/** The real server, in-process, on an ephemeral port (SQLite in memory unless told otherwise). */
export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const store = await openStore({ url: options.storeUrl ?? 'sqlite::memory:' });
  const keyring = Keyring.fromText(generateMasterKey(random), { random });
  const clock = options.clock ?? (() => Date.now());
  const logs = new LogCapture();
  const logger = pino({ level: 'info', redact: { paths: [...LOG_REDACT_PATHS], censor: '[REDACTED]' } }, logs);
  const account = await createAccount({ store, keyring, random, now: new Date(clock()) }, options.account ?? {});
  const server = await createServer({
    store,
    keyring,
    random,
    clock,
    logger,
    health: () => store.health(),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.strictPolicies === true ? latchkeyServices({ store, keyring, random, clock, strictPolicies: true }) : {}),
  });
  const http: Server = createHttpServer(server.handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: IAMClient[] = [];
  return {
    url,
    store,
    keyring,
    server,
    account,
    logs,
    client(credentials, region = 'us-east-1') {
      const c = new IAMClient({
        endpoint: url,
        region,
        credentials: credentials ?? { accessKeyId: account.rootAccessKeyId, secretAccessKey: account.rootSecretAccessKey },
        maxAttempts: 1,
      });
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
