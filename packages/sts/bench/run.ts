// In-process benchmark of the STS hot paths (not a test): AssumeRole through StsService.invoke
// (Query params → validation → one store read → trust evaluation → token), session resolution
// for SigV4 (cached and uncached), next to references measured in the same run.
// Run: npm run bench (2-core machine shared with other jobs: numbers are indicative).
import { randomBytes } from 'node:crypto';
import { IamService, userCaller, type RequestEnv } from '@latchkey/iam';
import { encodeSessionToken, generateMasterKey, Keyring, type Session } from '@latchkey/keyring';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests and the bench open the real SQLite store
import { openStore } from '@latchkey/store-sql';
import { StsService } from '../src/index.js';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const ACCOUNT = '111122223333';
const DURATION_MS = Number(process.env['BENCH_MS'] ?? 2000);

async function measure(name: string, run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await run(i); // warm-up (JIT, caches)
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < DURATION_MS) {
    // Batches of 16 in flight, as concurrent requests would be.
    await Promise.all(Array.from({ length: 16 }, (_, k) => run(n + k)));
    n += 16;
  }
  const perSecond = (n * 1000) / (performance.now() - start);
  console.log(`${name.padEnd(52)} ${Math.round(perSecond).toString().padStart(8)} /s   ${(1000 / perSecond).toFixed(3)} ms/op`);
  return perSecond;
}

const store = await openStore({ url: 'sqlite::memory:' });
const keyring = Keyring.fromText(generateMasterKey(random, { id: 'bench' }), { random });
const iam = new IamService({ store, keyring, random });
await iam.start();
const sts = new StsService({ store, keyring, random, authorizer: iam.authorizer });
await sts.start();
await iam.createAccount({ accountId: ACCOUNT }, new Date());
const root = { kind: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT, identity: { kind: 'root' } } as const;
const env = (): RequestEnv => ({ requestId: 'bench', now: new Date(), sourceIp: '203.0.113.7', secureTransport: true, region: 'us-east-1' });
const q = (action: string, values: Record<string, string>, version = '2011-06-15') => ({ action, version, params: new Map([['Action', action], ['Version', version], ...Object.entries(values)]) });

await iam.invoke('CreateUser', q('CreateUser', { UserName: 'alice' }, '2010-05-08'), root, env());
const user = (await store.read((r) => r.users.getByName(ACCOUNT, 'alice')))!;
const alice = userCaller(user, 'AKIAXXXXXXXXXXXXXXXX');
await store.transaction(async (tx) => {
  await tx.inlinePolicies.put(ACCOUNT, { principalType: 'user', principalId: user.id, name: 'assume', document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }) });
  await tx.roles.create({
    accountId: ACCOUNT,
    id: 'AROABENCHROLE00000001',
    name: 'bench',
    path: '/',
    arn: `arn:aws:iam::${ACCOUNT}:role/bench`,
    createdAt: Date.now(),
    // A conditional trust policy: account principal + ExternalId + source network.
    assumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'ext-123' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }],
    }),
    description: null,
    maxSessionDuration: 3600,
    permissionsBoundaryArn: null,
    lastUsedAt: null,
    lastUsedRegion: null,
  });
});
const assume = q('AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/bench`, RoleSessionName: 'bench-session', ExternalId: 'ext-123' });

console.log(`STS benchmark, ${DURATION_MS} ms per row, 16 in flight`);
const reference = await measure('reference: GetCallerIdentity (invoke)', () => sts.invoke('GetCallerIdentity', q('GetCallerIdentity', {}), alice, env()));
const tokenOnly = await measure('reference: encodeSessionToken alone', (i) => encodeSessionToken(sampleSession(i), { keyring }));
const assumeRate = await measure('AssumeRole (invoke, conditional trust policy)', () => sts.invoke('AssumeRole', assume, alice, env()));

// Session tokens to resolve: one reused (cached path) and a pool of distinct ones (decoded once each).
const minted = (await sts.invoke('AssumeRole', assume, alice, env())) as { Credentials: { AccessKeyId: string; SessionToken: string } };
const cached = await measure('resolveSessionCredentials, cached token', () => sts.resolveSessionCredentials(minted.Credentials.AccessKeyId, minted.Credentials.SessionToken, new Date()));
const pool: { AccessKeyId: string; SessionToken: string }[] = [];
const poolSize = 30_000;
for (let i = 0; i < poolSize; i += 64) {
  const batch = await Promise.all(Array.from({ length: 64 }, () => sts.invoke('AssumeRole', assume, alice, env()) as Promise<{ Credentials: { AccessKeyId: string; SessionToken: string } }>));
  for (const b of batch) pool.push(b.Credentials);
}
// A resolver whose cache never hits: each pool token is seen once (fresh service, cache of 1).
const cold = new StsService({ store, keyring, random, authorizer: iam.authorizer, maxCachedSessions: 1, revokeWithSourceKey: false });
const uncached = await measure('resolveSessionCredentials, uncached (decode)', (i) => {
  const c = pool[i % pool.length]!;
  return cold.resolveSessionCredentials(c.AccessKeyId, c.SessionToken, new Date());
});

console.log('');
console.log(`AssumeRole/s: ${Math.round(assumeRate)} (target ≥ 3,000); ${(assumeRate / reference).toFixed(2)}× GetCallerIdentity, ${(assumeRate / tokenOnly).toFixed(2)}× a bare token encode`);
console.log(`resolveSessionCredentials/s: cached ${Math.round(cached)}, uncached ${Math.round(uncached)}`);

sts.close();
cold.close();
iam.close();
await store.close();

function sampleSession(i: number): Session {
  const now = Math.floor(Date.now() / 1000);
  return {
    type: 'AssumedRole',
    accessKeyId: 'ASIAXXXXXXXXXXXXXXXX',
    secretAccessKey: 'x'.repeat(40),
    accountId: ACCOUNT,
    principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/bench/s${i}`,
    principalId: `AROABENCHROLE00000001:s${i}`,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/bench`,
    issuedAt: now,
    expiresAt: now + 3600,
  };
}
