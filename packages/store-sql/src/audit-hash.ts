import { createHash } from 'node:crypto';
import type { AuditEntry } from '@latchkey/store';

/**
 * The chain hash: SHA-256 over the previous hash and the entry's fields in a fixed order, so
 * anyone holding the records can recompute and verify the chain. The one implementation: the
 * repository, the SQLite writer thread and the chain verifier all use it (this module imports
 * nothing but `node:crypto`, and only a type from the store, so the writer thread can load it).
 */
export function auditHash(prevHash: string | null, entry: AuditEntry): string {
  return createHash('sha256')
    .update(JSON.stringify([prevHash, ...auditColumns(entry)]))
    .digest('hex');
}

/** An entry's stored fields in column order (`audit_log`'s id … params): the hash's order too. */
export type AuditColumns = readonly [
  id: string,
  at: number,
  requestId: string,
  accountId: string,
  principalArn: string | null,
  action: string,
  resource: string | null,
  sourceIp: string | null,
  userAgent: string | null,
  outcome: AuditEntry['outcome'],
  errorCode: string | null,
  params: string,
];

export function auditColumns(e: AuditEntry): AuditColumns {
  return [e.id, e.at, e.requestId, e.accountId, e.principalArn, e.action, e.resource, e.sourceIp, e.userAgent, e.outcome, e.errorCode, e.params];
}
