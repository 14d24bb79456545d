import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli-io.js';
import { runCatalogDelete, runCatalogGet, runCatalogPut, type CatalogDeps } from '../src/commands/catalog.js';
import { UsageError } from '../src/usage-error.js';
import { runInProcess } from './helpers/run.js';
import { startLatchkey, type LatchkeyTestServer } from './helpers/latchkey-server.js';

const CATALOG = 'test/fixtures/orders-catalog.json';
let server: LatchkeyTestServer;
let root: CatalogDeps;

function io(stdin = ''): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdinStream = new PassThrough();
  stdinStream.end(stdin);
  return { stdout, stderr, stdin: stdinStream, cwd: process.cwd(), out: () => out, err: () => err };
}

beforeAll(async () => {
  server = await startLatchkey();
  const keys = { accessKeyId: server.account.rootAccessKeyId, secretAccessKey: server.account.rootSecretAccessKey };
  root = { env: { LATCHKEY_ENDPOINT: server.url }, credentials: async () => keys };
});
afterAll(async () => server?.stop());

describe('latchkey catalog', () => {
  it('puts, gets (as policy validate --catalog reads it) and deletes a service catalog', async () => {
    const put = io();
    expect(await runCatalogPut([CATALOG], put, root)).toBe(0);
    expect(JSON.parse(put.out())).toEqual({ Service: 'orders', UpdatedAt: expect.any(Number) });

    const get = io();
    expect(await runCatalogGet(['orders'], get, root)).toBe(0);
    const catalog = JSON.parse(get.out()) as { name: string; actions: Record<string, unknown> };
    expect(catalog.name).toBe('orders');
    expect(Object.keys(catalog.actions)).toEqual(['ListOrders', 'GetOrder', 'DeleteOrder']);

    const del = io();
    expect(await runCatalogDelete(['orders'], del, root)).toBe(0);
    expect(del.err()).toBe('removed the catalog of orders\n');
    const gone = io();
    expect(await runCatalogGet(['orders'], gone, root)).toBe(1);
    expect(gone.err()).toBe('latchkey catalog get: ResourceNotFoundException: No service catalog is registered for service orders.\n');
  });

  it('reads the catalog from standard input and answers the server’s refusal with exit 1', async () => {
    const user = 'no-latchkey';
    await server.iam('CreateUser', { UserName: user });
    const key = (await server.iam('CreateAccessKey', { UserName: user })) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
    const denied: CatalogDeps = { env: { LATCHKEY_ENDPOINT: server.url }, credentials: async () => ({ accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey }) };
    const run = io(JSON.stringify({ name: 'billing', actions: { GetInvoice: {} } }));
    expect(await runCatalogPut(['-'], run, denied)).toBe(1);
    expect(run.err()).toContain(`latchkey catalog put: AccessDenied: User: arn:aws:iam::${server.account.accountId}:user/${user} is not authorized to perform: latchkey:PutServiceCatalog`);
    expect(await server.store.read((r) => r.serviceCatalogs.count(server.account.accountId))).toBe(0);
  });

  it('refuses usage mistakes before signing anything (exit 2)', async () => {
    await expect(runCatalogPut([CATALOG], io(), { env: {} })).rejects.toThrow(new UsageError('no Latchkey endpoint: pass --endpoint-url or set LATCHKEY_ENDPOINT'));
    await expect(runCatalogPut(['test/fixtures/valid-identity.json'], io(), root)).rejects.toThrow('the catalog: unknown member "Version"');
    await expect(runCatalogGet(['Orders'], io(), root)).rejects.toThrow("'Orders' is not a service name");
    await expect(runCatalogGet([], io(), root)).rejects.toThrow('give exactly one service name');
    await expect(runCatalogGet(['orders', '--endpoint-url', 'ftp://x'], io(), root)).rejects.toThrow('the endpoint must be an http(s) URL');
    const unreachable = io();
    expect(await runCatalogGet(['orders', '--endpoint-url', 'http://127.0.0.1:9'], unreachable, root)).toBe(1);
    expect(unreachable.err()).toMatch(/^latchkey catalog get: ServiceUnavailable: Service is unable to handle request\. \(internal API GetServiceCatalog: /);
  });

  it('is listed by latchkey --help and explains itself', async () => {
    expect((await runInProcess(['--help'])).stdout).toContain('catalog');
    const help = await runInProcess(['catalog', 'put', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: latchkey catalog put FILE');
  });
});
