import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latchkey, type LatchkeyMiddleware } from '../src/index.js';
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
  lk = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now, trustProxy: 1, cacheTtlMs: 60_000 });
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
