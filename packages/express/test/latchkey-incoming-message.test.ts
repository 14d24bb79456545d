import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latchkey, LatchkeyIncomingMessage } from '../src/index.js';
import { client, doc, fixture, orders, type Fixture } from './helpers/fixture.js';

// The pre-shaped request class must not change what the middleware decides or hands on. (Express
// replaces the prototype of every request, so the class shows only as the own fields it made.)
let f: Fixture;
let server: Server;
let url: string;
let allowed: Awaited<ReturnType<Fixture['user']>>;
let denied: Awaited<ReturnType<Fixture['user']>>;

beforeAll(async () => {
  f = await fixture();
  allowed = await f.user('amy', doc({ Effect: 'Allow', Action: ['orders:GetOrder', 'orders:CreateOrder'], Resource: '*' }));
  denied = await f.user('bob', doc({ Effect: 'Allow', Action: 'orders:ListOrders', Resource: '*' }));
  const lk = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now });
  const app = express();
  app.use(lk);
  app.get('/orders/:id', lk.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' }), (req, res) => {
    res.json({ by: req.latchkey?.principalArn, bodyBytes: (req.body as Buffer).length, own: Object.hasOwn(req, 'body') && Object.hasOwn(req, 'latchkey') });
  });
  app.post('/orders', lk.authorize({ action: 'orders:CreateOrder' }), (req, res) => void res.json({ body: (req.body as Buffer).toString('utf8') }));
  app.use(lk.errorHandler());
  server = createServer({ IncomingMessage: LatchkeyIncomingMessage }, app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await f?.close();
});

describe('LatchkeyIncomingMessage', () => {
  it('leaves the request info and the verified body on the request as a plain IncomingMessage does', async () => {
    const c = client(allowed.credentials, f.clock);
    const got = await c(`${url}/orders/1`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({ by: allowed.caller.arn, bodyBytes: 0, own: true });
    const posted = await c(`${url}/orders`, { method: 'POST', body: '{"item":"tea"}' });
    expect(await posted.json()).toEqual({ body: '{"item":"tea"}' });
  });

  it('still refuses unsigned requests and denies what the policies do not allow', async () => {
    expect((await fetch(`${url}/orders/1`)).status).toBe(403);
    expect((await client(denied.credentials, f.clock)(`${url}/orders/1`)).status).toBe(403);
  });
});
