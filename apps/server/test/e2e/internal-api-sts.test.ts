import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AttachRolePolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { remoteCredentialSource } from '@latchkey/express';
import { createAccount, type CreatedAccount } from '@latchkey/iam';
import { Keyring, generateMasterKey } from '@latchkey/keyring';
import { getSigningKey } from '@latchkey/sigv4';
import { openStore, type SqlStore } from '@latchkey/store-sql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type LatchkeyServer } from '../../src/create-server.js';
import { latchkeyServices } from '../../src/latchkey-services.js';
import { LogCapture, random } from '../helpers/in-process-server.js';

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const today = (): string => new Date().toISOString().slice(0, 10).replace(/-/g, '');

let store: SqlStore;
let server: LatchkeyServer;
let http: Server;
let url: string;
let account: CreatedAccount;
let iam: IAMClient;
let serviceSession: Keys; // the orders service running under a role session
let aliceSession: Keys; // a caller with temporary credentials
let serviceUser: Keys; // the orders service with long-term keys
// The server's clock runs this far ahead of real time (to let sessions expire without waiting).
let offsetMs = 0;
const clock = (): number => Date.now() + offsetMs;
const logs = new LogCapture();

async function assume(source: Keys, roleArn: string, sessionName: string): Promise<Keys> {
  const sts = new STSClient({ endpoint: url, region: 'us-east-1', credentials: source, maxAttempts: 1 });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }))).Credentials!;
  sts.destroy();
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

beforeAll(async () => {
  store = await openStore({ url: 'sqlite::memory:' });
  const keyring = Keyring.fromText(generateMasterKey(random), { random });
  account = await createAccount({ store, keyring, random, now: new Date() }, {});
  server = await createServer({ store, keyring, random, clock, logger: pino({ level: 'info' }, logs), ...latchkeyServices({ store, keyring, random, clock }) });
  http = createHttpServer(server.handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  iam = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: account.rootAccessKeyId, secretAccessKey: account.rootSecretAccessKey }, maxAttempts: 1 });
  const a = account.accountId;
  await iam.send(new CreateUserCommand({ UserName: 'deployer' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'deployer', PolicyName: 'assume', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }))).AccessKey!;
  const deployer = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  const trust = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${a}:root` }, Action: 'sts:AssumeRole' });
  await iam.send(new CreateRoleCommand({ RoleName: 'OrdersService', AssumeRolePolicyDocument: trust }));
  await iam.send(
    new PutRolePolicyCommand({ RoleName: 'OrdersService', PolicyName: 'internal-api', PolicyDocument: doc({ Effect: 'Allow', Action: ['latchkey:GetServiceSigningKey', 'latchkey:GetPrincipalPolicies'], Resource: `arn:aws:latchkey::${a}:service/orders` }) }),
  );
  await iam.send(new CreateRoleCommand({ RoleName: 'Reader', AssumeRolePolicyDocument: trust }));
  const read = await iam.send(new CreatePolicyCommand({ PolicyName: 'ReadOrders', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'Reader', PolicyArn: read.Policy!.Arn! }));
  await iam.send(new CreateUserCommand({ UserName: 'orders-service' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'orders-service', PolicyName: 'internal-api', PolicyDocument: doc({ Effect: 'Allow', Action: 'latchkey:GetServiceSigningKey', Resource: `arn:aws:latchkey::${a}:service/orders` }) }));
  const sk = (await iam.send(new CreateAccessKeyCommand({ UserName: 'orders-service' }))).AccessKey!;
  serviceUser = { accessKeyId: sk.AccessKeyId!, secretAccessKey: sk.SecretAccessKey! };
  serviceSession = await assume(deployer, `arn:aws:iam::${a}:role/OrdersService`, 'orders-1');
  aliceSession = await assume(deployer, `arn:aws:iam::${a}:role/Reader`, 'alice');
});

afterAll(async () => {
  iam.destroy();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await server.close();
  await store.close();
});

describe('internal API endpoint with STS served', () => {
  it('accepts the service’s own temporary credentials and answers a caller’s temporary key with its session', async () => {
    const source = remoteCredentialSource({ endpoint: url, service: 'orders', credentials: { accessKeyId: serviceSession.accessKeyId, secretAccessKey: serviceSession.secretAccessKey, sessionToken: serviceSession.sessionToken! } });
    const key = await source.getSigningKey({ accessKeyId: aliceSession.accessKeyId, sessionToken: aliceSession.sessionToken!, date: today(), region: 'us-east-1', service: 'orders' });
    expect(key).toBeDefined();
    expect(Buffer.from(key!.signingKey)).toEqual(Buffer.from(getSigningKey(aliceSession.secretAccessKey, today(), 'us-east-1', 'orders')));
    expect(key!.principal.arn).toBe(`arn:aws:sts::${account.accountId}:assumed-role/Reader/alice`);
    expect(key!.expiresAt).toBeGreaterThan(Date.now());
    const policies = await source.getPrincipalPolicies(key!.principal);
    expect(policies.identity.map((p) => p.id)).toEqual([`arn:aws:iam::${account.accountId}:policy/ReadOrders`]);
    expect(logs.text).not.toContain(aliceSession.secretAccessKey);
    expect(logs.text).not.toContain(aliceSession.sessionToken);
  });

  it('refuses a temporary key without its token (unknown) and with a tampered token (InvalidClientTokenId)', async () => {
    const source = remoteCredentialSource({ endpoint: url, service: 'orders', credentials: { accessKeyId: serviceSession.accessKeyId, secretAccessKey: serviceSession.secretAccessKey, sessionToken: serviceSession.sessionToken! } });
    await expect(source.getSigningKey({ accessKeyId: aliceSession.accessKeyId, date: today(), region: 'us-east-1', service: 'orders' })).resolves.toBeUndefined();
    const token = aliceSession.sessionToken!;
    const tampered = token.slice(0, 40) + (token[40] === 'A' ? 'B' : 'A') + token.slice(41);
    await expect(source.getSigningKey({ accessKeyId: aliceSession.accessKeyId, sessionToken: tampered, date: today(), region: 'us-east-1', service: 'orders' })).rejects.toMatchObject({ code: 'InvalidClientTokenId' });
  });

  it('refuses a role session without the permission (AccessDenied → 503 for the middleware)', async () => {
    const source = remoteCredentialSource({ endpoint: url, service: 'orders', credentials: { accessKeyId: aliceSession.accessKeyId, secretAccessKey: aliceSession.secretAccessKey, sessionToken: aliceSession.sessionToken! } });
    await expect(source.getSigningKey({ accessKeyId: serviceSession.accessKeyId, sessionToken: serviceSession.sessionToken!, date: today(), region: 'us-east-1', service: 'orders' })).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    const line = logs.records().filter((l) => l.service === 'latchkey').at(-1)!;
    expect(line).toMatchObject({ status: 403, code: 'AccessDenied', principal: `arn:aws:sts::${account.accountId}:assumed-role/Reader/alice` });
  });

  it('answers ExpiredToken for a caller’s session once the server’s clock passes its expiry (the service never caches that as valid)', async () => {
    const source = remoteCredentialSource({ endpoint: url, service: 'orders', credentials: serviceUser, now: clock });
    const request = { accessKeyId: aliceSession.accessKeyId, sessionToken: aliceSession.sessionToken!, date: today(), region: 'us-east-1', service: 'orders' };
    const key = await source.getSigningKey(request);
    offsetMs = key!.expiresAt! - Date.now() + 1000;
    try {
      const late = { ...request, date: new Date(clock()).toISOString().slice(0, 10).replace(/-/g, '') };
      await expect(source.getSigningKey(late)).rejects.toMatchObject({ code: 'ExpiredToken', status: 403 });
      // The service's own long-term key is unaffected.
      await expect(source.getSigningKey({ accessKeyId: serviceUser.accessKeyId, date: late.date, region: 'us-east-1', service: 'orders' })).resolves.toMatchObject({ status: 'Active' });
    } finally {
      offsetMs = 0;
    }
  });
});
