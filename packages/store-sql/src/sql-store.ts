import { AsyncLocalStorage } from 'node:async_hooks';
import { NestedTransactionError, StoreClosedError, TransactionConflictError } from '@latchkey/store';
import type { AuditEntry, AuditRecord, ChangeEvent, ChangeFeed, ChangeListener, Repositories, Store, TransactionOptions } from '@latchkey/store';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { AuditWriter } from './audit-writer.js';
import { Context } from './context.js';
import { isRetryable, mapDbError } from './db-errors.js';
import { num } from './paging.js';
import { makeRepositories } from './repositories/index.js';
import type { Database, Dialect } from './schema.js';
import { WriteGate } from './write-gate.js';

/** Where change events come from besides this instance's own commits (PostgreSQL LISTEN). */
export interface ChangeSource {
  /** Starts listening (idempotent); calls `deliver` for every notification. */
  start(deliver: (event: ChangeEvent) => void): Promise<void>;
  stop(): Promise<void>;
}

export interface SqlStoreOptions {
  db: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL: the NOTIFY channel for this schema's change events. */
  channel?: string;
  changeSource?: ChangeSource;
  /** Releases driver resources after the Kysely instance is destroyed. */
  onClose?: () => Promise<void>;
  /** SQLite: direct reads for prepared queries outside transactions (see `CachedSqliteDatabase.readNow`). */
  readNow?: (sql: string, parameters: readonly unknown[]) => unknown[] | undefined;
  /** SQLite files: the writer thread `appendAudit` hands its batches to (see `AuditWriter`). */
  auditWriter?: AuditWriter;
}

const DEFAULT_RETRIES = 3;

/** What `/healthz` and operators want to know about the database behind a store. */
export interface StoreHealth {
  dialect: Dialect;
  /** Highest applied migration. */
  schemaVersion: number;
  /** SQLite durability settings as the connection actually runs them. */
  sqlite?: { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA'; foreignKeys: boolean; busyTimeoutMs: number };
}

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;

export class SqlStore implements Store {
  readonly dialect: Dialect;
  readonly changes: ChangeFeed;
  private readonly db: Kysely<Database>;
  private readonly listeners = new Set<ChangeListener>();
  private readonly options: SqlStoreOptions;
  private closed = false;
  private sourceStarted = false;
  /**
   * Marks the async flow running a transaction's function, to catch nested store calls. On
   * Node 20 an enabled AsyncLocalStorage puts a hook on every promise the process creates
   * (≈ 0.15 µs each, whatever the code), so it is enabled only while some transaction's
   * function runs and disabled again when the last one returns: read-only traffic pays nothing.
   */
  private readonly inTransaction = new AsyncLocalStorage<true>();
  private runningTransactions = 0;
  /** With an audit writer thread: its batches and this connection's transactions take turns (see `WriteGate`). */
  private readonly writeGate: WriteGate | undefined;
  /** Outside a transaction a context holds no state, so one set of read repositories serves every call. */
  private readonly readRepositories: Repositories;

  constructor(options: SqlStoreOptions) {
    this.options = options;
    this.db = options.db;
    this.dialect = options.dialect;
    this.changes = { subscribe: (listener) => this.subscribe(listener) };
    this.readRepositories = makeRepositories(new Context(this.db, this.dialect, false, options.readNow));
    this.writeGate = options.auditWriter === undefined ? undefined : new WriteGate();
  }

  async transaction<T>(fn: (tx: Repositories) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.inTransaction.getStore() === true) throw new NestedTransactionError();
    const retries = options.retries ?? DEFAULT_RETRIES;
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new StoreClosedError();
      try {
        const run = () => this.db.connection().execute((conn) => this.runOnce(conn, fn));
        const { result, events } = this.writeGate === undefined ? await run() : await this.writeGate.run(run);
        // SQLite has no cross-connection notification: this instance tells its own listeners.
        if (this.dialect === 'sqlite') for (const event of events) this.deliver(event);
        return result;
      } catch (err) {
        if (!isRetryable(err)) throw mapDbError(err, 'transaction');
        if (attempt >= retries) throw new TransactionConflictError({ cause: err });
        // Back off a little longer each time so the winner can commit.
        await new Promise((resolve) => setTimeout(resolve, 5 * (attempt + 1)));
      }
    }
  }

  async appendAudit(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    if (this.closed) throw new StoreClosedError();
    if (this.inTransaction.getStore() === true) throw new NestedTransactionError();
    if (entries.length === 0) return [];
    const writer = this.options.auditWriter;
    // `:memory:` cannot be shared with a thread, and PostgreSQL's I/O is asynchronous already:
    // one transaction on this thread, reading the head once (and, on PostgreSQL, taking the
    // chain's advisory lock once), with the INSERT compiled once (`insertRecord`).
    if (writer === undefined) {
      return this.transaction(async (tx) => {
        const out: AuditRecord[] = [];
        for (const entry of entries) out.push(await tx.audit.append(entry));
        return out;
      });
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const links = await (this.writeGate as WriteGate).run(() => writer.append(entries));
        const out = new Array<AuditRecord>(entries.length);
        // Spelled out: spreading the entry and its link per record cost as much as the rest of this thread's work.
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i] as AuditEntry;
          const link = links[i] as (typeof links)[number];
          out[i] = {
            seq: link.seq,
            id: e.id,
            at: e.at,
            requestId: e.requestId,
            accountId: e.accountId,
            principalArn: e.principalArn,
            action: e.action,
            resource: e.resource,
            sourceIp: e.sourceIp,
            userAgent: e.userAgent,
            outcome: e.outcome,
            errorCode: e.errorCode,
            params: e.params,
            prevHash: link.prevHash,
            hash: link.hash,
          };
        }
        return out;
      } catch (err) {
        // The same mapping and retries as `transaction`: the writer's connection waited the busy
        // timeout for the lock, as the main connection would have.
        if (!isRetryable(err)) throw mapDbError(err, 'audit_log');
        if (attempt >= DEFAULT_RETRIES) throw new TransactionConflictError({ cause: err });
        await new Promise((resolve) => setTimeout(resolve, 5 * (attempt + 1)));
      }
    }
  }

  async read<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreClosedError();
    if (this.inTransaction.getStore() === true) throw new NestedTransactionError();
    return fn(this.readRepositories);
  }

  /** Round-trips to the database (so it doubles as a liveness probe) and reports its settings. */
  async health(): Promise<StoreHealth> {
    if (this.closed) throw new StoreClosedError();
    const row = await this.db
      .selectFrom('latchkey_migrations')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst();
    const schemaVersion = num(row?.v ?? 0);
    if (this.dialect !== 'sqlite') return { dialect: this.dialect, schemaVersion };
    const pragma = async (name: string): Promise<unknown> => {
      const result = await sql.raw<Record<string, unknown>>(`PRAGMA ${name}`).execute(this.db);
      const first = result.rows[0];
      return first === undefined ? undefined : Object.values(first)[0];
    };
    return {
      dialect: this.dialect,
      schemaVersion,
      sqlite: {
        journalMode: String(await pragma('journal_mode')),
        synchronous: SYNCHRONOUS[num(await pragma('synchronous'))] ?? 'OFF',
        foreignKeys: num(await pragma('foreign_keys')) === 1,
        busyTimeoutMs: num(await pragma('busy_timeout')),
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.options.changeSource?.stop();
    // Writes accepted before close (some may still wait for their turn at the gate) finish and
    // resolve first; the gate is first come, first served, so one more turn waits for them all.
    await this.writeGate?.run(async () => undefined);
    // Batches already handed to the writer thread finish (and resolve) before it ends.
    await this.options.auditWriter?.close();
    await this.db.destroy();
    await this.options.onClose?.();
  }

  private async runOnce<T>(conn: Kysely<Database>, fn: (tx: Repositories) => Promise<T>): Promise<{ result: T; events: ChangeEvent[] }> {
    // SQLite: IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking on upgrade.
    await sql.raw(this.dialect === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN').execute(conn);
    try {
      const ctx = new Context(conn, this.dialect, true);
      const result = await this.runMarked(() => fn(makeRepositories(ctx)));
      const events = await this.flushChanges(conn, ctx);
      await sql.raw('COMMIT').execute(conn);
      return { result, events };
    } catch (err) {
      await sql
        .raw('ROLLBACK')
        .execute(conn)
        .catch(() => undefined);
      throw err;
    }
  }

  private async runMarked<T>(fn: () => Promise<T>): Promise<T> {
    this.runningTransactions++;
    try {
      return await this.inTransaction.run(true, fn);
    } finally {
      // Flows that outlive their transaction's function are no longer inside it.
      if (--this.runningTransactions === 0) this.inTransaction.disable();
    }
  }

  /**
   * Writes the transaction's change events last, just before COMMIT. On PostgreSQL an advisory
   * lock held from here to commit makes sequence order equal commit order (so polling by `seq`
   * never skips a late commit), and being the last lock taken it cannot join a deadlock cycle.
   * NOTIFY inside the transaction is delivered by PostgreSQL only if and when it commits.
   */
  private async flushChanges(conn: Kysely<Database>, ctx: Context): Promise<ChangeEvent[]> {
    if (ctx.pending.length === 0) return [];
    if (this.dialect === 'postgres') {
      await sql`SELECT pg_advisory_xact_lock(hashtext('latchkey:changes:' || current_schema()))`.execute(conn);
    }
    const events: ChangeEvent[] = [];
    for (const change of ctx.pending) {
      const row = await conn
        .insertInto('change_log')
        .values({ kind: change.kind, account_id: change.accountId, entity: change.entity })
        .returning('seq')
        .executeTakeFirstOrThrow();
      const event: ChangeEvent = { seq: num(row.seq), kind: change.kind, accountId: change.accountId, entity: change.entity };
      events.push(event);
      if (this.dialect === 'postgres' && this.options.channel !== undefined) {
        await sql`SELECT pg_notify(${this.options.channel}, ${JSON.stringify(event)})`.execute(conn);
      }
    }
    return events;
  }

  private async subscribe(listener: ChangeListener): Promise<() => void> {
    if (this.closed) throw new StoreClosedError();
    this.listeners.add(listener);
    const source = this.options.changeSource;
    if (source !== undefined && !this.sourceStarted) {
      this.sourceStarted = true;
      try {
        await source.start((event) => this.deliver(event));
      } catch (err) {
        this.sourceStarted = false;
        this.listeners.delete(listener);
        throw err;
      }
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  private deliver(event: ChangeEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One faulty listener must not starve the others of invalidations.
      }
    }
  }
}
