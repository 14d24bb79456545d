import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { QueryParams } from '@latchkey/aws-query';
// The client is another edge package: tests (and benchmarks) sign with it to check both ends together.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createSignedFetch, type Credentials } from '@latchkey/client';
import { IamService, rootCaller, userCaller, type Caller, type RequestEnv } from '@latchkey/iam';
import { generateMasterKey, Keyring } from '@latchkey/keyring';
import type { Store } from '@latchkey/store';
// The embedded mode is exercised on the real SQLite adapter, in memory.
import { openStore } from '@latchkey/store-sql';
import { StsService } from '@latchkey/sts';
import type { Express } from 'express';
import { defineService, embeddedCredentialSource, type EmbeddedCredentialSource } from '../../src/index.js';

export const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
export const ACCOUNT = '111122223333';
export const START = Date.parse('2026-11-27T20:00:00Z');

export const orders = defineService({
  name: 'orders',
  actions: {
    ListOrders: {},
    GetOrder: { resourceTypes: ['order'] },
    CreateOrder: { conditionKeys: ['orders:Priority'] },
    DeleteOrder: { resourceTypes: ['order'] },
  },
  resourceTypes: { order: { arn: 'arn:${Partition}:orders:${Region}:${Account}:order/${OrderId}' } },
  conditionKeys: { 'orders:Priority': 'String' },
});

export function params(action: string, values: Record<string, string> = {}, version = '2010-05-08'): QueryParams {
  return { action, version, params: new Map([['Action', action], ['Version', version], ...Object.entries(values)]) };
}

export const doc = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

export interface Fixture {
  store: Store;
  iam: IamService;
  sts: StsService;
  keyring: Keyring;
  source: EmbeddedCredentialSource;
  clock: { now: number };
  root: Caller;
  env(): RequestEnv;
  iamCall(action: string, values?: Record<string, string>, caller?: Caller): Promise<unknown>;
  /** Creates a user with an inline policy and an access key; returns the caller and its credentials. */
  user(name: string, policy?: string): Promise<{ caller: Caller; credentials: Credentials }>;
  assumeRole(caller: Caller, roleArn: string, extra?: Record<string, string>): Promise<Credentials>;
  close(): Promise<void>;
}

export async function fixture(): Promise<Fixture> {
  const store = await openStore({ url: 'sqlite::memory:' });
  const keyring = Keyring.fromText(generateMasterKey(random, { id: 'test1' }), { random });
  const iam = new IamService({ store, keyring, random });
  await iam.start();
  const sts = new StsService({ store, keyring, random, authorizer: iam.authorizer });
  await sts.start();
  const clock = { now: START };
  const created = await iam.createAccount({ accountId: ACCOUNT }, new Date(clock.now));
  const root = rootCaller(ACCOUNT, created.rootAccessKeyId);
  let n = 0;
  const env = (): RequestEnv => ({ requestId: `r${++n}`, now: new Date(clock.now), secureTransport: true, region: 'us-east-1', sourceIp: '203.0.113.9' });
  const source = embeddedCredentialSource({ store, keyring, now: () => clock.now, sts });
  await source.start();
  const iamCall = (action: string, values: Record<string, string> = {}, caller: Caller = root): Promise<unknown> => iam.invoke(action, params(action, values), caller, env());
  return {
    store,
    iam,
    sts,
    keyring,
    source,
    clock,
    root,
    env,
    iamCall,
    async user(name, policy) {
      await iamCall('CreateUser', { UserName: name });
      if (policy !== undefined) await iamCall('PutUserPolicy', { UserName: name, PolicyName: 'inline', PolicyDocument: policy });
      const out = (await iamCall('CreateAccessKey', { UserName: name })) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
      const user = (await store.read((r) => r.users.getByName(ACCOUNT, name)))!;
      return { caller: userCaller(user, out.AccessKey.AccessKeyId), credentials: { accessKeyId: out.AccessKey.AccessKeyId, secretAccessKey: out.AccessKey.SecretAccessKey } };
    },
    async assumeRole(caller, roleArn, extra = {}) {
      const out = (await sts.invoke('AssumeRole', params('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'sess', ...extra }, '2011-06-15'), caller, env())) as {
        Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: Date };
      };
      const c = out.Credentials;
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    },
    async close() {
      source.close();
      sts.close();
      iam.close();
      await store.close();
    },
  };
}

export interface Running {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<Running> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** A fetch signing for `orders` in us-east-1 on the fixture's clock. */
export function client(credentials: Credentials, clock: { now: number }, service = 'orders', region = 'us-east-1') {
  return createSignedFetch({ service, region, credentials, now: () => clock.now, maxSkewRetries: 0 });
}
