import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretParameter, redactParameters } from '../src/redact.js';

describe('redactParameters', () => {
  it('replaces every secret-bearing parameter and keeps the rest', () => {
    const out = redactParameters({
      Action: 'ChangePassword',
      OldPassword: 'hunter2',
      NewPassword: 'Correct-Horse-1',
      'X-Amz-Signature': 'abcdef',
      'x-amz-security-token': 'tok',
      TokenCode: '123456',
      UserName: 'alice',
    });
    expect(out).toEqual({
      Action: 'ChangePassword',
      OldPassword: REDACTED,
      NewPassword: REDACTED,
      'X-Amz-Signature': REDACTED,
      'x-amz-security-token': REDACTED,
      TokenCode: REDACTED,
      UserName: 'alice',
    });
  });

  it('recognises secrets inside flattened member paths', () => {
    expect(isSecretParameter('Credentials.member.1.SecretAccessKey')).toBe(true);
    expect(isSecretParameter('Tags.member.1.Value')).toBe(false);
  });
});
