// Load benchmark for STS on the Latchkey server: AssumeRole signed by a user with long-term keys
// against a role with a conditional trust policy, and GetCallerIdentity signed with temporary
// credentials next to the same call signed with long-term keys, with bare Express hello world
// in the same run. The servers (bench/bare-express.ts, bench/latchkey-server.ts: the real
// startServer on SQLite, logging every request) and the load generator (autocannon, this
// process) are separate processes. Requests are signed up front with one X-Amz-Date.
// The four workloads run in interleaved rounds and each figure is the median over the rounds, so
// a burst of load from elsewhere on the machine moves one round, not the result.
//   npm run bench:sts -- [--duration 5] [--connections 10] [--rounds 3]
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type autocannon from 'autocannon';
import { amzDateOf, signRequest } from '../test/helpers/sign.js';
import { ROOT, connections, duration, measure as measureCpu, rounds, run, startProcess, stop, type Server } from './harness.js';

const ACCOUNT = '777777777777';

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  cpuUs: number;
}

async function measure(name: string, server: Server, opts: autocannon.Options): Promise<Row> {
  const [r, cpu] = await measureCpu(server, opts);
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts, cpuUs: cpu / Math.max(1, r.requests.total) };
}

const express = await startProcess('bare-express.ts');
const latchkey = await startProcess('latchkey-server.ts', { BENCH_ACCOUNT_ID: ACCOUNT, BENCH_ROOT_KEY: ROOT.accessKeyId, BENCH_ROOT_SECRET: ROOT.secretAccessKey });
const url = `http://127.0.0.1:${latchkey.port}`;
const rows: Row[] = [];
try {
  const admin = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT });
  await admin.send(new CreateUserCommand({ UserName: 'bench-caller' }));
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/bench-role`;
  await admin.send(
    new PutUserPolicyCommand({ UserName: 'bench-caller', PolicyName: 'assume', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }] }) }),
  );
  // The conditional trust policy: the account as principal (so the identity policy is evaluated
  // too), an ExternalId, and the caller's network.
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'bench-ext' }, IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } },
      },
    ],
  };
  await admin.send(new CreateRoleCommand({ RoleName: 'bench-role', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'bench-caller' }))).AccessKey!;
  admin.destroy();
  const caller = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const sts = new STSClient({ endpoint: url, region: 'us-east-1', credentials: caller });
  const temp = (await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'bench', ExternalId: 'bench-ext' }))).Credentials!;
  sts.destroy();

  const amzDate = amzDateOf(Date.now());
  const assumeBody = `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(roleArn)}&RoleSessionName=bench&ExternalId=bench-ext&DurationSeconds=900`;
  const assume = signRequest({ url: `${url}/`, body: assumeBody, ...caller, service: 'sts', amzDate }).headers;
  const gciBody = 'Action=GetCallerIdentity&Version=2011-06-15';
  const gciLong = signRequest({ url: `${url}/`, body: gciBody, ...caller, service: 'sts', amzDate }).headers;
  const gciTemp = signRequest({
    url: `${url}/`,
    body: gciBody,
    accessKeyId: temp.AccessKeyId!,
    secretAccessKey: temp.SecretAccessKey!,
    service: 'sts',
    amzDate,
    extraHeaders: { 'x-amz-security-token': temp.SessionToken! },
  }).headers;
  for (const h of [assume, gciLong, gciTemp]) delete h.host;

  // Warm-up (JIT, caches) before anything is measured.
  await run({ url: `http://127.0.0.1:${express.port}/`, duration: 2 });
  await run({ url: `${url}/`, method: 'POST', headers: assume, body: assumeBody, duration: 2 });
  await run({ url: `${url}/`, method: 'POST', headers: gciTemp, body: gciBody, duration: 1 });

  const workloads: [string, Server, autocannon.Options][] = [
    ['bare Express hello world (GET /)', express, { url: `http://127.0.0.1:${express.port}/` }],
    ['AssumeRole (long-term keys, conditional trust policy)', latchkey, { url: `${url}/`, method: 'POST', headers: assume, body: assumeBody }],
    ['GetCallerIdentity, long-term keys', latchkey, { url: `${url}/`, method: 'POST', headers: gciLong, body: gciBody }],
    ['GetCallerIdentity, temporary credentials', latchkey, { url: `${url}/`, method: 'POST', headers: gciTemp, body: gciBody }],
  ];
  const perRound: Row[][] = workloads.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, [name, server, opts]] of workloads.entries()) perRound[i]!.push(await measure(name, server, opts));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const results of perRound) {
    rows.push({
      name: results[0]!.name,
      rps: median(results.map((r) => r.rps)),
      p50: median(results.map((r) => r.p50)),
      p99: median(results.map((r) => r.p99)),
      non2xx: results.reduce((n, r) => n + r.non2xx, 0),
      errors: results.reduce((n, r) => n + r.errors, 0),
      cpuUs: median(results.map((r) => r.cpuUs)),
    });
  }
} finally {
  await stop(latchkey.child);
  await stop(express.child);
}

console.log(`\nconnections ${connections}, ${rounds} interleaved round(s) of ${duration} s per workload, medians; node ${process.version}, load generator in this process\n`);
console.log('| workload | req/s | p50 ms | p99 ms | non-2xx | errors | vs bare Express | server CPU µs/req |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const base = rows[0]!.rps;
for (const r of rows) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${(r.rps / base).toFixed(2)}x | ${r.cpuUs.toFixed(0)} |`);
const [, assumeRow, longRow, tempRow] = rows as [Row, Row, Row, Row];
console.log(`\nAssumeRole ${assumeRow.rps.toFixed(0)}/s (target >= 3000), p99 ${assumeRow.p99} ms (target <= 10): ${assumeRow.rps >= 3000 && assumeRow.p99 <= 10 ? 'met' : 'NOT met'}`);
const cpuRatio = tempRow.cpuUs / longRow.cpuUs;
const rpsRatio = longRow.rps / tempRow.rps;
console.log(`temporary vs long-term GetCallerIdentity: ${cpuRatio.toFixed(2)}x server CPU per request, ${rpsRatio.toFixed(2)}x by throughput (target <= 1.2x): ${cpuRatio <= 1.2 ? 'met' : 'NOT met'}`);
