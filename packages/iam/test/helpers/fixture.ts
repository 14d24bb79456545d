import { randomBytes } from 'node:crypto';
import type { QueryParams } from '@latchkey/aws-query';
import { generateMasterKey, Keyring } from '@latchkey/keyring';
import type { Store } from '@latchkey/store';
// Tests run the service on the real SQLite adapter (in memory); the service itself only sees the ports.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { openStore } from '@latchkey/store-sql';
import { IamService, rootCaller, userCaller, type Caller, type OperationOutput, type RequestEnv } from '../../src/index.js';

export const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const START = Date.parse('2026-11-27T20:00:00Z');

export interface Fixture {
  store: Store;
  iam: IamService;
  keyring: Keyring;
  root: Caller;
  rootKeyId: string;
  rootSecret: string;
  /** The clock: every call uses it as `env.now`; tests move it explicitly. */
  clock: { now: number };
  env(overrides?: Partial<RequestEnv>): RequestEnv;
  /** Invokes an action with plain parameters as the given caller (root by default). */
  call(action: string, params?: Record<string, string>, caller?: Caller, env?: Partial<RequestEnv>): Promise<OperationOutput>;
  /** Creates a user (as root) and returns its caller. */
  user(name: string, policy?: string): Promise<Caller>;
  close(): Promise<void>;
}

export function params(action: string, values: Record<string, string> = {}): QueryParams {
  const map = new Map<string, string>([['Action', action], ['Version', '2010-05-08'], ...Object.entries(values)]);
  return { action, version: '2010-05-08', params: map };
}

export async function fixture(): Promise<Fixture> {
  const store = await openStore({ url: 'sqlite::memory:' });
  const keyring = Keyring.fromText(generateMasterKey(random, { id: 'test1' }), { random });
  const iam = new IamService({ store, keyring, random });
  await iam.start();
  const clock = { now: START };
  const created = await iam.createAccount({ accountId: ACCOUNT }, new Date(clock.now));
  const root = rootCaller(ACCOUNT, created.rootAccessKeyId);
  let requests = 0;
  const env = (overrides: Partial<RequestEnv> = {}): RequestEnv => ({
    requestId: `req-${++requests}`,
    now: new Date(clock.now),
    sourceIp: '203.0.113.7',
    secureTransport: true,
    region: 'us-east-1',
    ...overrides,
  });
  const call = (action: string, values: Record<string, string> = {}, caller: Caller = root, e: Partial<RequestEnv> = {}) =>
    iam.invoke(action, params(action, values), caller, env(e));
  const f: Fixture = {
    store,
    iam,
    keyring,
    root,
    rootKeyId: created.rootAccessKeyId,
    rootSecret: created.rootSecretAccessKey,
    clock,
    env,
    call,
    async user(name, policy) {
      await call('CreateUser', { UserName: name });
      if (policy !== undefined) await putUserPolicy(store, ACCOUNT, name, 'inline', policy);
      const user = await store.read((r) => r.users.getByName(ACCOUNT, name));
      return userCaller(user!);
    },
    async close() {
      iam.close();
      await store.close();
    },
  };
  return f;
}

/** Puts an inline user policy straight through the store (PutUserPolicy belongs to the policies helper). */
export async function putUserPolicy(store: Store, accountId: string, userName: string, policyName: string, document: string): Promise<void> {
  await store.transaction(async (tx) => {
    const user = await tx.users.getByName(accountId, userName);
    if (user === undefined) throw new Error(`no user ${userName}`);
    await tx.inlinePolicies.put(accountId, { principalType: 'user', principalId: user.id, name: policyName, document });
  });
}

export function allow(actions: string | string[], resource: string | string[] = '*', condition?: unknown): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource, ...(condition === undefined ? {} : { Condition: condition }) }] });
}

export function policy(...statements: unknown[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
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

/** Creates a customer managed policy straight through the store; returns its ARN. */
export async function managedPolicy(store: Store, accountId: string, name: string, document: string, at = START): Promise<string> {
  const arn = `arn:aws:iam::${accountId}:policy/${name}`;
  await store.transaction((tx) =>
    tx.policies.create({ accountId, id: `ANPA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`, name, path: '/', arn, description: null, isAttachable: true, createdAt: at, document }),
  );
  return arn;
}

export async function attach(store: Store, accountId: string, type: 'user' | 'group' | 'role', name: string, arn: string): Promise<void> {
  await store.transaction(async (tx) => {
    const entity = type === 'user' ? await tx.users.getByName(accountId, name) : type === 'group' ? await tx.groups.getByName(accountId, name) : await tx.roles.getByName(accountId, name);
    await tx.attachments.attach(accountId, type, entity!.id, arn);
  });
}

export async function setUserBoundary(store: Store, accountId: string, userName: string, arn: string | null): Promise<void> {
  await store.transaction(async (tx) => {
    const user = await tx.users.getByName(accountId, userName);
    await tx.users.update(accountId, user!.id, { permissionsBoundaryArn: arn });
  });
}

/** Creates a role with inline policies straight through the store (roles belong to the policies helper). */
export async function role(store: Store, accountId: string, name: string, inline: Record<string, string> = {}, boundaryArn: string | null = null) {
  const record = {
    accountId,
    id: `AROA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    name,
    path: '/',
    arn: `arn:aws:iam::${accountId}:role/${name}`,
    createdAt: START,
    assumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }),
    description: null,
    maxSessionDuration: 3600,
    permissionsBoundaryArn: boundaryArn,
    lastUsedAt: null,
    lastUsedRegion: null,
  };
  await store.transaction(async (tx) => {
    await tx.roles.create(record);
    for (const [policyName, document] of Object.entries(inline)) {
      await tx.inlinePolicies.put(accountId, { principalType: 'role', principalId: record.id, name: policyName, document });
    }
  });
  return record;
}
