import type { RandomBytes } from '@latchkey/model';
import type { AuditEntry, AuditQuery, AuditRecord, Store } from '@latchkey/store';
import type { AuditEvent } from './audit-event.js';
import { cloudTrailRecord, type CloudTrailRecord } from './cloudtrail-record.js';

/** Receives each stored record as one line of JSON (no newline), e.g. for a file or stdout. */
export type AuditSink = (line: string) => void;

export interface AuditTrailOptions {
  readonly store: Store;
  /** Cryptographically strong random bytes (the records' `eventID`), injected by `main`. */
  readonly random: RandomBytes;
  /** Mirrors every record after it is stored (log shippers); a throwing sink does not fail the record. */
  readonly sink?: AuditSink;
}

/** A stored record as `latchkey audit` prints it: the CloudTrail fields plus the chain position. */
export type AuditLine = CloudTrailRecord & { readonly seq: number; readonly hash: string; readonly prevHash: string | null };

/**
 * The append-only audit trail. `record` builds a CloudTrail-like record from what the server
 * knows about a call (secrets removed before anything is built), stores it through the store's
 * hash-chained audit port (`store.appendAudit`, batches in transactions of their own, so a failed
 * call's rollback never takes its record with it), and mirrors it to the sink. The whole record is the hashed `params` text;
 * the repository's columns repeat the fields queries filter on.
 */
export class AuditTrail {
  readonly #store: Store;
  readonly #random: RandomBytes;
  readonly #sink: AuditSink | undefined;
  readonly #queue: Pending[] = [];
  #draining = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: AuditTrailOptions) {
    this.#store = options.store;
    this.#random = options.random;
    this.#sink = options.sink;
  }

  /**
   * Stores one record and resolves once it is committed. Records arriving while a commit is
   * in flight are appended together in the next transaction (group commit): on SQLite each
   * commit is an fsync, so concurrent requests share one instead of queueing for one each.
   */
  record(event: AuditEvent, options: RecordOptions = {}): Promise<AuditLine> {
    const at = event.at.getTime();
    const eventId = uuidV7(at, this.#random(ID_RANDOM_BYTES));
    const record = cloudTrailRecord(event, eventId);
    const entry: AuditEntry = {
      id: eventId,
      at,
      requestId: event.requestId,
      accountId: record.recipientAccountId,
      principalArn: record.userIdentity.arn ?? null,
      action: `${event.service}:${record.eventName}`,
      resource: event.resource ?? null,
      sourceIp: record.sourceIPAddress,
      userAgent: record.userAgent,
      outcome: event.error === undefined ? 'success' : 'failure',
      errorCode: event.error?.code ?? null,
      params: JSON.stringify(record),
    };
    return new Promise<AuditLine>((resolve, reject) => {
      this.#queue.push({ entry, record, resolve, reject });
      if (this.#draining) return; // the running drain loop takes it
      const deferMs = options.deferMs ?? 0;
      if (deferMs > 0 && this.#queue.length < MAX_BATCH) {
        // Nobody waits for this record: let records gather for a short window so that one
        // commit (one fsync) carries many of them.
        if (this.#timer === undefined) {
          this.#timer = setTimeout(() => {
            this.#timer = undefined;
            this.#startDrain();
          }, deferMs);
          this.#timer.unref?.();
        }
        return;
      }
      this.#startDrain();
    });
  }

  /** Resolves once every record handed to `record` so far is committed (or failed). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#startDrain();
    }
    while (this.#draining || this.#queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  #startDrain(): void {
    if (this.#draining) return;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    // Start the commit on the next turn of the event loop, after pending I/O: requests that
    // arrived meanwhile add their records to this batch. better-sqlite3 commits (an fsync)
    // block the whole process, so a batch of one per commit starved every other request.
    this.#draining = true;
    setImmediate(() => void this.#drain());
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      for (let first = true; this.#queue.length > 0; first = false) {
        // Between batches, let one turn of the event loop pass: the answers of the batch just
        // stored go out, and requests whose data has arrived meanwhile add their records to the
        // next batch. Measured (AssumeRole, 10 connections, four interleaved pairs): 10-25% more
        // calls per second than taking the next batch at once, with fewer, larger commits.
        if (!first) await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.#queue.splice(0, MAX_BATCH);
        let stored: AuditRecord[];
        try {
          // One transaction of its own per batch: on a SQLite file the store runs it on its
          // writer thread, so the inserts and the fsync do not block this one.
          stored = await this.#store.appendAudit(batch.map((p) => p.entry));
        } catch (error) {
          for (const p of batch) p.reject(error);
          continue;
        }
        for (let i = 0; i < batch.length; i++) {
          const p = batch[i]!;
          const line = withChain(p.record, stored[i]!);
          this.#mirror(line);
          p.resolve(line);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  #mirror(line: AuditLine): void {
    if (this.#sink === undefined) return;
    try {
      this.#sink(JSON.stringify(line));
    } catch {
      // The stored, hash-chained record is the trail; the mirror is best effort.
    }
  }
}

export interface RecordOptions {
  /**
   * For records nobody waits for (reads, failures): commit within this many milliseconds
   * rather than on the next event-loop turn, so that many share one commit. Default 0.
   */
  readonly deferMs?: number;
}

interface Pending {
  readonly entry: AuditEntry;
  /** The record `entry.params` is the JSON text of: the line is built from it, not re-parsed. */
  readonly record: CloudTrailRecord;
  readonly resolve: (line: AuditLine) => void;
  readonly reject: (error: unknown) => void;
}

/** The random part of a UUIDv7 event id (74 of these 80 bits are used). */
const ID_RANDOM_BYTES = 10;

/** Records appended in one transaction at most (bounds the time the chain head is held). */
const MAX_BATCH = 256;

/**
 * The line of a record this trail just stored: the record object it built (and stringified into
 * `params`), given its chain position. The object is this trail's own and nothing else holds it,
 * so the three fields are added to it in place: no copy of the record, no re-parse of its text.
 */
function withChain(record: CloudTrailRecord, stored: AuditRecord): AuditLine {
  const line = record as Mutable<AuditLine>;
  line.seq = stored.seq;
  line.hash = stored.hash;
  line.prevHash = stored.prevHash;
  return line;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The printable form of a stored record read back from the store (its CloudTrail fields and chain position). */
export function auditLine(record: AuditRecord): AuditLine {
  let fields: CloudTrailRecord;
  try {
    fields = JSON.parse(record.params) as CloudTrailRecord;
  } catch {
    // A record written by something else (or damaged): show its columns rather than nothing.
    fields = {
      eventTime: new Date(record.at).toISOString(),
      eventName: record.action,
      requestID: record.requestId,
      recipientAccountId: record.accountId,
    } as unknown as CloudTrailRecord;
  }
  return { ...fields, seq: record.seq, hash: record.hash, prevHash: record.prevHash };
}

export interface AuditFilter {
  readonly since?: Date;
  readonly until?: Date;
  readonly principalArn?: string;
  /** `iam:CreateUser`, or `CreateUser` for that action in any service. */
  readonly action?: string;
  readonly outcome?: 'success' | 'failure';
  readonly accountId?: string;
}

/** Every stored record matching the filter, oldest first, read in pages. */
export async function* queryAudit(store: Store, filter: AuditFilter, pageSize = 500): AsyncGenerator<AuditLine> {
  const qualified = filter.action !== undefined && filter.action.includes(':');
  const query: Omit<AuditQuery, 'marker'> = {
    maxItems: pageSize,
    ...(filter.accountId === undefined ? {} : { accountId: filter.accountId }),
    ...(filter.since === undefined ? {} : { from: filter.since.getTime() }),
    ...(filter.until === undefined ? {} : { to: filter.until.getTime() }),
    ...(filter.principalArn === undefined ? {} : { principalArn: filter.principalArn }),
    ...(qualified ? { action: filter.action } : {}),
    ...(filter.outcome === undefined ? {} : { outcome: filter.outcome }),
  };
  const suffix = !qualified && filter.action !== undefined ? `:${filter.action}`.toLowerCase() : undefined;
  let marker: string | undefined;
  for (;;) {
    const page = await store.read((r) => r.audit.query({ ...query, ...(marker === undefined ? {} : { marker }) }));
    for (const record of page.items) {
      if (suffix !== undefined && !record.action.toLowerCase().endsWith(suffix)) continue;
      yield auditLine(record);
    }
    if (!page.isTruncated || page.marker === undefined) return;
    marker = page.marker;
  }
}

/**
 * A UUID version 7 (RFC 9562 §5.7): the 48-bit Unix time in ms of the event, then the version
 * (7), 12 random bits, the variant (10) and 62 random bits. Ids of later events sort later, so
 * the UNIQUE index on the stored id grows at its end instead of taking random B-tree inserts
 * (which got slower as the table grew). `random` supplies the 10 random bytes (74 bits used).
 */
export function uuidV7(atMs: number, random: Uint8Array): string {
  if (random.length < 10) throw new RangeError('uuidV7 needs 10 random bytes');
  const b = Buffer.allocUnsafe(16);
  // 48-bit big-endian ms timestamp (clamped: a date before 1970, after 10889 or invalid has no v7 time).
  b.writeUIntBE(Number.isFinite(atMs) ? Math.min(Math.max(Math.floor(atMs), 0), 0xffff_ffff_ffff) : 0, 0, 6);
  b.set(random.subarray(0, 10), 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
