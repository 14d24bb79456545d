import { ReferenceViolationError, UniqueViolationError } from '@latchkey/store';

interface DriverError {
  code?: unknown;
  message?: unknown;
  table?: unknown;
}

function asDriverError(err: unknown): DriverError | undefined {
  return typeof err === 'object' && err !== null ? (err as DriverError) : undefined;
}

/** Maps constraint violations from either driver to typed store errors; other errors pass through. */
export function mapDbError(err: unknown, fallbackTable: string): unknown {
  const e = asDriverError(err);
  if (e === undefined) return err;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const table = typeof e.table === 'string' ? e.table : (/constraint failed: (\w+)\./.exec(message)?.[1] ?? fallbackTable);
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new UniqueViolationError(table, { cause: err });
  }
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new ReferenceViolationError(table, { cause: err });
  }
  return err;
}

/** Errors after which re-running the whole transaction is the right answer. */
export function isRetryable(err: unknown): boolean {
  const code = asDriverError(err)?.code;
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

/** Wraps every method of a repository so driver errors surface as store errors. */
export function guarded<T extends object>(repository: T, table: string): T {
  const out: Record<string, unknown> = {};
  const onError = (err: unknown): never => {
    throw mapDbError(err, table);
  };
  for (const [name, fn] of Object.entries(repository)) {
    if (typeof fn !== 'function') continue;
    const method = fn as (...a: unknown[]) => Promise<unknown>;
    // A plain function with one rejection handler: the wrapper runs on every store call, and an
    // async wrapper costs an extra promise and await each time.
    out[name] = (...args: unknown[]): Promise<unknown> => {
      try {
        return method.apply(repository, args).then(undefined, onError);
      } catch (err) {
        return Promise.reject(mapDbError(err, table));
      }
    };
  }
  return out as T;
}
