import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier } from '@latchkey/sigv4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedFetch, errorCodeOf, refreshingCredentials, updatedClockOffset, type Credentials } from '../src/index.js';

const NOW = Date.parse('2026-11-27T20:00:00Z');
const creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const temp = { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: 'temporarySecretKeyForTests0000000000000', sessionToken: 'token/with+chars=' };

// An independent check: Latchkey's own verifier on what the smithy-based client sends.
const verifier = createVerifier<string>({
  lookup: ({ accessKeyId, sessionToken }) =>
    accessKeyId === creds.accessKeyId ? { secretAccessKey: creds.secretAccessKey, principal: 'long-term' } : accessKeyId === temp.accessKeyId && sessionToken === temp.sessionToken ? { secretAccessKey: temp.secretAccessKey, principal: 'temporary', requiresSessionToken: true } : undefined,
  now: () => serverClock,
  allowedServices: ['orders'],
});

let serverClock = NOW;
let server: Server;
let url: string;
const seen: { verified?: string; code?: string }[] = [];

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void body(req).then(async (b) => {
      try {
        const v = await verifier.verify({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: b });
        seen.push({ verified: v.principal });
        res.writeHead(200, { 'content-type': 'text/plain', date: new Date(serverClock).toUTCString() }).end(`${v.principal} ${b.toString('utf8')}`);
      } catch (err) {
        const code = (err as { code: string }).code;
        seen.push({ code });
        res.writeHead((err as { status: number }).status, { 'content-type': 'text/xml', date: new Date(serverClock).toUTCString() }).end(`<ErrorResponse><Error><Code>${code}</Code></Error></ErrorResponse>`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('createSignedFetch', () => {
  it('signs GET and POST requests (query, headers, body) the verifier accepts', async () => {
    serverClock = NOW;
    const f = createSignedFetch({ service: 'orders', region: 'us-east-1', credentials: creds, now: () => NOW });
    const get = await f(`${url}/orders/a%20b/c?z=1&a=x%2By&a=2&empty=`, { headers: { 'x-trace': '  spaced   value ' } });
    expect([get.status, await get.text()]).toEqual([200, 'long-term ']);
    const post = await f(new URL(`${url}/orders`), { method: 'POST', body: new URLSearchParams({ item: 'tea & cake' }) });
    expect(await post.text()).toBe('long-term item=tea+%26+cake');
    const bytes = await f(new Request(`${url}/orders`, { method: 'PUT', body: new Uint8Array([0, 1, 2, 255]) }));
    expect(bytes.status).toBe(200);
  });

  it('sends the session token of temporary credentials, signed', async () => {
    serverClock = NOW;
    const f = createSignedFetch({ service: 'orders', region: 'us-east-1', credentials: async () => temp, now: () => NOW });
    expect(await (await f(`${url}/x`)).text()).toBe('temporary ');
  });

  it('produces presigned URLs valid for their window only', async () => {
    const f = createSignedFetch({ service: 'orders', region: 'us-east-1', credentials: creds, now: () => NOW });
    const presigned = await f.presignUrl(`${url}/orders/1?v=2`, { expiresIn: 120 });
    const q = new URL(presigned).searchParams;
    expect(q.get('X-Amz-Expires')).toBe('120');
    expect(q.get('X-Amz-Credential')).toBe(`${creds.accessKeyId}/20261127/us-east-1/orders/aws4_request`);
    serverClock = NOW + 60_000;
    expect((await fetch(presigned)).status).toBe(200);
    serverClock = NOW + 121_000;
    expect((await fetch(presigned)).status).toBe(400);
  });

  it('corrects its clock from the Date of a clock-skew error and retries once', async () => {
    serverClock = NOW + 30 * 60_000; // the server is 30 minutes ahead
    seen.length = 0;
    const f = createSignedFetch({ service: 'orders', region: 'us-east-1', credentials: creds, now: () => NOW });
    const res = await f(`${url}/orders`, { method: 'POST', body: 'again' });
    expect([res.status, await res.text()]).toEqual([200, 'long-term again']);
    expect(seen).toEqual([{ code: 'SignatureDoesNotMatch' }, { verified: 'long-term' }]);
    expect(f.signer.clockOffsetMs).toBe(30 * 60_000);
    // The corrected offset sticks: the next request needs no retry.
    seen.length = 0;
    expect((await f(`${url}/orders`)).status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('does not retry a signature error when the clocks agree, nor when retries are off', async () => {
    serverClock = NOW;
    seen.length = 0;
    const wrong = createSignedFetch({ service: 'orders', region: 'us-east-1', credentials: { ...creds, secretAccessKey: 'wrong' }, now: () => NOW });
    expect((await wrong(`${url}/x`)).status).toBe(403);
    expect(seen).toEqual([{ code: 'SignatureDoesNotMatch' }]);
    serverClock = NOW + 30 * 60_000;
    seen.length = 0;
    const noRetry = createSignedFetch({ service: 'orders', region: 'us-east-1', credentials: creds, now: () => NOW, maxSkewRetries: 0 });
    expect((await noRetry(`${url}/x`)).status).toBe(403);
    expect(seen).toHaveLength(1);
  });
});

describe('updatedClockOffset', () => {
  it('moves only for a difference of 5 minutes or more, as the SDKs do', () => {
    const server = new Date(NOW + 299_000).toUTCString();
    expect(updatedClockOffset(server, NOW, 0)).toBe(0);
    expect(updatedClockOffset(new Date(NOW + 300_000).toUTCString(), NOW, 0)).toBe(300_000);
    expect(updatedClockOffset(new Date(NOW - 600_000).toUTCString(), NOW, 0)).toBe(-600_000);
    expect(updatedClockOffset('not a date', NOW, 5)).toBe(5);
    expect(updatedClockOffset(null, NOW, 5)).toBe(5);
  });
});

describe('errorCodeOf', () => {
  it('reads XML, JSON and x-amzn-ErrorType codes', () => {
    expect(errorCodeOf('<ErrorResponse><Error><Code>RequestExpired</Code></Error></ErrorResponse>', null)).toBe('RequestExpired');
    expect(errorCodeOf('{"__type":"com.amazon#InvalidSignatureException","message":"x"}', null)).toBe('InvalidSignatureException');
    expect(errorCodeOf('', 'RequestTimeTooSkewed:http://internal')).toBe('RequestTimeTooSkewed');
    expect(errorCodeOf('plain text', null)).toBeUndefined();
  });
});

describe('refreshingCredentials', () => {
  it('reuses credentials until 5 minutes before expiry, then refreshes once for concurrent callers', async () => {
    let clock = NOW;
    let calls = 0;
    const provider = async (): Promise<Credentials> => {
      calls++;
      return { ...temp, sessionToken: `t${calls}`, expiration: new Date(clock + 3600_000) };
    };
    const p = refreshingCredentials(provider, { now: () => clock });
    expect((await p()).sessionToken).toBe('t1');
    clock += 3600_000 - 300_001;
    expect((await p()).sessionToken).toBe('t1');
    clock += 2;
    const [a, b] = await Promise.all([p(), p()]);
    expect([a.sessionToken, b.sessionToken, calls]).toEqual(['t2', 't2', 2]);
  });

  it('keeps credentials without expiration and retries after a failed refresh', async () => {
    let fail = true;
    const p = refreshingCredentials(async () => {
      if (fail) throw new Error('sts down');
      return creds;
    });
    await expect(p()).rejects.toThrow('sts down');
    fail = false;
    expect(await p()).toBe(creds);
    fail = true;
    expect(await p()).toBe(creds);
  });
});
