import { createHmac, randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QueryParams } from '@latchkey/aws-query';
import { Argon2idHasher, createAccount, credentialServices, rootCaller, type Caller, type CreatedAccount } from '@latchkey/iam';
import { Keyring, generateMasterKey } from '@latchkey/keyring';
import { createServer, latchkeyServices, type LatchkeyServices } from '@latchkey/server';
import { openStore, type SqlStore } from '@latchkey/store-sql';
import pino from 'pino';

export const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 (SHA-1, 6 digits, 30 s), computed here independently of the server's otplib. */
export function totp(seed: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32Decode(seed)).update(counter).digest();
  const offset = h[h.length - 1]! & 0x0f;
  return String((h.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

export interface LatchkeyTestServer {
  readonly store: SqlStore;
  readonly wiring: LatchkeyServices;
  readonly url: string;
  readonly account: CreatedAccount;
  readonly root: Caller;
  /** An IAM call as the account root, straight through the service (setup, not under test). */
  iam(action: string, values?: Record<string, string>): Promise<unknown>;
  stop(): Promise<void>;
}

/** The real Latchkey server (IAM + STS) in-process on an ephemeral port, SQLite in memory. */
export async function startLatchkey(): Promise<LatchkeyTestServer> {
  const store = await openStore({ url: 'sqlite::memory:' });
  const keyring = Keyring.fromText(generateMasterKey(random), { random });
  const account = await createAccount({ store, keyring, random, now: new Date() }, {});
  const root = rootCaller(account.accountId, account.rootAccessKeyId);
  const clock = (): number => Date.now();
  // A cheap argon2id: hashing cost is not what these tests are about.
  const wiring = latchkeyServices({ store, keyring, random, clock, credentialServices: credentialServices({ passwordHasher: new Argon2idHasher({ memoryCost: 256, timeCost: 1 }) }) });
  const server = await createServer({ store, keyring, random, clock, logger: pino({ level: 'silent' }), ...wiring });
  const http = createHttpServer(server.app);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const params = (action: string, values: Record<string, string>): QueryParams => ({
    action,
    version: '2010-05-08',
    params: new Map([['Action', action], ['Version', '2010-05-08'], ...Object.entries(values)]),
  });
  return {
    store,
    wiring,
    url,
    account,
    root,
    iam: (action, values = {}) => wiring.iam.invoke(action, params(action, values), root, { requestId: 'test', now: new Date(), secureTransport: false, region: 'us-east-1' }),
    async stop() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await server.close();
      await store.close();
    },
  };
}
