import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createRequestSigner, createSignedFetch, roleCredentials } from '@latchkey/client';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_MAIN, SERVICE_MAIN, spawnListening, type Spawned } from './helpers/processes.js';
import { totp } from './helpers/totp.js';

type Keys = { accessKeyId: string; secretAccessKey: string };
const ACCOUNT = '111122223333';
const ROOT: Keys = { accessKeyId: 'AKIASTORYTEST0000001', secretAccessKey: 'story/Test+Secret0123456789abcdefghijklm' };
const TTL_MS = 1000;
const here = dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

const hasBotocore = spawnSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' }).status === 0;
const hasCurlSigV4 = (() => {
  const r = spawnSync('curl', ['--help', 'all'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('--aws-sigv4');
})();

let tmp: string;
let latchkey: Spawned;
let orders: Spawned;
let iam: IAMClient;
let stsServed = false;
const users: Record<string, Keys> = {};

async function user(name: string, policy?: string): Promise<Keys> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (policy !== undefined) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: policy }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  users[name] = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  return users[name];
}

const as = (keys: Keys | (() => Promise<Keys & { sessionToken?: string }>), service = 'orders') => createSignedFetch({ service, region: 'us-east-1', credentials: keys });

async function errorOf(res: Response): Promise<{ status: number; code: string | undefined; message: string }> {
  const text = await res.text();
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? (text.startsWith('{') ? (JSON.parse(text) as { __type?: string }).__type : undefined);
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? (text.startsWith('{') ? ((JSON.parse(text) as { message?: string }).message ?? '') : text);
  return { status: res.status, code, message };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'latchkey-story-'));
  latchkey = await spawnListening(
    CLI_MAIN,
    ['server', '--port', '0', '--data-dir', join(tmp, 'data'), '--log-level', 'warn'],
    { LATCHKEY_ACCOUNT_ID: ACCOUNT, LATCHKEY_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, LATCHKEY_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey },
    tmp,
  );
  iam = new IAMClient({ endpoint: latchkey.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  const sts = new STSClient({ endpoint: latchkey.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  stsServed = await sts.send(new GetCallerIdentityCommand({})).then(
    (r) => r.Account === ACCOUNT,
    () => false,
  );
  sts.destroy();
  if (!stsServed) console.warn('story: the Latchkey server does not serve STS here; the role, MFA, session-policy and revocation parts are skipped');

  // The service's own identity: allowed to fetch signing keys and policies for "orders" only.
  const svc = await user(
    'orders-service',
    doc({ Effect: 'Allow', Action: ['latchkey:GetServiceSigningKey', 'latchkey:GetPrincipalPolicies', 'latchkey:ListChanges', 'latchkey:PutServiceCatalog'], Resource: `arn:aws:latchkey::${ACCOUNT}:service/orders` }),
  );
  orders = await spawnListening(
    SERVICE_MAIN,
    ['--port', '0', '--latchkey-endpoint', latchkey.url, '--cache-ttl-ms', String(TTL_MS)],
    {
      AWS_ACCESS_KEY_ID: svc.accessKeyId,
      AWS_SECRET_ACCESS_KEY: svc.secretAccessKey,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(tmp, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'no-credentials'),
    },
    tmp,
  );

  const read = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'ReadOrders', PolicyDocument: doc({ Effect: 'Allow', Action: ['orders:ListOrders', 'orders:GetOrder'], Resource: '*' }) }),
  );
  for (const name of ['alice', 'carol', 'dave']) {
    await user(name);
    await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: read.Policy!.Arn! }));
  }
  await user('mallory', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }, { Effect: 'Deny', Action: 'orders:GetOrder', Resource: `arn:aws:orders:*:${ACCOUNT}:order/2` }));
  const listOnly = await iam.send(new CreatePolicyCommand({ PolicyName: 'ListOnlyBoundary', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:ListOrders', Resource: '*' }) }));
  await user('bounded', doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }));
  await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: listOnly.Policy!.Arn! }));

  // Three orders, created by the account root through the service.
  const root = as(ROOT);
  for (const item of ['book', 'lamp', 'chair']) {
    const res = await root(`${orders.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item }) });
    expect(res.status).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  iam?.destroy();
  await orders?.stop();
  await latchkey?.stop();
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
});

describe('the orders story (real processes)', () => {
  it('alice reads orders with @latchkey/client: GetOrder and ListOrders allowed', async () => {
    const alice = as(users.alice!);
    const one = await alice(`${orders.url}/orders/1`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: '1', item: 'book', createdBy: `arn:aws:iam::${ACCOUNT}:root` });
    const list = await alice(`${orders.url}/orders`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { orders: unknown[] }).orders).toHaveLength(3);
  });

  it('alice is denied DeleteOrder (implicit deny) with AWS’s AccessDenied sentence, and the order stays', async () => {
    const alice = as(users.alice!);
    const e = await errorOf(await alice(`${orders.url}/orders/1`, { method: 'DELETE' }));
    expect([e.status, e.code]).toEqual([403, 'AccessDenied']);
    expect(e.message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: orders:DeleteOrder on resource: arn:aws:orders:us-east-1:${ACCOUNT}:order/1 because no identity-based policy allows the orders:DeleteOrder action`,
    );
    expect((await alice(`${orders.url}/orders/1`)).status).toBe(200);
    const create = await errorOf(await alice(`${orders.url}/orders`, { method: 'POST', body: '{"item":"pen"}' }));
    expect([create.status, create.code]).toEqual([403, 'AccessDenied']);
  });

  it('requests signed directly with @smithy/signature-v4 are accepted', async () => {
    class Sha256 extends Hash {
      constructor(secret?: Parameters<typeof Hash.prototype.update>[0]) {
        super('sha256', secret as never);
      }
    }
    const u = new URL(`${orders.url}/orders/2`);
    const signer = new SignatureV4({ service: 'orders', region: 'eu-west-1', credentials: users.alice!, sha256: Sha256, uriEscapePath: true });
    const signed = await signer.sign(new HttpRequest({ method: 'GET', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: u.pathname, headers: { host: u.host } }));
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k !== 'host'));
    const res = await fetch(u, { headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: '2', item: 'lamp' });
  });

  it.skipIf(!hasBotocore)('requests signed by botocore (header and presigned) are accepted', async () => {
    const sign = (input: object): { url: string; headers: Record<string, string> } =>
      JSON.parse(execFileSync('python3', [resolve(here, 'helpers/botocore_sign.py')], { input: JSON.stringify(input), encoding: 'utf8' })) as never;
    const a = users.alice!;
    const header = sign({ method: 'GET', url: `${orders.url}/orders/3`, headers: {}, body: '', accessKey: a.accessKeyId, secret: a.secretAccessKey });
    const res = await fetch(header.url, { headers: Object.fromEntries(Object.entries(header.headers).filter(([k]) => k.toLowerCase() !== 'host')) });
    expect(res.status).toBe(200);
    const presigned = sign({ method: 'GET', url: `${orders.url}/orders/3`, headers: {}, body: '', accessKey: a.accessKeyId, secret: a.secretAccessKey, presign: 60 });
    expect((await fetch(presigned.url)).status).toBe(200);
  });

  it.skipIf(!hasCurlSigV4)('curl --aws-sigv4 is accepted', () => {
    const a = users.alice!;
    const out = execFileSync('curl', ['-s', '-w', '\n%{http_code}', '--aws-sigv4', 'aws:amz:us-east-1:orders', '--user', `${a.accessKeyId}:${a.secretAccessKey}`, `${orders.url}/orders/1`], { encoding: 'utf8' });
    expect(out.trim().split('\n').at(-1)).toBe('200');
    expect(out).toContain('"item":"book"');
  });

  it('the service registered its catalog with Latchkey at start-up (GetServiceCatalog answers its four actions)', async () => {
    await expect.poll(() => orders.output()).toContain('registered the orders service catalog with Latchkey');
    const res = await as(ROOT, 'latchkey')(`${latchkey.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'LatchkeyInternal_20261127.GetServiceCatalog' },
      body: JSON.stringify({ Service: 'orders' }),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { Service: string; Catalog: { actions: Record<string, unknown>; resourceTypes: Record<string, { arn: string }> } };
    expect(answer.Service).toBe('orders');
    expect(Object.keys(answer.Catalog.actions).sort()).toEqual(['CreateOrder', 'DeleteOrder', 'GetOrder', 'ListOrders']);
    expect(answer.Catalog.resourceTypes.order?.arn).toBe('arn:${Partition}:orders:${Region}:${Account}:order/${OrderId}');
  });

  it('an explicit Deny wins over an Allow (mallory: orders:* but not order/2)', async () => {
    const mallory = as(users.mallory!);
    expect((await mallory(`${orders.url}/orders/1`)).status).toBe(200);
    const e = await errorOf(await mallory(`${orders.url}/orders/2`));
    expect([e.status, e.code]).toEqual([403, 'AccessDenied']);
    expect(e.message).toContain('with an explicit deny in an identity-based policy');
  });

  it('a permissions boundary limits what the identity policy allows', async () => {
    const bounded = as(users.bounded!);
    expect((await bounded(`${orders.url}/orders`)).status).toBe(200);
    const e = await errorOf(await bounded(`${orders.url}/orders/1`));
    expect([e.status, e.code]).toEqual([403, 'AccessDenied']);
    expect(e.message).toContain('because no permissions boundary allows the orders:GetOrder action');
  });

  it('a request signed for another service is refused (SignatureDoesNotMatch)', async () => {
    const e = await errorOf(await as(users.alice!, 'billing')(`${orders.url}/orders/1`));
    expect([e.status, e.code]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('a presigned link works for anyone until it expires, then answers RequestExpired (400)', async () => {
    const alice = as(users.alice!);
    // A signed call first, so the service holds alice's signing key and the link is checked at once.
    expect((await alice(`${orders.url}/orders/1`)).status).toBe(200);
    const link = await alice.presignUrl(`${orders.url}/orders/1`, { expiresIn: 2 });
    const first = await fetch(link);
    expect(first.status).toBe(200);
    const signedAt = /X-Amz-Date=(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/.exec(link)!;
    const expiry = Date.UTC(+signedAt[1]!, +signedAt[2]! - 1, +signedAt[3]!, +signedAt[4]!, +signedAt[5]!, +signedAt[6]!) + 2000;
    await sleep(Math.max(0, expiry - Date.now()) + 1100);
    const replay = await errorOf(await fetch(link));
    expect([replay.status, replay.code]).toEqual([400, 'RequestExpired']);
  });

  it('a tampered body is refused and creates nothing', async () => {
    const signer = createRequestSigner({ service: 'orders', region: 'us-east-1', credentials: ROOT });
    const signed = await signer.sign({ method: 'POST', url: `${orders.url}/orders`, headers: { 'content-type': 'application/json' }, body: '{"item":"cup"}' });
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== 'host'));
    const e = await errorOf(await fetch(signed.url, { method: 'POST', headers, body: '{"item":"gold"}' }));
    expect(e.status).toBe(e.code === 'XAmzContentSHA256Mismatch' ? 400 : 403);
    expect(['SignatureDoesNotMatch', 'XAmzContentSHA256Mismatch']).toContain(e.code);
    const list = (await (await as(ROOT)(`${orders.url}/orders`)).json()) as { orders: { item: string }[] };
    expect(list.orders.map((o) => o.item)).not.toContain('gold');
  });

  it('malformed or missing authentication answers 4xx, never 5xx', async () => {
    const a = users.alice!.accessKeyId;
    const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'AWS4-HMAC-SHA256' },
      { authorization: 'AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=' },
      { authorization: `AWS4-HMAC-SHA256 Credential=${a}/20990101/us-east-1/orders/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`, 'x-amz-date': now },
      { authorization: `AWS4-HMAC-SHA256 Credential=${a}/${now.slice(0, 8)}/us-east-1/orders/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`, 'x-amz-date': now },
      { authorization: `AWS4-HMAC-SHA256 Credential=${a}/${now.slice(0, 8)}/us-east-1/orders/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`, 'x-amz-date': 'yesterday' },
      { authorization: 'Basic YWxpY2U6c2VjcmV0' },
      { authorization: 'AWS4-ECDSA-P256-SHA256 Credential=x' },
      { authorization: `AWS4-HMAC-SHA256 Credential=ASIAXXXXXXXXXXXXXXXX/${now.slice(0, 8)}/us-east-1/orders/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=${'1'.repeat(64)}`, 'x-amz-date': now, 'x-amz-security-token': 'not-a-token' },
    ];
    for (const headers of cases) {
      const res = await fetch(`${orders.url}/orders/1`, { headers });
      expect(res.status, JSON.stringify(headers)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(headers)).toBeLessThan(500);
    }
    for (const query of ['X-Amz-Algorithm=AWS4-HMAC-SHA256', `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${a}%2F20990101%2Fus-east-1%2Forders%2Faws4_request&X-Amz-Date=${now}&X-Amz-Expires=-1&X-Amz-SignedHeaders=host&X-Amz-Signature=00`]) {
      const res = await fetch(`${orders.url}/orders/1?${query}`);
      expect(res.status, query).toBeGreaterThanOrEqual(400);
      expect(res.status, query).toBeLessThan(500);
    }
  });

  it('a deactivated key and a removed policy take effect within the configured cache lifetime', async () => {
    const carol = as(users.carol!);
    const dave = as(users.dave!);
    expect((await carol(`${orders.url}/orders/1`)).status).toBe(200);
    expect((await dave(`${orders.url}/orders/1`)).status).toBe(200);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'carol', AccessKeyId: users.carol!.accessKeyId, Status: 'Inactive' }));
    const read = `arn:aws:iam::${ACCOUNT}:policy/ReadOrders`;
    await iam.send(new DetachUserPolicyCommand({ UserName: 'dave', PolicyArn: read }));
    // The service caches keys and policies for --cache-ttl-ms; past that lifetime the change must hold.
    await sleep(2 * TTL_MS + 200);
    const c = await errorOf(await carol(`${orders.url}/orders/1`));
    expect([c.status, c.code]).toEqual([403, 'InvalidClientTokenId']);
    const d = await errorOf(await dave(`${orders.url}/orders/1`));
    expect([d.status, d.code]).toEqual([403, 'AccessDenied']);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'carol', AccessKeyId: users.carol!.accessKeyId, Status: 'Active' }));
    await sleep(2 * TTL_MS + 200);
    expect((await carol(`${orders.url}/orders/1`)).status).toBe(200);
  });

  it('a service whose own permission is removed answers 503 ServiceUnavailable, not a verdict on the caller', async () => {
    // (the last test that needs the service's own key: it is put back afterwards)
    await iam.send(new PutUserPolicyCommand({ UserName: 'orders-service', PolicyName: 'inline', PolicyDocument: doc({ Effect: 'Allow', Action: 'latchkey:GetPrincipalPolicies', Resource: '*' }) }));
    await sleep(2 * TTL_MS + 200);
    const e = await errorOf(await as(users.mallory!)(`${orders.url}/orders/3`));
    expect([e.status, e.code]).toEqual([503, 'ServiceUnavailable']);
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'orders-service',
        PolicyName: 'inline',
        PolicyDocument: doc({ Effect: 'Allow', Action: ['latchkey:GetServiceSigningKey', 'latchkey:GetPrincipalPolicies', 'latchkey:ListChanges', 'latchkey:PutServiceCatalog'], Resource: `arn:aws:latchkey::${ACCOUNT}:service/orders` }),
      }),
    );
    expect((await as(users.mallory!)(`${orders.url}/orders/3`)).status).toBe(200);
  });

  describe('with roles (Latchkey STS)', () => {
    it('alice assumes OrderAdmin, which requires MFA, and then deletes an order', async (ctx) => {
      if (!stsServed) ctx.skip('the Latchkey server does not serve STS');
      await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'assume', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/Order*` }) }));
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'OrderAdmin',
          AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
        }),
      );
      await iam.send(new PutRolePolicyCommand({ RoleName: 'OrderAdmin', PolicyName: 'all', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }) }));
      const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' }))).VirtualMFADevice!;
      const seed = Buffer.from(device.Base32StringSeed!).toString('utf8');
      const step = Math.floor(Date.now() / 30_000);
      await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: device.SerialNumber!, AuthenticationCode1: totp(seed, step - 1), AuthenticationCode2: totp(seed, step) }));

      const roleArn = `arn:aws:iam::${ACCOUNT}:role/OrderAdmin`;
      const withoutMfa = roleCredentials({ endpoint: latchkey.url, roleArn, roleSessionName: 'no-mfa', sourceCredentials: users.alice! });
      await expect(withoutMfa()).rejects.toMatchObject({ name: 'AccessDenied' });

      const admin = roleCredentials({
        endpoint: latchkey.url,
        roleArn,
        roleSessionName: 'alice-admin',
        sourceCredentials: users.alice!,
        mfaSerial: device.SerialNumber!,
        // Each code is accepted once: the next step's code (inside the ±1 window) is still unused.
        mfaCode: async () => totp(seed, step + 1),
      });
      const asAdmin = as(admin);
      const res = await asAdmin(`${orders.url}/orders/1`, { method: 'DELETE' });
      expect(res.status).toBe(204);
      expect((await asAdmin(`${orders.url}/orders/1`)).status).toBe(404);
    });

    it('a session policy limits the role session; revoking older sessions takes effect within the cache lifetime', async (ctx) => {
      if (!stsServed) ctx.skip('the Latchkey server does not serve STS');
      await iam.send(new CreateRoleCommand({ RoleName: 'OrderOps', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }) }));
      await iam.send(new PutRolePolicyCommand({ RoleName: 'OrderOps', PolicyName: 'all', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }) }));
      const roleArn = `arn:aws:iam::${ACCOUNT}:role/OrderOps`;
      const limited = as(roleCredentials({ endpoint: latchkey.url, roleArn, roleSessionName: 'read-only', sourceCredentials: users.alice!, policy: doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }) }));
      expect((await limited(`${orders.url}/orders/2`)).status).toBe(200);
      const e = await errorOf(await limited(`${orders.url}/orders/2`, { method: 'DELETE' }));
      expect([e.status, e.code]).toEqual([403, 'AccessDenied']);
      expect(e.message).toContain('because no session policy allows the orders:DeleteOrder action');

      const ops = as(roleCredentials({ endpoint: latchkey.url, roleArn, roleSessionName: 'ops', sourceCredentials: users.alice! }));
      expect((await ops(`${orders.url}/orders/2`)).status).toBe(200);
      // AWS's "revoke active sessions": deny everything to sessions issued before now.
      await sleep(1100); // aws:TokenIssueTime has second precision
      const cutoff = new Date().toISOString();
      await iam.send(new PutRolePolicyCommand({ RoleName: 'OrderOps', PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } } }) }));
      await sleep(2 * TTL_MS + 200);
      const revoked = await errorOf(await ops(`${orders.url}/orders/2`));
      expect([revoked.status, revoked.code]).toEqual([403, 'AccessDenied']);
      expect(revoked.message).toContain('explicit deny');
    });
  });
});
