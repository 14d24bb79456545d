import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ServiceUnavailable } from '@latchkey/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { remoteCredentialSource } from '../src/index.js';

// The remote source's transport against stub servers: what a misbehaving or restarting Latchkey
// server does to it. (The real server's answers are covered in remote-credential-source.test.ts.)
const CREDENTIALS = { accessKeyId: 'AKIASERVICE000000001', secretAccessKey: 's'.repeat(40) };
const REQUEST = { accessKeyId: 'AKIACALLER0000000001', date: '20261128', region: 'us-east-1', service: 'orders' };
const NOT_FOUND = JSON.stringify({ Result: 'NotFound' });

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  })));
  servers = [];
});

async function stub(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server; sockets: Socket[]; bodies: string[] }> {
  const sockets: Socket[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      handler(req, res);
    });
  });
  server.on('connection', (s: Socket) => sockets.push(s));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, sockets, bodies };
}

const json = (body: string) => (_req: IncomingMessage, res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(body);
};

describe('remoteCredentialSource transport', () => {
  it('sends one call after another over one kept-alive connection, signed for the endpoint host', async () => {
    const s = await stub(json(NOT_FOUND));
    const src = remoteCredentialSource({ endpoint: s.url, service: 'orders', credentials: CREDENTIALS });
    for (let i = 0; i < 3; i++) await expect(src.getSigningKey(REQUEST)).resolves.toBeUndefined();
    expect(s.sockets).toHaveLength(1);
    expect(s.bodies).toHaveLength(3);
    expect(JSON.parse(s.bodies[0]!)).toMatchObject({ AccessKeyId: REQUEST.accessKeyId, Service: 'orders' });
  });

  it('goes on working when the server closes an idle connection (a server restart, its keep-alive timeout)', async () => {
    const s = await stub(json(NOT_FOUND));
    const src = remoteCredentialSource({ endpoint: s.url, service: 'orders', credentials: CREDENTIALS });
    await src.getSigningKey(REQUEST);
    for (const socket of s.sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(src.getSigningKey(REQUEST)).resolves.toBeUndefined();
    expect(s.bodies).toHaveLength(2);
  });

  it('sends a call once more when a reused connection is reset under it (the keep-alive race), and only once', async () => {
    let n = 0;
    const s = await stub((req, res) => {
      n++;
      // the second call and the retry of the third are cut off as they arrive on a reused connection
      if (n === 2 || n === 4 || n === 5) req.socket.destroy();
      else json(NOT_FOUND)(req, res);
    });
    const src = remoteCredentialSource({ endpoint: s.url, service: 'orders', credentials: CREDENTIALS });
    await src.getSigningKey(REQUEST);
    await expect(src.getSigningKey(REQUEST)).resolves.toBeUndefined();
    expect(n).toBe(3);
    // n = 4 arrives on the connection kept from n = 3 and is reset; its retry (n = 5, a new
    // connection) is reset too: no third attempt, the call fails as unavailable
    await expect(src.getSigningKey(REQUEST)).rejects.toBeInstanceOf(ServiceUnavailable);
    expect(n).toBe(5);
  });

  it('fails with 503 ServiceUnavailable when the server does not answer within timeoutMs', async () => {
    const s = await stub(() => {
      // never answers
    });
    const src = remoteCredentialSource({ endpoint: s.url, service: 'orders', credentials: CREDENTIALS, timeoutMs: 100 });
    const started = Date.now();
    const err = await src.getSigningKey(REQUEST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailable);
    expect((err as ServiceUnavailable).message).toBe('Service is unable to handle request.');
    expect((err as ServiceUnavailable).detail).toContain('no answer within 100 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses an answer larger than 16 MiB without buffering it whole', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = (): void => {
        while (sent < 32 && res.write(chunk)) sent++;
        if (sent < 32) res.once('drain', more);
        else res.end();
      };
      res.on('error', () => {});
      more();
    });
    const src = remoteCredentialSource({ endpoint: s.url, service: 'orders', credentials: CREDENTIALS });
    const err = await src.getSigningKey(REQUEST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailable);
    expect((err as ServiceUnavailable).detail).toContain('larger than 16777216 bytes');
  });

  it('reports a refused connection and a non-200 answer as 503, with the error type in the detail only', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(500, { 'x-amzn-ErrorType': 'InternalFailure' });
      res.end('{}');
    });
    const src = remoteCredentialSource({ endpoint: s.url, service: 'orders', credentials: CREDENTIALS });
    const err = (await src.getSigningKey(REQUEST).catch((e: unknown) => e)) as ServiceUnavailable;
    expect(err).toBeInstanceOf(ServiceUnavailable);
    expect(err.detail).toBe('internal API GetServiceSigningKey answered 500 InternalFailure');
    const closed = remoteCredentialSource({ endpoint: 'http://127.0.0.1:1', service: 'orders', credentials: CREDENTIALS });
    await expect(closed.getSigningKey(REQUEST)).rejects.toBeInstanceOf(ServiceUnavailable);
  });

  it('sends the calls with an injected fetch when one is given (without a Host header, which fetch sets)', async () => {
    const s = await stub(json(NOT_FOUND));
    const spy = vi.fn((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
    const src = remoteCredentialSource({ endpoint: s.url, service: 'orders', credentials: CREDENTIALS, fetch: spy as typeof fetch });
    await expect(src.getSigningKey(REQUEST)).resolves.toBeUndefined();
    expect(spy).toHaveBeenCalledTimes(1);
    const [url, init] = spy.mock.calls[0]!;
    expect(url).toBe(`${s.url}/`);
    expect(Object.keys(init!.headers as Record<string, string>).map((k) => k.toLowerCase())).not.toContain('host');
    expect(s.bodies).toHaveLength(1);
  });

  it('watch: reports a reset, then each answer with changes, passing the cursor back; stop() ends the poll in flight', async () => {
    const answers = [
      { Cursor: '7', Reset: true, Changes: [] },
      { Cursor: '9', Reset: false, Changes: [{ Kind: 'accessKey' }, { Kind: 'policy' }] },
    ];
    const s = await stub((req, res) => {
      const next = answers.shift();
      if (next !== undefined) json(JSON.stringify(next))(req, res);
      // then: a long poll that never answers
    });
    const src = remoteCredentialSource({ endpoint: s.url, service: 'orders', credentials: CREDENTIALS });
    const seen: unknown[] = [];
    const stop = src.watch!((c) => seen.push(c));
    for (let i = 0; i < 200 && s.bodies.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([
      { reset: true, kinds: [] },
      { reset: false, kinds: ['accessKey', 'policy'] },
    ]);
    expect(s.bodies.map((b) => JSON.parse(b) as Record<string, unknown>)).toEqual([
      { Service: 'orders', WaitTimeSeconds: 20 },
      { Service: 'orders', Cursor: '7', WaitTimeSeconds: 20 },
      { Service: 'orders', Cursor: '9', WaitTimeSeconds: 20 },
    ]);
    const closed = new Promise<void>((resolve) => s.sockets.at(-1)!.once('close', () => resolve()));
    stop();
    await closed;
  });

  it('watch: does not spin on a server that answers at once without news, nor on one that refuses', async () => {
    const quiet = await stub(json(JSON.stringify({ Cursor: '1', Reset: false, Changes: [] })));
    const refusing = await stub((_req, res) => {
      res.writeHead(403, { 'x-amzn-ErrorType': 'AccessDenied' });
      res.end('{}');
    });
    const stops = [quiet, refusing].map((s) => remoteCredentialSource({ endpoint: s.url, service: 'orders', credentials: CREDENTIALS }).watch!(() => {}));
    await new Promise((r) => setTimeout(r, 1_500));
    for (const stop of stops) stop();
    // a poll at most every second (and the refused one backing off from a second)
    expect(quiet.bodies.length).toBeGreaterThanOrEqual(1);
    expect(quiet.bodies.length).toBeLessThanOrEqual(2);
    expect(refusing.bodies.length).toBeGreaterThanOrEqual(1);
    expect(refusing.bodies.length).toBeLessThanOrEqual(2);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses timeoutMs %s at construction', (timeoutMs) => {
    expect(() => remoteCredentialSource({ endpoint: 'http://127.0.0.1:1', service: 'orders', credentials: CREDENTIALS, timeoutMs })).toThrow(/timeoutMs must be a positive whole number/);
  });
});
