// In-process cost of the IAM service layer (no HTTP, no SigV4): resolve a key, then invoke an
// authorized GetUser, and a CreateUser+DeleteUser pair, on SQLite in memory and in a file.
// Run: npx tsx --conditions=@latchkey/source packages/iam/bench/invoke.ts
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMasterKey, Keyring } from '@latchkey/keyring';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { openStore } from '@latchkey/store-sql';
import { IamService, rootCaller, type Caller } from '../src/index.js';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const ACCOUNT = '111122223333';

function query(action: string, values: Record<string, string> = {}): ReadonlyMap<string, string> {
  return new Map([['Action', action], ['Version', '2010-05-08'], ...Object.entries(values)]);
}

async function measure(label: string, iterations: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(200, iterations); i++) await fn(i); // warm-up
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
  console.log(`${label.padEnd(44)} ${Math.round((iterations / total) * 1000).toString().padStart(7)} ops/s  p50 ${pct(0.5)} ms  p99 ${pct(0.99)} ms`);
}

async function run(url: string, name: string): Promise<void> {
  const store = await openStore({ url });
  const keyring = Keyring.fromText(generateMasterKey(random, { id: 'bench' }), { random });
  const iam = new IamService({ store, keyring, random });
  await iam.start();
  const env = () => ({ requestId: 'r', now: new Date(), sourceIp: '203.0.113.7', secureTransport: true, region: 'us-east-1' });
  const created = await iam.createAccount({ accountId: ACCOUNT }, new Date());
  const root = rootCaller(ACCOUNT, created.rootAccessKeyId);
  await iam.invoke('CreateUser', query('CreateUser', { UserName: 'bob' }), root, env());
  const { AccessKey } = (await iam.invoke('CreateAccessKey', query('CreateAccessKey', { UserName: 'bob' }), root, env())) as { AccessKey: { AccessKeyId: string } };
  await store.transaction(async (tx) => {
    const bob = await tx.users.getByName(ACCOUNT, 'bob');
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] });
    await tx.inlinePolicies.put(ACCOUNT, { principalType: 'user', principalId: bob!.id, name: 'read', document: doc });
  });
  const bob: Caller = (await iam.resolveAccessKey(AccessKey.AccessKeyId))!.principal;
  console.log(`-- ${name}`);
  await measure('resolveAccessKey (cached, unseal)', 20_000, () => iam.resolveAccessKey(AccessKey.AccessKeyId));
  await measure('GetUser as bob (authorized, cached policies)', 20_000, () => iam.invoke('GetUser', query('GetUser', { UserName: 'bob' }), bob, env()));
  await measure('ListUsers as bob', 10_000, () => iam.invoke('ListUsers', query('ListUsers'), bob, env()));
  await measure('CreateUser + DeleteUser as root', 2_000, async (i) => {
    await iam.invoke('CreateUser', query('CreateUser', { UserName: `u${i}` }), root, env());
    await iam.invoke('DeleteUser', query('DeleteUser', { UserName: `u${i}` }), root, env());
  });
  iam.close();
  await store.close();
}

await run('sqlite::memory:', 'SQLite :memory:');
const dir = mkdtempSync(join(tmpdir(), 'latchkey-iam-bench-'));
try {
  await run(`sqlite:${join(dir, 'bench.db')}`, 'SQLite file (WAL, synchronous=FULL)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
