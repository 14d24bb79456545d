import express, { type Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latchkey, type CredentialSource, type DecisionEvent, type LatchkeyMiddleware } from '../src/index.js';
import { ACCOUNT, client, doc, fixture, listen, orders, type Fixture, type Running } from './helpers/fixture.js';

const ARN = (id: string): string => `arn:aws:orders:us-east-1:${ACCOUNT}:order/${id}`;

let f: Fixture;
let app: Running;
let lk: LatchkeyMiddleware<typeof orders>;
const events: DecisionEvent[] = [];
let alice: Awaited<ReturnType<Fixture['user']>>;
let bounded: Awaited<ReturnType<Fixture['user']>>;
let nobody: Awaited<ReturnType<Fixture['user']>>;
let roleArn: string;

async function errorOf(res: Response): Promise<{ status: number; code: string | undefined; body: string }> {
  const body = await res.text();
  return { status: res.status, code: /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? (JSON.parse(body || '{}') as { __type?: string }).__type, body };
}

beforeAll(async () => {
  f = await fixture();
  alice = await f.user(
    'alice',
    doc(
      { Effect: 'Allow', Action: ['orders:GetOrder', 'orders:ListOrders', 'orders:CreateOrder', 'orders:DeleteOrder'], Resource: '*' },
      { Sid: 'NoLocked', Effect: 'Deny', Action: 'orders:*', Resource: `arn:aws:orders:*:*:order/locked*` },
      { Effect: 'Deny', Action: 'orders:CreateOrder', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/tier': 'gold' } } },
      { Effect: 'Deny', Action: 'orders:CreateOrder', Resource: '*', Condition: { StringEquals: { 'orders:Priority': 'urgent' } } },
    ),
  );
  bounded = await f.user('bounded', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
  const policy = (await f.iamCall('CreatePolicy', { PolicyName: 'ReadOnly', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }) })) as { Policy: { Arn: string } };
  await f.iamCall('PutUserPermissionsBoundary', { UserName: 'bounded', PermissionsBoundary: policy.Policy.Arn });
  nobody = await f.user('nobody');
  const role = (await f.iamCall('CreateRole', {
    RoleName: 'Deleter',
    AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'] }),
  })) as { Role: { Arn: string } };
  roleArn = role.Role.Arn;
  await f.iamCall('PutRolePolicy', { RoleName: 'Deleter', PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ops' } } }) });
  await f.iamCall('PutUserPolicy', { UserName: 'nobody', PolicyName: 'assume', PolicyDocument: doc({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: roleArn }) });

  let ids = 0;
  lk = latchkey({
    service: orders,
    credentials: f.source,
    now: () => f.clock.now,
    requestId: () => `req-${++ids}`,
    trustProxy: 1,
    onDecision: (e) => events.push(e),
    requestTags: (req) => (req.headers['x-tag-tier'] === undefined ? undefined : { tier: String(req.headers['x-tag-tier']) }),
    contextKeys: (req) => (req.headers['x-priority'] === undefined ? undefined : { 'orders:Priority': String(req.headers['x-priority']) }),
  });
  const a = express();
  a.use(lk);
  const arn = (req: Request): string => ARN(String(req.params.id));
  a.get('/orders', lk.authorize({ action: 'orders:ListOrders' }), (req, res) => {
    res.json({ principal: req.latchkey?.principalArn, sourceIp: req.latchkey?.sourceIp, decision: req.latchkey?.decision?.decision, tags: req.latchkey?.sessionTags });
  });
  a.get('/orders/:id', lk.authorize({ action: 'orders:GetOrder', resource: arn }), (req, res) => {
    res.json({ id: req.params.id });
  });
  a.post('/orders', lk.authorize({ action: 'orders:CreateOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/new' }), (req, res) => {
    res.json({ created: JSON.parse((req.body as Buffer).toString('utf8')) });
  });
  a.delete('/orders/:id', lk.authorize({ action: 'orders:DeleteOrder', resource: 'arn:${Partition}:orders:${Region}:${Account}:order/${id}' }), (_req, res) => {
    res.status(204).end();
  });
  a.use(lk.errorHandler());
  app = await listen(a);
});

afterAll(async () => {
  await app?.close();
  await f?.close();
});

describe('latchkey', () => {
  it('allows a signed request the user policy allows and fills req.latchkey', async () => {
    const res = await client(alice.credentials, f.clock)(`${app.url}/orders`, { headers: { 'x-forwarded-for': '198.51.100.4' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ principal: `arn:aws:iam::${ACCOUNT}:user/alice`, sourceIp: '198.51.100.4', decision: 'allowed', tags: [] });
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^req-/);
  });

  it('denies with AccessDenied when a Deny statement matches (explicit deny)', async () => {
    const res = await client(alice.credentials, f.clock)(`${app.url}/orders/locked-1`);
    const e = await errorOf(res);
    expect(e.status).toBe(403);
    expect(e.code).toBe('AccessDenied');
    expect(e.body).toContain(`User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: orders:GetOrder on resource: ${ARN('locked-1')} with an explicit deny in an identity-based policy`);
    const event = events.at(-1)!;
    expect(event.decision).toBe('explicitDeny');
    expect(event.matchedStatements[0]?.sid).toBe('NoLocked');
  });

  it('denies when no policy allows (implicit deny)', async () => {
    const e = await errorOf(await client(nobody.credentials, f.clock)(`${app.url}/orders/7`));
    expect([e.status, e.code]).toEqual([403, 'AccessDenied']);
    expect(e.body).toContain('because no identity-based policy allows the orders:GetOrder action');
  });

  it('limits a user to what the permissions boundary allows', async () => {
    expect((await client(bounded.credentials, f.clock)(`${app.url}/orders/7`)).status).toBe(200);
    const e = await errorOf(await client(bounded.credentials, f.clock)(`${app.url}/orders/7`, { method: 'DELETE' }));
    expect([e.status, e.code]).toEqual([403, 'AccessDenied']);
    expect(e.body).toContain('because no permissions boundary allows the orders:DeleteOrder action');
  });

  it('hands the verified raw body to the route and checks it against the signed hash', async () => {
    const res = await client(alice.credentials, f.clock)(`${app.url}/orders`, { method: 'POST', body: JSON.stringify({ item: 'tea' }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ created: { item: 'tea' } });
  });

  it('refuses a body changed after signing (XAmzContentSHA256Mismatch or SignatureDoesNotMatch, 4xx)', async () => {
    const signed = await client(alice.credentials, f.clock).signer.sign({ method: 'POST', url: `${app.url}/orders`, headers: { 'content-type': 'application/json' }, body: '{"item":"tea"}' });
    const res = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: '{"item":"TEA"}' });
    const e = await errorOf(res);
    expect(e.status).toBe(403);
    expect(e.code).toBe('SignatureDoesNotMatch');
  });

  it('fills aws:RequestTag/* and service condition keys from hooks', async () => {
    const c = client(alice.credentials, f.clock);
    const ok = await c(`${app.url}/orders`, { method: 'POST', body: '{}', headers: { 'x-tag-tier': 'silver', 'x-priority': 'low' } });
    expect(ok.status).toBe(200);
    expect((await errorOf(await c(`${app.url}/orders`, { method: 'POST', body: '{}', headers: { 'x-tag-tier': 'gold' } }))).code).toBe('AccessDenied');
    expect((await errorOf(await c(`${app.url}/orders`, { method: 'POST', body: '{}', headers: { 'x-priority': 'urgent' } }))).code).toBe('AccessDenied');
  });

  it('accepts temporary credentials whose session tags satisfy the role policy, and reports the role session', async () => {
    const creds = await f.assumeRole(nobody.caller, roleArn, { 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'ops' });
    const res = await client(creds, f.clock)(`${app.url}/orders`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { principal: string; tags: unknown };
    expect(body.principal).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Deleter/sess`);
    expect(body.tags).toEqual([{ key: 'team', value: 'ops' }]);
    const untagged = await f.assumeRole(nobody.caller, roleArn);
    expect((await errorOf(await client(untagged, f.clock)(`${app.url}/orders`))).code).toBe('AccessDenied');
  });

  it('limits temporary credentials to their session policy', async () => {
    const creds = await f.assumeRole(nobody.caller, roleArn, {
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'ops',
      Policy: doc({ Effect: 'Allow', Action: 'orders:ListOrders', Resource: '*' }),
    });
    const c = client(creds, f.clock);
    expect((await c(`${app.url}/orders`)).status).toBe(200);
    const e = await errorOf(await c(`${app.url}/orders/9`));
    expect(e.code).toBe('AccessDenied');
    expect(e.body).toContain('because no session policy allows the orders:GetOrder action');
  });

  it('refuses expired temporary credentials with ExpiredToken', async () => {
    const creds = await f.assumeRole(nobody.caller, roleArn, { DurationSeconds: '900', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'ops' });
    const saved = f.clock.now;
    try {
      f.clock.now = creds.expiration!.getTime() + 1000;
      const e = await errorOf(await client(creds, f.clock)(`${app.url}/orders`));
      expect([e.status, e.code]).toEqual([403, 'ExpiredToken']);
    } finally {
      f.clock.now = saved;
    }
  });

  it('refuses a tampered session token with InvalidClientTokenId', async () => {
    const creds = await f.assumeRole(nobody.caller, roleArn);
    const token = creds.sessionToken!;
    const flipped = token.slice(0, 60) + (token[60] === 'A' ? 'B' : 'A') + token.slice(61);
    // The genuine token first (authenticated, then denied: the role wants a tag), so that the
    // access key's cached answers are warm.
    expect((await errorOf(await client(creds, f.clock)(`${app.url}/orders/1`))).code).toBe('AccessDenied'); // authenticated; the role needs a tag
    const e = await errorOf(await client({ ...creds, sessionToken: flipped }, f.clock)(`${app.url}/orders`));
    expect([e.status, e.code]).toEqual([403, 'InvalidClientTokenId']);
    expect((await errorOf(await client(creds, f.clock)(`${app.url}/orders/1`))).code).toBe('AccessDenied'); // authenticated; the role needs a tag
  });

  it('refuses requests signed for another service or an unknown key', async () => {
    const other = await errorOf(await client(alice.credentials, f.clock, 'billing')(`${app.url}/orders`));
    expect(other.status).toBe(403);
    expect(other.code).toBe('SignatureDoesNotMatch');
    const unknown = await errorOf(await client({ accessKeyId: 'AKIAZZZZZZZZZZZZZZZZ', secretAccessKey: 'x'.repeat(40) }, f.clock)(`${app.url}/orders`));
    expect([unknown.status, unknown.code]).toEqual([403, 'InvalidClientTokenId']);
  });

  it('answers 4xx, never 5xx, to missing and malformed Authorization headers', async () => {
    const headers = [
      undefined,
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=',
      'AWS4-HMAC-SHA256 Credential=AKIA/20261127/us-east-1/orders/aws4_request, SignedHeaders=host, Signature=zz',
      'Basic dXNlcjpwYXNz',
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2026/us-east-1/orders/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64),
      '\u00ff\u00fe',
    ];
    for (const h of headers) {
      const res = await fetch(`${app.url}/orders?X-Amz-Credential=%ZZ`, { headers: h === undefined ? {} : { authorization: h, 'x-amz-date': '20261127T200000Z' } });
      expect(res.status, String(h)).toBeGreaterThanOrEqual(400);
      expect(res.status, String(h)).toBeLessThan(500);
    }
    const missing = await errorOf(await fetch(`${app.url}/orders`));
    expect([missing.status, missing.code]).toEqual([403, 'MissingAuthenticationToken']);
  });

  it('accepts a presigned URL until it expires, then answers RequestExpired', async () => {
    const url = await client(alice.credentials, f.clock).presignUrl(`${app.url}/orders/5`, { expiresIn: 60 });
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url)).status).toBe(200); // AWS presigned URLs are reusable within their window
    const saved = f.clock.now;
    try {
      f.clock.now += 61_000;
      const e = await errorOf(await fetch(url));
      expect([e.status, e.code]).toEqual([400, 'RequestExpired']);
    } finally {
      f.clock.now = saved;
    }
  });

  it('renders errors as JSON when Accept asks for it', async () => {
    const res = await fetch(`${app.url}/orders`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationToken');
    expect(await res.json()).toEqual({ __type: 'MissingAuthenticationToken', message: expect.any(String) });
  });

  it('logs decisions without the signature or the session token', async () => {
    const creds = await f.assumeRole(nobody.caller, roleArn, { 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'ops' });
    const url = await client(creds, f.clock).presignUrl(`${app.url}/orders`, { expiresIn: 60 });
    expect((await fetch(url)).status).toBe(200);
    const event = events.at(-1)!;
    const text = JSON.stringify(event);
    expect(event.authType).toBe('presigned');
    expect(event.temporaryCredentials).toBe(true);
    expect(text).not.toContain(creds.sessionToken!.slice(0, 40));
    expect(text).not.toContain(creds.secretAccessKey);
    expect(text).not.toContain(new URL(url).searchParams.get('X-Amz-Signature')!);
    expect(event.url).toContain('X-Amz-Signature=****');
  });
});

describe('latchkey request context', () => {
  it('fills aws:SourceIp (through the trusted proxy), aws:SecureTransport and aws:CurrentTime for conditions', async () => {
    const ivy = await f.user(
      'ivy',
      doc(
        { Effect: 'Allow', Action: 'orders:ListOrders', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' }, DateLessThan: { 'aws:CurrentTime': '2026-12-01T00:00:00Z' } } },
        { Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      ),
    );
    const c = client(ivy.credentials, f.clock);
    expect((await c(`${app.url}/orders`, { headers: { 'x-forwarded-for': '203.0.113.1, 198.51.100.77' } })).status).toBe(200); // one trusted hop: the last entry
    expect((await errorOf(await c(`${app.url}/orders`, { headers: { 'x-forwarded-for': '198.51.100.77, 203.0.113.1' } }))).code).toBe('AccessDenied');
    expect((await errorOf(await c(`${app.url}/orders`))).code).toBe('AccessDenied'); // 127.0.0.1
    expect((await errorOf(await c(`${app.url}/orders/1`))).code).toBe('AccessDenied'); // plain HTTP
    expect((await c(`${app.url}/orders/1`, { headers: { 'x-forwarded-proto': 'https' } })).status).toBe(200);
    const saved = f.clock.now;
    try {
      f.clock.now = Date.parse('2026-12-01T00:00:01Z');
      const later = client(ivy.credentials, f.clock);
      expect((await errorOf(await later(`${app.url}/orders`, { headers: { 'x-forwarded-for': '198.51.100.77' } }))).code).toBe('AccessDenied');
    } finally {
      f.clock.now = saved;
    }
  });
});

describe('latchkey key status', () => {
  /**
   * GET /orders allowed by orders:ListOrders, behind a middleware whose caches live `cacheTtlMs`
   * on the fixture's clock; without the change watch unless asked (what the TTL alone bounds).
   */
  async function listOrdersServer(cacheTtlMs: number, watchChanges = false) {
    const app = express();
    const mw = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now, cacheTtlMs, watchChanges });
    app.use(mw, mw.authorize({ action: 'orders:ListOrders' }), (_req, res) => void res.send('ok'));
    app.use(mw.errorHandler());
    return { mw, server: await listen(app) };
  }

  it('keeps accepting a deactivated key only until the cache lifetime passes', async () => {
    const carol = await f.user('carol', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
    const { mw, server } = await listOrdersServer(5000);
    const saved = f.clock.now;
    try {
      const c = client(carol.credentials, f.clock);
      expect((await c(`${server.url}/orders`)).status).toBe(200);
      await f.iamCall('UpdateAccessKey', { UserName: 'carol', AccessKeyId: carol.credentials.accessKeyId, Status: 'Inactive' });
      f.clock.now += 4000;
      expect((await c(`${server.url}/orders`)).status).toBe(200);
      f.clock.now += 1001;
      const e = await errorOf(await c(`${server.url}/orders`));
      expect([e.status, e.code]).toEqual([403, 'InvalidClientTokenId']);
      // Reactivated: flush() (the hook for pushed changes) makes it effective at once.
      await f.iamCall('UpdateAccessKey', { UserName: 'carol', AccessKeyId: carol.credentials.accessKeyId, Status: 'Active' });
      expect((await c(`${server.url}/orders`)).status).toBe(403);
      mw.flush();
      expect((await c(`${server.url}/orders`)).status).toBe(200);
    } finally {
      f.clock.now = saved;
      await server.close();
    }
  });

  it('applies a deactivated key and a new Deny at once when the source pushes changes (watchChanges, the default)', async () => {
    const gil = await f.user('gil', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
    const hal = await f.user('hal', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
    const { mw, server } = await listOrdersServer(60_000, true);
    try {
      const g = client(gil.credentials, f.clock);
      const h = client(hal.credentials, f.clock);
      expect((await g(`${server.url}/orders`)).status).toBe(200);
      expect((await h(`${server.url}/orders`)).status).toBe(200);
      // The clock does not move: only the pushed change can make the difference.
      await f.iamCall('UpdateAccessKey', { UserName: 'gil', AccessKeyId: gil.credentials.accessKeyId, Status: 'Inactive' });
      const refused = await errorOf(await g(`${server.url}/orders`));
      expect([refused.status, refused.code]).toEqual([403, 'InvalidClientTokenId']);
      expect((await h(`${server.url}/orders`)).status).toBe(200);
      await f.iamCall('PutUserPolicy', { UserName: 'hal', PolicyName: 'deny', PolicyDocument: doc({ Effect: 'Deny', Action: 'orders:*', Resource: '*' }) });
      expect((await errorOf(await h(`${server.url}/orders`))).code).toBe('AccessDenied');
      // After close(), changes wait for the TTL again.
      mw.close();
      await f.iamCall('DeleteUserPolicy', { UserName: 'hal', PolicyName: 'deny' });
      expect((await errorOf(await h(`${server.url}/orders`))).code).toBe('AccessDenied');
      mw.flush();
      expect((await h(`${server.url}/orders`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('serves requests when the source cannot watch (its watch throws): the TTL alone then bounds staleness', async () => {
    const jo = await f.user('jo', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
    const source: CredentialSource = {
      getSigningKey: (r) => f.source.getSigningKey(r),
      getPrincipalPolicies: (p) => f.source.getPrincipalPolicies(p),
      watch: () => {
        throw new Error('no feed here');
      },
    };
    const mw = latchkey({ service: orders, credentials: source, now: () => f.clock.now });
    const app = express();
    app.use(mw, mw.authorize({ action: 'orders:ListOrders' }), (_req, res) => void res.send('ok'));
    app.use(mw.errorHandler());
    const server = await listen(app);
    try {
      const c = client(jo.credentials, f.clock);
      expect((await c(`${server.url}/orders`)).status).toBe(200);
      expect((await c(`${server.url}/orders`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('reloads a hot key and its policies ahead of the TTL: the answer is served meanwhile, and a deactivation or a Deny lands before the TTL ends', async () => {
    const erin = await f.user('erin', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
    const frank = await f.user('frank', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
    const { server } = await listOrdersServer(4000);
    const saved = f.clock.now;
    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));
    try {
      const e = client(erin.credentials, f.clock);
      const fr = client(frank.credentials, f.clock);
      expect((await e(`${server.url}/orders`)).status).toBe(200);
      expect((await fr(`${server.url}/orders`)).status).toBe(200);
      await f.iamCall('UpdateAccessKey', { UserName: 'erin', AccessKeyId: erin.credentials.accessKeyId, Status: 'Inactive' });
      await f.iamCall('PutUserPolicy', { UserName: 'frank', PolicyName: 'inline', PolicyDocument: doc({ Effect: 'Deny', Action: 'orders:*', Resource: '*' }) });
      // Before the last quarter of the TTL: the cached answers, no reload.
      f.clock.now += 2900;
      expect((await e(`${server.url}/orders`)).status).toBe(200);
      expect((await fr(`${server.url}/orders`)).status).toBe(200);
      await settle();
      expect((await e(`${server.url}/orders`)).status).toBe(200);
      expect((await fr(`${server.url}/orders`)).status).toBe(200);
      // In the last quarter: still answered from the cache, while the reload runs...
      f.clock.now += 200;
      expect((await e(`${server.url}/orders`)).status).toBe(200);
      expect((await fr(`${server.url}/orders`)).status).toBe(200);
      await settle();
      // ...whose answers apply as soon as they arrive, well before the TTL ends.
      f.clock.now += 10;
      const refused = await errorOf(await e(`${server.url}/orders`));
      expect([refused.status, refused.code]).toEqual([403, 'InvalidClientTokenId']);
      expect((await errorOf(await fr(`${server.url}/orders`))).code).toBe('AccessDenied');
    } finally {
      f.clock.now = saved;
      await server.close();
    }
  });

  it('applies a changed policy within the cache lifetime', async () => {
    const dave = await f.user('dave', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
    const a = express();
    const mw = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now, cacheTtlMs: 2000 });
    a.use(mw, mw.authorize({ action: 'orders:ListOrders' }), (_req, res) => void res.send('ok'));
    a.use(mw.errorHandler());
    const server = await listen(a);
    const saved = f.clock.now;
    try {
      const c = client(dave.credentials, f.clock);
      expect((await c(`${server.url}/orders`)).status).toBe(200);
      await f.iamCall('PutUserPolicy', { UserName: 'dave', PolicyName: 'inline', PolicyDocument: doc({ Effect: 'Deny', Action: 'orders:*', Resource: '*' }) });
      f.clock.now += 2001;
      expect((await errorOf(await c(`${server.url}/orders`))).code).toBe('AccessDenied');
    } finally {
      f.clock.now = saved;
      await server.close();
    }
  });
});

describe('latchkey routes', () => {
  it('authorizes a declarative route map and denies unmapped routes', async () => {
    const a = express();
    const mw = latchkey({
      service: orders,
      credentials: f.source,
      now: () => f.clock.now,
      routes: {
        'GET /orders': { action: 'orders:ListOrders' },
        'GET /orders/:OrderId': { action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${OrderId}' },
      },
    });
    a.use(mw);
    a.get('/orders', (_req, res) => void res.send('list'));
    a.get('/orders/:OrderId', (req, res) => void res.send(`order ${req.params.OrderId} ${req.latchkey?.decision?.resource}`));
    a.get('/admin', (_req, res) => void res.send('admin'));
    a.use(mw.errorHandler());
    const server = await listen(a);
    try {
      const c = client(alice.credentials, f.clock);
      expect(await (await c(`${server.url}/orders`)).text()).toBe('list');
      expect(await (await c(`${server.url}/orders/3`)).text()).toBe(`order 3 ${ARN('3')}`);
      expect((await errorOf(await c(`${server.url}/orders/locked-2`))).code).toBe('AccessDenied');
      const admin = await errorOf(await c(`${server.url}/admin`));
      expect([admin.status, admin.code]).toEqual([403, 'AccessDenied']);
    } finally {
      await server.close();
    }
  });

  it('lets unmapped routes through with unmappedRoutes: "next", and decide() filters without failing the request', async () => {
    const a = express();
    const mw = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now, unmappedRoutes: 'next', routes: { 'DELETE /orders/:id': { action: 'orders:DeleteOrder' } } });
    a.use(mw);
    a.get('/orders', async (req, res) => {
      const visible: string[] = [];
      for (const id of ['1', 'locked-1', '2']) if ((await mw.decide(req, 'orders:GetOrder', ARN(id))).decision === 'allowed') visible.push(id);
      res.json(visible);
    });
    a.use(mw.errorHandler());
    const server = await listen(a);
    try {
      expect(await (await client(alice.credentials, f.clock)(`${server.url}/orders`)).json()).toEqual(['1', '2']);
      expect(await (await client(nobody.credentials, f.clock)(`${server.url}/orders`)).json()).toEqual([]);
      expect((await errorOf(await client(nobody.credentials, f.clock)(`${server.url}/orders/1`, { method: 'DELETE' }))).code).toBe('AccessDenied');
    } finally {
      await server.close();
    }
  });

  it('appends an encoded authorization failure message that STS decodes', async () => {
    const a = express();
    const mw = latchkey({ service: orders, credentials: f.source, now: () => f.clock.now, explain: 'encoded' });
    a.use(mw, mw.authorize({ action: 'orders:DeleteOrder', resource: (req) => ARN(String(req.query.id ?? 'x')) }), (_req, res) => void res.send('deleted'));
    a.use(mw.errorHandler());
    const server = await listen(a);
    try {
      const e = await errorOf(await client(nobody.credentials, f.clock)(`${server.url}/?id=4`));
      expect(e.code).toBe('AccessDenied');
      const encoded = /Encoded authorization failure message: ([^<]+)/.exec(e.body)?.[1];
      expect(encoded).toBeDefined();
      const out = (await f.sts.invoke('DecodeAuthorizationMessage', { action: 'DecodeAuthorizationMessage', version: '2011-06-15', params: new Map([['EncodedMessage', encoded!]]) }, f.root, f.env())) as {
        DecodedMessage: string;
      };
      const decoded = JSON.parse(out.DecodedMessage) as { allowed: boolean; context: { action: string; resource: string } };
      expect(decoded.allowed).toBe(false);
      expect(decoded.context).toMatchObject({ action: 'orders:DeleteOrder', resource: ARN('4') });
    } finally {
      await server.close();
    }
  });
});
