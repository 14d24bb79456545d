import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PolicyCache, parseSimulateInput, simulate, statementPositions } from '@latchkey/iam';
import { withPolicyStrings } from './helpers/policy-strings.js';

interface Expected {
  action: string;
  resource: string;
  decision: string;
  matched?: [string, number][];
  missing?: string[];
  boundary?: boolean;
  organizations?: boolean;
  details?: Record<string, string>;
}
interface Scenario {
  name: string;
  cites: string;
  request: Record<string, unknown>;
  expect: Expected[];
}
const scenarios = (JSON.parse(readFileSync(new URL('./cases/simulate-scenarios.json', import.meta.url), 'utf8')) as { cases: Scenario[] }).cases;

/** Source texts by SourcePolicyId, to turn reported positions back into statement indexes. */
function textsById(request: Record<string, unknown>): Map<string, string> {
  const texts = new Map<string, string>();
  const list = (key: string) => ((request[key] as string[] | undefined) ?? []).forEach((t, i) => texts.set(`${key}.${i + 1}`, t));
  list('PolicyInputList');
  list('PermissionsBoundaryPolicyInputList');
  list('SessionPolicyInputList');
  if (typeof request['ResourcePolicy'] === 'string') texts.set('ResourcePolicy', request['ResourcePolicy']);
  ((request['ServiceControlPolicyInputList'] as string[][] | undefined) ?? []).forEach((level, l) => level.forEach((t, i) => texts.set(`ServiceControlPolicyInputList.${l + 1}.${i + 1}`, t)));
  return texts;
}

describe('simulate (scenarios)', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    const request = withPolicyStrings(scenario.request);
    const { response } = simulate(parseSimulateInput(request), new PolicyCache());
    const texts = textsById(request);
    expect(response.IsTruncated).toBe(false);
    expect(response.EvaluationResults.map((r) => [r.EvalActionName, r.EvalResourceName])).toEqual(scenario.expect.map((e) => [e.action, e.resource]));
    const resourcesGiven = request['ResourceArns'] !== undefined;
    scenario.expect.forEach((e, i) => {
      const r = response.EvaluationResults[i]!;
      expect(r.EvalDecision, `${e.action} on ${e.resource}`).toBe(e.decision);
      if (e.matched !== undefined) {
        const matched = r.MatchedStatements.map((m) => {
          const spans = statementPositions(texts.get(m.SourcePolicyId)!)!;
          return [m.SourcePolicyId, spans.findIndex((s) => s.StartPosition.Line === m.StartPosition?.Line && s.StartPosition.Column === m.StartPosition.Column)];
        });
        expect(matched).toEqual(e.matched);
      }
      const missing = resourcesGiven ? r.ResourceSpecificResults?.[0]?.MissingContextValues : r.MissingContextValues;
      if (e.missing !== undefined) expect(missing).toEqual(e.missing);
      if (e.boundary !== undefined) expect(r.PermissionsBoundaryDecisionDetail).toEqual({ AllowedByPermissionsBoundary: e.boundary });
      else expect(r.PermissionsBoundaryDecisionDetail).toBeUndefined();
      if (e.organizations !== undefined) expect(r.OrganizationsDecisionDetail).toEqual({ AllowedByOrganizations: e.organizations });
      if (e.details !== undefined) expect(r.EvalDecisionDetails).toEqual(e.details);
      if (resourcesGiven) {
        expect(r.MissingContextValues).toEqual([]);
        expect(r.ResourceSpecificResults).toHaveLength(1);
        expect(r.ResourceSpecificResults![0]).toMatchObject({ EvalResourceName: e.resource, EvalResourceDecision: e.decision, MatchedStatements: r.MatchedStatements });
      } else {
        expect(r.ResourceSpecificResults).toBeUndefined();
        expect(r.EvalDecisionDetails).toBeUndefined();
      }
    });
  });
});

describe('simulate', () => {
  const twoByTwo = {
    PolicyInputList: ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}'],
    ActionNames: ['s3:GetObject', 's3:PutObject'],
    ResourceArns: ['arn:aws:s3:::b/1', 'arn:aws:s3:::b/2'],
  };

  it("reports AWS's statement positions and policy labels", () => {
    const { response } = simulate(
      parseSimulateInput({
        PolicyInputList: ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'],
        ActionNames: ['dynamodb:CreateBackup'],
        ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2019-04-25T11:00:00Z'], ContextKeyType: 'date' }],
      }),
      new PolicyCache(),
    );
    expect(response).toEqual({
      EvaluationResults: [
        {
          EvalActionName: 'dynamodb:CreateBackup',
          EvalResourceName: '*',
          EvalDecision: 'allowed',
          MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }],
          MissingContextValues: [],
        },
      ],
      IsTruncated: false,
    });
  });

  it('pages results action-major with MaxItems and Marker', () => {
    const cache = new PolicyCache();
    const first = simulate(parseSimulateInput({ ...twoByTwo, MaxItems: 3 }), cache).response;
    expect(first.EvaluationResults.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision])).toEqual([
      ['s3:GetObject', 'arn:aws:s3:::b/1', 'allowed'],
      ['s3:GetObject', 'arn:aws:s3:::b/2', 'allowed'],
      ['s3:PutObject', 'arn:aws:s3:::b/1', 'implicitDeny'],
    ]);
    expect(first.IsTruncated).toBe(true);
    const second = simulate(parseSimulateInput({ ...twoByTwo, MaxItems: 3, Marker: first.Marker }), cache).response;
    expect(second.EvaluationResults.map((r) => [r.EvalActionName, r.EvalResourceName])).toEqual([['s3:PutObject', 'arn:aws:s3:::b/2']]);
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
  });

  it.each(['0', '4', 'abc', '-1'])('rejects the marker %s with InvalidInput', (marker) => {
    expect(() => simulate(parseSimulateInput({ ...twoByTwo, Marker: marker }), new PolicyCache())).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
  });

  it("rejects a malformed policy with AWS's MalformedPolicyDocument and message, naming the document in the detail", () => {
    const bad = { PolicyInputList: ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}', '{"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}}'], ActionNames: ['s3:GetObject'] };
    expect(() => simulate(parseSimulateInput(bad), new PolicyCache())).toThrow(
      expect.objectContaining({ code: 'MalformedPolicyDocument', message: 'The policy failed legacy parsing', detail: expect.stringContaining('PolicyInputList.2 at /Statement/Effect') }),
    );
  });

  it('rejects a document that is not JSON and a resource policy without CallerArn', () => {
    expect(() => simulate(parseSimulateInput({ PolicyInputList: ['{"Version":'], ActionNames: ['s3:GetObject'] }), new PolicyCache())).toThrow(expect.objectContaining({ code: 'MalformedPolicyDocument' }));
    expect(() =>
      simulate(parseSimulateInput({ PolicyInputList: [], ActionNames: ['s3:GetObject'], ResourcePolicy: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}' }), new PolicyCache()),
    ).toThrow(expect.objectContaining({ code: 'InvalidInput', message: expect.stringContaining('CallerArn') }));
  });

  it('validates a trust policy given with ResourcePolicyType trust (no Resource element)', () => {
    const trust = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}}';
    const base = { PolicyInputList: [], ActionNames: ['sts:AssumeRole'], ResourceArns: ['arn:aws:iam::111122223333:role/Admin'], CallerArn: 'arn:aws:iam::111122223333:user/alice', ResourcePolicy: trust };
    expect(() => simulate(parseSimulateInput(base), new PolicyCache())).toThrow(expect.objectContaining({ code: 'MalformedPolicyDocument' }));
    const { response } = simulate(parseSimulateInput({ ...base, ResourcePolicyType: 'trust' }), new PolicyCache());
    expect(response.EvaluationResults[0]!.EvalDecision).toBe('allowed');
    expect(response.EvaluationResults[0]!.MatchedStatements[0]).toMatchObject({ SourcePolicyId: 'ResourcePolicy', SourcePolicyType: 'Resource Policy' });
  });

  it('gives the same response when the compiled policies come from the cache', () => {
    const cache = new PolicyCache();
    const a = simulate(parseSimulateInput(twoByTwo), cache).response;
    const b = simulate(parseSimulateInput(twoByTwo), cache).response;
    expect(b).toEqual(a);
  });
});

describe('simulate (resource "*")', () => {
  it('reports an explicit "*" like the default: no per-resource results, missing keys at the top', () => {
    const request = {
      PolicyInputList: ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}}}}'],
      ActionNames: ['s3:GetObject'],
    };
    const implicit = simulate(parseSimulateInput(request), new PolicyCache()).response;
    const explicit = simulate(parseSimulateInput({ ...request, ResourceArns: ['*'] }), new PolicyCache()).response;
    expect(explicit).toEqual(implicit);
    expect(explicit.EvaluationResults[0]).toEqual({
      EvalActionName: 's3:GetObject',
      EvalResourceName: '*',
      EvalDecision: 'implicitDeny',
      MatchedStatements: [],
      MissingContextValues: ['aws:PrincipalTag/team'],
    });
  });
});
