// In-process cost of the middleware alone (no HTTP, no Express router): authenticate +
// authorize one signed GET with warm caches. Usage: tsx --conditions=@latchkey/source bench/micro.ts
// The client is another edge package: tests (and benchmarks) sign with it to check both ends together.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createRequestSigner } from '@latchkey/client';
import type { NextFunction, Request, Response } from 'express';
import { latchkey } from '../src/index.js';
import { doc, fixture, orders } from '../test/helpers/fixture.js';

const f = await fixture();
const now = Date.now();
f.clock.now = now;
const alice = await f.user('alice', doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }));
const mw = latchkey({ service: orders, credentials: f.source, now: () => now, cacheTtlMs: 3_600_000 });
const authz = mw.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' });
const signed = await createRequestSigner({ service: 'orders', region: 'us-east-1', credentials: alice.credentials, now: () => now }).sign({ method: 'GET', url: 'http://127.0.0.1:8080/orders/42' });
const headers: Record<string, string> = { host: '127.0.0.1:8080', ...signed.headers };
const rawHeaders = Object.entries(headers).flat();
const res = { headersSent: false, setHeader() {} } as unknown as Response;
let failures = 0;
const run = (alone: boolean): Promise<void> =>
  new Promise((resolve) => {
    const req = { method: 'GET', originalUrl: '/orders/42', url: '/orders/42', headers, rawHeaders, params: { id: '42' }, socket: { remoteAddress: '127.0.0.1' } } as unknown as Request;
    const next2: NextFunction = (err?: unknown) => {
      if (err !== undefined) failures++;
      resolve();
    };
    if (alone) authz(req, res, next2);
    else mw(req, res, (err?: unknown) => (err === undefined ? authz(req, res, next2) : next2(err)));
  });
// `latchkey()` then `authorize()`, and `authorize()` alone (it authenticates the request itself).
for (const alone of [false, true]) {
  for (let i = 0; i < 20_000; i++) await run(alone);
  if (failures > 0) throw new Error(`${failures} failures`);
  console.log(alone ? 'authorize() alone' : 'latchkey() + authorize()');
  for (let round = 0; round < 5; round++) {
    const n = 50_000;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await run(alone);
    const cpu = process.cpuUsage(c0);
    console.log(`${(((performance.now() - t0) * 1000) / n).toFixed(1)} µs/request wall, ${((cpu.user + cpu.system) / n).toFixed(1)} µs CPU`);
  }
}
await f.close();
