import { describe, expect, it } from 'vitest';
import {
  InvalidMarkerError,
  isStoreError,
  NestedTransactionError,
  NotInTransactionError,
  ReferenceViolationError,
  StoreClosedError,
  StoreError,
  TransactionConflictError,
  UniqueViolationError,
} from '../src/index.js';

describe('StoreError', () => {
  it.each([
    [new UniqueViolationError('users'), 'unique'],
    [new ReferenceViolationError('policies'), 'reference'],
    [new InvalidMarkerError(), 'invalidMarker'],
    [new NotInTransactionError('users.create'), 'notInTransaction'],
    [new NestedTransactionError(), 'nested'],
    [new TransactionConflictError(), 'conflict'],
    [new StoreClosedError(), 'closed'],
  ] as const)('gives %s a closed kind and the StoreError base', (error, kind) => {
    expect(error).toBeInstanceOf(StoreError);
    expect(error.kind).toBe(kind);
    expect(isStoreError(error)).toBe(true);
  });

  it('names the table a constraint belongs to and keeps the driver error as cause', () => {
    const cause = new Error('driver');
    const error = new UniqueViolationError('users', { cause });
    expect(error.table).toBe('users');
    expect(error.cause).toBe(cause);
  });

  it('does not treat other errors as store errors', () => {
    expect(isStoreError(new Error('x'))).toBe(false);
    expect(isStoreError({ kind: 'unique' })).toBe(false);
  });
});
