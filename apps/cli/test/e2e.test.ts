// End-to-end: the real entry point (`src/main.ts` under tsx) spawned as a child process.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SimulateResponse } from '@latchkey/iam';
import { batchWorkload, checkBatchOutput } from './helpers/batch-workload.js';
import { spawnCli } from './helpers/run.js';

describe('latchkey (spawned)', () => {
  it('prints the command list for --help and exits 0', async () => {
    const run = await spawnCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Commands:\n(?: {2}\S.*\n)*? {2}policy\s+validate and simulate IAM policies/);
  });

  it('policy validate: exit 0 valid, 1 invalid (with --json positions), 2 usage error', async () => {
    expect((await spawnCli(['policy', 'validate', 'test/fixtures/valid-identity.json'])).code).toBe(0);
    const invalid = await spawnCli(['policy', 'validate', '--json', 'test/fixtures/valid-identity.json', 'test/fixtures/invalid-identity.json']);
    expect(invalid.code).toBe(1);
    const report = JSON.parse(invalid.stdout) as { valid: boolean; files: { valid: boolean; diagnostics: { code: string; line: number; column: number; pointer: string }[] }[] };
    expect(report.valid).toBe(false);
    expect(report.files.map((f) => f.valid)).toEqual([true, false]);
    expect(report.files[1]!.diagnostics).toContainEqual(expect.objectContaining({ code: 'PrincipalNotAllowed', line: 11, column: 7, pointer: '/Statement/1/Principal' }));
    const usage = await spawnCli(['policy', 'validate', '--type', 'bucket', 'test/fixtures/valid-identity.json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown policy type 'bucket'");
    const missing = await spawnCli(['policy', 'validate', 'test/fixtures/nope.json']);
    expect(missing.code).toBe(2);
  });

  it('policy simulate: allow, explicit deny, implicit deny, boundary and several resources, with positions', async () => {
    const run = await spawnCli(['policy', 'simulate', '--cli-input-json', 'file://test/fixtures/simulate-request.json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\{\n {4}"EvaluationResults": \[/);
    const response = JSON.parse(run.stdout) as SimulateResponse;
    const summary = response.EvaluationResults.map((r) => [r.EvalActionName, r.EvalResourceName.split('/').pop(), r.EvalDecision, r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary]);
    expect(summary).toEqual([
      ['s3:GetObject', 'q3.csv', 'allowed', true],
      ['s3:GetObject', '2019.csv', 'allowed', true],
      ['s3:PutObject', 'q3.csv', 'implicitDeny', false], // identity allows, the boundary does not
      ['s3:PutObject', '2019.csv', 'implicitDeny', false],
      ['s3:DeleteObject', 'q3.csv', 'allowed', true],
      ['s3:DeleteObject', '2019.csv', 'explicitDeny', true], // the identity policy's Deny on archive/*
    ]);
    for (const r of response.EvaluationResults) expect(r.ResourceSpecificResults).toEqual([expect.objectContaining({ EvalResourceName: r.EvalResourceName, EvalResourceDecision: r.EvalDecision })]);
    // The explicit deny is the third statement of the pretty-printed identity policy.
    const request = JSON.parse(readFileSync('test/fixtures/simulate-request.json', 'utf8')) as { PolicyInputList: string[] };
    const lines = request.PolicyInputList[0]!.split('\n');
    const deny = response.EvaluationResults[5]!.MatchedStatements;
    expect(deny).toHaveLength(1);
    expect(deny[0]).toMatchObject({ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy' });
    const start = deny[0]!.StartPosition!;
    const end = deny[0]!.EndPosition!;
    expect(lines[start.Line - 1]![start.Column - 2]).toBe('{');
    expect(lines[start.Line]).toContain('"Sid": "NoDeleteArchive"');
    expect(lines[end.Line - 1]![end.Column - 2]).toBe('}');
  });

  it('policy simulate: a missing context key is reported, and --explain prints the trace', async () => {
    const json = await spawnCli(['policy', 'simulate', '--json', '--cli-input-json', 'file://test/fixtures/simulate-missing-context.json']);
    expect(json.code).toBe(0);
    const response = JSON.parse(json.stdout) as SimulateResponse;
    expect(response.EvaluationResults[0]).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: [] });
    expect(response.EvaluationResults[0]!.ResourceSpecificResults![0]!.MissingContextValues).toEqual(['aws:PrincipalTag/team']);
    const explain = await spawnCli(['policy', 'simulate', '--explain', '--cli-input-json', 'test/fixtures/simulate-missing-context.json']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('s3:ListBucket on arn:aws:s3:::reports: implicitDeny');
    expect(explain.stdout).toContain('aws:PrincipalTag/team');
  });

  it('policy simulate: a malformed policy is an AWS-style error on stderr with exit 1', async () => {
    const run = await spawnCli(['policy', 'simulate', '--cli-input-json', 'file://test/fixtures/simulate-malformed.json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('An error occurred (MalformedPolicyDocument) when calling the SimulateCustomPolicy operation: Policy statement must contain resources.');
  });

  it('policy simulate --batch: 10,000 lines in one process, every output line checked', async () => {
    const workload = batchWorkload(10_000);
    const run = await spawnCli(['policy', 'simulate', '--batch'], `${workload.map((w) => w.line).join('\n')}\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(checkBatchOutput(workload, run.stdout)).toEqual([]);
  });
});
