import { describe, expect, it } from 'vitest';
import { diagnosticLocation, formatDiagnostic, reportsToJson, summarizeFile } from '../src/validate/format-diagnostics.js';
import { isSecurityWarning } from '@latchkey/iam';

describe('formatDiagnostic', () => {
  it('writes file:line:column, severity, code, message and pointer', () => {
    expect(formatDiagnostic('p.json', { severity: 'error', code: 'InvalidEffect', message: 'Syntax errors in policy.', pointer: '/Statement/0/Effect', line: 3, column: 7 })).toBe(
      'p.json:3:7: error InvalidEffect: Syntax errors in policy. (at /Statement/0/Effect)',
    );
  });

  it('falls back to the file alone, and names the whole document for an empty pointer', () => {
    expect(diagnosticLocation('p.json', { severity: 'error', code: 'X', message: 'm', pointer: '' })).toBe('p.json');
    expect(diagnosticLocation('p.json', { severity: 'error', code: 'X', message: 'm', pointer: '', line: 2 })).toBe('p.json:2');
    expect(formatDiagnostic('p.json', { severity: 'warning', code: 'LegacyVersion', message: 'm', pointer: '' })).toBe('p.json: warning LegacyVersion: m (at (document))');
  });
});

describe('summarizeFile', () => {
  it('counts errors and warnings and says why a document without errors failed', () => {
    const w = { severity: 'warning' as const, code: 'AllowWithNotAction', message: 'm', pointer: '/Statement/0' };
    expect(summarizeFile({ file: 'a', type: 'identity', valid: true, diagnostics: [w] })).toBe('a: valid identity policy (0 errors, 1 warning)');
    expect(summarizeFile({ file: 'a', type: 'scp', valid: false, diagnostics: [w, w] })).toBe('a: fails --strict: scp policy (0 errors, 2 warnings)');
  });
});

describe('reportsToJson', () => {
  it('writes null for unknown positions', () => {
    expect(reportsToJson([{ file: 'a', type: 'identity', valid: false, diagnostics: [{ severity: 'error', code: 'InvalidJson', message: 'm', pointer: '' }] }], false)).toEqual({
      valid: false,
      files: [{ file: 'a', type: 'identity', valid: false, diagnostics: [{ severity: 'error', code: 'InvalidJson', message: 'm', pointer: '', line: null, column: null }] }],
    });
  });
});

describe('isSecurityWarning', () => {
  const w = (code: string) => ({ severity: 'warning' as const, code, message: 'm', pointer: '' });
  it('treats findings as security warnings and unknown names or redundancy as hygiene', () => {
    for (const code of ['AllowWithNotAction', 'PassRoleWildcard', 'ForAllValuesWithAllow', 'OperatorKeyTypeMismatch', 'PublicPrincipalWithoutCondition', 'SomeFutureWarning']) {
      expect(isSecurityWarning(w(code))).toBe(true);
    }
    for (const code of ['UnknownAction', 'UnknownService', 'UnknownConditionKey', 'RedundantStatement']) expect(isSecurityWarning(w(code))).toBe(false);
    expect(isSecurityWarning({ ...w('AllowWithNotAction'), severity: 'error' })).toBe(false);
  });
});
