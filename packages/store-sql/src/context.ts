import { NotInTransactionError } from '@latchkey/store';
import type { ChangeKind } from '@latchkey/store';
import type { Kysely } from 'kysely';
import type { Database, Dialect } from './schema.js';

export interface PendingChange {
  kind: ChangeKind;
  accountId: string;
  entity: string;
}

/** What every repository works through: one connection (inside a transaction) or the pool. */
export class Context {
  readonly pending: PendingChange[] = [];
  /**
   * The audit chain head's hash once this transaction has read or moved it (undefined: not yet).
   * The transaction holds the chain (SQLite's write lock, PostgreSQL's advisory lock) until it
   * ends, so a batch of appends reads the head once.
   */
  auditHead: string | null | undefined = undefined;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    readonly inTransaction: boolean,
    /** SQLite outside transactions: runs a read at once when no transaction holds the connection (see `CachedSqliteDatabase.readNow`). */
    readonly readNow?: (sql: string, parameters: readonly unknown[]) => unknown[] | undefined,
  ) {}

  /** Guards a write: outside a transaction a multi-statement write could be half-applied. */
  write(operation: string): void {
    if (!this.inTransaction) throw new NotInTransactionError(operation);
  }

  /** Queues a change event; it is written to the change log and published at commit. */
  change(kind: ChangeKind, accountId: string, entity: string): void {
    if (!this.pending.some((c) => c.kind === kind && c.accountId === accountId && c.entity === entity)) {
      this.pending.push({ kind, accountId, entity });
    }
  }

  /** Row locks only mean something on PostgreSQL; SQLite transactions are already exclusive. */
  get lockRows(): boolean {
    return this.dialect === 'postgres' && this.inTransaction;
  }
}
