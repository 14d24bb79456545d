import type { AuditRecord, Store } from '@latchkey/store';
import { auditHash } from './audit-hash.js';

export type AuditChainVerdict =
  | { ok: true; records: number; head: string | null }
  | { ok: false; records: number; brokenAtSeq: number; reason: 'hash' | 'link' };

/**
 * Walks the whole audit trail oldest first and recomputes every hash. A record whose hash does
 * not match its content was altered; a record whose `prevHash` is not its predecessor's hash
 * means a record was removed or inserted. Reads in pages, so memory stays flat.
 */
export async function verifyAuditChain(store: Store, pageSize = 1000): Promise<AuditChainVerdict> {
  let prev: AuditRecord | undefined;
  let records = 0;
  let marker: string | undefined;
  for (;;) {
    const page = await store.read((r) => r.audit.query({ maxItems: pageSize, ...(marker === undefined ? {} : { marker }) }));
    for (const record of page.items) {
      records += 1;
      if (record.prevHash !== (prev?.hash ?? null)) return { ok: false, records, brokenAtSeq: record.seq, reason: 'link' };
      const { seq: _seq, prevHash: _prevHash, hash, ...entry } = record;
      if (auditHash(record.prevHash, entry) !== hash) return { ok: false, records, brokenAtSeq: record.seq, reason: 'hash' };
      prev = record;
    }
    if (!page.isTruncated) return { ok: true, records, head: prev?.hash ?? null };
    marker = page.marker;
  }
}
