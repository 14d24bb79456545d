import type { Repositories } from '@latchkey/store';

/** Writes that must outlive the transaction whose failure they record (a failure counter). */
export type AfterRollback = (repos: Repositories) => Promise<void>;

// A symbol-keyed, non-enumerable property: never serialised with the error, never in a log line.
const AFTER_ROLLBACK: unique symbol = Symbol('latchkey.afterRollback');

/**
 * Attaches `write` to `error`: when an operation throws it, `IamService.invoke` rolls the call's
 * transaction back as usual and then commits `write` in a small transaction of its own, so a
 * wrong MFA code or password counts even though the call that saw it changed nothing else.
 * Several writes attached to one error run in order.
 */
export function withAfterRollback<E extends Error>(error: E, write: AfterRollback): E {
  const earlier = afterRollbackOf(error);
  const combined: AfterRollback =
    earlier === undefined
      ? write
      : async (repos) => {
          await earlier(repos);
          await write(repos);
        };
  Object.defineProperty(error, AFTER_ROLLBACK, { value: combined, enumerable: false, configurable: true, writable: false });
  return error;
}

/** The writes attached to `error`, if any. */
export function afterRollbackOf(error: unknown): AfterRollback | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const write = (error as { [AFTER_ROLLBACK]?: unknown })[AFTER_ROLLBACK];
  return typeof write === 'function' ? (write as AfterRollback) : undefined;
}
