import { getSigningKey } from '@latchkey/sigv4';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latchkey, remoteCredentialSource } from '../src/index.js';
import { ACCOUNT, client, doc, fixture, listen, orders, type Fixture, type Running } from './helpers/fixture.js';
import { internalApiApp } from './helpers/internal-api-server.js';

let f: Fixture;
let latchkeyServer: Running;
const calls: { action: string; raw: string }[] = [];

/** The orders route behind a remote source; the change watch off unless asked (these tests count lookups per TTL). */
async function serviceWith(credentials: { accessKeyId: string; secretAccessKey: string }, ttl = 5000, watchChanges = false): Promise<Running> {
  const source = remoteCredentialSource({ endpoint: latchkeyServer.url, service: 'orders', credentials, now: () => f.clock.now });
  const mw = latchkey({ service: orders, credentials: source, now: () => f.clock.now, cacheTtlMs: ttl, watchChanges });
  const app = express();
  app.get('/orders/:id', mw, mw.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' }), (req, res) => void res.send(req.latchkey!.principalArn));
  app.use(mw.errorHandler());
  return listen(app);
}

const code = async (res: Response): Promise<[number, string | undefined]> => [res.status, /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1]];

beforeAll(async () => {
  f = await fixture();
  latchkeyServer = await listen(internalApiApp(f, calls));
});

afterAll(async () => {
  await latchkeyServer?.close();
  await f?.close();
});

describe('remoteCredentialSource', () => {
  it('verifies and authorizes through the internal API, once per cache lifetime, receiving only scoped keys', async () => {
    const svc = await f.user('orders-svc', doc({ Effect: 'Allow', Action: ['latchkey:GetServiceSigningKey', 'latchkey:GetPrincipalPolicies'], Resource: `arn:aws:latchkey::${ACCOUNT}:service/orders` }));
    const erin = await f.user('erin', doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }, { Effect: 'Deny', Action: 'orders:GetOrder', Resource: `arn:aws:orders:*:*:order/9` }));
    const service = await serviceWith(svc.credentials);
    try {
      calls.length = 0;
      const c = client(erin.credentials, f.clock);
      const ok = await c(`${service.url}/orders/1`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe(`arn:aws:iam::${ACCOUNT}:user/erin`);
      expect(await code(await c(`${service.url}/orders/9`))).toEqual([403, 'AccessDenied']);
      expect((await c(`${service.url}/orders/2`)).status).toBe(200);
      // One key lookup and one policy lookup served all three requests.
      expect(calls.map((x) => x.action).sort()).toEqual(['GetPrincipalPolicies', 'GetServiceSigningKey']);
      const keyAnswer = JSON.parse(calls.find((x) => x.action === 'GetServiceSigningKey')!.raw) as { SigningKey: string };
      const day = new Date(f.clock.now).toISOString().slice(0, 10).replace(/-/g, '');
      expect(Buffer.from(keyAnswer.SigningKey, 'base64')).toEqual(Buffer.from(getSigningKey(erin.credentials.secretAccessKey, day, 'us-east-1', 'orders')));
      for (const x of calls) expect(x.raw).not.toContain(erin.credentials.secretAccessKey);
    } finally {
      await service.close();
    }
  });

  it('verifies temporary credentials after one lookup per session', async () => {
    const svc = await f.user('orders-svc2', doc({ Effect: 'Allow', Action: 'latchkey:*', Resource: `arn:aws:latchkey::${ACCOUNT}:service/orders` }));
    await f.iamCall('CreateRole', { RoleName: 'Reader', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }) });
    await f.iamCall('PutRolePolicy', { RoleName: 'Reader', PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }) });
    const caller = await f.user('frank', doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }));
    const creds = await f.assumeRole(caller.caller, `arn:aws:iam::${ACCOUNT}:role/Reader`, { Policy: doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: 'arn:aws:orders:*:*:order/1' }) });
    const service = await serviceWith(svc.credentials);
    try {
      calls.length = 0;
      const c = client(creds, f.clock);
      for (let i = 0; i < 3; i++) expect((await c(`${service.url}/orders/1`)).status).toBe(200);
      expect(await code(await c(`${service.url}/orders/2`))).toEqual([403, 'AccessDenied']); // session policy
      expect(calls.filter((x) => x.action === 'GetServiceSigningKey')).toHaveLength(1);
      const expired = { ...creds };
      const saved = f.clock.now;
      f.clock.now = creds.expiration!.getTime() + 10_000;
      try {
        expect(await code(await client(expired, f.clock)(`${service.url}/orders/1`))).toEqual([403, 'ExpiredToken']);
      } finally {
        f.clock.now = saved;
      }
    } finally {
      await service.close();
    }
  });

  it('answers 503 ServiceUnavailable when the service itself is not allowed to ask (and does not cache it)', async () => {
    const svc = await f.user('billing-svc', doc({ Effect: 'Allow', Action: 'latchkey:*', Resource: `arn:aws:latchkey::${ACCOUNT}:service/billing` }));
    const gina = await f.user('gina', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
    const service = await serviceWith(svc.credentials);
    try {
      expect(await code(await client(gina.credentials, f.clock)(`${service.url}/orders/1`))).toEqual([503, 'ServiceUnavailable']);
      await f.iamCall('PutUserPolicy', { UserName: 'billing-svc', PolicyName: 'inline', PolicyDocument: doc({ Effect: 'Allow', Action: 'latchkey:*', Resource: '*' }) });
      expect((await client(gina.credentials, f.clock)(`${service.url}/orders/1`)).status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it('keeps the cached principal object when a reload answers the same, and takes a changed answer', async () => {
    const svc = await f.user('orders-svc4', doc({ Effect: 'Allow', Action: 'latchkey:*', Resource: `arn:aws:latchkey::${ACCOUNT}:service/orders` }));
    const hana = await f.user('hana', doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }));
    const source = remoteCredentialSource({ endpoint: latchkeyServer.url, service: 'orders', credentials: svc.credentials, now: () => f.clock.now });
    const mw = latchkey({ service: orders, credentials: source, now: () => f.clock.now, cacheTtlMs: 4000, watchChanges: false });
    const seen: object[] = [];
    const app = express();
    app.get('/orders/:id', mw, mw.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' }), (req, res) => {
      seen.push(req.latchkey!.principal);
      res.send('ok');
    });
    app.use(mw.errorHandler());
    const service = await listen(app);
    const c = client(hana.credentials, f.clock);
    // the reloads a hit in the last quarter of the TTL starts (in the background)
    const reloaded = async (n: number): Promise<void> => {
      for (let i = 0; i < 200 && calls.length < n; i++) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setImmediate(r));
      expect(calls.length).toBe(n);
    };
    try {
      calls.length = 0;
      expect((await c(`${service.url}/orders/1`)).status).toBe(200);
      expect(calls).toHaveLength(2);
      f.clock.now += 3_500;
      expect((await c(`${service.url}/orders/1`)).status).toBe(200);
      await reloaded(4);
      f.clock.now += 1_000; // past the first answers' lifetime: only the reloaded entries answer now
      expect((await c(`${service.url}/orders/1`)).status).toBe(200);
      expect(seen).toHaveLength(3);
      expect(seen[2]).toBe(seen[0]);
      // A changed answer is taken at the next reload: a Deny added now applies within the TTL.
      await f.iamCall('PutUserPolicy', { UserName: 'hana', PolicyName: 'deny', PolicyDocument: doc({ Effect: 'Deny', Action: 'orders:GetOrder', Resource: '*' }) });
      f.clock.now += 2_200; // into the reloaded entries' last quarter: answered from them, reloaded behind
      expect((await c(`${service.url}/orders/1`)).status).toBe(200);
      await reloaded(6);
      expect(await code(await c(`${service.url}/orders/1`))).toEqual([403, 'AccessDenied']);
    } finally {
      await service.close();
    }
  });

  it('applies pushed changes at once (ListChanges), and goes on by TTL alone for a service not allowed to watch', async () => {
    const watcher = await f.user('orders-svc5', doc({ Effect: 'Allow', Action: 'latchkey:*', Resource: `arn:aws:latchkey::${ACCOUNT}:service/orders` }));
    const noWatch = await f.user('orders-svc6', doc({ Effect: 'Allow', Action: ['latchkey:GetServiceSigningKey', 'latchkey:GetPrincipalPolicies'], Resource: `arn:aws:latchkey::${ACCOUNT}:service/orders` }));
    const ida = await f.user('ida', doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }));
    const build = async (credentials: { accessKeyId: string; secretAccessKey: string }) => {
      const source = remoteCredentialSource({ endpoint: latchkeyServer.url, service: 'orders', credentials, now: () => f.clock.now });
      const mw = latchkey({ service: orders, credentials: source, now: () => f.clock.now, cacheTtlMs: 60_000 });
      const app = express();
      app.get('/orders/:id', mw.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' }), (_req, res) => void res.send('ok'));
      app.use(mw.errorHandler());
      return { mw, running: await listen(app) };
    };
    const watching = await build(watcher.credentials);
    const notWatching = await build(noWatch.credentials);
    const c = client(ida.credentials, f.clock);
    const until = async (what: () => Promise<boolean>): Promise<boolean> => {
      for (let i = 0; i < 100; i++) {
        if (await what()) return true;
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    };
    try {
      expect((await c(`${watching.running.url}/orders/1`)).status).toBe(200);
      expect((await c(`${notWatching.running.url}/orders/1`)).status).toBe(200);
      // The watch's first answer (a reset) drops what was loaded before it: wait until the entry
      // is loaded again, so that the change below is the one that makes the difference.
      await new Promise((r) => setTimeout(r, 200));
      expect((await c(`${watching.running.url}/orders/1`)).status).toBe(200);
      await f.iamCall('PutUserPolicy', { UserName: 'ida', PolicyName: 'deny', PolicyDocument: doc({ Effect: 'Deny', Action: 'orders:GetOrder', Resource: '*' }) });
      // The clock does not move: the TTL (60 s) cannot be what applies it.
      expect(await until(async () => (await c(`${watching.running.url}/orders/1`)).status === 403)).toBe(true);
      expect((await c(`${notWatching.running.url}/orders/1`)).status).toBe(200);
    } finally {
      watching.mw.close();
      notWatching.mw.close();
      await watching.running.close();
      await notWatching.running.close();
    }
  });

  it('reports an unknown access key as InvalidClientTokenId', async () => {
    const svc = await f.user('orders-svc3', doc({ Effect: 'Allow', Action: 'latchkey:*', Resource: '*' }));
    const service = await serviceWith(svc.credentials);
    try {
      expect(await code(await client({ accessKeyId: 'AKIAQQQQQQQQQQQQQQQQ', secretAccessKey: 'y'.repeat(40) }, f.clock)(`${service.url}/orders/1`))).toEqual([403, 'InvalidClientTokenId']);
    } finally {
      await service.close();
    }
  });
});
