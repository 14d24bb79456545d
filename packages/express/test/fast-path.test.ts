import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latchkey, type CredentialSource, type LatchkeyMiddleware } from '../src/index.js';
import { ACCOUNT, client, doc, fixture, listen, orders, type Fixture, type Running } from './helpers/fixture.js';

// The synchronous path (template resources, no hooks, cached answers) reuses a principal's
// request context within one second and splits resource templates once: every input that the
// context depends on must still be seen per request.

let f: Fixture;
let app: Running;
let lk: LatchkeyMiddleware<typeof orders>;
let ivy: Awaited<ReturnType<Fixture['user']>>;
let joe: Awaited<ReturnType<Fixture['user']>>;
const DEADLINE = '2026-12-01T00:00:00Z';

async function codeOf(res: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
}

beforeAll(async () => {
  f = await fixture();
  f.clock.now = Date.parse(DEADLINE) - 1500;
  ivy = await f.user(
    'ivy',
    doc(
      {
        Effect: 'Allow',
        Action: 'orders:GetOrder',
        Resource: `arn:aws:orders:us-east-1:${ACCOUNT}:order/*`,
        Condition: { StringLike: { 'aws:UserAgent': 'good-agent*' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' }, DateLessThan: { 'aws:CurrentTime': DEADLINE } },
      },
      { Effect: 'Deny', Action: 'orders:GetOrder', Resource: 'arn:aws:orders:*:*:order/locked*' },
    ),
  );
  joe = await f.user('joe', doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: `arn:aws:orders:us-east-1:${ACCOUNT}:order/*/line/*` }));
  // watchChanges off: these tests are about what is kept between reloads (pushed changes: latchkey.test.ts)
  lk = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now, trustProxy: 1, cacheTtlMs: 60_000, watchChanges: false });
  const a = express();
  a.get('/orders/:id', lk, lk.authorize({ action: 'orders:GetOrder', resource: 'arn:${Partition}:orders:${Region}:${Account}:order/${id}' }), (req, res) => {
    res.json({ resource: req.latchkey?.decision?.resource, decision: req.latchkey?.decision?.decision });
  });
  a.get('/orders/:id/line/:line', lk, lk.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}/line/${line}' }), (req, res) => {
    res.json({ resource: req.latchkey?.decision?.resource });
  });
  a.get('/broken/:id', lk, lk.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${orderId}' }), (_req, res) => {
    res.json({});
  });
  a.use(lk.errorHandler());
  app = await listen(a);
});

afterAll(async () => {
  await app?.close();
  await f?.close();
});

describe('latchkey (synchronous path)', () => {
  it('sees a changed User-Agent and source address within the same second', async () => {
    const c = client(ivy.credentials, f.clock);
    const get = (ua: string, ip: string) => c(`${app.url}/orders/42`, { headers: { 'user-agent': ua, 'x-forwarded-for': ip } });
    // Twice each, so the second request of every kind is answered from the reused context.
    for (let i = 0; i < 2; i++) {
      const ok = await get('good-agent/1.0', '198.51.100.7');
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ resource: `arn:aws:orders:us-east-1:${ACCOUNT}:order/42`, decision: 'allowed' });
      expect(await codeOf(await get('bad-agent/1.0', '198.51.100.7'))).toBe('AccessDenied');
      expect(await codeOf(await get('good-agent/1.0', '203.0.113.9'))).toBe('AccessDenied');
    }
  });

  it('sees the clock pass a DateLessThan boundary from one second to the next', async () => {
    const c = client(ivy.credentials, f.clock);
    const headers = { 'user-agent': 'good-agent/2.0', 'x-forwarded-for': '198.51.100.7' };
    const saved = f.clock.now;
    try {
      f.clock.now = Date.parse(DEADLINE) - 1;
      expect((await c(`${app.url}/orders/7`, { headers })).status).toBe(200);
      expect((await c(`${app.url}/orders/7`, { headers })).status).toBe(200);
      f.clock.now = Date.parse(DEADLINE);
      expect(await codeOf(await c(`${app.url}/orders/7`, { headers }))).toBe('AccessDenied');
    } finally {
      f.clock.now = saved;
    }
  });

  it('keeps one principal context from deciding for another', async () => {
    const i = client(ivy.credentials, f.clock);
    const j = client(joe.credentials, f.clock);
    const headers = { 'user-agent': 'good-agent/3.0', 'x-forwarded-for': '198.51.100.7' };
    expect((await i(`${app.url}/orders/9`, { headers })).status).toBe(200);
    expect(await codeOf(await j(`${app.url}/orders/9`, { headers }))).toBe('AccessDenied');
    expect((await i(`${app.url}/orders/9`, { headers })).status).toBe(200);
  });

  it('decides each resource of the same principal and second on its own (allow, deny, allow again)', async () => {
    const c = client(ivy.credentials, f.clock);
    const headers = { 'user-agent': 'good-agent/4.0', 'x-forwarded-for': '198.51.100.7' };
    // All within one second: the context is shared, the decision kept for order/11 must not answer order/locked-2.
    expect((await c(`${app.url}/orders/11`, { headers })).status).toBe(200);
    expect((await c(`${app.url}/orders/11`, { headers })).status).toBe(200);
    expect(await codeOf(await c(`${app.url}/orders/locked-2`, { headers }))).toBe('AccessDenied');
    expect(await codeOf(await c(`${app.url}/orders/locked-2`, { headers }))).toBe('AccessDenied');
    expect((await c(`${app.url}/orders/11`, { headers })).status).toBe(200);
  });

  it('applies a changed policy as soon as the policies are reloaded, even within the second a decision is kept for', async () => {
    const kim = await f.user('kim', doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }));
    const c = client(kim.credentials, f.clock);
    expect((await c(`${app.url}/orders/12`)).status).toBe(200);
    expect((await c(`${app.url}/orders/12`)).status).toBe(200);
    await f.iamCall('PutUserPolicy', { UserName: 'kim', PolicyName: 'inline', PolicyDocument: doc({ Effect: 'Deny', Action: 'orders:GetOrder', Resource: '*' }) });
    // The clock has not moved: only the reload (here forced by flush, otherwise after cacheTtlMs) changes the answer.
    expect((await c(`${app.url}/orders/12`)).status).toBe(200);
    lk.flush();
    expect(await codeOf(await c(`${app.url}/orders/12`))).toBe('AccessDenied');
    expect(await codeOf(await c(`${app.url}/orders/12`))).toBe('AccessDenied');
  });

  it('does not answer from a kept decision once the policies change, even when the source shares the tags list', async () => {
    const lou = await f.user('lou', doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }));
    const sharedTags: { key: string; value: string }[] = [];
    // A source that hands the same principal object and the same tags array with every answer:
    // only the policies tell its answers apart.
    let key: ReturnType<CredentialSource['getSigningKey']> | undefined;
    const source: CredentialSource = {
      getSigningKey: (r) => (key ??= f.source.getSigningKey(r)),
      getPrincipalPolicies: async (p) => ({ ...(await f.source.getPrincipalPolicies(p)), tags: sharedTags }),
    };
    const mw = latchkey({ service: orders, credentials: source, now: () => f.clock.now, cacheTtlMs: 60_000 });
    const a = express();
    a.get('/orders/:id', mw, mw.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' }), (_req, res) => void res.json({}));
    a.use(mw.errorHandler());
    const running = await listen(a);
    try {
      const c = client(lou.credentials, f.clock);
      expect((await c(`${running.url}/orders/13`)).status).toBe(200);
      expect((await c(`${running.url}/orders/13`)).status).toBe(200);
      await f.iamCall('PutUserPolicy', { UserName: 'lou', PolicyName: 'inline', PolicyDocument: doc({ Effect: 'Deny', Action: 'orders:GetOrder', Resource: '*' }) });
      mw.flush();
      // The first request after the reload takes the asynchronous path, the next ones the synchronous one.
      expect(await codeOf(await c(`${running.url}/orders/13`))).toBe('AccessDenied');
      expect(await codeOf(await c(`${running.url}/orders/13`))).toBe('AccessDenied');
    } finally {
      await running.close();
    }
  });

  it('fills every placeholder of a resource template and keeps the literal text between them', async () => {
    const j = client(joe.credentials, f.clock);
    const res = await j(`${app.url}/orders/5/line/3`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ resource: `arn:aws:orders:us-east-1:${ACCOUNT}:order/5/line/3` });
    const i = client(ivy.credentials, f.clock);
    expect(await codeOf(await i(`${app.url}/orders/locked-1`, { headers: { 'user-agent': 'good-agent/1.0', 'x-forwarded-for': '198.51.100.7' } }))).toBe('AccessDenied');
  });

  it('answers InternalFailure (500) when a template names a parameter the route lacks', async () => {
    const c = client(ivy.credentials, f.clock);
    const res = await c(`${app.url}/broken/1`, { headers: { 'user-agent': 'good-agent/1.0', 'x-forwarded-for': '198.51.100.7' } });
    expect(res.status).toBe(500);
    expect(await codeOf(res)).toBe('InternalFailure');
  });
});
