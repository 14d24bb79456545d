import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IamService } from '@latchkey/iam';
import { NoSuchEntity } from '@latchkey/errors';
import { Keyring, generateMasterKey } from '@latchkey/keyring';
import { createAccount } from '@latchkey/iam';
import { openStore } from '@latchkey/store-sql';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type CreateServerOptions } from '../src/create-server.js';
import type { QueryServiceHandler } from '../src/query-service.js';
import { LogCapture, random } from './helpers/in-process-server.js';
import { amzDateOf, send, signRequest } from './helpers/sign.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A server whose IAM service is replaced by `invoke`, on a fixed clock. */
async function serverWith(
  invoke: QueryServiceHandler['invoke'],
  now = Date.UTC(2026, 10, 27, 12, 0, 0),
  temporaryCredentials?: CreateServerOptions['temporaryCredentials'],
  listener: 'handler' | 'app' = 'handler',
) {
  const store = await openStore({ url: 'sqlite::memory:' });
  const keyring = Keyring.fromText(generateMasterKey(random), { random });
  const account = await createAccount({ store, keyring, random, now: new Date(now) });
  const logs = new LogCapture();
  const iam = new IamService({ store, keyring, random });
  const service: QueryServiceHandler = { signingName: 'iam', namespace: 'https://iam.amazonaws.com/doc/2010-05-08/', version: '2010-05-08', has: (a) => a === 'Boom', invoke };
  const server = await createServer({ store, keyring, random, clock: () => now, logger: pino(logs), iam, services: [service], ...(temporaryCredentials === undefined ? {} : { temporaryCredentials }) });
  const http = createHttpServer(listener === 'handler' ? server.handler : server.app);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
    await server.close();
    await store.close();
  });
  const creds = { accessKeyId: account.rootAccessKeyId, secretAccessKey: account.rootSecretAccessKey };
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, logs, creds, amzDate: amzDateOf(now), server };
}

describe('createServer', () => {
  it('answers an unexpected exception with 500 InternalFailure, no detail in the response, and logs it', async () => {
    const s = await serverWith(async () => {
      throw new TypeError('database exploded at /srv/secret/path');
    });
    const r = await send(s.url, 'Action=Boom&Version=2010-05-08', s.creds, { amzDate: s.amzDate });
    expect(r.status).toBe(500);
    expect(r.text).toContain('<Type>Receiver</Type><Code>InternalFailure</Code>');
    expect(r.text).toContain('The request processing has failed because of an unknown error, exception or failure.');
    expect(r.text).not.toContain('exploded');
    expect(r.text).not.toContain('TypeError');
    const failure = s.logs.records().find((l) => l.msg === 'internal failure');
    expect(failure).toMatchObject({ requestId: r.headers.get('x-amzn-requestid'), error: { type: 'TypeError', message: 'database exploded at /srv/secret/path' } });
    expect(s.server.metrics.render()).toContain('latchkey_internal_failures_total 1');
  });

  it('renders a typed error with its own code and status and never its detail', async () => {
    const s = await serverWith(async () => {
      throw new NoSuchEntity('The user with name x cannot be found.', { detail: 'row 42 missing in shard 7' });
    });
    const r = await send(s.url, 'Action=Boom&Version=2010-05-08', s.creds, { amzDate: s.amzDate });
    expect(r.status).toBe(404);
    expect(r.text).toContain('<Code>NoSuchEntity</Code><Message>The user with name x cannot be found.</Message>');
    expect(r.text).not.toContain('shard');
  });

  it('verifies signatures against the injected clock, not the machine clock', async () => {
    const s = await serverWith(async () => ({ Ok: true }));
    const ok = await send(s.url, 'Action=Boom&Version=2010-05-08', s.creds, { amzDate: s.amzDate });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<BoomResult><Ok>true</Ok></BoomResult>');
    const now = await send(s.url, 'Action=Boom&Version=2010-05-08', s.creds);
    expect(now.status).toBe(403);
  });

  it('passes the caller, source address, region and request id to the service', async () => {
    let seen: unknown;
    const s = await serverWith(async (_req, _q, caller, env) => {
      seen = { arn: caller.arn, ip: env.sourceIp, region: env.region, requestId: env.requestId, secure: env.secureTransport, now: env.now.toISOString() };
      return undefined;
    });
    const r = await send(s.url, 'Action=Boom&Version=2010-05-08', s.creds, { amzDate: s.amzDate, region: 'eu-central-1' });
    expect(r.status).toBe(200);
    expect(seen).toEqual({
      arn: expect.stringMatching(/^arn:aws:iam::\d{12}:root$/),
      ip: '127.0.0.1',
      region: 'eu-central-1',
      requestId: r.headers.get('x-amzn-requestid'),
      secure: false,
      now: '2026-11-27T12:00:00.000Z',
    });
  });

  it('resolves temporary (ASIA) keys through the injected lookup, with the session token it was signed with', async () => {
    const tempKey = 'ASIAEXAMPLETEMP00001';
    const tempSecret = 't'.repeat(40);
    const seen: (string | undefined)[] = [];
    let caller: string | undefined;
    const s = await serverWith(
      async (_req, _q, c) => {
        caller = c.arn;
        return undefined;
      },
      undefined,
      (input) => {
        seen.push(input.sessionToken);
        if (input.sessionToken !== 'good-token') return undefined;
        return {
          secretAccessKey: tempSecret,
          requiresSessionToken: true,
          principal: { kind: 'assumed-role', accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/R/s', userId: 'AROAEXAMPLE:s', identity: { kind: 'root' } },
        };
      },
    );
    const creds = { accessKeyId: tempKey, secretAccessKey: tempSecret };
    const ok = await send(s.url, 'Action=Boom&Version=2010-05-08', creds, { amzDate: s.amzDate, extraHeaders: { 'x-amz-security-token': 'good-token' } });
    expect(ok.status).toBe(200);
    expect(caller).toBe('arn:aws:sts::123456789012:assumed-role/R/s');
    const bad = await send(s.url, 'Action=Boom&Version=2010-05-08', creds, { amzDate: s.amzDate, extraHeaders: { 'x-amz-security-token': 'forged' } });
    expect(bad.status).toBe(403);
    expect(bad.text).toContain('<Code>InvalidClientTokenId</Code>');
    expect(seen).toEqual(['good-token', 'forged']);
  });

  it('refuses temporary keys when no temporary lookup is configured', async () => {
    const s = await serverWith(async () => undefined);
    const r = await send(s.url, 'Action=Boom&Version=2010-05-08', { accessKeyId: 'ASIAEXAMPLETEMP00001', secretAccessKey: 't'.repeat(40) }, { amzDate: s.amzDate, extraHeaders: { 'x-amz-security-token': 'x' } });
    expect(r.status).toBe(403);
    expect(r.text).toContain('<Code>InvalidClientTokenId</Code>');
  });
});

describe('the request listener', () => {
  /** A request as the parity check sends it: to `path`, signed as a Query call unless `sign` is false. */
  interface Probe {
    readonly name: string;
    readonly method: 'GET' | 'POST' | 'PUT';
    readonly path: string;
    readonly body?: string;
    readonly sign?: boolean;
    readonly headers?: Readonly<Record<string, string>>;
    /** Goes through Express (health, metrics, internal API) rather than straight to the Query handler. */
    readonly viaExpress: boolean;
  }
  const probes: readonly Probe[] = [
    { name: 'signed Query POST', method: 'POST', path: '/', body: 'Action=Boom&Version=2010-05-08', viaExpress: false },
    { name: 'signed Query POST to another path (AWS ignores it)', method: 'POST', path: '/healthz', body: 'Action=Boom&Version=2010-05-08', viaExpress: true },
    { name: 'unknown action', method: 'POST', path: '/', body: 'Action=NoSuchThing&Version=2010-05-08', viaExpress: false },
    { name: 'no Action: redirect', method: 'GET', path: '/?Foo=1', sign: false, viaExpress: false },
    { name: 'unsigned call', method: 'POST', path: '/', body: 'Action=Boom&Version=2010-05-08', sign: false, viaExpress: false },
    { name: 'method not allowed', method: 'PUT', path: '/', body: 'Action=Boom', sign: false, viaExpress: false },
    { name: 'health', method: 'GET', path: '/healthz', sign: false, viaExpress: true },
    { name: 'health, other spelling', method: 'GET', path: '/HEALTHZ/?probe=1', sign: false, viaExpress: true },
    { name: 'metrics', method: 'GET', path: '/metrics', sign: false, viaExpress: true },
    { name: 'metrics-like path is a Query call', method: 'GET', path: '/metricsx', sign: false, viaExpress: false },
    {
      name: 'internal API call',
      method: 'POST',
      path: '/',
      body: '{}',
      sign: false,
      headers: { 'x-amz-target': 'LatchkeyInternal_20261101.GetServiceSigningKey', 'content-type': 'application/x-amz-json-1.1' },
      viaExpress: true,
    },
  ];

  async function call(s: Awaited<ReturnType<typeof serverWith>>, p: Probe): Promise<{ status: number; type: string | null; allow: string | null; location: string | null; text: string }> {
    const url = `${s.url}${p.path}`;
    const body = p.body ?? '';
    const signed = p.sign === false ? {} : signRequest({ url, body, ...s.creds, amzDate: s.amzDate, ...(p.method === 'PUT' ? {} : { method: p.method }) }).headers;
    delete (signed as Record<string, string>).host;
    const res = await fetch(url, { method: p.method, headers: { ...signed, ...p.headers }, ...(p.method === 'GET' ? {} : { body }), redirect: 'manual' });
    const text = (await res.text()).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
    return { status: res.status, type: res.headers.get('content-type'), allow: res.headers.get('allow'), location: res.headers.get('location'), text };
  }

  it('answers every request exactly as the Express app does', async () => {
    const direct = await serverWith(async () => undefined);
    const viaApp = await serverWith(async () => undefined, undefined, undefined, 'app');
    for (const p of probes) {
      const [a, b] = [await call(direct, p), await call(viaApp, p)];
      // Metrics bodies count the requests so far; their status and type must agree.
      if (p.path === '/metrics') expect({ ...a, text: '' }, p.name).toEqual({ ...b, text: '' });
      else expect(a, p.name).toEqual(b);
    }
  });

  it('sends only health, metrics and internal API calls through Express', async () => {
    const s = await serverWith(async () => undefined);
    const app = s.server.app as unknown as { handle: (...args: unknown[]) => unknown };
    const original = app.handle.bind(app);
    let expressCalls = 0;
    app.handle = (...args: unknown[]) => {
      expressCalls++;
      return original(...args);
    };
    for (const p of probes) {
      const before = expressCalls;
      await call(s, p);
      expect(expressCalls - before, p.name).toBe(p.viaExpress ? 1 : 0);
    }
  });
});
