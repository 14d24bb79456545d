import { AttachUserPolicyCommand, CreateAccessKeyCommand, GetAccessKeyLastUsedCommand, CreatePolicyCommand, CreateUserCommand, PutUserPolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { remoteCredentialSource } from '@latchkey/express';
import { createAccount } from '@latchkey/iam';
import { getSigningKey } from '@latchkey/sigv4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { random, startTestServer, type TestServer } from '../helpers/in-process-server.js';
import { internalApiCall, type Keys } from '../helpers/internal-api-call.js';


let t: TestServer;
let account: string;
let svc: Keys; // the orders service's own user: allowed on service/orders
let nosvc: Keys; // a user without latchkey:* permissions
let alice: Keys; // a user whose requests the service verifies
let otherAccountKey: Keys;
const today = (): string => new Date().toISOString().slice(0, 10).replace(/-/g, '');

async function userWithKey(name: string): Promise<Keys> {
  const iam = t.client();
  await iam.send(new CreateUserCommand({ UserName: name }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

const call = (keys: Keys | undefined, action: string, body: unknown, options: { signingName?: string; target?: string; rawBody?: string } = {}) => internalApiCall(t.url, keys, action, body, options);

const keyRequest = (accessKeyId: string, extra: Record<string, unknown> = {}) => ({ AccessKeyId: accessKeyId, Date: today(), Region: 'us-east-1', Service: 'orders', ...extra });

beforeAll(async () => {
  t = await startTestServer();
  account = t.account.accountId;
  const iam = t.client();
  svc = await userWithKey('orders-service');
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'orders-service',
      PolicyName: 'internal-api',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['latchkey:GetServiceSigningKey', 'latchkey:GetPrincipalPolicies'], Resource: `arn:aws:latchkey::${account}:service/orders` }],
      }),
    }),
  );
  nosvc = await userWithKey('not-a-service');
  await iam.send(new PutUserPolicyCommand({ UserName: 'not-a-service', PolicyName: 'iam-read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }] }) }));
  alice = await userWithKey('alice');
  const read = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'ReadOrders', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['orders:GetOrder', 'orders:ListOrders'], Resource: '*' }] }) }),
  );
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: read.Policy!.Arn! }));
  const other = await createAccount({ store: t.store, keyring: t.keyring, random, now: new Date() }, {});
  otherAccountKey = { accessKeyId: other.rootAccessKeyId, secretAccessKey: other.rootSecretAccessKey };
});
afterAll(async () => t.stop());

describe('internal API endpoint', () => {
  it('hands the service a signing key scoped to (alice key, day, region, orders), never the secret', async () => {
    const r = await call(svc, 'GetServiceSigningKey', keyRequest(alice.accessKeyId));
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('application/x-amz-json-1.1');
    expect(r.json.Result).toBe('Found');
    expect(r.json.Status).toBe('Active');
    expect(Buffer.from(r.json.SigningKey, 'base64')).toEqual(Buffer.from(getSigningKey(alice.secretAccessKey, today(), 'us-east-1', 'orders')));
    expect(r.json.Principal.arn).toBe(`arn:aws:iam::${account}:user/alice`);
    expect(JSON.stringify(r.json)).not.toContain(alice.secretAccessKey);
  });

  it('serves remoteCredentialSource: scoped key and the principal policies (attached ReadOrders)', async () => {
    const source = remoteCredentialSource({ endpoint: t.url, service: 'orders', credentials: svc });
    const key = await source.getSigningKey({ accessKeyId: alice.accessKeyId, date: today(), region: 'eu-west-1', service: 'orders' });
    expect(key).toBeDefined();
    expect(Buffer.from(key!.signingKey)).toEqual(Buffer.from(getSigningKey(alice.secretAccessKey, today(), 'eu-west-1', 'orders')));
    const policies = await source.getPrincipalPolicies(key!.principal);
    expect(policies.identity.map((p) => p.id)).toEqual([`arn:aws:iam::${account}:policy/ReadOrders`]);
    expect(policies.failClosed).toBeUndefined();
  });

  it('refuses a caller without latchkey:GetServiceSigningKey: 403 AccessDenied as JSON, and the middleware source turns it into 503', async () => {
    const r = await call(nosvc, 'GetServiceSigningKey', keyRequest(alice.accessKeyId));
    expect(r.status).toBe(403);
    expect(r.errorType).toBe('AccessDenied');
    expect(r.json.__type).toBe('AccessDenied');
    expect(r.json.message).toContain(`User: arn:aws:iam::${account}:user/not-a-service is not authorized to perform: latchkey:GetServiceSigningKey on resource: arn:aws:latchkey::${account}:service/orders`);
    const p = await call(nosvc, 'GetPrincipalPolicies', { Service: 'orders', Principal: { kind: 'user' } });
    expect([p.status, p.json.__type]).toEqual([403, 'AccessDenied']);
    const source = remoteCredentialSource({ endpoint: t.url, service: 'orders', credentials: nosvc });
    await expect(source.getSigningKey({ accessKeyId: alice.accessKeyId, date: today(), region: 'us-east-1', service: 'orders' })).rejects.toMatchObject({ code: 'ServiceUnavailable', status: 503 });
  });

  it('refuses a key for another service name (allowed on service/orders, asks for billing)', async () => {
    const r = await call(svc, 'GetServiceSigningKey', { ...keyRequest(alice.accessKeyId), Service: 'billing' });
    expect(r.status).toBe(403);
    expect(r.json.__type).toBe('AccessDenied');
    expect(r.json.message).toContain(`service/billing`);
    expect(r.json.SigningKey).toBeUndefined();
  });

  it('never hands out keys for Latchkey’s own signing names, not even to the account root', async () => {
    const root = { accessKeyId: t.account.rootAccessKeyId, secretAccessKey: t.account.rootSecretAccessKey };
    for (const name of ['iam', 'sts', 'latchkey']) {
      const r = await call(root, 'GetServiceSigningKey', { ...keyRequest(alice.accessKeyId), Service: name });
      expect([r.status, r.json.__type]).toEqual([400, 'ValidationException']);
    }
    const ok = await call(root, 'GetServiceSigningKey', keyRequest(alice.accessKeyId));
    expect(ok.json.Result).toBe('Found');
  });

  it('answers NotFound for an unknown key and for a key of another account', async () => {
    expect((await call(svc, 'GetServiceSigningKey', keyRequest('AKIAIOSFODNN7EXAMPLE'))).json).toEqual({ Result: 'NotFound' });
    expect((await call(svc, 'GetServiceSigningKey', keyRequest(otherAccountKey.accessKeyId))).json).toEqual({ Result: 'NotFound' });
    const p = await call(svc, 'GetPrincipalPolicies', { Service: 'orders', Principal: { kind: 'root', accountId: '999999999999', arn: 'arn:aws:iam::999999999999:root', userId: '999999999999', identity: { kind: 'root' } } });
    expect([p.status, p.json.__type]).toEqual([403, 'AccessDenied']);
  });

  it('answers Inactive for a deactivated key at once, then Active again', async () => {
    const bob = await userWithKey('bob');
    const iam = t.client();
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'bob', AccessKeyId: bob.accessKeyId, Status: 'Inactive' }));
    expect((await call(svc, 'GetServiceSigningKey', keyRequest(bob.accessKeyId))).json.Status).toBe('Inactive');
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'bob', AccessKeyId: bob.accessKeyId, Status: 'Active' }));
    expect((await call(svc, 'GetServiceSigningKey', keyRequest(bob.accessKeyId))).json.Status).toBe('Active');
  });

  it('refuses the service itself once its own key is deactivated (InvalidClientTokenId)', async () => {
    const svc2 = await userWithKey('orders-service-2');
    const iam = t.client();
    await iam.send(new PutUserPolicyCommand({ UserName: 'orders-service-2', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'latchkey:*', Resource: '*' }] }) }));
    expect((await call(svc2, 'GetServiceSigningKey', keyRequest(alice.accessKeyId))).status).toBe(200);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'orders-service-2', AccessKeyId: svc2.accessKeyId, Status: 'Inactive' }));
    const r = await call(svc2, 'GetServiceSigningKey', keyRequest(alice.accessKeyId));
    expect([r.status, r.errorType]).toEqual([403, 'InvalidClientTokenId']);
  });

  it('authenticates with the latchkey signing name only: unsigned, wrong scope and bad secret are refused (4xx JSON)', async () => {
    const unsigned = await call(undefined, 'GetServiceSigningKey', keyRequest(alice.accessKeyId));
    expect([unsigned.status, unsigned.json.__type]).toEqual([403, 'MissingAuthenticationToken']);
    const iamScope = await call(svc, 'GetServiceSigningKey', keyRequest(alice.accessKeyId), { signingName: 'iam' });
    expect([iamScope.status, iamScope.json.__type]).toEqual([403, 'SignatureDoesNotMatch']);
    const wrong = await call({ ...svc, secretAccessKey: 'x'.repeat(40) }, 'GetServiceSigningKey', keyRequest(alice.accessKeyId));
    expect([wrong.status, wrong.json.__type]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('validates targets and bodies: UnknownOperationException, SerializationException, ValidationException', async () => {
    const unknown = await call(svc, 'Frobnicate', {});
    expect([unknown.status, unknown.json.__type]).toEqual([400, 'UnknownOperationException']);
    const badVersion = await call(svc, '', {}, { target: 'LatchkeyInternal_20200101.GetServiceSigningKey' });
    expect([badVersion.status, badVersion.json.__type]).toEqual([400, 'UnknownOperationException']);
    const notJson = await call(svc, 'GetServiceSigningKey', undefined, { rawBody: '{"AccessKeyId":' });
    expect([notJson.status, notJson.json.__type]).toEqual([400, 'SerializationException']);
    const farDate = await call(svc, 'GetServiceSigningKey', keyRequest(alice.accessKeyId, { Date: '20200101' }));
    expect([farDate.status, farDate.json.__type]).toEqual([400, 'ValidationException']);
    const noKey = await call(svc, 'GetServiceSigningKey', { Date: today(), Region: 'us-east-1', Service: 'orders' });
    expect([noKey.status, noKey.json.__type]).toEqual([400, 'ValidationException']);
    const badService = await call(svc, 'GetServiceSigningKey', keyRequest(alice.accessKeyId, { Service: 'Orders!' }));
    expect([badService.status, badService.json.__type]).toEqual([400, 'ValidationException']);
    const badPrincipal = await call(svc, 'GetPrincipalPolicies', { Service: 'orders', Principal: 42 });
    expect([badPrincipal.status, badPrincipal.json.__type]).toEqual([400, 'ValidationException']);
  });

  it('leaves every other request to the Query handler', async () => {
    const root = { accessKeyId: t.account.rootAccessKeyId, secretAccessKey: t.account.rootSecretAccessKey };
    const r = await call(root, '', 'Action=GetUser&Version=2010-05-08', { target: 'SomethingElse.GetUser', signingName: 'iam', rawBody: 'Action=GetUser&Version=2010-05-08' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('<GetUserResponse');
  });

  it('keeps GetAccessKeyLastUsed: the caller’s key for the service it was used with, the service’s own key for latchkey', async () => {
    const erin = await userWithKey('erin');
    expect((await t.client().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: erin.accessKeyId }))).AccessKeyLastUsed?.ServiceName).toBe('N/A');
    expect((await call(svc, 'GetServiceSigningKey', keyRequest(erin.accessKeyId, { Region: 'eu-west-1' }))).json.Result).toBe('Found');
    const used = (await t.client().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: erin.accessKeyId }))).AccessKeyLastUsed!;
    expect([used.ServiceName, used.Region]).toEqual(['orders', 'eu-west-1']);
    const own = (await t.client().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: svc.accessKeyId }))).AccessKeyLastUsed!;
    expect([own.ServiceName, own.Region]).toEqual(['latchkey', 'us-east-1']);
  });

  it('logs each call with the service name and never the signing key', async () => {
    const r = await call(svc, 'GetServiceSigningKey', keyRequest(alice.accessKeyId));
    const line = t.logs.records().filter((l) => l.service === 'latchkey' && l.action === 'GetServiceSigningKey').at(-1)!;
    expect(line).toMatchObject({ status: 200, forService: 'orders', principal: `arn:aws:iam::${account}:user/orders-service` });
    expect(t.logs.text).not.toContain(r.json.SigningKey);
    expect(t.logs.text).not.toContain(alice.secretAccessKey);
  });
});

describe('internal API ListChanges', () => {
  let watcher: Keys;
  beforeAll(async () => {
    const iam = t.client();
    watcher = await userWithKey('orders-watcher');
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'orders-watcher',
        PolicyName: 'internal-api',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'latchkey:ListChanges', Resource: `arn:aws:latchkey::${account}:service/orders` }] }),
      }),
    );
  });

  it('answers a first call with a reset and a cursor, then each change of the account once a long poll is woken', async () => {
    const first = await call(watcher, 'ListChanges', { Service: 'orders' });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ Cursor: expect.stringMatching(/^\d+$/), Reset: true, Changes: [] });
    const started = performance.now();
    const waiting = call(watcher, 'ListChanges', { Service: 'orders', Cursor: first.json.Cursor, WaitTimeSeconds: 20 });
    await new Promise((r) => setTimeout(r, 50));
    await t.client().send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'extra', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'orders:ListOrders', Resource: '*' }] }) }));
    const woken = await waiting;
    expect(woken.status).toBe(200);
    expect(woken.json.Reset).toBe(false);
    expect(woken.json.Changes).toEqual([{ Kind: 'inlinePolicy' }]);
    expect(Number(woken.json.Cursor)).toBeGreaterThan(Number(first.json.Cursor));
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it("does not report another account's changes", async () => {
    const first = await call(watcher, 'ListChanges', { Service: 'orders' });
    const otherIam = t.client(otherAccountKey);
    await otherIam.send(new CreateUserCommand({ UserName: 'someone-else' }));
    const next = await call(watcher, 'ListChanges', { Service: 'orders', Cursor: first.json.Cursor, WaitTimeSeconds: 0 });
    expect(next.json).toEqual({ Cursor: expect.stringMatching(/^\d+$/), Reset: false, Changes: [] });
    expect(Number(next.json.Cursor)).toBeGreaterThan(Number(first.json.Cursor));
  });

  it('refuses a service without latchkey:ListChanges (403 AccessDenied) and bad parameters (400 ValidationException)', async () => {
    const denied = await call(svc, 'ListChanges', { Service: 'orders' });
    expect([denied.status, denied.errorType, denied.json.__type]).toEqual([403, 'AccessDenied', 'AccessDenied']);
    const tooLong = await call(watcher, 'ListChanges', { Service: 'orders', WaitTimeSeconds: 21 });
    expect([tooLong.status, tooLong.errorType, tooLong.json.message]).toEqual([400, 'ValidationException', 'WaitTimeSeconds must be a whole number from 0 to 20']);
    const badCursor = await call(watcher, 'ListChanges', { Service: 'orders', Cursor: 'x' });
    expect([badCursor.status, badCursor.errorType]).toEqual([400, 'ValidationException']);
    const otherService = await call(watcher, 'ListChanges', { Service: 'billing' });
    expect(otherService.status).toBe(403);
  });
});
