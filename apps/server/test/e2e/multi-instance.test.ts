import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, DeleteAccessKeyCommand, DeleteUserPolicyCommand, IAMClient, ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { generateMasterKey } from '@latchkey/keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/start-server.js';
import type { ServerConfig } from '../../src/server-config.js';
import { LogCapture } from '../helpers/in-process-server.js';
import { PG_URL, dropSchema, pgSchemaUrl } from '../helpers/pg-env.js';
import { internalApiCall } from '../helpers/internal-api-call.js';
import { signRequest } from '../helpers/sign.js';

const random = (n: number): Uint8Array => randomBytes(n);
const ROOT = { accessKeyId: 'AKIAMULTIINSTANCE001', secretAccessKey: 'multi/Instance+Secret0123456789abcdefghi' };

/** Calls `probe` until it throws an error named `name`; resolves the milliseconds it took. */
async function untilRefused(probe: () => Promise<unknown>, name: string, giveUpMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      await probe();
    } catch (e) {
      if ((e as Error).name === name) return performance.now() - started;
      throw e;
    }
    if (performance.now() - started > giveUpMs) throw new Error(`still allowed after ${giveUpMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(PG_URL === undefined)('two server instances on one PostgreSQL database', () => {
  let a: RunningServer;
  let b: RunningServer;
  let schema: string;
  let dir: string;
  const clients: IAMClient[] = [];
  const client = (server: RunningServer, creds = ROOT): IAMClient => {
    const c = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    const target = pgSchemaUrl(PG_URL!);
    schema = target.schema;
    dir = mkdtempSync(join(tmpdir(), 'latchkey-multi-'));
    const config: ServerConfig = {
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      databaseUrl: target.url,
      masterKey: generateMasterKey(random),
      logLevel: 'info',
      trustProxy: false,
      // Both in strict mode: a catalog registered through one instance is validated against on the other.
      strictPolicies: true,
      given: { accountId: '313131313131', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey },
    };
    const runtime = { random, clock: () => Date.now(), console: { write: () => true } };
    a = await startServer(config, { ...runtime, logDestination: new LogCapture() });
    b = await startServer(config, { ...runtime, logDestination: new LogCapture() });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(PG_URL!, schema);
  });

  it('share one account (the second start found it)', () => {
    expect(a.bootstrap.created).toBe(true);
    expect(b.bootstrap).toEqual({ created: false, accountIds: ['313131313131'] });
  });

  it('enforce a policy removed through one instance on the other (its cache is invalidated by NOTIFY)', async () => {
    const rootA = client(a);
    await rootA.send(new CreateUserCommand({ UserName: 'mi-user' }));
    await rootA.send(new PutUserPolicyCommand({ UserName: 'mi-user', PolicyName: 'list', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }) }));
    const key = (await rootA.send(new CreateAccessKeyCommand({ UserName: 'mi-user' }))).AccessKey!;
    const userB = client(b, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    // Warm instance B's credential and policy caches.
    expect((await userB.send(new ListUsersCommand({ MaxItems: 1 }))).$metadata.httpStatusCode).toBe(200);
    await rootA.send(new DeleteUserPolicyCommand({ UserName: 'mi-user', PolicyName: 'list' }));
    const ms = await untilRefused(() => userB.send(new ListUsersCommand({ MaxItems: 1 })), 'AccessDenied', 10_000);
    console.info(`[multi-instance] policy change enforced by the other instance after ${ms.toFixed(0)} ms`);
  });

  it('refuse on one instance an access key deleted through the other', async () => {
    const rootA = client(a);
    await rootA.send(new CreateUserCommand({ UserName: 'mi-key' }));
    await rootA.send(new PutUserPolicyCommand({ UserName: 'mi-key', PolicyName: 'list', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }) }));
    const key = (await rootA.send(new CreateAccessKeyCommand({ UserName: 'mi-key' }))).AccessKey!;
    const userB = client(b, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    expect((await userB.send(new ListUsersCommand({ MaxItems: 1 }))).$metadata.httpStatusCode).toBe(200);
    await rootA.send(new DeleteAccessKeyCommand({ UserName: 'mi-key', AccessKeyId: key.AccessKeyId! }));
    const ms = await untilRefused(() => userB.send(new ListUsersCommand({ MaxItems: 1 })), 'InvalidClientTokenId', 10_000);
    console.info(`[multi-instance] deleted key refused by the other instance after ${ms.toFixed(0)} ms`);
  });

  /** A ListChanges call to `server`, signed with the root key. */
  const listChanges = async (server: RunningServer, body: Record<string, unknown>): Promise<{ status: number; json: { Cursor: string; Reset: boolean; Changes: { Kind: string }[] } }> => {
    const text = JSON.stringify({ Service: 'orders', ...body });
    const extra = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'LatchkeyInternal_20261127.ListChanges' };
    const { headers } = signRequest({ url: `${server.url}/`, body: text, ...ROOT, service: 'latchkey', extraHeaders: extra });
    delete headers.host;
    const res = await fetch(`${server.url}/`, { method: 'POST', headers, body: text });
    return { status: res.status, json: (await res.json()) as { Cursor: string; Reset: boolean; Changes: { Kind: string }[] } };
  };

  it('validate policies on one instance against a service catalog registered through the other (strict mode)', async () => {
    const catalog = { name: 'orders', actions: { GetOrder: {}, DeleteOrder: {} } };
    expect((await internalApiCall(a.url, ROOT, 'PutServiceCatalog', { Service: 'orders', Catalog: catalog })).status).toBe(200);
    const rootB = client(b);
    await rootB.send(new CreateUserCommand({ UserName: 'mi-strict' }));
    const put = (action: string) =>
      rootB.send(new PutUserPolicyCommand({ UserName: 'mi-strict', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: action, Resource: '*' }] }) }));
    await expect(put('orders:DeleteOrdr')).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException', message: expect.stringContaining('"orders:DeleteOrdr" is not a known action of orders.') });
    await put('orders:DeleteOrder');
    expect((await internalApiCall(b.url, ROOT, 'DeleteServiceCatalog', { Service: 'orders' })).status).toBe(200);
    await put('orders:DeleteOrdr');
  });

  it("serve ListChanges from one change log: a cursor from one instance is read on the other, and wakes for the other's commits", async () => {
    const first = await listChanges(a, {});
    expect(first.json.Reset).toBe(true);
    const waiting = listChanges(b, { Cursor: first.json.Cursor, WaitTimeSeconds: 20 });
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await client(a).send(new CreateUserCommand({ UserName: 'mi-watched' }));
    const woken = await waiting;
    expect(woken.status).toBe(200);
    expect(woken.json.Reset).toBe(false);
    expect(woken.json.Changes).toEqual([{ Kind: 'user' }]);
    console.info(`[multi-instance] a commit through one instance woke a long poll on the other after ${(performance.now() - started).toFixed(0)} ms`);
  }, 30_000);
});
