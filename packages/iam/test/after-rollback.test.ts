import { describe, expect, it } from 'vitest';
import { AccessDenied } from '@latchkey/errors';
import type { Repositories } from '@latchkey/store';
import { afterRollbackOf, withAfterRollback } from '../src/after-rollback.js';

describe('withAfterRollback', () => {
  it('attaches writes that run in order, and returns the same error', async () => {
    const ran: string[] = [];
    const err = new AccessDenied('no');
    expect(withAfterRollback(err, async () => void ran.push('first'))).toBe(err);
    withAfterRollback(err, async () => void ran.push('second'));
    await afterRollbackOf(err)!({} as Repositories);
    expect(ran).toEqual(['first', 'second']);
  });

  it('never serialises the writes with the error', () => {
    const err = withAfterRollback(new AccessDenied('no'), async () => undefined);
    expect(JSON.stringify(err)).toBe(JSON.stringify(new AccessDenied('no')));
    expect(Object.keys(err)).not.toContain('afterRollback');
    expect({ ...err }).toEqual({ ...new AccessDenied('no') });
  });
});

describe('afterRollbackOf', () => {
  it('finds nothing on plain errors and non-errors', () => {
    expect(afterRollbackOf(new AccessDenied('no'))).toBeUndefined();
    expect(afterRollbackOf(undefined)).toBeUndefined();
    expect(afterRollbackOf('text')).toBeUndefined();
    expect(afterRollbackOf({ afterRollback: async () => undefined })).toBeUndefined();
  });
});
