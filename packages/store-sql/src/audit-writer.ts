import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';
import { StoreClosedError, StoreUnavailableError } from '@latchkey/store';
import type { AuditEntry } from '@latchkey/store';
import type { AuditBatchReply, AuditBatchRequest, AuditChainLink, AuditWriterClose, AuditWriterConfig } from './audit-writer-protocol.js';

/** Starts the writer thread; injectable so tests can hold the `Worker` (and kill it). */
export type SpawnWorker = (entry: URL | string, options: WorkerOptions) => Worker;

export interface AuditWriterOptions extends AuditWriterConfig {
  readonly spawn?: SpawnWorker;
}

/** A failed batch as the writer thread reported it: the driver's code, for `mapDbError`/`isRetryable`. */
export class AuditWriterBatchError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'AuditWriterBatchError';
  }
}

interface InFlight {
  readonly resolve: (links: readonly AuditChainLink[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * How to start the writer thread. Compiled (`dist/*.js`) it is the sibling `.js` file. Run from
 * sources (`src/*.ts` under vitest or tsx, through the `@latchkey/source` condition) it is the
 * `.ts` file, which only loads with tsx's hooks registered inside the thread (on Node 20,
 * `--import tsx` in a worker's `execArgv` does not reach its module loader): a two-line
 * bootstrap does that, then imports the worker. tsx is a root devDependency, resolved only then,
 * never in a production install.
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return { entry: new URL('./audit-writer-worker.js', self), eval: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./audit-writer-worker.ts', self).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
  return { entry: bootstrap, eval: true };
}

/**
 * The main thread's side of the SQLite audit writer thread: it sends batches and resolves their
 * promises; the thread does the hashing, INSERTs and COMMIT (see audit-writer-worker.ts). The
 * thread is started on the first batch and again after it dies (its in-flight batches are then
 * rejected with `StoreUnavailableError`); it keeps the process alive only while a batch is in
 * flight, so an idle store never holds up a finished process.
 */
export class AuditWriter {
  readonly #options: AuditWriterOptions;
  readonly #inFlight = new Map<number, InFlight>();
  #worker: Worker | undefined;
  #nextId = 1;
  #closed = false;
  #drained: (() => void) | undefined;

  constructor(options: AuditWriterOptions) {
    this.#options = options;
  }

  /** Appends one batch as one transaction on the writer thread; resolves with each entry's chain link. */
  append(entries: readonly AuditEntry[]): Promise<readonly AuditChainLink[]> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    return new Promise((resolve, reject) => {
      const worker = this.#worker ?? this.#start();
      const id = this.#nextId++;
      this.#inFlight.set(id, { resolve, reject });
      if (this.#inFlight.size === 1) worker.ref();
      const request: AuditBatchRequest = { id, entries };
      try {
        worker.postMessage(request);
      } catch (err) {
        // Not cloneable (not plain data): the batch never left, so nothing waits for a reply.
        this.#inFlight.delete(id);
        this.#idle();
        reject(err);
      }
    });
  }

  /** Waits for the batches in flight, then lets the thread close its connection and end. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#inFlight.size > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    const worker = this.#worker;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const close: AuditWriterClose = { close: true };
    worker.postMessage(close);
    worker.ref();
    await exited;
  }

  #start(): Worker {
    const { entry, eval: isCode } = workerEntry();
    const config: AuditWriterConfig = { filename: this.#options.filename, busyTimeoutMs: this.#options.busyTimeoutMs };
    const options: WorkerOptions = { workerData: config, eval: isCode };
    const worker = (this.#options.spawn ?? ((e, o) => new Worker(e, o)))(entry, options);
    worker.unref();
    worker.on('message', (reply: AuditBatchReply) => this.#settle(reply));
    // An uncaught error in the thread is followed by 'exit': handled there. Listening here
    // keeps it from becoming the process's uncaught exception.
    worker.on('error', () => undefined);
    worker.on('exit', () => this.#lost(worker));
    this.#worker = worker;
    return worker;
  }

  #settle(reply: AuditBatchReply): void {
    const pending = this.#inFlight.get(reply.id);
    if (pending === undefined) return;
    this.#inFlight.delete(reply.id);
    if (reply.ok) pending.resolve(reply.links);
    else pending.reject(new AuditWriterBatchError(reply.code, reply.message));
    this.#idle();
  }

  /** The thread ended: whatever it had not answered is lost (rolled back, or never started). */
  #lost(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    const lost = [...this.#inFlight.values()];
    this.#inFlight.clear();
    for (const pending of lost) pending.reject(new StoreUnavailableError('the SQLite audit writer thread'));
    this.#idle();
  }

  #idle(): void {
    if (this.#inFlight.size > 0) return;
    this.#worker?.unref();
    this.#drained?.();
    this.#drained = undefined;
  }
}
