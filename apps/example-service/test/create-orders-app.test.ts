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

  it('declares exactly the orders actions and builds order ARNs', () => {
    expect(Object.keys(ordersService.actions).sort()).toEqual(['CreateOrder', 'DeleteOrder', 'GetOrder', 'ListOrders']);
    expect(ordersService.arn('order', { Partition: 'aws', Region: 'us-east-1', Account: '111122223333', OrderId: '42' })).toBe('arn:aws:orders:us-east-1:111122223333:order/42');
    expect(() => ordersService.assertAction('orders:GetOrdr')).toThrow(/orders:GetOrder/);
  });
});
