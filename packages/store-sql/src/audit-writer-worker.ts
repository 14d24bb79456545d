// The SQLite audit writer thread: its own better-sqlite3 connection to the store's file, so the
// INSERTs, index updates and the COMMIT's fsync of audit batches block this thread instead of
// the server's event loop. Started by `AuditWriter` (audit-writer.ts); see there.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { auditColumns, auditHash } from './audit-hash.js';
import type { AuditBatchReply, AuditBatchRequest, AuditChainLink, AuditWriterClose, AuditWriterConfig } from './audit-writer-protocol.js';

const port = parentPort;
if (port === null) throw new Error('audit-writer-worker must run as a worker thread');
const config = workerData as AuditWriterConfig;

// The same settings as the main connection (open-store.ts): an acknowledged batch survives
// SIGKILL and power loss, and a writer busy on the other connection is waited for.
const db = new Database(config.filename, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma(`busy_timeout = ${Math.max(0, Math.floor(config.busyTimeoutMs))}`);

const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
const headHash = db.prepare<[], string>('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').pluck();
const insert = db
  .prepare<unknown[], number | bigint>(
    `INSERT INTO audit_log (id, at, request_id, account_id, principal_arn, action, resource, source_ip, user_agent, outcome, error_code, params, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
  )
  .pluck();

function append(entries: AuditBatchRequest['entries']): AuditChainLink[] {
  // IMMEDIATE: take the write lock first, then read the head inside the transaction: the main
  // connection (or another process) may have appended since this thread's last batch.
  begin.run();
  try {
    let prevHash: string | null = headHash.get() ?? null;
    const links: AuditChainLink[] = [];
    for (const e of entries) {
      const hash = auditHash(prevHash, e);
      const seq = insert.get(...auditColumns(e), prevHash, hash);
      links.push({ seq: Number(seq), prevHash, hash });
      prevHash = hash;
    }
    commit.run();
    return links;
  } catch (err) {
    if (db.inTransaction) rollback.run();
    throw err;
  }
}

port.on('message', (message: AuditBatchRequest | AuditWriterClose) => {
  if ('close' in message) {
    db.close();
    port.close();
    return;
  }
  let reply: AuditBatchReply;
  try {
    reply = { id: message.id, ok: true, links: append(message.entries) };
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    reply = { id: message.id, ok: false, code: typeof e.code === 'string' ? e.code : undefined, message: typeof e.message === 'string' ? e.message : String(err) };
  }
  port.postMessage(reply);
});
