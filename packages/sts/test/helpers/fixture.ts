import { randomBytes } from 'node:crypto';
import type { QueryParams } from '@latchkey/aws-query';
import { IamService, rootCaller, userCaller, type Caller, type RequestEnv } from '@latchkey/iam';
import { generateMasterKey, Keyring } from '@latchkey/keyring';
import type { Store } from '@latchkey/store';
// Tests run the service on the real SQLite adapter (in memory); the service itself only sees the ports.
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests and the bench open the real SQLite store
import { openStore } from '@latchkey/store-sql';
import { generate, generateSecret } from 'otplib';
import { StsService, type StsServiceOptions, type StsOutput } from '../../src/index.js';

export const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';
export const START = Date.parse('2026-11-27T20:00:00Z');

export function params(action: string, values: Record<string, string> = {}, version = '2011-06-15'): QueryParams {
  const map = new Map<string, string>([['Action', action], ['Version', version], ...Object.entries(values)]);
  return { action, version, params: map };
}

export function policy(...statements: unknown[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function allow(actions: string | string[], resource: string | string[] = '*', condition?: unknown): string {
  return policy({ Effect: 'Allow', Action: actions, Resource: resource, ...(condition === undefined ? {} : { Condition: condition }) });
}

/** A trust policy with one Allow statement. */
export function trust(principal: unknown, actions: string | string[] = 'sts:AssumeRole', condition?: unknown): string {
  return policy({ Effect: 'Allow', Principal: principal, Action: actions, ...(condition === undefined ? {} : { Condition: condition }) });
}

export interface Credentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

export interface Fixture {
  store: Store;
  iam: IamService;
  sts: StsService;
  keyring: Keyring;
  clock: { now: number };
  env(overrides?: Partial<RequestEnv>): RequestEnv;
  root(account?: string): Caller;
  sts_(action: string, values?: Record<string, string>, caller?: Caller, env?: Partial<RequestEnv>): Promise<StsOutput>;
  iamCall(action: string, values?: Record<string, string>, caller?: Caller): Promise<unknown>;
  user(name: string, policyDocument?: string, account?: string): Promise<Caller>;
  role(name: string, trustPolicy: string, options?: { account?: string; inline?: Record<string, string>; maxSessionDuration?: number; path?: string; tags?: { key: string; value: string }[] }): Promise<{ id: string; arn: string }>;
  putRolePolicy(account: string, roleName: string, name: string, document: string): Promise<void>;
  /** Resolves temporary credentials into their Caller (as the server does for ASIA keys). */
  session(credentials: Credentials): Promise<Caller>;
  mfaDevice(user: Caller, name: string): Promise<{ serial: string; code: (offsetSteps?: number) => Promise<string> }>;
  close(): Promise<void>;
}

export async function fixture(options: Partial<StsServiceOptions> = {}): Promise<Fixture> {
  const store = await openStore({ url: 'sqlite::memory:' });
  const keyring = Keyring.fromText(generateMasterKey(random, { id: 'test1' }), { random });
  const iam = new IamService({ store, keyring, random });
  await iam.start();
  const sts = new StsService({ store, keyring, random, authorizer: iam.authorizer, ...options });
  await sts.start();
  const clock = { now: START };
  const created = await iam.createAccount({ accountId: ACCOUNT }, new Date(clock.now));
  const other = await iam.createAccount({ accountId: OTHER }, new Date(clock.now));
  const roots: Record<string, Caller> = {
    [ACCOUNT]: rootCaller(ACCOUNT, created.rootAccessKeyId),
    [OTHER]: rootCaller(OTHER, other.rootAccessKeyId),
  };
  let requests = 0;
  let roles = 0;
  const env = (overrides: Partial<RequestEnv> = {}): RequestEnv => ({
    requestId: `req-${++requests}`,
    now: new Date(clock.now),
    sourceIp: '203.0.113.7',
    secureTransport: true,
    region: 'us-east-1',
    ...overrides,
  });
  const root = (account = ACCOUNT): Caller => roots[account]!;
  const f: Fixture = {
    store,
    iam,
    sts,
    keyring,
    clock,
    env,
    root,
    sts_: (action, values = {}, caller = root(), e = {}) => sts.invoke(action, params(action, values), caller, env(e)),
    iamCall: (action, values = {}, caller = root()) => iam.invoke(action, params(action, values, '2010-05-08'), caller, env()),
    async user(name, policyDocument, account = ACCOUNT) {
      await iam.invoke('CreateUser', params('CreateUser', { UserName: name }, '2010-05-08'), root(account), env());
      const user = (await store.read((r) => r.users.getByName(account, name)))!;
      if (policyDocument !== undefined) {
        await store.transaction((tx) => tx.inlinePolicies.put(account, { principalType: 'user', principalId: user.id, name: 'inline', document: policyDocument }));
      }
      const key = await iam.invoke('CreateAccessKey', params('CreateAccessKey', { UserName: name }, '2010-05-08'), root(account), env());
      const accessKeyId = (key as { AccessKey: { AccessKeyId: string } }).AccessKey.AccessKeyId;
      return userCaller(user, accessKeyId);
    },
    async role(name, trustPolicy, o = {}) {
      const account = o.account ?? ACCOUNT;
      const path = o.path ?? '/';
      // Unique per creation, as AWS's random ids are: a re-created role is a new principal.
      const id = `AROA${name.toUpperCase().replace(/[^A-Z0-9]/g, 'X').padEnd(13, 'X').slice(0, 13)}${String(++roles).padStart(4, '0')}`;
      const arn = `arn:aws:iam::${account}:role${path}${name}`;
      await store.transaction(async (tx) => {
        await tx.roles.create({
          accountId: account,
          id,
          name,
          path,
          arn,
          createdAt: START,
          assumeRolePolicyDocument: trustPolicy,
          description: null,
          maxSessionDuration: o.maxSessionDuration ?? 3600,
          permissionsBoundaryArn: null,
          lastUsedAt: null,
          lastUsedRegion: null,
        });
        for (const [policyName, document] of Object.entries(o.inline ?? {})) {
          await tx.inlinePolicies.put(account, { principalType: 'role', principalId: id, name: policyName, document });
        }
        if (o.tags !== undefined) await tx.tags.put(account, 'role', id, o.tags);
      });
      return { id, arn };
    },
    async putRolePolicy(account, roleName, name, document) {
      await store.transaction(async (tx) => {
        const role = (await tx.roles.getByName(account, roleName))!;
        await tx.inlinePolicies.put(account, { principalType: 'role', principalId: role.id, name, document });
      });
    },
    async session(credentials) {
      const resolved = await sts.resolveSessionCredentials(credentials.AccessKeyId, credentials.SessionToken, new Date(clock.now));
      return resolved.principal;
    },
    async mfaDevice(user, name) {
      const serial = `arn:aws:iam::${user.accountId}:mfa/${name}`;
      const secret = generateSecret();
      const sealed = keyring.encrypt(secret, `mfa-seed:${serial}`);
      await store.transaction(async (tx) => {
        await tx.mfaDevices.create({ accountId: user.accountId, serial, name, path: '/', seed: { ciphertext: sealed, keyId: keyring.keyIdOf(sealed) }, createdAt: clock.now });
        await tx.mfaDevices.enable(user.accountId, serial, user.identity.kind === 'user' ? user.identity.id : '', clock.now, 0);
      });
      return { serial, code: (offset = 0) => generate({ secret, epoch: Math.floor(clock.now / 1000) + offset * 30 }) };
    },
    async close() {
      sts.close();
      iam.close();
      await store.close();
    },
  };
  return f;
}

/** Awaits a promise expected to reject and returns the error. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; status: number }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string; status: number };
  }
  throw new Error('expected a failure');
}

export function credentialsOf(output: unknown): Credentials {
  return (output as unknown as { Credentials: Credentials }).Credentials;
}
