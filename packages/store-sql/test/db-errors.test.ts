import { ReferenceViolationError, UniqueViolationError } from '@latchkey/store';
import { describe, expect, it } from 'vitest';
import { isRetryable, mapDbError } from '../src/db-errors.js';

describe('mapDbError', () => {
  it.each([
    [{ code: '23505', table: 'users' }, UniqueViolationError, 'users'],
    [{ code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: groups.account_id, groups.name_lower' }, UniqueViolationError, 'groups'],
    [{ code: 'SQLITE_CONSTRAINT_PRIMARYKEY', message: 'UNIQUE constraint failed: access_keys.id' }, UniqueViolationError, 'access_keys'],
    [{ code: '23503', table: 'group_members' }, ReferenceViolationError, 'group_members'],
    [{ code: 'SQLITE_CONSTRAINT_FOREIGNKEY', message: 'FOREIGN KEY constraint failed' }, ReferenceViolationError, 'fallback'],
  ])('maps %j', (driverError, type, table) => {
    const mapped = mapDbError(driverError, 'fallback');
    expect(mapped).toBeInstanceOf(type);
    expect((mapped as UniqueViolationError).table).toBe(table);
    expect((mapped as Error).cause).toBe(driverError);
  });

  it('passes other errors through untouched', () => {
    const other = { code: '42P01', message: 'relation does not exist' };
    expect(mapDbError(other, 'x')).toBe(other);
    expect(mapDbError('text', 'x')).toBe('text');
  });
});

describe('isRetryable', () => {
  it.each([
    ['40001', true],
    ['40P01', true],
    ['SQLITE_BUSY', true],
    ['23505', false],
    [undefined, false],
  ])('says %s → %s', (code, expected) => {
    expect(isRetryable({ code })).toBe(expected);
  });
});
