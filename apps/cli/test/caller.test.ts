import { describe, expect, it } from 'vitest';
import { defaultCaller, principalFromCallerArn } from '@latchkey/iam';

describe('principalFromCallerArn', () => {
  it('recognises users, roles, sessions, federated users and the root', () => {
    expect(principalFromCallerArn('arn:aws:iam::111122223333:user/division/alice')).toEqual({ kind: 'user', arn: 'arn:aws:iam::111122223333:user/division/alice', accountId: '111122223333' });
    expect(principalFromCallerArn('arn:aws:iam::111122223333:role/Admin').kind).toBe('role');
    expect(principalFromCallerArn('arn:aws:iam::111122223333:root').kind).toBe('root');
    expect(principalFromCallerArn('arn:aws:sts::111122223333:federated-user/bob').kind).toBe('federated-user');
    expect(principalFromCallerArn('arn:aws-cn:sts::111122223333:assumed-role/Admin/session-1')).toEqual({
      kind: 'assumed-role',
      arn: 'arn:aws-cn:sts::111122223333:assumed-role/Admin/session-1',
      accountId: '111122223333',
      roleArn: 'arn:aws-cn:iam::111122223333:role/Admin',
    });
  });

  it.each([
    'alice',
    'arn:aws:iam::111122223333:group/devs',
    'arn:aws:iam:us-east-1:111122223333:user/alice',
    'arn:aws:iam::1111:user/alice',
    'arn:aws:s3:::bucket',
    'arn:aws:sts::111122223333:assumed-role/Admin',
    'arn:aws:iam::111122223333:user/',
  ])('rejects %s with InvalidInput', (arn) => {
    expect(() => principalFromCallerArn(arn)).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
  });
});

describe('defaultCaller', () => {
  it('is an IAM user (never the root, which AWS allows on its own resources) in the given account', () => {
    expect(defaultCaller('123456789012')).toMatchObject({ kind: 'user', accountId: '123456789012' });
  });
});
