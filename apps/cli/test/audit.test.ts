import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditTrail, rootCaller, userCaller } from '@latchkey/iam';
import { openStore } from '@latchkey/store-sql';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/run.js';

const ACCOUNT = '111122223333';
const random = (n: number) => new Uint8Array(randomBytes(n));
let dir: string;
const seqs: number[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'latchkey-cli-audit-'));
  const store = await openStore({ url: `sqlite:${join(dir, 'latchkey.db')}` });
  const trail = new AuditTrail({ store, random });
  const root = rootCaller(ACCOUNT, 'AKIAROOTKEY000000001');
  const bob = userCaller({ accountId: ACCOUNT, id: 'AIDABOB00000000000001', name: 'bob', arn: `arn:aws:iam::${ACCOUNT}:user/bob` }, 'AKIABOBKEY0000000001');
  const base = { service: 'iam' as const, sourceIp: '198.51.100.1' };
  const events = [
    { ...base, at: new Date('2026-11-27T20:00:00Z'), requestId: 'r1', action: 'CreateUser', caller: root, params: { UserName: 'bob' }, response: { User: { UserName: 'bob' } } },
    { ...base, at: new Date('2026-11-27T20:01:00Z'), requestId: 'r2', action: 'CreateLoginProfile', caller: root, params: { UserName: 'bob', Password: 'Hunter2-Secret!' }, response: {} },
    { ...base, at: new Date('2026-11-27T20:02:00Z'), requestId: 'r3', action: 'CreateUser', caller: bob, params: { UserName: 'eve' }, error: { code: 'AccessDenied', message: 'denied' } },
    { ...base, at: new Date('2026-11-27T20:03:00Z'), requestId: 'r4', service: 'sts' as const, action: 'GetCallerIdentity', caller: bob, params: {}, readOnly: true, response: {} },
  ];
  for (const e of events) seqs.push((await trail.record(e)).seq);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { eventName: string; requestID: string; seq: number; userIdentity: { arn: string } });

describe('latchkey audit', () => {
  it('prints every record as a JSON line, secrets removed', async () => {
    const run = await runInProcess(['audit', '--data-dir', dir]);
    expect(run.code).toBe(0);
    expect(lines(run.stdout).map((l) => l.requestID)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(run.stdout).not.toContain('Hunter2-Secret!');
    expect(run.stdout).toContain('[REDACTED]');
  });

  it('filters by principal, action, outcome and time', async () => {
    const by = async (...args: string[]) => lines((await runInProcess(['audit', '--data-dir', dir, ...args])).stdout).map((l) => l.requestID);
    expect(await by('--principal', `arn:aws:iam::${ACCOUNT}:user/bob`)).toEqual(['r3', 'r4']);
    expect(await by('--action', 'CreateUser')).toEqual(['r1', 'r3']);
    expect(await by('--action', 'sts:GetCallerIdentity')).toEqual(['r4']);
    expect(await by('--outcome', 'failure')).toEqual(['r3']);
    expect(await by('--since', '2026-11-27T20:01:00Z', '--until', '2026-11-27T20:03:00Z')).toEqual(['r2', 'r3']);
  });

  it('rejects bad options with exit status 2 and a missing database with 1', async () => {
    expect((await runInProcess(['audit', '--data-dir', dir, '--outcome', 'maybe'])).code).toBe(2);
    expect((await runInProcess(['audit', '--data-dir', dir, '--since', 'yesterday'])).code).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), 'latchkey-cli-audit-empty-'));
    try {
      const run = await runInProcess(['audit', 'verify', '--data-dir', empty]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('no Latchkey database');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('latchkey audit verify', () => {
  it('exits 0 on an intact chain and 1 naming the first altered record', async () => {
    const ok = await runInProcess(['audit', 'verify', '--data-dir', dir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('intact: 4 records');

    const raw = new Database(join(dir, 'latchkey.db'));
    raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    raw.prepare(`UPDATE audit_log SET params = replace(params, '"UserName":"eve"', '"UserName":"carl"') WHERE seq = ?`).run(seqs[2]);
    raw.close();
    const broken = await runInProcess(['audit', 'verify', '--data-dir', dir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN at record seq ${seqs[2]}`);
    expect(broken.stdout).toContain('altered');

    const raw2 = new Database(join(dir, 'latchkey.db'));
    raw2.prepare(`UPDATE audit_log SET params = replace(params, '"UserName":"carl"', '"UserName":"eve"') WHERE seq = ?`).run(seqs[2]);
    raw2.prepare('DELETE FROM audit_log WHERE seq = ?').run(seqs[1]);
    raw2.close();
    const removed = await runInProcess(['audit', 'verify', '--data-dir', dir]);
    expect(removed.code).toBe(1);
    expect(removed.stdout).toContain(`BROKEN at record seq ${seqs[2]}`);
    expect(removed.stdout).toContain('removed or inserted');
  });
});
