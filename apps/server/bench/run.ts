// Load benchmark: Latchkey's signed, authorized GetUser and a CreateUser+DeleteUser pair on
// SQLite, next to a bare Express hello world measured in the same run. Servers and the load
// generator (autocannon, this process) are separate processes. Requests are signed up front
// with one X-Amz-Date (valid for the 15-minute skew window), so signing costs the load
// generator nothing during the measurement.
//   npm run bench -- [--duration 10] [--connections 10]
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import type { Result } from 'autocannon';
import { amzDateOf, signRequest } from '../test/helpers/sign.js';
import { ROOT, connections, duration, measure, run, startProcess, stop } from './harness.js';

interface Row {
  name: string;
  /** Server CPU time per request (per pair for writes), µs. */
  cpuUs: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const row = (name: string, r: Result, cpuUs: number, perRequest = 1): Row => ({
  name,
  cpuUs: cpuUs / (r.requests.total / perRequest),
  rps: r.requests.average / perRequest,
  p50: r.latency.p50,
  p99: r.latency.p99,
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
});

const express = await startProcess('bare-express.ts');
const latchkey = await startProcess('latchkey-server.ts', { BENCH_ACCOUNT_ID: '777777777777', BENCH_ROOT_KEY: ROOT.accessKeyId, BENCH_ROOT_SECRET: ROOT.secretAccessKey });
const url = `http://127.0.0.1:${latchkey.port}`;
const rows: Row[] = [];
try {
  // A reader allowed exactly iam:GetUser, so every measured request is authorized by the engine.
  const admin = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT });
  await admin.send(new CreateUserCommand({ UserName: 'bench-reader' }));
  await admin.send(
    new PutUserPolicyCommand({ UserName: 'bench-reader', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }) }),
  );
  const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'bench-reader' }))).AccessKey!;
  admin.destroy();
  const reader = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const amzDate = amzDateOf(Date.now());

  const readBody = 'Action=GetUser&Version=2010-05-08&UserName=bench-reader';
  const read = signRequest({ url: `${url}/`, body: readBody, ...reader, amzDate }).headers;

  // One signed pair per expected write; each connection takes the next unused pair.
  const pairs = Math.max(2000, Math.ceil(duration * 3000));
  const signed: { create: { body: string; headers: Record<string, string> }; del: { body: string; headers: Record<string, string> } }[] = [];
  for (let i = 0; i < pairs; i++) {
    const create = `Action=CreateUser&Version=2010-05-08&UserName=bench-w-${i}`;
    const del = `Action=DeleteUser&Version=2010-05-08&UserName=bench-w-${i}`;
    signed.push({ create: { body: create, headers: signRequest({ url: `${url}/`, body: create, ...ROOT, amzDate }).headers }, del: { body: del, headers: signRequest({ url: `${url}/`, body: del, ...ROOT, amzDate }).headers } });
  }
  let nextPair = 0;

  // Warm-up (JIT, caches) before anything is measured.
  await run({ url: `http://127.0.0.1:${express.port}/`, duration: 2 });
  await run({ url: `${url}/`, method: 'POST', headers: read, body: readBody, duration: 2 });

  rows.push(row('bare Express hello world (GET /)', ...(await measure(express, { url: `http://127.0.0.1:${express.port}/` }))));
  rows.push(row('Latchkey GetUser (SigV4 + policy)', ...(await measure(latchkey, { url: `${url}/`, method: 'POST', headers: read, body: readBody }))));
  // The server's own share: a signed request that stops at action resolution (body, SigV4,
  // routing, XML error, log line, metrics), i.e. everything but the IAM operation and its store reads.
  const bareBody = 'Action=NoSuchAction&Version=2010-05-08';
  const bare = signRequest({ url: `${url}/`, body: bareBody, ...reader, amzDate }).headers;
  const [own, ownCpu] = await measure(latchkey, { url: `${url}/`, method: 'POST', headers: bare, body: bareBody });
  rows.push({ ...row('Latchkey signed InvalidAction (server path without IAM)', own, ownCpu), non2xx: own.non2xx - own.requests.total });
  if (process.env.BENCH_ONLY === 'read') throw new Error('reads only (BENCH_ONLY=read)');
  const [writes, writeCpu] = await measure(latchkey, {
    url: `${url}/`,
    requests: [
      {
        method: 'POST',
        setupRequest: (req, ctx: object) => {
          const context = ctx as { pair?: number };
          const i = nextPair++;
          context.pair = i;
          const p = signed[i % signed.length]!;
          return { ...req, method: 'POST', path: '/', headers: p.create.headers, body: p.create.body };
        },
      },
      {
        method: 'POST',
        setupRequest: (req, ctx: object) => {
          const context = ctx as { pair?: number };
          const p = signed[context.pair! % signed.length]!;
          return { ...req, method: 'POST', path: '/', headers: p.del.headers, body: p.del.body };
        },
      },
    ],
  });
  rows.push(row('Latchkey CreateUser+DeleteUser (pairs/s)', writes, writeCpu, 2));
  if (nextPair > signed.length) console.warn(`warning: ${nextPair} pairs needed, ${signed.length} signed: names were reused`);
} catch (err) {
  if (!(err instanceof Error && err.message.startsWith('reads only'))) throw err;
} finally {
  await stop(latchkey.child);
  await stop(express.child);
}

const base = rows[0]!.rps;
console.log(`\nconnections ${connections}, ${duration} s each, node ${process.version}, load generator in this process\n`);
const baseCpu = rows[0]!.cpuUs;
console.log('| workload | req/s | p50 ms | p99 ms | non-2xx | errors | vs bare Express | server CPU µs/req | CPU-bound vs bare |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${(r.rps / base).toFixed(2)}x | ${r.cpuUs.toFixed(0)} | ${(baseCpu / r.cpuUs).toFixed(2)}x |`);
}
const ratio = rows[1]!.rps / base;
// rows[2]'s non-2xx are expected (InvalidAction is the answer), shown as the difference from all requests.
console.log(`\nauthorized reads at ${ratio.toFixed(2)}x bare Express throughput (target >= 0.5x): ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
console.log(`server CPU per request: GetUser ${rows[1]!.cpuUs.toFixed(0)} µs vs bare Express ${baseCpu.toFixed(0)} µs (${(baseCpu / rows[1]!.cpuUs).toFixed(2)}x)`);
