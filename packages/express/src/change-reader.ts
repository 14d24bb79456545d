import type { ChangeEvent, Store } from '@latchkey/store';

/** What a `ListChanges` read answers: where to read from next, and what changed since the cursor given. */
export interface ChangesSince {
  /** The change log position to read after next time (a `seq`). */
  readonly cursor: number;
  /** The cursor could not be served (none given, or not a position of this log): anything may have changed. */
  readonly reset: boolean;
  /** Distinct kinds of the account's changes after the cursor, in log order. */
  readonly kinds: readonly string[];
}

/** The server's side of `ListChanges`. */
export interface ChangeReader {
  /** The account's changes after `cursor` (undefined: start now), waiting up to `waitMs` for one when there are none. */
  read(accountId: string, cursor: number | undefined, waitMs: number): Promise<ChangesSince>;
  /** Answers every waiting read now and waits no more (server shutdown). */
  close(): void;
}

export interface StoreChangeReaderOptions {
  /** Log rows read per answer; a longer backlog is read over several answers. Default 1000. */
  readonly batch?: number;
  /** Reads waiting at once; beyond it a read answers at once. Default 10 000. */
  readonly maxWaiters?: number;
  /** Injected timers (tests). */
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

interface Waiter {
  readonly accountId: string;
  readonly wake: () => void;
}

/**
 * `ListChanges` over the store's change log. Positions are the log's `seq`, which the store
 * assigns in commit order (on PostgreSQL under a lock held to commit), so a cursor means the same
 * on every server instance sharing the database and across restarts: a service may poll any
 * instance. Waiting reads are woken by the store's change feed (this instance's commits, and on
 * PostgreSQL other instances' through LISTEN/NOTIFY) and then read the log again; the feed only
 * wakes, the log answers. Call `start()` once before reading.
 */
export function storeChangeReader(store: Store, options: StoreChangeReaderOptions = {}): ChangeReader & { start(): Promise<void> } {
  const batch = options.batch ?? 1000;
  const maxWaiters = options.maxWaiters ?? 10_000;
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const waiters = new Set<Waiter>();
  let closed = false;
  let unsubscribe: (() => void) | undefined;

  /** The account's kinds after `cursor`, from one batch of log rows; `more` when the batch was full. */
  const kindsAfter = (rows: readonly ChangeEvent[], accountId: string, cursor: number): { cursor: number; kinds: string[]; more: boolean } => {
    const kinds: string[] = [];
    for (const r of rows) if (r.accountId === accountId && !kinds.includes(r.kind)) kinds.push(r.kind);
    return { cursor: rows.length === 0 ? cursor : rows[rows.length - 1]!.seq, kinds, more: rows.length === batch };
  };
  const since = async (accountId: string, cursor: number) => kindsAfter(await store.read((repos) => repos.changeLog.since(cursor, batch)), accountId, cursor);

  return {
    async start() {
      unsubscribe ??= await store.changes.subscribe((event: ChangeEvent) => {
        for (const w of [...waiters]) if (w.accountId === event.accountId) w.wake();
      });
    },

    async read(accountId, cursor, waitMs) {
      if (cursor === undefined) return { cursor: await store.read((repos) => repos.changeLog.head()), reset: true, kinds: [] };
      // Listening before the first read (when it may wait): a commit between that read and the
      // wait still wakes it.
      let woken = false;
      let release: (() => void) | undefined;
      let timer: unknown;
      const waiter: Waiter | undefined =
        waitMs > 0 && !closed && waiters.size < maxWaiters
          ? {
              accountId,
              wake: () => {
                woken = true;
                release?.();
              },
            }
          : undefined;
      if (waiter !== undefined) waiters.add(waiter);
      try {
        const [head, rows] = await store.read(async (repos) => [await repos.changeLog.head(), await repos.changeLog.since(cursor, batch)] as const);
        // A position past the log's end is not one of its positions (another database, a restore).
        if (cursor > head) return { cursor: head, reset: true, kinds: [] };
        const first = kindsAfter(rows, accountId, cursor);
        if (waiter === undefined || first.kinds.length > 0 || first.more || closed) return { cursor: first.cursor, reset: false, kinds: first.kinds };
        if (!woken) {
          await new Promise<void>((resolve) => {
            release = resolve;
            timer = setTimer(resolve, waitMs);
          });
        }
        // A wake-up may be for a commit the first read already saw: reading again from its
        // cursor answers exactly what is new, and never skips a row.
        const again = await since(accountId, first.cursor);
        return { cursor: again.cursor, reset: false, kinds: again.kinds };
      } finally {
        if (waiter !== undefined) waiters.delete(waiter);
        clearTimer(timer);
      }
    },

    close() {
      closed = true;
      unsubscribe?.();
      unsubscribe = undefined;
      for (const w of [...waiters]) w.wake();
    },
  };
}
