import type { AuditEntry } from '@latchkey/store';

/** What the writer thread needs to open its own connection to the store's database file. */
export interface AuditWriterConfig {
  readonly filename: string;
  /** The same busy timeout as the store's main connection. */
  readonly busyTimeoutMs: number;
}

/** Main thread → writer: one batch, appended as one transaction. */
export interface AuditBatchRequest {
  readonly id: number;
  readonly entries: readonly AuditEntry[];
}

/** A stored entry's place in the chain (the rest of the record is the entry the caller holds). */
export interface AuditChainLink {
  readonly seq: number;
  readonly prevHash: string | null;
  readonly hash: string;
}

/** Writer → main thread. A failure carries the driver's code and message only (no values). */
export type AuditBatchReply =
  | { readonly id: number; readonly ok: true; readonly links: readonly AuditChainLink[] }
  | { readonly id: number; readonly ok: false; readonly code: string | undefined; readonly message: string };

/** Main thread → writer: finish (the store is closing and nothing is in flight). */
export interface AuditWriterClose {
  readonly close: true;
}
