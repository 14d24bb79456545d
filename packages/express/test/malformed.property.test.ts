import fc from 'fast-check';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latchkey } from '../src/index.js';
import { doc, fixture, listen, orders, type Fixture, type Running } from './helpers/fixture.js';

let f: Fixture;
let server: Running;
let akid: string;

beforeAll(async () => {
  f = await fixture();
  akid = (await f.user('alice', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }))).credentials.accessKeyId;
  const mw = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now, allowStreamingPayload: true });
  const app = express();
  app.use(mw, mw.authorize({ action: 'orders:ListOrders' }), (_req, res) => void res.send('ok'));
  app.use(mw.errorHandler());
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
  await f?.close();
});

const printable = fc.string({ unit: fc.constantFrom(...'AKIA0123456789abcdefXYZ/=,; -_.%&+*?:T'.split('')), maxLength: 80 });

describe('latchkey on malformed requests', () => {
  it('answers 4xx (never 5xx, never 200) to arbitrary auth headers, query parameters and bodies', async () => {
    const credential = fc.oneof(printable, fc.constant(`${akid}/20261127/us-east-1/orders/aws4_request`), fc.constant(`${akid}/20261127/us-east-1/billing/aws4_request`));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          auth: fc.option(fc.tuple(fc.constantFrom('AWS4-HMAC-SHA256 ', 'AWS4-ECDSA-P256-SHA256 ', 'Bearer ', ''), credential, printable, printable), { nil: undefined }),
          date: fc.option(fc.oneof(printable, fc.constant('20261127T200000Z')), { nil: undefined }),
          token: fc.option(printable, { nil: undefined }),
          sha: fc.option(fc.oneof(printable, fc.constantFrom('UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER')), { nil: undefined }),
          query: fc.option(fc.tuple(credential, printable, printable), { nil: undefined }),
          body: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
        }),
        async (r) => {
          const headers: Record<string, string> = {};
          if (r.auth !== undefined) headers.authorization = `${r.auth[0]}Credential=${r.auth[1]}, SignedHeaders=${r.auth[2]}, Signature=${r.auth[3]}`;
          if (r.date !== undefined) headers['x-amz-date'] = r.date;
          if (r.token !== undefined) headers['x-amz-security-token'] = r.token;
          if (r.sha !== undefined) headers['x-amz-content-sha256'] = r.sha;
          const query =
            r.query === undefined
              ? ''
              : `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(r.query[0])}&X-Amz-Date=${encodeURIComponent(r.query[1])}&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=${encodeURIComponent(r.query[2])}`;
          const res = await fetch(`${server.url}/orders${query}`, { method: r.body === undefined ? 'GET' : 'POST', headers, ...(r.body === undefined ? {} : { body: r.body }) });
          await res.arrayBuffer();
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
