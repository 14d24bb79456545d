import { createHash, createHmac } from 'node:crypto';
// The client is another edge package: tests (and benchmarks) sign with it to check both ends together.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createRequestSigner } from '@latchkey/client';
import { getSigningKey } from '@latchkey/sigv4';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latchkey } from '../src/index.js';
import { client, doc, fixture, listen, orders, type Fixture, type Running } from './helpers/fixture.js';

let f: Fixture;
let server: Running;
let alice: Awaited<ReturnType<Fixture['user']>>;

async function codeOf(res: Response): Promise<[number, string | undefined]> {
  return [res.status, /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1]];
}

beforeAll(async () => {
  f = await fixture();
  alice = await f.user('alice', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
  const streaming = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now, allowStreamingPayload: true, maxBodyBytes: 4096 });
  const plain = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now, maxBodyBytes: 4096 });
  const app = express();
  const echo = (req: express.Request, res: express.Response): void => {
    res.json({ body: (req.body as Buffer).toString('utf8'), ip: req.latchkey?.sourceIp, secure: req.latchkey?.secureTransport });
  };
  app.put('/stream', streaming, streaming.authorize({ action: 'orders:CreateOrder' }), echo);
  app.put('/plain', plain, plain.authorize({ action: 'orders:CreateOrder' }), echo);
  app.put('/raw', express.raw({ type: () => true }), plain, plain.authorize({ action: 'orders:CreateOrder' }), echo);
  app.put('/parsed', express.json(), plain, echo);
  app.use(plain.errorHandler());
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
  await f?.close();
});

/** Signs an aws-chunked upload: smithy signs the headers (seed), the chunks are signed from the S3 documentation's rules. */
async function chunkedUpload(path: string, chunks: Buffer[], tamper = false): Promise<Response> {
  const signer = createRequestSigner({ service: 'orders', region: 'us-east-1', credentials: alice.credentials, now: () => f.clock.now });
  const decodedLength = chunks.reduce((n, c) => n + c.length, 0);
  const signed = await signer.sign({
    method: 'PUT',
    url: `${server.url}${path}`,
    headers: { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(decodedLength) },
  });
  const seed = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization!)![1]!;
  const amzDate = signed.headers['x-amz-date']!;
  const scope = `${amzDate.slice(0, 8)}/us-east-1/orders/aws4_request`;
  const key = getSigningKey(alice.credentials.secretAccessKey, amzDate.slice(0, 8), 'us-east-1', 'orders');
  const empty = createHash('sha256').update('').digest('hex');
  const parts: Buffer[] = [];
  let prev = seed;
  for (const data of [...chunks, Buffer.alloc(0)]) {
    const sts = ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, prev, empty, createHash('sha256').update(data).digest('hex')].join('\n');
    prev = createHmac('sha256', key).update(sts).digest('hex');
    const sent = tamper && data.length > 0 ? Buffer.from(data.toString('utf8').toUpperCase()) : data;
    parts.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${prev}\r\n`), sent, Buffer.from('\r\n'));
  }
  return fetch(signed.url, { method: 'PUT', headers: signed.headers, body: Buffer.concat(parts) });
}

describe('latchkey request bodies', () => {
  it('verifies every chunk of an aws-chunked upload and hands the decoded data on', async () => {
    const res = await chunkedUpload('/stream', [Buffer.from('hello '), Buffer.from('chunked world')]);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { body: string }).body).toBe('hello chunked world');
  });

  it('refuses a chunk whose data was changed', async () => {
    expect(await codeOf(await chunkedUpload('/stream', [Buffer.from('hello')], true))).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('refuses streaming payloads unless allowed', async () => {
    expect(await codeOf(await chunkedUpload('/plain', [Buffer.from('hello')]))).toEqual([400, 'InvalidRequest']);
  });

  it('refuses bodies larger than maxBodyBytes with 413', async () => {
    const c = client(alice.credentials, f.clock);
    expect(await codeOf(await c(`${server.url}/plain`, { method: 'PUT', body: 'x'.repeat(5000) }))).toEqual([413, 'RequestEntityTooLarge']);
    expect((await c(`${server.url}/plain`, { method: 'PUT', body: 'x'.repeat(4000) })).status).toBe(200);
  });

  it('accepts a body already read by express.raw()', async () => {
    const res = await client(alice.credentials, f.clock)(`${server.url}/raw`, { method: 'PUT', body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { body: string }).body).toBe('{"a":1}');
  });

  it('fails loudly (500, no detail leaked) when a parser consumed the body before the middleware', async () => {
    const res = await client(alice.credentials, f.clock)(`${server.url}/parsed`, { method: 'PUT', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    const [status, code] = await codeOf(res);
    expect([status, code]).toEqual([500, 'InternalFailure']);
  });

  it('ignores X-Forwarded-For and -Proto without trustProxy', async () => {
    const res = await client(alice.credentials, f.clock)(`${server.url}/plain`, { method: 'PUT', body: 'x', headers: { 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'https' } });
    expect(await res.json()).toMatchObject({ ip: '127.0.0.1', secure: false });
  });
});
