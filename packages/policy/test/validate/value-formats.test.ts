import { describe, expect, it } from 'vitest';
import { parseConditionOperator } from '../../src/index.js';
import { checkResourceFormat } from '../../src/validate/resource-format.js';
import { findVariables } from '../../src/validate/policy-variables.js';
import { awsPrincipalShape } from '../../src/validate/principal-format.js';
import { isValidArnValue, isValidBinaryValue, isValidDateValue, isValidIpValue, isValidNumericValue } from '../../src/validate/value-formats.js';

describe('isValidDateValue', () => {
  it.each([
    '2017-07-01T00:00:00Z', '2017-07-01t00:00:00z', '2019-07-01', '2019-07', '2019', '01T', '2016-12-13T21:20:37.593194+00:00',
    '2016-12-13t2:00:00.593194+23', '2020-01-01T00:00:00-05:00', '2020-01-01T10:30', '-292275054', '1700000000', '0', '9223372036854775807',
  ])('accepts %s', (v) => expect(isValidDateValue(v)).toBe(true));
  it.each([
    'sdfdsf', '234-13', '2016-12-13t2:00:00.593194+1', '2016-12-13t2:00:00.1999999999+10:59', '9223372036854775808', '2019-02-32',
    '2019-00-01', '2019-01-01T24:00:00Z', '2019-01-01T00:60:00Z', '2019-01-01T00:00:60Z', '2019-01-01-01', '-292275055', '', 'now',
  ])('rejects %s', (v) => expect(isValidDateValue(v)).toBe(false));
  it('accepts integer JSON numbers as epoch seconds, not fractions, negatives or booleans', () => {
    expect(isValidDateValue(1700000000)).toBe(true);
    expect(isValidDateValue(1.5)).toBe(false);
    expect(isValidDateValue(-1)).toBe(false);
    expect(isValidDateValue(true)).toBe(false);
  });
});

describe('isValidIpValue', () => {
  it.each(['10.0.0.0/8', '192.0.2.1', '0.0.0.0/0', '255.255.255.255/32', '::', '::1', '::/0', '2001:db8::/32', '2001:DB8:0:0:0:0:0:1/128', '::ffff:192.0.2.1', '2001:db8::1:2:3:4:5', 'fe80::1:2'])('accepts %s', (v) =>
    expect(isValidIpValue(v)).toBe(true),
  );
  it.each(['10.0.0.0/33', '256.0.0.1', '10.0.0', '10.0.0.1/', '1.2.3.4.5', '2001:db8::/129', '2001:db8:::1', '1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', 'localhost', '', '10.0.0.01x'])('rejects %s', (v) =>
    expect(isValidIpValue(v)).toBe(false),
  );
  it('rejects non-strings', () => expect(isValidIpValue(10)).toBe(false));
});

describe('other value checks', () => {
  it('numeric', () => {
    expect(['1', '-1.5', '+3', '.5', '10.', 0, 2.5].every(isValidNumericValue)).toBe(true);
    expect(['', 'one', '1e5', '0x10', true].some(isValidNumericValue)).toBe(false);
  });
  it('binary', () => {
    expect(['', 'QQ==', 'QUI=', 'QUJD'].every(isValidBinaryValue)).toBe(true);
    expect(['Q', 'QQ=', 'Q===', '$$$$', 1].some(isValidBinaryValue)).toBe(false);
  });
  it('arn', () => {
    expect(['*', 'arn:aws:iam::*:role/x', 'arn:aws:sns:*:111122223333:*', 'arn:aws:iam::*', 'arn:aws:s3:::b/k:with:colons'].every(isValidArnValue)).toBe(true);
    expect(['my-bucket', 'arn:aws:s3', 'ARN:aws:s3:::b', 5].some(isValidArnValue)).toBe(false);
  });
});

describe('parseConditionOperator', () => {
  it('splits set prefix, base and IfExists', () => {
    expect(parseConditionOperator('ForAllValues:StringNotLikeIfExists')).toEqual({ operator: 'ForAllValues:StringNotLikeIfExists', base: 'StringNotLike', family: 'String', setOperator: 'ForAllValues', ifExists: true, negated: true });
    expect(parseConditionOperator('Bool')).toEqual({ operator: 'Bool', base: 'Bool', family: 'Bool', ifExists: false, negated: false });
    expect(parseConditionOperator('NotIpAddressIfExists')?.negated).toBe(true);
  });
  it.each(['stringequals', 'ForAnyValue::StringEquals', 'ForAllValues:ForAnyValue:StringEquals', 'StringEqualsIfExistsIfExists', 'IfExists', 'toString', '__proto__', ''])('rejects %s', (op) =>
    expect(parseConditionOperator(op)).toBeUndefined(),
  );
});

describe('checkResourceFormat', () => {
  it('accepts what AWS accepts', () => {
    for (const r of ['*', 'arn:aws:s3:::b', 'arn:aws:fdsasf', 'arn:*:ec2:*:*:instance/*', 'arn:aws:iam::123456789012:user/a/b', 'arn:aws-cn:s3:::b/*']) expect(checkResourceFormat(r), r).toBeUndefined();
  });
  it('names the problem with AWS text', () => {
    expect(checkResourceFormat('a:b:c:d')).toEqual({ code: 'ResourceInvalidPartition', message: 'Partition "b" is not valid for resource "arn:b:c:d:*:*".' });
    expect(checkResourceFormat('arn:aws:iam:us-east-1:123456789012:user/x')?.code).toBe('ResourceRegionNotAllowed');
  });
});

describe('findVariables', () => {
  it('finds keys, defaults, specials and malformed uses', () => {
    expect(findVariables("a${aws:username}b${aws:PrincipalTag/team, 'x y'}${*}${bad key}${open")).toEqual([
      { text: '${aws:username}', key: 'aws:username', hasDefault: false },
      { text: "${aws:PrincipalTag/team, 'x y'}", key: 'aws:PrincipalTag/team', hasDefault: true },
      { text: '${*}', key: '*', hasDefault: false },
      { text: '${bad key}', key: 'bad key', hasDefault: false, invalid: 'not a condition key name' },
      { text: '${open', key: '', hasDefault: false, invalid: 'no closing "}"' },
    ]);
  });
});

describe('awsPrincipalShape', () => {
  it('classifies AWS principal values', () => {
    expect(awsPrincipalShape('*')).toBe('wildcard');
    expect(awsPrincipalShape('123456789012')).toBe('account');
    expect(awsPrincipalShape('arn:aws:iam::123456789012:role/a/b/R')).toBe('arn');
    expect(awsPrincipalShape('arn:aws:sts::123456789012:assumed-role/R/s@x.com')).toBe('arn');
    expect(awsPrincipalShape('AIDAJQABLZS4A3QDU576Q')).toBe('uniqueId');
    for (const v of ['arn:aws:iam::123456789012:role/*', 'arn:aws:iam::12345678901:root', 'arn:aws:sts::123456789012:assumed-role/R', 'arn:aws:iam::123456789012:group/g', 'root']) {
      expect(awsPrincipalShape(v), v).toBe('invalid');
    }
  });
});
