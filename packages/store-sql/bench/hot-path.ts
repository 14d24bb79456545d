// Measures the store calls on the SigV4 + authorization hot path, per dialect:
//   accessKeys.get → authorization.policiesFor → accessKeys.recordUse (coalesced and not).
// Run: npm run bench -w @latchkey/store-sql   (PostgreSQL part runs when 127.0.0.1:5432/test answers)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../src/index.js';
import type { SqlStore } from '../src/index.js';

const ACCOUNT = '123456789012';
const USER = 'AIDABENCHUSER00000001';
const KEY = 'AKIABENCHKEY00000001';

async function seed(store: SqlStore): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.accounts.create({ id: ACCOUNT, alias: null, createdAt: 0 });
    await tx.users.create({ accountId: ACCOUNT, id: USER, name: 'bench', path: '/', arn: `arn:aws:iam::${ACCOUNT}:user/bench`, createdAt: 0, permissionsBoundaryArn: null, passwordLastUsedAt: null });
    await tx.accessKeys.create({ accountId: ACCOUNT, id: KEY, userId: USER, isRoot: false, secret: { ciphertext: 'c', keyId: 'k' }, status: 'Active', createdAt: 0 });
    for (let g = 0; g < 3; g++) {
      const gid = `AGPABENCHGROUP0000000${g}`;
      await tx.groups.create({ accountId: ACCOUNT, id: gid, name: `g${g}`, path: '/', arn: `arn:aws:iam::${ACCOUNT}:group/g${g}`, createdAt: 0 });
      await tx.groups.addMember(ACCOUNT, gid, USER);
      await tx.inlinePolicies.put(ACCOUNT, { principalType: 'group', principalId: gid, name: 'p', document: '{"Version":"2012-10-17","Statement":[]}' });
    }
    for (let p = 0; p < 5; p++) {
      const arn = `arn:aws:iam::${ACCOUNT}:policy/p${p}`;
      await tx.policies.create({ accountId: ACCOUNT, id: `ANPABENCHPOLICY000000${p}`, name: `p${p}`, path: '/', arn, description: null, isAttachable: true, createdAt: 0, document: '{"Version":"2012-10-17","Statement":[]}' });
      await tx.attachments.attach(ACCOUNT, 'user', USER, arn);
    }
  });
}

async function measure(label: string, n: number, op: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(200, n); i++) await op(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await op(i);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label.padEnd(58)} ${(n / (ms / 1000)).toFixed(0).padStart(8)} ops/s  ${((ms * 1000) / n).toFixed(1).padStart(7)} µs/op`);
}

async function run(label: string, store: SqlStore): Promise<void> {
  await seed(store);
  console.log(`-- ${label}`);
  await measure('accessKeys.get', 5000, () => store.read((r) => r.accessKeys.get(KEY)));
  await measure('authorization.policiesFor (user, 5 attached, 3 groups)', 2000, () => store.read((r) => r.authorization.policiesFor(ACCOUNT, 'user', USER)));
  await measure('accessKeys.recordUse, every call writes', 500, (i) => store.read((r) => r.accessKeys.recordUse(KEY, { at: 1_000_000 + i * 1000, service: 'iam', region: 'us-east-1' })));
  await measure('accessKeys.recordUse, coalesced (60 s window)', 5000, (i) => store.read((r) => r.accessKeys.recordUse(KEY, { at: 2_000_000_000 + i, service: 'iam', region: 'us-east-1', coalesceMs: 60_000 })));
  await store.close();
}

const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
try {
  await run('sqlite :memory:', await openStore({ url: 'sqlite::memory:' }));
  await run('sqlite file (WAL, synchronous=FULL)', await openStore({ url: `sqlite:${join(dir, 'bench.db')}` }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pgUrl = process.env['LATCHKEY_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const probe = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
const reachable = await probe.connect().then(() => true, () => false);
if (reachable) {
  const schema = `latchkey_bench_${process.pid}`;
  try {
    await run(`postgres (schema ${schema})`, await openStore({ url: pgUrl, schema }));
  } finally {
    await probe.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await probe.end();
  }
} else {
  console.log('-- postgres: not reachable, skipped');
}
