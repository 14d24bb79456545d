import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore, verifyAuditChain } from '../src/index.js';
import { dropSchema, PG_URL, uniqueSchema } from './pg-env.js';

const here = dirname(fileURLToPath(import.meta.url));
const ACCOUNT = '424242424242';
const ACKS_BEFORE_KILL = 40;

interface Acknowledged {
  readonly users: string[];
  readonly events: string[];
}

/** Runs the writer, SIGKILLs it after some acknowledged commits (and audit batches, with `audit`), returns what was acknowledged. */
function writeThenKill(url: string, schema: string, audit = false): Promise<Acknowledged> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@latchkey/source', '--import', 'tsx', join(here, 'crash-writer.ts'), url, schema, ACCOUNT, ...(audit ? ['audit'] : [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    const events: string[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ACK ')) acked.push(line.slice(4));
        else if (line.startsWith('AUDIT ')) events.push(line.slice(6));
      }
      const enough = acked.length >= ACKS_BEFORE_KILL && (!audit || events.length >= ACKS_BEFORE_KILL);
      if (enough && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve({ users: [...acked], events: [...events] });
      else reject(new Error(`writer exited without being killed: ${stderr}`));
    });
  });
}

async function verify(url: string, schema: string | undefined, acked: string[], events: string[] = []): Promise<void> {
  const store = await openStore({ url, ...(schema === undefined ? {} : { schema }) });
  try {
    if (events.length > 0) {
      // Every acknowledged audit record survived, and the chain is whole (no fork, no gap).
      const stored = new Set<string>();
      for (let marker: string | undefined, more = true; more; ) {
        const page = await store.read((r) => r.audit.query({ maxItems: 1000, ...(marker === undefined ? {} : { marker }) }));
        for (const record of page.items) stored.add(record.id);
        more = page.isTruncated;
        marker = page.marker;
      }
      for (const id of events) expect(stored.has(id), id).toBe(true);
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
    }
    const users = (await store.read((r) => r.users.list(ACCOUNT, { maxItems: 1000 }))).items;
    const ids = new Set(users.map((u) => u.id));
    // Every acknowledged write survived the kill.
    for (const id of acked) expect(ids.has(id)).toBe(true);
    // Nothing half-written: every user that exists has its key and its membership.
    for (const u of users) {
      expect(await store.read((r) => r.accessKeys.countForOwner(ACCOUNT, u.id))).toBe(1);
      expect(await store.read((r) => r.groups.countForUser(ACCOUNT, u.id))).toBe(1);
    }
  } finally {
    await store.close();
  }
}

describe('crash safety', () => {
  it('keeps every acknowledged SQLite write and no partial one after SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-crash-'));
    try {
      const url = `sqlite:${join(dir, 'db.sqlite')}`;
      const { users } = await writeThenKill(url, '-');
      expect(users.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
      await verify(url, undefined, users);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps every acknowledged audit record of the SQLite writer thread, chained, after SIGKILL mid-stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-crash-'));
    try {
      const url = `sqlite:${join(dir, 'db.sqlite')}`;
      const { users, events } = await writeThenKill(url, '-', true);
      expect(events.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
      await verify(url, undefined, users, events);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(PG_URL === undefined)('keeps every acknowledged PostgreSQL write and no partial one after SIGKILL', async () => {
    const schema = uniqueSchema();
    try {
      const { users, events } = await writeThenKill(PG_URL!, schema, true);
      expect(users.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
      await verify(PG_URL!, schema, users, events);
    } finally {
      await dropSchema(PG_URL!, schema);
    }
  });
});
