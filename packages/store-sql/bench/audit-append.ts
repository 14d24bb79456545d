// Main-thread cost of recording audit events, per path, in one run:
//   transaction + tx.audit.append (the old path: all of it on the calling thread)
//   appendAudit (SQLite file: the writer thread does the hashing, inserts and COMMIT/fsync)
// Run: npm run bench:audit -w @latchkey/store-sql   (wrap in flock /tmp/latchkey-bench.lock on shared machines)
// Prints, per recorded event: main-thread CPU (Linux: /proc/self/task/<pid>/stat, the main
// thread only), whole-process CPU (all threads), event-loop busy time (time the loop could not
// serve anything else: CPU plus blocking waits such as fsync) and wall time.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditEntry } from '@latchkey/store';
import { openStore } from '../src/index.js';
import type { SqlStore } from '../src/index.js';

const EVENTS = Number(process.env['EVENTS'] ?? 20_000);
const BATCH = Number(process.env['BATCH'] ?? 100);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);

const TICK_US = 10_000; // USER_HZ = 100 on Linux
function mainThreadCpuUs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return undefined;
  }
}

// A GetUser record as the server builds it (≈ 750 bytes of CloudTrail JSON), with a
// time-ordered id as the audit trail's UUIDv7 (random ids would make the UNIQUE index the story).
let n = 0;
function entry(): AuditEntry {
  const at = Date.now();
  const id = `${at.toString(16).padStart(12, '0')}-${(n % 0x10000).toString(16).padStart(4, '0')}-${randomBytes(8).toString('hex')}`;
  const params = JSON.stringify({
    eventVersion: '1.08', eventTime: new Date(at).toISOString(), eventSource: 'iam.amazonaws.com', eventName: 'GetUser', awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1', userAgent: 'autocannon',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE000000001', arn: 'arn:aws:iam::777777777777:user/bench-reader', accountId: '777777777777', accessKeyId: 'AKIAEXAMPLE000000001', userName: 'bench-reader' },
    requestParameters: { UserName: 'bench-reader' }, responseElements: null, requestID: `req-${n}`, eventID: id, readOnly: true,
    eventType: 'AwsApiCall', managementEvent: true, eventCategory: 'Management', recipientAccountId: '777777777777',
  });
  return { id, at, requestId: `req-${n++}`, accountId: '777777777777', principalArn: 'arn:aws:iam::777777777777:user/bench-reader', action: 'iam:GetUser', resource: null, sourceIp: '127.0.0.1', userAgent: 'autocannon', outcome: 'success', errorCode: null, params };
}

type Path = (store: SqlStore, batch: AuditEntry[]) => Promise<unknown>;
const paths: Record<string, Path> = {
  'transaction + tx.audit.append': (store, batch) =>
    store.transaction(async (tx) => {
      for (const e of batch) await tx.audit.append(e);
    }),
  appendAudit: (store, batch) => store.appendAudit(batch),
};

async function measure(store: SqlStore, label: string, path: Path): Promise<void> {
  const batches = Array.from({ length: Math.ceil(EVENTS / BATCH) }, () => Array.from({ length: BATCH }, entry));
  const main0 = mainThreadCpuUs();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const wall0 = performance.now();
  for (const batch of batches) await path(store, batch);
  const wall = (performance.now() - wall0) * 1000;
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuUs();
  const events = batches.length * BATCH;
  const per = (us: number): string => (us / events).toFixed(1).padStart(7);
  const mainCpu = main0 === undefined || main1 === undefined ? '    n/a' : per(main1 - main0);
  console.log(`${label.padEnd(32)} main-thread CPU ${mainCpu} µs | process CPU ${per(cpu.user + cpu.system)} µs | loop busy ${per(elu.active * 1000)} µs | wall ${per(wall)} µs  (per event)`);
}

async function run(label: string, url: string): Promise<void> {
  console.log(`-- ${label}: ${EVENTS} events in batches of ${BATCH}`);
  const store = await openStore({ url });
  try {
    await paths.appendAudit!(store, [entry()]); // start the writer thread before timing
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, path] of Object.entries(paths)) await measure(store, name, path);
    }
  } finally {
    await store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-audit-'));
try {
  await run('sqlite file (WAL, synchronous=FULL)', `sqlite:${join(dir, 'bench.db')}`);
  await run('sqlite :memory: (appendAudit in-thread)', 'sqlite::memory:');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
