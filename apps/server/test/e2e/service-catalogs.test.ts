import { CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { defineService, latchkey, MAX_SERVICE_CATALOGS_PER_ACCOUNT, remoteCredentialSource, serviceCatalogDocument } from '@latchkey/express';
import { createAccount } from '@latchkey/iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalApiCall, type Keys } from '../helpers/internal-api-call.js';
import { random, startTestServer, type TestServer } from '../helpers/in-process-server.js';

const orders = defineService({
  name: 'orders',
  actions: {
    ListOrders: {},
    GetOrder: { resourceTypes: ['order'], conditionKeys: ['orders:Priority'] },
    DeleteOrder: { resourceTypes: ['order'] },
  },
  resourceTypes: { order: { arn: 'arn:${Partition}:orders:${Region}:${Account}:order/${OrderId}' } },
  conditionKeys: { 'orders:Priority': 'Numeric' },
});
const ORDERS = serviceCatalogDocument(orders);

const doc = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function userWithPolicy(t: TestServer, name: string, policy?: string): Promise<Keys> {
  const iam = t.client();
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (policy !== undefined) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

const refusal = (e: unknown): { name: string; message: string } | undefined => (e === undefined ? undefined : { name: (e as Error).name, message: (e as Error).message });
async function putPolicy(iam: IAMClient, user: string, policy: string): Promise<{ name: string; message: string } | undefined> {
  return iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: 'checked', PolicyDocument: policy })).then(() => undefined, refusal);
}

describe('service catalogs on the internal API', () => {
  let t: TestServer;
  let account: string;
  let svc: Keys; // may register the orders catalog
  let reader: Keys; // may only read it
  let nosvc: Keys; // no latchkey:* permissions
  const call = (keys: Keys | undefined, action: string, body: unknown) => internalApiCall(t.url, keys, action, body);

  beforeAll(async () => {
    t = await startTestServer();
    account = t.account.accountId;
    const service = `arn:aws:latchkey::${account}:service/orders`;
    svc = await userWithPolicy(t, 'orders-service', doc({ Effect: 'Allow', Action: ['latchkey:PutServiceCatalog', 'latchkey:GetServiceCatalog', 'latchkey:DeleteServiceCatalog'], Resource: service }));
    reader = await userWithPolicy(t, 'catalog-reader', doc({ Effect: 'Allow', Action: 'latchkey:GetServiceCatalog', Resource: service }));
    nosvc = await userWithPolicy(t, 'no-service');
  });
  afterAll(async () => t?.stop());

  it('registers, replaces, answers and deletes a catalog, each change audited', async () => {
    const put = await call(svc, 'PutServiceCatalog', { Service: 'orders', Catalog: ORDERS });
    expect([put.status, put.contentType]).toEqual([200, 'application/x-amz-json-1.1']);
    expect(put.json).toEqual({ Service: 'orders', UpdatedAt: expect.any(Number) });
    expect(Math.abs(put.json.UpdatedAt - Date.now() / 1000)).toBeLessThan(60);
    const got = await call(reader, 'GetServiceCatalog', { Service: 'orders' });
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ Service: 'orders', Catalog: ORDERS, UpdatedAt: put.json.UpdatedAt });

    const smaller = { name: 'orders', actions: { ListOrders: { description: 'Lists orders' } } };
    expect((await call(svc, 'PutServiceCatalog', { Service: 'orders', Catalog: smaller })).status).toBe(200);
    expect((await call(reader, 'GetServiceCatalog', { Service: 'orders' })).json.Catalog).toEqual({ ...smaller, resourceTypes: {}, conditionKeys: {} });

    expect((await call(svc, 'DeleteServiceCatalog', { Service: 'orders' })).json).toEqual({});
    const gone = await call(reader, 'GetServiceCatalog', { Service: 'orders' });
    expect([gone.status, gone.errorType, gone.json.message]).toEqual([400, 'ResourceNotFoundException', 'No service catalog is registered for service orders.']);
    const again = await call(svc, 'DeleteServiceCatalog', { Service: 'orders' });
    expect([again.status, again.errorType]).toEqual([400, 'ResourceNotFoundException']);

    const latchkeyRecords = async () => (await t.store.read((r) => r.audit.query({ accountId: account, maxItems: 1000 }))).items.filter((a) => a.action.startsWith('latchkey:'));
    // A refused call's record is group-committed shortly after the answer.
    await expect.poll(async () => (await latchkeyRecords()).map((a) => [a.action, a.outcome, a.errorCode])).toEqual([
      ['latchkey:PutServiceCatalog', 'success', null],
      ['latchkey:PutServiceCatalog', 'success', null],
      ['latchkey:DeleteServiceCatalog', 'success', null],
      ['latchkey:DeleteServiceCatalog', 'failure', 'ResourceNotFoundException'],
    ]);
    expect((await latchkeyRecords()).every((a) => a.resource === `arn:aws:latchkey::${account}:service/orders` && a.principalArn === `arn:aws:iam::${account}:user/orders-service`)).toBe(true);
  });

  it('refuses callers the policy does not allow, and stores nothing for them', async () => {
    for (const [keys, action] of [
      [nosvc, 'PutServiceCatalog'],
      [reader, 'PutServiceCatalog'],
      [reader, 'DeleteServiceCatalog'],
      [nosvc, 'GetServiceCatalog'],
    ] as const) {
      const r = await call(keys, action, { Service: 'orders', Catalog: ORDERS });
      expect([r.status, r.errorType]).toEqual([403, 'AccessDenied']);
      expect(r.json.message).toContain(`latchkey:${action} on resource: arn:aws:latchkey::${account}:service/orders`);
    }
    // Allowed on service/orders only: another service's catalog is refused.
    const billing = await call(svc, 'PutServiceCatalog', { Service: 'billing', Catalog: { name: 'billing', actions: {} } });
    expect([billing.status, billing.errorType]).toEqual([403, 'AccessDenied']);
    expect(await t.store.read((r) => r.serviceCatalogs.count(account))).toBe(0);
    // Unsigned: refused before anything is read.
    const unsigned = await call(undefined, 'GetServiceCatalog', { Service: 'orders' });
    expect([unsigned.status, unsigned.json.Catalog]).toEqual([403, undefined]);
  });

  const INVALID: readonly [string, unknown, string][] = [
    ['no catalog', undefined, 'Catalog is required'],
    ['not an object', 'orders', 'the catalog must be a JSON object'],
    ['another name', { name: 'billing', actions: {} }, `the catalog's name must be the service's name "orders"`],
    ['an unknown member', { name: 'orders', actions: {}, policies: [] }, 'unknown member "policies"'],
    ['an action that is not an object', { name: 'orders', actions: { GetOrder: true } }, 'action GetOrder must be a JSON object'],
    ['an action declared twice', { name: 'orders', actions: { GetOrder: {}, getorder: {} } }, 'declared twice'],
    ['a bad action name', { name: 'orders', actions: { 'Get-Order': {} } }, 'must be an AWS-style name'],
    ['an undeclared resource type', { name: 'orders', actions: { GetOrder: { resourceTypes: ['ordr'] } } }, 'undeclared resource type "ordr"'],
    ['a resource type without an ARN', { name: 'orders', actions: {}, resourceTypes: { order: { arn: 'order/*' } } }, 'needs an ARN format'],
    ['a key of another service', { name: 'orders', actions: {}, conditionKeys: { 'billing:Tier': 'String' } }, 'must be "orders:<Name>"'],
    ['a key of an unknown type', { name: 'orders', actions: {}, conditionKeys: { 'orders:Tier': 'Text' } }, 'the type must be one of'],
    ['too many actions', { name: 'orders', actions: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`Action${i}`, {}])) }, 'at most 1000'],
  ];

  it.each(INVALID)('refuses a catalog with %s (400 ValidationException) and keeps the one registered', async (_, catalog, message) => {
    expect((await call(svc, 'PutServiceCatalog', { Service: 'orders', Catalog: ORDERS })).status).toBe(200);
    const r = await call(svc, 'PutServiceCatalog', { Service: 'orders', ...(catalog === undefined ? {} : { Catalog: catalog }) });
    expect([r.status, r.errorType]).toEqual([400, 'ValidationException']);
    expect(r.json.message).toContain(message);
    expect((await call(reader, 'GetServiceCatalog', { Service: 'orders' })).json.Catalog).toEqual(ORDERS);
  });

  it('refuses reserved service names and malformed ones', async () => {
    const root = { accessKeyId: t.account.rootAccessKeyId, secretAccessKey: t.account.rootSecretAccessKey };
    for (const service of ['iam', 'sts', 'latchkey', 'Orders', '']) {
      const r = await call(root, 'PutServiceCatalog', { Service: service, Catalog: { name: service, actions: {} } });
      expect([r.status, r.errorType]).toEqual([400, 'ValidationException']);
    }
  });

  it(`keeps each account's catalogs apart and limits them to ${MAX_SERVICE_CATALOGS_PER_ACCOUNT} per account`, async () => {
    const other = await createAccount({ store: t.store, keyring: t.keyring, random, now: new Date() }, {});
    const otherRoot = { accessKeyId: other.rootAccessKeyId, secretAccessKey: other.rootSecretAccessKey };
    expect((await call(svc, 'PutServiceCatalog', { Service: 'orders', Catalog: ORDERS })).status).toBe(200);
    const notTheirs = await call(otherRoot, 'GetServiceCatalog', { Service: 'orders' });
    expect([notTheirs.status, notTheirs.errorType]).toEqual([400, 'ResourceNotFoundException']);
    await t.store.transaction(async (tx) => {
      for (let i = 1; i < MAX_SERVICE_CATALOGS_PER_ACCOUNT; i++) {
        await tx.serviceCatalogs.put({ accountId: other.accountId, service: `svc${i}`, document: JSON.stringify({ name: `svc${i}`, actions: {} }), updatedAt: 1 });
      }
    });
    expect((await call(otherRoot, 'PutServiceCatalog', { Service: 'orders', Catalog: ORDERS })).status).toBe(200);
    const over = await call(otherRoot, 'PutServiceCatalog', { Service: 'billing', Catalog: { name: 'billing', actions: {} } });
    expect([over.status, over.errorType, over.json.message]).toEqual([400, 'LimitExceededException', `Cannot exceed quota for ServiceCatalogsPerAccount: ${MAX_SERVICE_CATALOGS_PER_ACCOUNT}`]);
    // Replacing a registered catalog is not a new one.
    expect((await call(otherRoot, 'PutServiceCatalog', { Service: 'orders', Catalog: { name: 'orders', actions: {} } })).status).toBe(200);
    expect(await t.store.read((r) => r.serviceCatalogs.count(other.accountId))).toBe(MAX_SERVICE_CATALOGS_PER_ACCOUNT);
  });

  it('is what the middleware registers: lk.registerCatalog() over remoteCredentialSource, refused without permission', async () => {
    await call(svc, 'DeleteServiceCatalog', { Service: 'orders' });
    const lk = latchkey({ service: orders, credentials: remoteCredentialSource({ endpoint: t.url, service: 'orders', credentials: svc }), watchChanges: false });
    const registered = await lk.registerCatalog();
    expect(Math.abs(registered.updatedAt - Date.now())).toBeLessThan(60_000);
    expect((await call(reader, 'GetServiceCatalog', { Service: 'orders' })).json.Catalog).toEqual(ORDERS);
    const denied = latchkey({ service: orders, credentials: remoteCredentialSource({ endpoint: t.url, service: 'orders', credentials: nosvc }), watchChanges: false });
    await expect(denied.registerCatalog()).rejects.toMatchObject({ code: 'AccessDenied', status: 403 });
    const unreachable = latchkey({ service: orders, credentials: remoteCredentialSource({ endpoint: 'http://127.0.0.1:9', service: 'orders', credentials: svc }), watchChanges: false });
    await expect(unreachable.registerCatalog()).rejects.toMatchObject({ code: 'ServiceUnavailable', status: 503 });
  });

  it('does not change what IAM accepts outside strict mode (AWS does not check in-house actions)', async () => {
    expect((await call(svc, 'PutServiceCatalog', { Service: 'orders', Catalog: ORDERS })).status).toBe(200);
    await t.client().send(new CreateUserCommand({ UserName: 'lenient' }));
    expect(await putPolicy(t.client(), 'lenient', doc({ Effect: 'Deny', Action: 'orders:GetOrdr', Resource: '*' }))).toBeUndefined();
  });
});

describe('strict mode validates policies against the registered catalogs', () => {
  let t: TestServer;
  let svc: Keys;
  let iam: IAMClient;

  beforeAll(async () => {
    t = await startTestServer({ strictPolicies: true });
    const account = t.account.accountId;
    svc = await userWithPolicy(t, 'orders-service', doc({ Effect: 'Allow', Action: 'latchkey:PutServiceCatalog', Resource: `arn:aws:latchkey::${account}:service/orders` }));
    iam = t.client();
    await iam.send(new CreateUserCommand({ UserName: 'dana' }));
  });
  afterAll(async () => t?.stop());

  it('accepts any orders action before the catalog is registered, then refuses undeclared actions and keys of orders only', async () => {
    const typo = doc({ Effect: 'Deny', Action: ['orders:GetOrder', 'orders:DeleteOrdr'], Resource: '*' });
    expect(await putPolicy(iam, 'dana', typo)).toBeUndefined();
    expect((await internalApiCall(t.url, svc, 'PutServiceCatalog', { Service: 'orders', Catalog: ORDERS })).status).toBe(200);

    expect(await putPolicy(iam, 'dana', typo)).toEqual({ name: 'MalformedPolicyDocumentException', message: '"orders:DeleteOrdr" is not a known action of orders. [UnknownAction at /Statement/0/Action/1]' });
    const wildcard = await putPolicy(iam, 'dana', doc({ Effect: 'Deny', Action: 'orders:Remove*', Resource: '*' }));
    expect(wildcard?.message).toContain('"orders:Remove*" matches no action of orders.');
    const key = await putPolicy(iam, 'dana', doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*', Condition: { NumericLessThan: { 'orders:Prio': 3 } } }));
    expect(key?.message).toContain('"orders:Prio" is not a known condition key.');
    const mismatch = await putPolicy(iam, 'dana', doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*', Condition: { StringEquals: { 'orders:Priority': '3' } } }));
    expect(mismatch?.message).toContain('OperatorKeyTypeMismatch');

    const fine = doc(
      { Effect: 'Allow', Action: ['orders:Get*', 'orders:listorders', 's3:GetObjekt', 'billing:Anything'], Resource: '*', Condition: { NumericLessThan: { 'orders:Priority': 3 }, StringEquals: { 'aws:PrincipalTag/team': 'x' } } },
      { Effect: 'Deny', Action: 'orders:DeleteOrder', Resource: 'arn:aws:orders:*:*:order/1' },
    );
    expect(await putPolicy(iam, 'dana', fine)).toBeUndefined();
  });

  it('checks managed policies too (CreatePolicy)', async () => {
    expect((await internalApiCall(t.url, svc, 'PutServiceCatalog', { Service: 'orders', Catalog: ORDERS })).status).toBe(200);
    const refused = await iam.send(new CreatePolicyCommand({ PolicyName: 'typo', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:ListOrder', Resource: '*' }) })).then(() => undefined, refusal);
    expect(refused?.name).toBe('MalformedPolicyDocumentException');
    expect(refused?.message).toContain('"orders:ListOrder" is not a known action of orders.');
  });
});
