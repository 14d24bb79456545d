// authorize() on a route without latchkey() in front of it authenticates the request itself, and
// preauthenticate() authenticates bodiless requests before Express routes them. The same app is
// built every way (latchkey() in front of every route; authorize() alone, with latchkey() after
// the routes for requests that match none; both; each of those behind preauthenticate(), on
// LatchkeyIncomingMessage and on Node's own request class) and every request, allowed or
// refused, must be answered the same way, with the same req.latchkey.
import { createHmac, createHash } from 'node:crypto';
import { createServer, IncomingMessage, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LatchkeyIncomingMessage, latchkey, type LatchkeyMiddleware } from '../src/index.js';
import { ACCOUNT, client, doc, fixture, listen, orders, type Fixture, type Running } from './helpers/fixture.js';

type Credentials = Parameters<typeof client>[0];
interface Built {
  running: Running;
  lk: LatchkeyMiddleware<typeof orders>;
  /** Request ids handed out (one per authentication). */
  ids: () => number;
  /** Route handlers reached. */
  handled: () => number;
  decisions: () => number;
  /** Requests that reached the unprotected /health route. */
  health: () => number;
  /** Requests Express received already authenticated (by preauthenticate()). */
  early: () => number;
}

let f: Fixture;
let alice: Awaited<ReturnType<Fixture['user']>>;
let roleCredentials: Credentials;
let front: Built;
let alone: Built;
let both: Built;
let preAlone: Built;
let preFront: Built;
let prePlain: Built;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

/** `app` behind `lk.preauthenticate()`, on a server with the given request class. */
function listenPreauthenticated(app: Express, lk: LatchkeyMiddleware<typeof orders>, requestClass: typeof IncomingMessage): Promise<Running> {
  return new Promise((resolve) => {
    const server: Server = createServer({ IncomingMessage: requestClass }, lk.preauthenticate(app));
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

function build(mount: 'front' | 'alone' | 'both', preauthenticate?: typeof IncomingMessage): Promise<Built> {
  let ids = 0;
  let handled = 0;
  let decisions = 0;
  let health = 0;
  let early = 0;
  const lk = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now, requestId: () => `req-${++ids}`, onDecision: () => void decisions++ });
  const a: Express = express();
  a.use((req, _res, next) => {
    if (req.latchkey !== undefined) early++;
    next();
  });
  // not protected: no latchkey() or authorize() ever sees its requests
  a.get('/health', (_req, res) => {
    health++;
    res.json({ ok: true });
  });
  if (mount !== 'alone') a.use(lk);
  const answer: RequestHandler = (req: Request, res) => {
    handled++;
    const { requestId: _id, principal: _p, ...info } = req.latchkey!;
    res.json({ info, body: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : null });
  };
  a.get('/orders/:id', lk.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' }), answer);
  a.post('/orders', lk.authorize({ action: 'orders:CreateOrder' }), answer);
  a.get('/decide', (req, res, next) => {
    lk.decide(req, 'orders:GetOrder', '*').then((d) => res.json(d.decision), next);
  });
  if (mount === 'alone') a.use(lk);
  a.use((_req, res) => void res.status(404).json({ __type: 'UnknownOperationException' }));
  a.use(lk.errorHandler());
  return (preauthenticate === undefined ? listen(a) : listenPreauthenticated(a, lk, preauthenticate)).then((running) => ({
    running,
    lk,
    ids: () => ids,
    handled: () => handled,
    decisions: () => decisions,
    health: () => health,
    early: () => early,
  }));
}

async function outcome(res: Response): Promise<{ status: number; requestId: boolean; body: unknown }> {
  const text = await res.text();
  // Request ids differ between the apps (each has its own counter): only their presence counts.
  return { status: res.status, requestId: res.headers.get('x-amzn-requestid') !== null, body: text.replace(/<RequestId>[^<]*<\/RequestId>/, '') };
}

beforeAll(async () => {
  f = await fixture();
  alice = await f.user(
    'alice',
    doc({ Effect: 'Allow', Action: ['orders:GetOrder', 'orders:CreateOrder'], Resource: '*' }, { Effect: 'Deny', Action: 'orders:*', Resource: 'arn:aws:orders:*:*:order/locked*' }),
  );
  const bob = await f.user('bob', doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }));
  const role = (await f.iamCall('CreateRole', {
    RoleName: 'Reader',
    AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }),
  })) as { Role: { Arn: string } };
  await f.iamCall('PutRolePolicy', { RoleName: 'Reader', PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }) });
  roleCredentials = await f.assumeRole(bob.caller, role.Role.Arn);
  [front, alone, both, preAlone, preFront, prePlain] = await Promise.all([
    build('front'),
    build('alone'),
    build('both'),
    build('alone', LatchkeyIncomingMessage),
    build('both', LatchkeyIncomingMessage),
    build('front', IncomingMessage),
  ]);
  process.on('unhandledRejection', onUnhandled);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await Promise.all([front, alone, both, preAlone, preFront, prePlain].map((b) => b?.running.close()));
  await f?.close();
});

/**
 * A GET of `path` carrying `extra` (name/value pairs, names may repeat) signed by hand with SigV4
 * (fetch cannot send a repeated header): `signedValue` gives the canonical value of each signed
 * extra header from its raw values. Sent with node:http's raw header list, answered as a Response.
 */
async function repeatedHeaderGet(url: string, path: string, extra: [string, string][], signedValue: (values: string[]) => string): Promise<Response> {
  const { accessKeyId, secretAccessKey } = alice.credentials;
  const host = new URL(url).host;
  const amzDate = new Date(f.clock.now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const names = [...new Set(extra.map(([n]) => n.toLowerCase()))];
  const signedNames = ['host', 'x-amz-date', ...names].sort();
  const value = (n: string): string =>
    n === 'host' ? host : n === 'x-amz-date' ? amzDate : signedValue(extra.filter(([m]) => m.toLowerCase() === n).map(([, v]) => v));
  const canonical = ['GET', path, '', ...signedNames.map((n) => `${n}:${value(n)}`), '', signedNames.join(';'), createHash('sha256').update('').digest('hex')].join('\n');
  const scope = `${day}/us-east-1/orders/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${secretAccessKey}`).update(day).digest();
  for (const part of ['us-east-1', 'orders', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedNames.join(';')}, Signature=${signature}`;
  const headers = ['Host', host, 'X-Amz-Date', amzDate, ...extra.flat(), 'Authorization', authorization];
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode!, headers: res.headers as Record<string, string> })));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One request, made against an app at `url`. */
type Case = (url: string) => Promise<Response>;
const cases: Record<string, Case> = {
  'allowed, long-term key': (url) => client(alice.credentials, f.clock)(`${url}/orders/7`),
  'allowed, temporary credentials': (url) => client(roleCredentials, f.clock)(`${url}/orders/7`),
  'allowed, POST with a body read from the stream': (url) => client(alice.credentials, f.clock)(`${url}/orders`, { method: 'POST', body: '{"item":"tea"}' }),
  'allowed, presigned URL': async (url) => fetch(await client(alice.credentials, f.clock).presignUrl(`${url}/orders/8`, { expiresIn: 60 })),
  'explicit deny': (url) => client(alice.credentials, f.clock)(`${url}/orders/locked-1`),
  'implicit deny (role may not create)': (url) => client(roleCredentials, f.clock)(`${url}/orders`, { method: 'POST', body: '{}' }),
  unsigned: (url) => fetch(`${url}/orders/7`),
  'tampered signature': async (url) => {
    const signed = await client(alice.credentials, f.clock).signer.sign({ method: 'GET', url: `${url}/orders/7` });
    const authorization = signed.headers.authorization!;
    const last = authorization.at(-1) === '0' ? '1' : '0';
    return fetch(signed.url, { headers: { ...signed.headers, authorization: authorization.slice(0, -1) + last } });
  },
  'signed for another path': async (url) => {
    const signed = await client(alice.credentials, f.clock).signer.sign({ method: 'GET', url: `${url}/orders/7` });
    return fetch(`${url}/orders/locked-7`, { headers: signed.headers });
  },
  'body changed after signing': async (url) => {
    const signed = await client(alice.credentials, f.clock).signer.sign({ method: 'POST', url: `${url}/orders`, body: '{"item":"tea"}' });
    return fetch(signed.url, { method: 'POST', headers: signed.headers, body: '{"item":"TEA"}' });
  },
  'tampered session token': (url) => {
    const token = roleCredentials.sessionToken!;
    return client({ ...roleCredentials, sessionToken: token.slice(0, 60) + (token[60] === 'A' ? 'B' : 'A') + token.slice(61) }, f.clock)(`${url}/orders/7`);
  },
  'unknown key': (url) => client({ accessKeyId: 'AKIAZZZZZZZZZZZZZZZZ', secretAccessKey: 'x'.repeat(40) }, f.clock)(`${url}/orders/7`),
  'signed for another service': (url) => client(alice.credentials, f.clock, 'billing')(`${url}/orders/7`),
  'no such route, unsigned': (url) => fetch(`${url}/nowhere`),
  // SigV4 joins a repeated header's values with ',' in arrival order; Node's req.headers joins
  // them with ', ' (and drops repeats of some headers): only the raw headers verify.
  'a signed header sent twice': (url) => repeatedHeaderGet(url, '/orders/7', [['x-amz-meta-colour', 'red'], ['X-Amz-Meta-Colour', 'blue']], (v) => v.join(',')),
  'a signed header sent twice, signed as Node joins it': (url) =>
    repeatedHeaderGet(url, '/orders/7', [['x-amz-meta-colour', 'red'], ['X-Amz-Meta-Colour', 'blue']], (v) => v.join(', ')),
  'a signed header sent twice, signed with its first value only': (url) =>
    repeatedHeaderGet(url, '/orders/7', [['user-agent', 'first'], ['User-Agent', 'second']], (v) => v[0]!),
  'a signed header sent once': (url) => repeatedHeaderGet(url, '/orders/7', [['x-amz-meta-colour', 'red']], (v) => v.join(',')),
  'no such route, signed': (url) => client(alice.credentials, f.clock)(`${url}/nowhere`),
};

describe('authorize() without latchkey() in front of the route', () => {
  for (const [name, request] of Object.entries(cases)) {
    it(`answers like latchkey() + authorize(): ${name}`, async () => {
      // Twice: the first request of a key misses the caches (asynchronous path), the second does not.
      for (let i = 0; i < 2; i++) {
        const expected = await outcome(await request(front.running.url));
        expect(await outcome(await request(alone.running.url))).toEqual(expected);
        expect(await outcome(await request(both.running.url))).toEqual(expected);
        for (const pre of [preAlone, preFront, prePlain]) expect(await outcome(await request(pre.running.url))).toEqual(expected);
      }
    });
  }

  it('never reaches the route handler with a request that failed authentication or authorization', async () => {
    for (const built of [alone, preAlone, preFront, prePlain]) {
      const before = built.handled();
      for (const name of [
      'explicit deny',
      'unsigned',
      'tampered signature',
      'signed for another path',
      'body changed after signing',
      'tampered session token',
      'unknown key',
      'signed for another service',
      'a signed header sent twice, signed as Node joins it',
      'a signed header sent twice, signed with its first value only',
    ]) {
        const res = await cases[name]!(built.running.url);
        expect(res.status, name).toBeGreaterThanOrEqual(400);
        expect(res.status, name).toBeLessThan(500);
      }
      expect(built.handled()).toBe(before);
    }
  });

  it('verifies a repeated signed header from the raw headers (and only then), on every mounting', async () => {
    for (const built of [front, alone, both, preAlone, preFront, prePlain]) {
      expect((await cases['a signed header sent twice']!(built.running.url)).status).toBe(200);
      expect((await cases['a signed header sent once']!(built.running.url)).status).toBe(200);
      expect((await cases['a signed header sent twice, signed as Node joins it']!(built.running.url)).status).toBe(403);
    }
  });

  it('does not take a latchkey inherited from a polluted Object.prototype for an authentication', async () => {
    const forged = { principalArn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, region: 'us-east-1' };
    Object.defineProperty(Object.prototype, 'latchkey', { value: forged, configurable: true, writable: true });
    try {
      // plain IncomingMessage objects (listen() and prePlain) have no own latchkey field
      for (const built of [front, alone, both, prePlain]) {
        const before = built.handled();
        const res = await fetch(`${built.running.url}/orders/7`);
        expect(res.status).toBe(403);
        await res.arrayBuffer();
        expect(built.handled()).toBe(before);
      }
    } finally {
      delete (Object.prototype as { latchkey?: unknown }).latchkey;
    }
  });

  it('preauthenticate(): authenticates a bodiless request once, before Express, whatever is mounted after', async () => {
    for (const built of [preAlone, preFront, prePlain]) {
      const [ids, decisions, early] = [built.ids(), built.decisions(), built.early()];
      const res = await client(alice.credentials, f.clock)(`${built.running.url}/orders/7`);
      expect(res.status).toBe(200);
      expect(built.early() - early).toBe(1);
      // the request id of the authentication is the one in the response header
      expect(res.headers.get('x-amzn-requestid')).toBe(`req-${built.ids()}`);
      expect(built.ids() - ids).toBe(1);
      expect(built.decisions() - decisions).toBe(1);
      await res.arrayBuffer();
    }
  });

  it('preauthenticate(): a failed pre-authentication is not delivered to routes nothing protects, and never rejects unhandled', async () => {
    const requests: Case[] = [
      (url) => fetch(`${url}/health`),
      // a key nobody knows: the credential lookup is asynchronous and fails
      (url) => client({ accessKeyId: 'AKIAYYYYYYYYYYYYYYYY', secretAccessKey: 'y'.repeat(40) }, f.clock)(`${url}/health`),
      async (url) => {
        const signed = await client(alice.credentials, f.clock).signer.sign({ method: 'GET', url: `${url}/health` });
        return fetch(signed.url, { headers: { ...signed.headers, authorization: signed.headers.authorization!.slice(0, -1) + 'x' } });
      },
    ];
    for (const built of [preAlone, preFront, prePlain]) {
      const before = built.health();
      for (const request of requests) {
        const res = await request(built.running.url);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ ok: true });
      }
      expect(built.health() - before).toBe(requests.length);
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  });

  it('preauthenticate(): a request whose body is not read yet is left to the middleware, which reads and checks it', async () => {
    for (const built of [preAlone, preFront, prePlain]) {
      const [ids, early] = [built.ids(), built.early()];
      const ok = await client(alice.credentials, f.clock)(`${built.running.url}/orders`, { method: 'POST', body: '{"item":"tea"}' });
      expect(ok.status).toBe(200);
      expect((await ok.json()) as { body: string }).toMatchObject({ body: '{"item":"tea"}' });
      expect(built.ids() - ids).toBe(1);
      expect(built.early()).toBe(early);
      const changed = await cases['body changed after signing']!(built.running.url);
      expect(changed.status).toBe(403);
      await changed.arrayBuffer();
    }
  });

  it('authenticates a request once when latchkey() is mounted in front as well', async () => {
    const [ids, decisions] = [both.ids(), both.decisions()];
    expect((await client(alice.credentials, f.clock)(`${both.running.url}/orders/7`)).status).toBe(200);
    expect(both.ids() - ids).toBe(1);
    expect(both.decisions() - decisions).toBe(1);
  });

  it('still refuses decide() on a request nobody authenticated (a mounting mistake: 500)', async () => {
    const res = await client(alice.credentials, f.clock)(`${alone.running.url}/decide`);
    expect(res.status).toBe(500);
    await res.arrayBuffer();
  });
});
