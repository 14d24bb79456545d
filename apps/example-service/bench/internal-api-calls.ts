// What one cache reload costs: the remote credential source's GetServiceSigningKey and
// GetPrincipalPolicies calls against a real Latchkey server, CPU per call in this process (the
// service's side) and in the server, with the default transport (node:http, keep-alive) next to
// the same calls sent with `fetch` (the reference), interleaved rounds, medians.
// Usage: npm run bench:reload -w @latchkey/example-service [-- calls rounds]
import { readFileSync } from 'node:fs';
import { AttachUserPolicyCommand, CreatePolicyCommand } from '@aws-sdk/client-iam';
import { remoteCredentialSource, type CredentialSource } from '@latchkey/express';
import { BENCH_ACCOUNT, policyDocument, startBenchLatchkey } from './bench-latchkey.js';

const [calls = 200, rounds = 5] = process.argv.slice(2).map(Number);
const ACCOUNT = BENCH_ACCOUNT;
const doc = policyDocument;
const bench = await startBenchLatchkey();
const { latchkey, iam, userWithKey } = bench;
try {
  const service = await userWithKey('orders-service', doc({ Effect: 'Allow', Action: 'latchkey:*', Resource: `arn:aws:latchkey::${ACCOUNT}:service/orders` }));
  const reader = await userWithKey('reader', doc({ Effect: 'Deny', Action: 'orders:*', Resource: 'arn:aws:orders:*:*:order/locked*' }));
  const read = await iam.send(new CreatePolicyCommand({ PolicyName: 'ReadOrders', PolicyDocument: doc({ Effect: 'Allow', Action: ['orders:GetOrder', 'orders:ListOrders'], Resource: '*' }) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: read.Policy!.Arn! }));

  const sources: Record<string, CredentialSource> = {
    'node:http (default)': remoteCredentialSource({ endpoint: latchkey.url, service: 'orders', credentials: service }),
    'fetch (reference)': remoteCredentialSource({ endpoint: latchkey.url, service: 'orders', credentials: service, fetch: globalThis.fetch }),
  };
  // CPU time of the server process (user + system), µs, from /proc (Linux).
  const serverCpu = (): number => {
    const fields = readFileSync(`/proc/${latchkey.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / 100);
  };
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const request = { accessKeyId: reader.accessKeyId, date: day, region: 'us-east-1', service: 'orders' };
  const principal = (await sources['node:http (default)']!.getSigningKey(request))!.principal;
  const reload = async (s: CredentialSource): Promise<void> => {
    await s.getSigningKey(request);
    await s.getPrincipalPolicies(principal);
  };
  for (const s of Object.values(sources)) for (let i = 0; i < 50; i++) await reload(s); // warm-up
  const results: Record<string, { own: number[]; server: number[] }> = {};
  for (const name of Object.keys(sources)) results[name] = { own: [], server: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, s] of r % 2 === 0 ? Object.entries(sources) : Object.entries(sources).reverse()) {
      const own0 = process.cpuUsage();
      const server0 = serverCpu();
      for (let i = 0; i < calls; i++) await reload(s);
      const own = process.cpuUsage(own0);
      results[name]!.own.push((own.user + own.system) / calls);
      results[name]!.server.push((serverCpu() - server0) / calls);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${rounds} interleaved rounds of ${calls} reloads (GetServiceSigningKey + GetPrincipalPolicies); medians, CPU per reload`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(22)} service ${median(r.own).toFixed(0).padStart(5)} µs   Latchkey server ${median(r.server).toFixed(0).padStart(5)} µs`);
  }
} finally {
  await bench.stop();
}
