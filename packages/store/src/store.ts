import type { AuditEntry, AuditRecord, ChangeEvent } from './records.js';
import type { Repositories } from './repositories.js';

export type ChangeListener = (event: ChangeEvent) => void;

/**
 * Committed authorization-relevant changes. Events arrive after commit, in `seq` order per
 * instance; on PostgreSQL they also arrive from other instances sharing the database.
 * A listener that throws is isolated from the others.
 */
export interface ChangeFeed {
  /** Resolves once the listener is live (on PostgreSQL: once LISTEN is in place); returns the unsubscribe. */
  subscribe(listener: ChangeListener): Promise<() => void>;
}

export interface TransactionOptions {
  /** How many times a transaction that lost a serialisation/deadlock race is re-run (default 3). */
  retries?: number;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` as one transaction: everything it wrote commits together, or, if it throws, nothing
   * does. Not re-entrant: do not call `transaction` from inside `fn`. On PostgreSQL a store error
   * inside `fn` aborts the transaction, so rethrow it. `fn` may be re-run after a lost race, so
   * keep side effects out of it.
   */
  transaction<T>(fn: (tx: Repositories) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Appends audit entries, in order, as one transaction of its own, chained to the current head
   * of the trail; resolves with each stored record (its `seq`, `prevHash` and `hash`). All of
   * the batch is stored or none of it (a duplicate id fails the whole batch). Never call it from
   * inside `transaction` (it throws `NestedTransactionError`): it is the audit trail's own path,
   * so that recording a call never waits for, or rolls back with, the call's transaction.
   * Adapters may do the work off the calling thread (SQLite files: a writer thread).
   */
  appendAudit(entries: readonly AuditEntry[]): Promise<AuditRecord[]>;
  /** Runs reads outside any transaction (each statement sees the latest committed data). */
  read<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  readonly changes: ChangeFeed;
  close(): Promise<void>;
}
