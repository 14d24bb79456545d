import { isAwsError } from '@latchkey/errors';
import { describe, expect, it } from 'vitest';
import { simulationContext as buildRequestContext, contextValue } from '@latchkey/iam';
import type { ContextEntry, ContextKeyType } from '@latchkey/iam';

const entry = (type: ContextKeyType, ...values: string[]): ContextEntry => ({ ContextKeyName: 'test:Key', ContextKeyValues: values, ContextKeyType: type });

function invalid(e: ContextEntry): string {
  try {
    contextValue(e, 0);
  } catch (error) {
    if (isAwsError(error)) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('contextValue', () => {
  it('converts each scalar type the way its condition operators read it', () => {
    expect(contextValue(entry('string', 'a b'), 0)).toBe('a b');
    expect(contextValue(entry('numeric', ' 42.5 '), 0)).toBe(42.5);
    expect(contextValue(entry('boolean', 'TRUE'), 0)).toBe(true);
    expect(contextValue(entry('boolean', 'false'), 0)).toBe(false);
    expect(contextValue(entry('date', '2019-04-25T11:00:00Z'), 0)).toBe('2019-04-25T11:00:00Z');
    expect(contextValue(entry('date', '1556190000'), 0)).toBe('1556190000');
    expect(contextValue(entry('ip', '2001:db8::1'), 0)).toBe('2001:db8::1');
    expect(contextValue(entry('binary', 'QmluYXJ5'), 0)).toBe('QmluYXJ5');
  });

  it('makes list types arrays, including the empty set', () => {
    expect(contextValue(entry('stringList', 'a', 'b'), 0)).toEqual(['a', 'b']);
    expect(contextValue(entry('numericList', '1', '2'), 0)).toEqual([1, 2]);
    expect(contextValue(entry('booleanList', 'true'), 0)).toEqual([true]);
    expect(contextValue(entry('stringList'), 0)).toEqual([]);
  });

  it('rejects values that do not fit their type, and scalars with other than one value', () => {
    expect(invalid(entry('numeric', 'ten'))).toBe('InvalidInput');
    expect(invalid(entry('numeric', ''))).toBe('InvalidInput');
    expect(invalid(entry('numericList', '1', 'x'))).toBe('InvalidInput');
    expect(invalid(entry('boolean', 'yes'))).toBe('InvalidInput');
    expect(invalid(entry('date', 'yesterday'))).toBe('InvalidInput');
    expect(invalid(entry('ip', 'localhost'))).toBe('InvalidInput');
    expect(invalid(entry('binary', 'not base64!'))).toBe('InvalidInput');
    expect(invalid(entry('string'))).toBe('InvalidInput');
    expect(invalid(entry('string', 'a', 'b'))).toBe('InvalidInput');
  });
});

describe('buildRequestContext', () => {
  it('adds principal and resource tags as aws:PrincipalTag/ and aws:ResourceTag/ keys', () => {
    expect(buildRequestContext({ ContextEntries: [], PrincipalTags: { team: 'red' }, ResourceTags: { env: 'prod' } })).toEqual({
      'aws:PrincipalTag/team': 'red',
      'aws:ResourceTag/env': 'prod',
    });
  });

  it('lets an explicit context entry override a tag extension, whatever the case of the key', () => {
    const context = buildRequestContext({
      ContextEntries: [{ ContextKeyName: 'AWS:PRINCIPALTAG/team', ContextKeyValues: ['blue'], ContextKeyType: 'string' }],
      PrincipalTags: { team: 'red' },
      ResourceTags: {},
    });
    expect(context).toEqual({ 'AWS:PRINCIPALTAG/team': 'blue' });
  });

  it('rejects the same context key given twice', () => {
    expect(() =>
      buildRequestContext({
        ContextEntries: [
          { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1'], ContextKeyType: 'ip' },
          { ContextKeyName: 'aws:sourceip', ContextKeyValues: ['10.0.0.2'], ContextKeyType: 'ip' },
        ],
        PrincipalTags: {},
        ResourceTags: {},
      }),
    ).toThrow(/more than once/);
  });
});
