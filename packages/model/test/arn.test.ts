import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import cases from './cases/arns.json' with { type: 'json' };
import * as model from '../src/index.js';
import { formatArn, parseArn, parseAssumedRoleArn, parseIamResourceArn } from '../src/index.js';

describe('parseArn', () => {
  for (const c of cases.parse) {
    it(`${c.expect ? 'parses' : 'rejects'} ${JSON.stringify(c.input)}`, () => {
      expect(parseArn(c.input) ?? null).toEqual(c.expect);
    });
  }

  it('never throws and round-trips through formatArn', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), (s) => {
        const arn = parseArn(s);
        if (arn) expect(formatArn(arn)).toBe(s);
      }),
    );
    fc.assert(fc.property(fc.anything(), (v) => void parseArn(v as string)));
  });
});

describe('ARN builders', () => {
  const fns = model as unknown as Record<string, (...args: string[]) => string>;
  for (const c of cases.build) {
    it(`${c.fn}(${c.args.join(', ')})`, () => {
      const built = fns[c.fn]!(...c.args);
      expect(built).toBe(c.expect);
      expect(parseArn(built)).toBeDefined();
    });
  }
});

describe('parseIamResourceArn', () => {
  it('splits path and name', () => {
    expect(parseIamResourceArn('arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob')).toEqual({
      partition: 'aws', accountId: '123456789012', type: 'user', path: '/division_abc/subdivision_xyz/', name: 'Bob',
    });
    expect(parseIamResourceArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toMatchObject({ accountId: 'aws', type: 'policy', path: '/', name: 'ReadOnlyAccess' });
  });

  it('rejects non-IAM, unpathed, nameless and misplaced-aws ARNs', () => {
    for (const bad of [
      'arn:aws:iam::123456789012:root',
      'arn:aws:sts::123456789012:assumed-role/demo/x',
      'arn:aws:iam::123456789012:user/',
      'arn:aws:iam::123456789012:oidc-provider/gitlab.com',
      'arn:aws:iam::aws:user/Bob',
      'arn:aws:iam:us-east-1:123456789012:user/Bob',
      'Invalid ARN',
    ]) expect(parseIamResourceArn(bad), bad).toBeUndefined();
  });
});

describe('parseAssumedRoleArn', () => {
  it('reads role and session names', () => {
    expect(parseAssumedRoleArn('arn:aws:sts::123456789012:assumed-role/svc-reader/alice-session')).toEqual({
      partition: 'aws', accountId: '123456789012', roleName: 'svc-reader', sessionName: 'alice-session',
    });
  });
  it('rejects other shapes', () => {
    expect(parseAssumedRoleArn('arn:aws:iam::123456789012:role/x')).toBeUndefined();
    expect(parseAssumedRoleArn('arn:aws:sts::123456789012:assumed-role/only-role')).toBeUndefined();
    expect(parseAssumedRoleArn('arn:aws:sts::123456789012:federated-user/Bob')).toBeUndefined();
  });
});
