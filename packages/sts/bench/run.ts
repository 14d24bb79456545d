// In-process benchmark of the STS hot paths (not a test): AssumeRole through StsService.invoke
// (Query params → validation → one store read → trust evaluation → token), session resolution
// for SigV4 (cached and uncached), next to references measured in the same run. Each row prints
// the process's CPU time per operation (all threads: WebCrypto runs AES-GCM on libuv's pool),
// which depends much less on how busy the shared machine is than operations per second do.
// Run: npm run bench. BENCH_MS=<ms per row>; BENCH_ONLY=<regex> runs only the matching rows;
// BENCH_PROFILE=<file> writes a V8 CPU profile of the measured loops (not of the set-up).
import { createHmac, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector/promises';
import { IamService, userCaller, type RequestEnv } from '@latchkey/iam';
import { bufferedRandom, encodeSessionToken, generateMasterKey, Keyring, type Session } from '@latchkey/keyring';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests and the bench open the real SQLite store
import { openStore } from '@latchkey/store-sql';
import { StsService } from '../src/index.js';

// As the server wires it (latchkey-services): one 4 KiB crypto.randomBytes draw serves many
// small ones. BENCH_RANDOM=direct draws from crypto.randomBytes on every call instead.
const direct = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const random = process.env['BENCH_RANDOM'] === 'direct' ? direct : bufferedRandom(direct);
const ACCOUNT = '111122223333';
const DURATION_MS = Number(process.env['BENCH_MS'] ?? 2000);
const ONLY = process.env['BENCH_ONLY'] === undefined ? undefined : new RegExp(process.env['BENCH_ONLY'], 'i');
const PROFILE = process.env['BENCH_PROFILE'];
const inspector = PROFILE === undefined ? undefined : new InspectorSession();
if (inspector !== undefined) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
}

interface Rate {
  perSecond: number;
  /** Process CPU time (user + system, every thread) per operation, µs. */
  cpuUs: number;
}

async function measure(name: string, run: (i: number) => unknown): Promise<Rate | undefined> {
  if (ONLY !== undefined && !ONLY.test(name)) return undefined;
  for (let i = 0; i < 200; i++) await run(i); // warm-up (JIT, caches)
  if (inspector !== undefined) await inspector.post('Profiler.start');
  const cpu = process.cpuUsage();
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < DURATION_MS) {
    // Batches of 16 in flight, as concurrent requests would be.
    const batch: unknown[] = [];
    for (let k = 0; k < 16; k++) batch.push(run(n + k));
    await Promise.all(batch);
    n += 16;
  }
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (inspector !== undefined) {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(PROFILE!.replace(/(\.cpuprofile)?$/, `-${name.replace(/\W+/g, '-').slice(0, 40)}.cpuprofile`), JSON.stringify(profile));
  }
  const rate = { perSecond: (n * 1000) / elapsed, cpuUs: (used.user + used.system) / n };
  console.log(`${name.padEnd(52)} ${Math.round(rate.perSecond).toString().padStart(8)} /s ${rate.cpuUs.toFixed(1).padStart(9)} µs CPU/op`);
  return rate;
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

console.log(`STS benchmark, ${DURATION_MS} ms per row, 16 in flight, random ${random === direct ? 'direct' : 'buffered'}, node ${process.version}`);
// A fixed amount of pure CPU work, to compare runs made when the machine was slower or faster:
// a SigV4 signing-key derivation (four HMAC-SHA256), which every signed request also pays.
const signingKey = await measure('reference: SigV4 signing-key derivation', (i) => {
  let key: Buffer = createHmac('sha256', 'AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY').update(`2026${String(i % 10_000).padStart(4, '0')}`).digest();
  for (const part of ['us-east-1', 'sts', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return key;
});
const reference = await measure('reference: GetCallerIdentity (invoke)', () => sts.invoke('GetCallerIdentity', q('GetCallerIdentity', {}), alice, env()));
const tokenOnly = await measure('reference: encodeSessionToken alone', (i) => encodeSessionToken(sampleSession(i), { keyring }));
const assumeRate = await measure('AssumeRole (invoke, conditional trust policy)', () => sts.invoke('AssumeRole', assume, alice, env()));

// Session tokens to resolve: one reused (cached path) and a pool of distinct ones (decoded once each).
const minted = (await sts.invoke('AssumeRole', assume, alice, env())) as { Credentials: { AccessKeyId: string; SessionToken: string } };
const cached = await measure('resolveSessionCredentials, cached token', () => sts.resolveSessionCredentials(minted.Credentials.AccessKeyId, minted.Credentials.SessionToken, new Date()));
const pool: { AccessKeyId: string; SessionToken: string }[] = [];
const poolSize = ONLY === undefined || ONLY.test('resolveSessionCredentials, uncached') ? 30_000 : 0;
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
if (assumeRate !== undefined) {
  const ratio = (label: string, other: Rate | undefined): string => (other === undefined ? '' : `, ${(assumeRate.cpuUs / other.cpuUs).toFixed(1)}× ${label}`);
  console.log(
    `AssumeRole: ${assumeRate.cpuUs.toFixed(0)} µs CPU${ratio('a signing-key derivation', signingKey)}${ratio('a bare token encode', tokenOnly)}; ` +
      `${(assumeRate.cpuUs - (reference?.cpuUs ?? 0)).toFixed(0)} µs more than GetCallerIdentity`,
  );
}
if (cached !== undefined && uncached !== undefined) console.log(`resolveSessionCredentials: cached ${cached.cpuUs.toFixed(1)} µs, uncached ${uncached.cpuUs.toFixed(1)} µs CPU`);

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
