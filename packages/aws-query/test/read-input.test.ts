import { describe, expect, expectTypeOf, it } from 'vitest';
import fc from 'fast-check';
import { AwsError, MalformedInput, ValidationError } from '@latchkey/errors';
import cases from './cases/read-input.json' with { type: 'json' };
import samples from './cases/wire-samples.json' with { type: 'json' };
import { operationShapes, AssumeRoleInput, CreateUserInput } from './fixtures/operations.js';
import type { KitchenSinkInput } from './fixtures/operations.js';
import { memberPath, parseQueryParams, readInput, type InputOf, type Members, type StructureShape, type TypeOf } from '../src/index.js';

// Dates and blobs compared through a JSON-friendly form.
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return [...value];
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

function attempt(fn: () => unknown): { value?: unknown; error?: unknown } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}

describe('readInput', () => {
  for (const c of cases) {
    it(c.name, () => {
      const shape = operationShapes[c.operation as keyof typeof operationShapes] as StructureShape<Members>;
      const { value, error } = attempt(() => readInput(shape, parseQueryParams(c.body)));
      if ('input' in c) {
        expect(error).toBeUndefined();
        expect(plain(value)).toEqual(c.input);
        return;
      }
      expect(error).toBeInstanceOf(AwsError);
      expect((error as AwsError).code).toBe(c.error!.code);
      expect((error as AwsError).status).toBe(400);
      if (c.error!.message !== undefined) expect((error as AwsError).message).toBe(c.error!.message);
    });
  }

  it('reads every AssumeRole input of the boto3 wire sample', () => {
    const boto3 = samples.exchanges.find((e) => e.file === 'sts-assumerole-boto3.txt')!;
    const input = readInput(AssumeRoleInput, parseQueryParams(boto3.requestBody));
    expect(input).toEqual({
      RoleArn: 'arn:aws:iam::123456789012:role/svc-reader',
      RoleSessionName: 'alice-session',
      DurationSeconds: 900,
      ExternalId: 'ext-123',
      Policy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}',
      Tags: [{ Key: 'project', Value: 'x' }],
      TransitiveTagKeys: ['project'],
      SerialNumber: 'arn:aws:iam::123456789012:mfa/alice',
      TokenCode: '123456',
    });
  });

  it('reads the CreateUser wire sample (Path and Tags.member.N)', () => {
    const sample = samples.exchanges.find((e) => e.file === 'iam-createuser-with-tags.txt')!;
    expect(readInput(CreateUserInput, parseQueryParams(sample.requestBody))).toEqual({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'core' }] });
  });

  it('reads the same input from boto3 (+) and JS SDK (%20) encodings', () => {
    const js = parseQueryParams(samples.encodingDifferences.jsSdkV3);
    const py = parseQueryParams(samples.encodingDifferences.boto3);
    expect(js.params.get('RoleSessionName')).toBe('a b+c');
    expect(py.params.get('RoleSessionName')).toBe('a b+c');
    // Both SDKs sent the session name `a b+c`; a space is outside the pattern, so both get the same error.
    const messages = [js, py].map((p) => (attempt(() => readInput(AssumeRoleInput, p)).error as Error).message);
    expect(messages[0]).toBe(
      "1 validation error detected: Value 'a b+c' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    expect(messages[1]).toBe(messages[0]);
    const fixed = (p: typeof js) => readInput(AssumeRoleInput, new Map([...p.params, ['RoleSessionName', 'ab']]));
    expect(fixed(js).PolicyArns).toEqual([{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);
    expect(fixed(py).PolicyArns).toEqual(fixed(js).PolicyArns);
    expect(fixed(js).Tags).toEqual([]);
    expect(fixed(py).Tags).toEqual([]);
  });

  it('accepts a plain Map of parameters', () => {
    expect(readInput(CreateUserInput, new Map([['UserName', 'bob']]))).toEqual({ UserName: 'bob' });
  });

  it('infers the input type from the shape', () => {
    type AssumeRole = InputOf<typeof AssumeRoleInput.members>;
    expectTypeOf<TypeOf<typeof AssumeRoleInput>>().toEqualTypeOf<AssumeRole>();
    const read = () => readInput(AssumeRoleInput, new Map());
    expectTypeOf(read).returns.toEqualTypeOf<AssumeRole>();
    expectTypeOf<AssumeRole['RoleArn']>().toEqualTypeOf<string>();
    expectTypeOf<AssumeRole['DurationSeconds']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AssumeRole['Tags']>().toEqualTypeOf<{ Key: string; Value: string }[] | undefined>();
    type Sink = InputOf<typeof KitchenSinkInput.members>;
    expectTypeOf<Sink['When']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<Sink['Attributes']>().toEqualTypeOf<Record<string, number> | undefined>();
    expectTypeOf<NonNullable<Sink['Nested']>['Inner']>().toEqualTypeOf<string>();
  });

  it('throws nothing but ValidationError or MalformedInput on arbitrary parameters', () => {
    const names = fc.constantFrom('RoleArn', 'RoleSessionName', 'DurationSeconds', 'Tags', 'Tags.member.1.Key', 'Tags.member.1.Value', 'Tags.member.x.Key', 'TransitiveTagKeys.member.1', 'PolicyArns.member.1.arn', 'constructor', '__proto__');
    fc.assert(
      fc.property(fc.array(fc.tuple(names, fc.string({ maxLength: 30 })), { maxLength: 12 }), (pairs) => {
        const { error } = attempt(() => readInput(AssumeRoleInput, new Map(pairs)));
        if (error !== undefined) expect(error instanceof ValidationError || error instanceof MalformedInput).toBe(true);
      }),
    );
  });
});

describe('parseQueryParams + readInput', () => {
  it('answer arbitrary form bodies with a result or an AwsError (400), for every fixture shape', () => {
    const names = ['RoleArn', 'RoleSessionName', 'DurationSeconds', 'Tags', 'Tags.member.1.Key', 'Tags.member.2.Value', 'ContextEntries.member.1.ContextKeyValues.member.1', 'Attributes.entry.1.key', 'Attributes.entry.1.value', 'When', 'Data', 'Nested.Inner', 'Status', 'Password', 'UserName'];
    const piece = fc.oneof(fc.constantFrom(...names), fc.string({ unit: fc.constantFrom('%', '+', '=', '.', '1', 'a', 'é', '\u0000', '-', '2'), maxLength: 8 }));
    const body = fc.array(fc.tuple(piece, fc.string({ maxLength: 12 })), { maxLength: 10 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
    const shapes = Object.values(operationShapes) as StructureShape<Members>[];
    fc.assert(
      fc.property(body, fc.constantFrom(...shapes), (text, shape) => {
        const { error } = attempt(() => readInput(shape, parseQueryParams(text)));
        if (error !== undefined) {
          expect(error).toBeInstanceOf(AwsError);
          expect((error as AwsError).status).toBe(400);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('memberPath', () => {
  it('lower-cases only the first letter, as AWS prints paths', () => {
    expect(memberPath('RoleSessionName')).toBe('roleSessionName');
    expect(memberPath('SAMLAssertion')).toBe('sAMLAssertion');
    expect(memberPath('arn')).toBe('arn');
  });
});
