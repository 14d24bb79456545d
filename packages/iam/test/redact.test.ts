import { XmlMap } from '@latchkey/aws-query';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretParameter, REDACTED, redactValue, requestParameters, SECRET_PARAMETER_NAMES } from '../src/index.js';

describe('isSecretParameter', () => {
  it('matches AWS names in any case and as the last segment of a flattened member path', () => {
    expect(isSecretParameter('password')).toBe(true);
    expect(isSecretParameter('Credentials.SessionToken')).toBe(true);
    expect(isSecretParameter('x-amz-signature')).toBe(true);
    expect(isSecretParameter('UserName')).toBe(false);
    expect(isSecretParameter('SerialNumber')).toBe(false);
    expect(isSecretParameter('PasswordResetRequired')).toBe(false);
  });
});

describe('redactValue', () => {
  it('replaces secrets inside nested structures, lists and XML maps, and keeps the rest', () => {
    const out = redactValue({
      AccessKey: { AccessKeyId: 'AKIA1', SecretAccessKey: 's3cr3t', CreateDate: new Date(0) },
      List: [{ Password: 'pw' }, 'plain'],
      Map: new XmlMap({ SessionToken: 'tok', Other: 'keep' }),
      Seed: new Uint8Array([1, 2, 3]),
    });
    expect(out).toEqual({
      AccessKey: { AccessKeyId: 'AKIA1', SecretAccessKey: REDACTED, CreateDate: '1970-01-01T00:00:00.000Z' },
      List: [{ Password: REDACTED }, 'plain'],
      Map: { SessionToken: REDACTED, Other: 'keep' },
      Seed: '<3 bytes>',
    });
  });

  it('never lets a value under a secret name through, at any depth (property)', () => {
    const secretName = fc.constantFrom(...SECRET_PARAMETER_NAMES).chain((n) => fc.constantFrom(n, n.toLowerCase(), n.toUpperCase()));
    // Alphanumeric, so JSON escaping cannot hide a leaked secret from the substring check.
    const marker = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 8, maxLength: 16 }).map((s) => `SECRET-${s}`);
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 6 }),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('A', 'B', 'UserName', 'Tags'), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, secretName, marker, fc.array(fc.constantFrom('A', 'B', 'Tags'), { maxLength: 4 }), (base, name, secret, path) => {
        // Bury { [name]: secret } at `path` inside a random structure.
        let buried: unknown = { [name]: secret };
        for (const key of [...path].reverse()) buried = { [key]: buried, Sibling: base };
        const out = JSON.stringify(redactValue({ Root: buried, Extra: base }));
        expect(out).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });
});

describe('requestParameters', () => {
  it('drops Action and Version and replaces every secret parameter', () => {
    const params = new Map([
      ['Action', 'ChangePassword'],
      ['Version', '2010-05-08'],
      ['OldPassword', 'old-pw'],
      ['NewPassword', 'new-pw'],
      ['Tags.member.1.Key', 'team'],
    ]);
    expect(requestParameters(params)).toEqual({ OldPassword: REDACTED, NewPassword: REDACTED, 'Tags.member.1.Key': 'team' });
  });
});

describe('isSecretParameter, asked again and again', () => {
  it('gives the same answers from its memory of names, and after thousands of new names', () => {
    for (let round = 0; round < 2; round++) {
      expect(isSecretParameter('Password')).toBe(true);
      expect(isSecretParameter('Credentials.SecretAccessKey')).toBe(true);
      expect(isSecretParameter('UserName')).toBe(false);
    }
    for (let i = 0; i < 5000; i++) expect(isSecretParameter(`Member${i}.Name`)).toBe(false);
    expect(isSecretParameter('TOKENCODE')).toBe(true);
    expect(isSecretParameter('Password')).toBe(true);
    expect(isSecretParameter('UserName')).toBe(false);
    // Long names (client input) are answered all the same, without being kept.
    const long = `${'x'.repeat(5000)}.Password`;
    expect(isSecretParameter(long)).toBe(true);
    expect(isSecretParameter(long)).toBe(true);
    expect(isSecretParameter(`${'x'.repeat(5000)}.UserName`)).toBe(false);
  });
});
