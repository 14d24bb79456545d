/**
 * Takes turns between the two SQLite connections of one store: the main connection's write
 * transactions and the audit writer thread's batches. Both would otherwise meet in SQLite's busy
 * handler, which on the main connection sleeps with the event loop blocked (better-sqlite3 is
 * synchronous) while the other side's COMMIT waits for its fsync. Here the loser waits as a
 * promise: reads and everything else keep running meanwhile. First come, first served.
 * Other processes on the same file (the CLI next to a running server) still meet in the busy
 * handler, as before.
 */
export class WriteGate {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `fn` once every earlier turn has ended (however it ended). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      return await fn();
    } finally {
      release();
    }
  }
}
