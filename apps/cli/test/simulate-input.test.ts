import { readFileSync } from 'node:fs';
import { isAwsError } from '@latchkey/errors';
import { describe, expect, it } from 'vitest';
import { accountOf, parseSimulateInput } from '@latchkey/iam';

interface ErrorCase {
  readonly name: string;
  readonly input: unknown;
  readonly mentions: string;
}
const errorCases = (JSON.parse(readFileSync(new URL('./cases/simulate-input-errors.json', import.meta.url), 'utf8')) as { cases: ErrorCase[] }).cases;

function rejection(input: unknown): { code: string; message: string } {
  try {
    parseSimulateInput(input);
  } catch (error) {
    if (isAwsError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

describe('parseSimulateInput', () => {
  it.each(errorCases.map((c) => [c.name, c] as const))('rejects %s with InvalidInput', (_name, c) => {
    const { code, message } = rejection(c.input);
    expect(code).toBe('InvalidInput');
    expect(message).toContain(c.mentions);
  });

  it('defaults ResourceArns to "*" and remembers that no resources were named', () => {
    const input = parseSimulateInput({ PolicyInputList: ['{}'], ActionNames: ['s3:GetObject'] });
    expect(input.ResourceArns).toEqual(['*']);
    expect(input.resourcesGiven).toBe(false);
    expect(input.ResourcePolicyType).toBe('resource');
    expect(input.ContextEntries).toEqual([]);
  });

  it('keeps every AWS field and extension it accepts', () => {
    const input = parseSimulateInput({
      PolicyInputList: ['{"a":1}'],
      PermissionsBoundaryPolicyInputList: ['{"b":1}'],
      ActionNames: ['s3:GetObject', 's3:PutObject'],
      ResourceArns: ['arn:aws:s3:::bucket/key'],
      ResourcePolicy: '{"c":1}',
      ResourceOwner: 'arn:aws:iam::111122223333:root',
      CallerArn: 'arn:aws:iam::111122223333:user/alice',
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1'], ContextKeyType: 'ip' }],
      ResourceHandlingOption: 'EC2-VPC-EBS',
      MaxItems: 10,
      Marker: '3',
      SessionPolicyInputList: ['{"d":1}'],
      ServiceControlPolicyInputList: [['{"e":1}'], ['{"f":1}', '{"g":1}']],
      PrincipalTags: { team: 'red' },
      ResourceTags: { env: 'prod' },
      ResourceAccount: '444455556666',
      ResourcePolicyType: 'trust',
    });
    expect(input).toMatchObject({
      resourcesGiven: true,
      ResourceOwner: 'arn:aws:iam::111122223333:root',
      ServiceControlPolicyInputList: [['{"e":1}'], ['{"f":1}', '{"g":1}']],
      ResourcePolicyType: 'trust',
      MaxItems: 10,
      Marker: '3',
      PrincipalTags: { team: 'red' },
    });
  });

  it('defaults a context entry without ContextKeyType to string', () => {
    const input = parseSimulateInput({ PolicyInputList: [], ActionNames: ['s3:GetObject'], ContextEntries: [{ ContextKeyName: 's3:prefix', ContextKeyValues: ['home/'] }] });
    expect(input.ContextEntries[0]!.ContextKeyType).toBe('string');
  });
});

describe('accountOf', () => {
  it('reads the account of an account ARN or a bare account ID', () => {
    expect(accountOf('arn:aws:iam::123456789012:root')).toBe('123456789012');
    expect(accountOf('123456789012')).toBe('123456789012');
    expect(accountOf('arn:aws:s3:::bucket')).toBeUndefined();
    expect(accountOf('1234')).toBeUndefined();
  });
});
