import fc from 'fast-check';
import { isAwsError } from '@latchkey/errors';
import { describe, expect, it } from 'vitest';
import { answerLine } from '../src/simulate/batch.js';
import { PolicyCache, parseSimulateInput, simulate } from '@latchkey/iam';

const policyText = fc.oneof(
  fc.constant('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}'),
  fc.constant('{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}'),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string(),
);

/** Requests shaped like SimulateCustomPolicy input, with every member possibly wrong. */
const request = fc.record(
  {
    PolicyInputList: fc.oneof(fc.array(policyText, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })),
    PermissionsBoundaryPolicyInputList: fc.array(policyText, { maxLength: 1 }),
    ActionNames: fc.oneof(fc.array(fc.constantFrom('s3:GetObject', 's3:DeleteObject', 'ec2:RunInstances', 'x', ':a', 'a:'), { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
    ResourceArns: fc.array(fc.constantFrom('*', 'arn:aws:s3:::b/k', 'arn:aws:sqs:us-east-1:111122223333:q', 'nope'), { maxLength: 2 }),
    CallerArn: fc.constantFrom('arn:aws:iam::111122223333:user/alice', 'arn:aws:sts::111122223333:assumed-role/R/s', 'junk'),
    ResourcePolicy: policyText,
    ContextEntries: fc.array(
      fc.record({ ContextKeyName: fc.constantFrom('aws:SourceIp', 'aws:username', 'aws:TagKeys', 'a'), ContextKeyValues: fc.array(fc.string(), { maxLength: 2 }), ContextKeyType: fc.constantFrom('string', 'ip', 'numeric', 'stringList', 'bogus') }),
      { maxLength: 2 },
    ),
    MaxItems: fc.integer({ min: -1, max: 5 }),
    ServiceControlPolicyInputList: fc.array(fc.array(policyText, { maxLength: 2 }), { maxLength: 2 }),
    PrincipalTags: fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer())),
  },
  { requiredKeys: [] },
);

describe('simulation robustness', () => {
  it('parseSimulateInput and simulate either answer or throw an AWS-coded error, for any request', () => {
    fc.assert(
      fc.property(request, (r) => {
        try {
          const { response } = simulate(parseSimulateInput(r), new PolicyCache());
          for (const result of response.EvaluationResults) expect(['allowed', 'explicitDeny', 'implicitDeny']).toContain(result.EvalDecision);
        } catch (error) {
          expect(isAwsError(error)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answerLine answers any line with exactly one line of JSON and never throws', () => {
    const cache = new PolicyCache();
    fc.assert(
      fc.property(fc.oneof(request.map((r) => JSON.stringify(r)), fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), (line) => {
        const { json, error } = answerLine(line, cache);
        expect(json).not.toContain('\n');
        const parsed = JSON.parse(json) as Record<string, unknown>;
        expect(error ? Object.keys(parsed) : Object.keys(parsed).slice(0, 1)).toEqual([error ? 'Error' : 'EvaluationResults']);
        if (error) expect((parsed['Error'] as { Code: string }).Code).not.toBe('InternalFailure');
      }),
      { numRuns: 300 },
    );
  });
});
