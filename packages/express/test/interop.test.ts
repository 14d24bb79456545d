import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// The client is another edge package: tests (and benchmarks) sign with it to check both ends together.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { axiosSigningInterceptor, createRequestSigner, type AxiosLikeConfig } from '@latchkey/client';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latchkey } from '../src/index.js';
import { doc, fixture, listen, orders, type Fixture, type Running } from './helpers/fixture.js';

const script = fileURLToPath(new URL('./botocore_sign.py', import.meta.url));
const botocorePresent = spawnSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' }).status === 0;
if (!botocorePresent) console.warn("python3 with botocore not available (`python3 -c 'import botocore'` failed): skipping the botocore tests");

let f: Fixture;
let server: Running;
let alice: Awaited<ReturnType<Fixture['user']>>;

beforeAll(async () => {
  f = await fixture();
  alice = await f.user('alice', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }, { Effect: 'Deny', Action: 'orders:DeleteOrder', Resource: '*' }));
  const mw = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now });
  const app = express();
  app.use(mw);
  app.get('/orders/:id', mw.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' }), (req, res) => void res.send(`order ${req.params.id}`));
  app.post('/orders', mw.authorize({ action: 'orders:CreateOrder' }), (req, res) => void res.send((req.body as Buffer).toString('utf8')));
  app.delete('/orders/:id', mw.authorize({ action: 'orders:DeleteOrder' }), (_req, res) => void res.status(204).end());
  app.use(mw.errorHandler());
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
  await f?.close();
});

interface Signed {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

describe.skipIf(!botocorePresent)('botocore-signed requests', () => {
  it('are accepted (header and presigned, query strings, bodies) and still authorized per route', async () => {
    const time = new Date(f.clock.now).toISOString();
    const base = { accessKey: alice.credentials.accessKeyId, secret: alice.credentials.secretAccessKey, time };
    const input = [
      { ...base, method: 'GET', url: `${server.url}/orders/42?view=full&tag=a%20b&x=%2B`, headers: {}, body: '' },
      { ...base, method: 'POST', url: `${server.url}/orders`, headers: { 'Content-Type': 'application/json' }, body: '{"item":"tea ☕"}' },
      { ...base, method: 'GET', url: `${server.url}/orders/7`, headers: {}, body: '', presign: 300 },
      { ...base, method: 'DELETE', url: `${server.url}/orders/7`, headers: {}, body: '' },
    ];
    const signed = JSON.parse(execFileSync('python3', [script], { input: JSON.stringify(input), encoding: 'utf8' })) as Signed[];
    const results: [number, string][] = [];
    for (const s of signed) {
      const headers = Object.fromEntries(Object.entries(s.headers).filter(([k]) => k.toLowerCase() !== 'host' && k.toLowerCase() !== 'content-length'));
      const res = await fetch(s.url, { method: s.method, headers, ...(s.body === '' ? {} : { body: s.body }) });
      results.push([res.status, await res.text()]);
    }
    expect(results[0]).toEqual([200, 'order 42']);
    expect(results[1]).toEqual([200, '{"item":"tea ☕"}']);
    expect(results[2]).toEqual([200, 'order 7']);
    expect(results[3]![0]).toBe(403); // authenticated, then denied by the explicit Deny
    expect(results[3]![1]).toContain('AccessDenied');
  });
});

describe('axiosSigningInterceptor', () => {
  it('signs an axios-style config that the middleware accepts', async () => {
    const signer = createRequestSigner({ service: 'orders', region: 'us-east-1', credentials: alice.credentials, now: () => f.clock.now });
    const post: AxiosLikeConfig = { baseURL: server.url, url: '/orders', method: 'post', data: { item: 'cake' }, headers: {} };
    const config = await axiosSigningInterceptor(signer)(post);
    const res = await fetch(config.url!, { method: 'POST', headers: config.headers as Record<string, string>, body: config.data as string });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"item":"cake"}');
    const getConfig: AxiosLikeConfig = { baseURL: `${server.url}/`, url: 'orders/5', method: 'get', params: { a: 'x y' } };
    const get = await axiosSigningInterceptor(signer)(getConfig);
    expect(get.url).toBe(`${server.url}/orders/5?a=x%20y`);
    expect((await fetch(get.url!, { headers: get.headers as Record<string, string> })).status).toBe(200);
  });
});
