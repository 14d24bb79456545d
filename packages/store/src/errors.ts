/**
 * Typed store failures. The service layer maps them to AWS errors (a unique violation becomes
 * `EntityAlreadyExists`, a reference violation `NoSuchEntity` or `DeleteConflict` depending on
 * the operation); the store never picks AWS wording itself.
 */
export type StoreErrorKind = 'unique' | 'reference' | 'invalidMarker' | 'notInTransaction' | 'nested' | 'conflict' | 'closed' | 'unavailable';

export abstract class StoreError extends Error {
  abstract readonly kind: StoreErrorKind;
}

/** A database-enforced uniqueness constraint rejected a write. `table` names the entity table. */
export class UniqueViolationError extends StoreError {
  readonly kind = 'unique' as const;
  constructor(
    readonly table: string,
    options?: { cause?: unknown },
  ) {
    super(`unique constraint violated on ${table}`, options);
    this.name = 'UniqueViolationError';
  }
}

/** A foreign key rejected a write: the referenced row is missing, or the row is still referenced. */
export class ReferenceViolationError extends StoreError {
  readonly kind = 'reference' as const;
  constructor(
    readonly table: string,
    options?: { cause?: unknown },
  ) {
    super(`reference constraint violated on ${table}`, options);
    this.name = 'ReferenceViolationError';
  }
}

export class InvalidMarkerError extends StoreError {
  readonly kind = 'invalidMarker' as const;
  constructor() {
    super('invalid paging marker');
    this.name = 'InvalidMarkerError';
  }
}

/** A write was attempted through `store.read`, outside `store.transaction`. */
export class NotInTransactionError extends StoreError {
  readonly kind = 'notInTransaction' as const;
  constructor(operation: string) {
    super(`${operation} must run inside store.transaction`);
    this.name = 'NotInTransactionError';
  }
}

/**
 * `store.transaction` or `store.read` was called from inside a transaction: use the `tx` given
 * to the function instead (on SQLite the nested call would otherwise wait for itself forever).
 */
export class NestedTransactionError extends StoreError {
  readonly kind = 'nested' as const;
  constructor() {
    super('store.transaction/store.read called inside a transaction: use its tx');
    this.name = 'NestedTransactionError';
  }
}

/** Concurrent transactions kept conflicting after the store's retries. */
export class TransactionConflictError extends StoreError {
  readonly kind = 'conflict' as const;
  constructor(options?: { cause?: unknown }) {
    super('transaction kept conflicting with concurrent writers', options);
    this.name = 'TransactionConflictError';
  }
}

export class StoreClosedError extends StoreError {
  readonly kind = 'closed' as const;
  constructor() {
    super('store is closed');
    this.name = 'StoreClosedError';
  }
}

export function isStoreError(value: unknown): value is StoreError {
  return value instanceof StoreError;
}

/**
 * Part of the store stopped working under a call: e.g. the SQLite audit writer thread died with
 * the call's batch in flight. Nothing of that call is known to be stored; the store starts the
 * part again for the next call.
 */
export class StoreUnavailableError extends StoreError {
  readonly kind = 'unavailable' as const;
  constructor(what: string, options?: { cause?: unknown }) {
    super(`${what} is unavailable`, options);
    this.name = 'StoreUnavailableError';
  }
}
