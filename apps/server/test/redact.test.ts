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

describe('LOG_REDACT_PATHS', () => {
  it('has pino censor every listed secret field and keep the rest', async () => {
    const { default: pino } = await import('pino');
    const { LOG_REDACT_PATHS } = await import('../src/redact.js');
    const lines: string[] = [];
    const log = pino({ redact: { paths: [...LOG_REDACT_PATHS], censor: REDACTED } }, { write: (l: string) => lines.push(l) });
    log.info({ req: { headers: { authorization: 'AWS4-HMAC-SHA256 sig', host: 'h' } }, SecretAccessKey: 's1', params: { Password: 'p1', UserName: 'u' }, credentials: { secretAccessKey: 's2', accessKeyId: 'AKIA' } });
    const out = lines.join('');
    for (const secret of ['AWS4-HMAC-SHA256 sig', 's1', 'p1', 's2']) expect(out).not.toContain(secret);
    for (const kept of ['"host":"h"', '"UserName":"u"', '"accessKeyId":"AKIA"']) expect(out).toContain(kept);
  });
});
