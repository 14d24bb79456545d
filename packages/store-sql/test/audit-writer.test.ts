import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AuditEntry } from '@latchkey/store';
import { StoreClosedError, StoreUnavailableError, TransactionConflictError, UniqueViolationError } from '@latchkey/store';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditWriter } from '../src/audit-writer.js';
import type { SpawnWorker } from '../src/audit-writer.js';
import { auditHash, openStore, verifyAuditChain } from '../src/index.js';

let n = 0;
const entry = (extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id: `evt-${++n}`,
  at: 1_700_000_000_000 + n,
  requestId: `req-${n}`,
  accountId: '123456789012',
  principalArn: 'arn:aws:iam::123456789012:user/alice',
  action: 'iam:GetUser',
  resource: null,
  sourceIp: '198.51.100.7',
  userAgent: 'aws-sdk-js/3',
  outcome: 'success',
  errorCode: null,
  params: `{"n":${n}}`,
  ...extra,
});

/** A spawner that keeps every writer thread it starts, so a test can end one. */
function keepingWorkers(): { spawn: SpawnWorker; workers: Worker[] } {
  const workers: Worker[] = [];
  return { workers, spawn: (e, o) => workers[workers.push(new Worker(e, o)) - 1]! };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'latchkey-audit-writer-'));
  file = join(dir, 'latchkey.db');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const count = async (url: string): Promise<number> => {
  const store = await openStore({ url });
  try {
    return (await store.read((r) => r.audit.query({ maxItems: 1000 }))).items.length;
  } finally {
    await store.close();
  }
};

describe('SQLite audit writer thread', () => {
  it('stores the hash the repository would (one auditHash), interleaved with main-connection appends', async () => {
    const store = await openStore({ url: `sqlite:${file}` });
    try {
      const first = await store.transaction((tx) => tx.audit.append(entry()));
      const batch = [entry(), entry({ outcome: 'failure', errorCode: 'AccessDenied', principalArn: null })];
      const stored = await store.appendAudit(batch);
      expect(stored[0]!.prevHash).toBe(first.hash);
      expect(stored[0]!.hash).toBe(auditHash(first.hash, batch[0]!));
      expect(stored[1]!.hash).toBe(auditHash(stored[0]!.hash, batch[1]!));
      const after = await store.transaction((tx) => tx.audit.append(entry()));
      expect(after.prevHash).toBe(stored[1]!.hash);
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true, records: 4, head: after.hash });
      // What the writer stored reads back exactly as returned.
      expect((await store.read((r) => r.audit.query({ maxItems: 10 }))).items.slice(1, 3)).toEqual(stored);
    } finally {
      await store.close();
    }
  });

  it('maps a constraint failure to the store error, and stores nothing of that batch', async () => {
    const store = await openStore({ url: `sqlite:${file}` });
    try {
      const [kept] = await store.appendAudit([entry()]);
      await expect(store.appendAudit([entry(), entry({ id: kept!.id })])).rejects.toMatchObject({ constructor: UniqueViolationError, table: 'audit_log' });
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true, records: 1 });
    } finally {
      await store.close();
    }
  });

  it('maps SQLITE_BUSY past the busy timeout (after the retries) to TransactionConflictError', async () => {
    const store = await openStore({ url: `sqlite:${file}`, busyTimeoutMs: 20 });
    const holder = new Database(file);
    try {
      holder.exec('BEGIN IMMEDIATE');
      await expect(store.appendAudit([entry()])).rejects.toBeInstanceOf(TransactionConflictError);
      holder.exec('ROLLBACK');
      expect(await store.appendAudit([entry()])).toHaveLength(1);
    } finally {
      holder.close();
      await store.close();
    }
  });

  it('rejects the batches of a writer that dies with StoreUnavailableError, and starts a new one for the next', async () => {
    const store = await openStore({ url: `sqlite:${file}` });
    await store.close(); // only for the schema: the writer below is driven directly
    const { spawn, workers } = keepingWorkers();
    const writer = new AuditWriter({ filename: file, busyTimeoutMs: 1000, spawn });
    try {
      const lost = writer.append([entry()]);
      // Ended before it could even load: the batch never ran.
      await workers[0]!.terminate();
      await expect(lost).rejects.toBeInstanceOf(StoreUnavailableError);
      const links = await writer.append([entry(), entry()]);
      expect(workers).toHaveLength(2);
      expect(links.map((l) => l.prevHash)).toEqual([null, links[0]!.hash]);
    } finally {
      await writer.close();
    }
    expect(await count(`sqlite:${file}`)).toBe(2);
  });

  it('rejects with StoreUnavailableError while the database cannot be opened, then works once it can', async () => {
    const missing = join(dir, 'later', 'latchkey.db');
    const writer = new AuditWriter({ filename: missing, busyTimeoutMs: 1000 });
    try {
      await expect(writer.append([entry()])).rejects.toBeInstanceOf(StoreUnavailableError);
      mkdirSync(dirname(missing));
      await (await openStore({ url: `sqlite:${missing}` })).close();
      expect(await writer.append([entry()])).toHaveLength(1);
    } finally {
      await writer.close();
    }
  });

  it('rejects a batch that cannot be sent to the thread without holding up close', async () => {
    const store = await openStore({ url: `sqlite:${file}` });
    await expect(store.appendAudit([{ ...entry(), params: (() => '{}') as unknown as string }])).rejects.toThrow();
    expect(await store.appendAudit([entry()])).toHaveLength(1);
    await store.close();
    expect(await count(`sqlite:${file}`)).toBe(1);
  });

  it('close waits for batches in flight, then refuses new ones with StoreClosedError', async () => {
    const store = await openStore({ url: `sqlite:${file}` });
    const inFlight = [store.appendAudit([entry(), entry()]), store.appendAudit([entry()])];
    await store.close();
    expect((await Promise.all(inFlight)).flat()).toHaveLength(3);
    await expect(store.appendAudit([entry()])).rejects.toBeInstanceOf(StoreClosedError);
    expect(await count(`sqlite:${file}`)).toBe(3);
  });

  it('does not keep a finished process alive (store never closed)', async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const child = spawn(process.execPath, ['--conditions=@latchkey/source', '--import', 'tsx', join(here, 'audit-writer-exit.ts'), `sqlite:${file}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(out)).toEqual([1, 2]);
  });
});
