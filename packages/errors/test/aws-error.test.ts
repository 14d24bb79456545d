import { describe, expect, it } from 'vitest';
import * as errors from '../src/index.js';
import { AccessDenied, AwsError, InternalFailure, InvalidAuthenticationCode, NoSuchEntity, isAwsError } from '../src/index.js';

describe('AwsError classes', () => {
  it('name each class exactly as its wire code', () => {
    for (const [exportName, value] of Object.entries(errors)) {
      if (typeof value !== 'function' || !('code' in value)) continue;
      const cls = value as unknown as errors.AwsErrorClass<string>;
      expect(cls.code).toBe(exportName);
      const instance = new cls('m');
      expect(instance.code).toBe(exportName);
      expect(instance.name).toBe(exportName);
      expect(instance).toBeInstanceOf(AwsError);
    }
  });

  it('carry the model status and fault', () => {
    expect(new NoSuchEntity('x').status).toBe(404);
    expect(new AccessDenied('x').status).toBe(403);
    expect(new InvalidAuthenticationCode('x').status).toBe(403);
    expect(new InternalFailure('x').fault).toBe('Receiver');
    expect(new NoSuchEntity('x').fault).toBe('Sender');
  });

  it('never serialise the detail', () => {
    const e = new AccessDenied('denied', { detail: 'secret-ish operator detail' });
    expect(e.detail).toBe('secret-ish operator detail');
    expect(JSON.stringify(e)).not.toContain('operator detail');
    expect(JSON.stringify(e)).toContain('AccessDenied');
  });

  it('is recognised by isAwsError and nothing else is', () => {
    expect(isAwsError(new NoSuchEntity('x'))).toBe(true);
    expect(isAwsError(new Error('x'))).toBe(false);
    expect(isAwsError({ code: 'NoSuchEntity' })).toBe(false);
  });
});
