import { createHash } from 'node:crypto';
import type { AuditEntry } from '@latchkey/store';

/**
 * The chain hash: SHA-256 over the previous hash and the entry's fields in a fixed order, so
 * anyone holding the records can recompute and verify the chain. The one implementation: the
 * repository, the SQLite writer thread and the chain verifier all use it (this module imports
 * nothing but `node:crypto`, and only a type from the store, so the writer thread can load it).
 */
export function auditHash(prevHash: string | null, entry: AuditEntry): string {
  const canonical = JSON.stringify([
    prevHash,
    entry.id,
    entry.at,
    entry.requestId,
    entry.accountId,
    entry.principalArn,
    entry.action,
    entry.resource,
    entry.sourceIp,
    entry.userAgent,
    entry.outcome,
    entry.errorCode,
    entry.params,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
