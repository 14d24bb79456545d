import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createOrdersApp, ordersService, OrderStore } from '../src/index.js';

describe('createOrdersApp', () => {
  it('serves the four routes (unprotected: the benchmark baseline) with AWS-style JSON errors', async () => {
    const orders = new OrderStore(() => Date.UTC(2026, 10, 27));
    const { app, latchkey } = createOrdersApp({ orders });
    expect(latchkey).toBeUndefined();
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const created = await fetch(`${url}/orders`, { method: 'POST', body: '{"item":"book","quantity":2}' });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ id: '1', item: 'book', quantity: 2, createdBy: 'anonymous', createdAt: '2026-11-27T00:00:00.000Z' });
      expect(await (await fetch(`${url}/orders/1`)).json()).toMatchObject({ id: '1', item: 'book' });
      expect(((await (await fetch(`${url}/orders`)).json()) as { orders: unknown[] }).orders).toHaveLength(1);
      const bad = await fetch(`${url}/orders`, { method: 'POST', body: '{"quantity":2}' });
      expect([bad.status, ((await bad.json()) as { __type: string }).__type]).toEqual([400, 'ValidationException']);
      expect((await fetch(`${url}/orders/1`, { method: 'DELETE' })).status).toBe(204);
      const gone = await fetch(`${url}/orders/1`);
      expect([gone.status, ((await gone.json()) as { __type: string }).__type]).toEqual([404, 'ResourceNotFoundException']);
      expect((await fetch(`${url}/orders/1`, { method: 'DELETE' })).status).toBe(404);
      expect((await fetch(`${url}/nothing`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('protected, refuses every unsigned request, on every route and method and on unknown paths (each route authenticates itself)', async () => {
    const orders = new OrderStore(() => Date.UTC(2026, 10, 27));
    orders.create({ item: 'tea', quantity: 1 }, 'test');
    // Knows no key: a request that got past authentication would fail differently (InvalidClientTokenId).
    const credentials = {
      getSigningKey: () => Promise.resolve(undefined),
      getPrincipalPolicies: () => Promise.reject(new Error('not reached')),
    };
    const { app } = createOrdersApp({ orders, credentials });
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const requests: [string, string][] = [
        ['GET', '/orders'],
        ['POST', '/orders'],
        ['GET', '/orders/1'],
        ['HEAD', '/orders/1'],
        ['DELETE', '/orders/1'],
        ['PUT', '/orders/1'],
        ['OPTIONS', '/orders'],
        ['GET', '/nothing'],
      ];
      for (const [method, path] of requests) {
        const res = await fetch(`${url}${path}`, { method, ...(method === 'POST' ? { body: '{"item":"book","quantity":2}' } : {}) });
        expect([method, path, res.status], await res.text()).toEqual([method, path, 403]);
      }
      const forged = await fetch(`${url}/orders/1`, {
        method: 'DELETE',
        headers: { authorization: `AWS4-HMAC-SHA256 Credential=AKIAZZZZZZZZZZZZZZZZ/20261127/us-east-1/orders/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`, 'x-amz-date': '20261127T000000Z' },
      });
      expect(forged.status).toBe(403);
      expect(orders.list()).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('declares exactly the orders actions and builds order ARNs', () => {
    expect(Object.keys(ordersService.actions).sort()).toEqual(['CreateOrder', 'DeleteOrder', 'GetOrder', 'ListOrders']);
    expect(ordersService.arn('order', { Partition: 'aws', Region: 'us-east-1', Account: '111122223333', OrderId: '42' })).toBe('arn:aws:orders:us-east-1:111122223333:order/42');
    expect(() => ordersService.assertAction('orders:GetOrdr')).toThrow(/orders:GetOrder/);
  });
});
