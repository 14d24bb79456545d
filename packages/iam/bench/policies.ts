// In-process cost of the role and policy operations (no HTTP, no SigV4) on SQLite in memory:
// reads as an authorized user, the write pairs that invalidate the authorizer's cache, and the
// first-start seeding of the AWS managed policies.
// Run: npx tsx --conditions=@latchkey/source packages/iam/bench/policies.ts
import { randomBytes } from 'node:crypto';
import { generateMasterKey, Keyring } from '@latchkey/keyring';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { openStore } from '@latchkey/store-sql';
import { IamService, rootCaller, seedAwsManagedPolicies, userCaller, type Caller } from '../src/index.js';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const ACCOUNT = '111122223333';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }] });

function query(action: string, values: Record<string, string> = {}): ReadonlyMap<string, string> {
  return new Map([['Action', action], ['Version', '2010-05-08'], ...Object.entries(values)]);
}

async function measure(label: string, iterations: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(100, iterations); i++) await fn(-1 - i); // warm-up
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!.toFixed(3);
  console.log(`${label.padEnd(52)} ${Math.round((iterations / total) * 1000).toString().padStart(7)} ops/s  p50 ${pct(0.5)} ms  p99 ${pct(0.99)} ms`);
}

async function main(): Promise<void> {
  const store = await openStore({ url: 'sqlite::memory:' });
  const keyring = Keyring.fromText(generateMasterKey(random, { id: 'bench' }), { random });
  const iam = new IamService({ store, keyring, random });
  const t0 = performance.now();
  await iam.start();
  console.log(`first start, seeding the AWS managed policies: ${(performance.now() - t0).toFixed(1)} ms`);
  await measure('seedAwsManagedPolicies on a seeded store', 200, () => seedAwsManagedPolicies(store));
  const env = () => ({ requestId: 'r', now: new Date(), sourceIp: '203.0.113.7', secureTransport: true, region: 'us-east-1' });
  const created = await iam.createAccount({ accountId: ACCOUNT }, new Date());
  const root = rootCaller(ACCOUNT, created.rootAccessKeyId);
  const call = (action: string, values: Record<string, string> = {}, caller: Caller = root) => iam.invoke(action, query(action, values), caller, env());
  await call('CreateUser', { UserName: 'bob' });
  await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
  await call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  for (let i = 0; i < 20; i++) await call('CreatePolicy', { PolicyName: `p${i}`, PolicyDocument: DOC });
  for (let i = 0; i < 20; i++) await call('CreateUser', { UserName: `u${i}` });
  const bob = userCaller((await store.read((r) => r.users.getByName(ACCOUNT, 'bob')))!);

  await measure('GetRole as bob (IAMReadOnlyAccess, cached)', 10_000, () => call('GetRole', { RoleName: 'app' }, bob));
  await measure('GetPolicy AWS managed as bob', 10_000, () => call('GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' }, bob));
  await measure('ListPolicies (29) as bob', 2_000, () => call('ListPolicies', {}, bob));
  await measure('GetAccountAuthorizationDetails (~50 entities) as bob', 500, () => call('GetAccountAuthorizationDetails', {}, bob));
  await measure('CreateRole + DeleteRole as root', 1_000, async (i) => {
    await call('CreateRole', { RoleName: `r${i}`, AssumeRolePolicyDocument: TRUST });
    await call('DeleteRole', { RoleName: `r${i}` });
  });
  await measure('AttachUserPolicy + DetachUserPolicy, then GetRole as bob', 1_000, async () => {
    await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: 'arn:aws:iam::111122223333:policy/p0' });
    await call('DetachUserPolicy', { UserName: 'bob', PolicyArn: 'arn:aws:iam::111122223333:policy/p0' });
    await call('GetRole', { RoleName: 'app' }, bob);
  });
  await measure('PutUserPolicy + DeleteUserPolicy as root', 1_000, async () => {
    await call('PutUserPolicy', { UserName: 'u1', PolicyName: 'inline', PolicyDocument: DOC });
    await call('DeleteUserPolicy', { UserName: 'u1', PolicyName: 'inline' });
  });
  iam.close();
  await store.close();
}

await main();
