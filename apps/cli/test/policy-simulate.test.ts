import { describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/run.js';

const request = JSON.stringify({
  PolicyInputList: ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}'],
  ActionNames: ['s3:GetObject', 's3:DeleteBucket'],
});

describe('policy simulate', () => {
  it('prints the response indented as the aws CLI does, by default', async () => {
    const run = await runInProcess(['policy', 'simulate', '--cli-input-json', request]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^\{\n {4}"EvaluationResults": \[\n {8}\{\n {12}"EvalActionName": "s3:GetObject",/);
    expect(JSON.parse(run.stdout)).toMatchObject({ EvaluationResults: [{ EvalDecision: 'allowed' }, { EvalDecision: 'explicitDeny' }], IsTruncated: false });
  });

  it('prints one line with --json', async () => {
    const run = await runInProcess(['policy', 'simulate', '--json', '--cli-input-json', request]);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ EvaluationResults: [{ EvalDecision: 'allowed' }, { EvalDecision: 'explicitDeny' }] });
  });

  it('prints a trace per result with --explain, and splits response and traces with --json --explain', async () => {
    const explain = await runInProcess(['policy', 'simulate', '--explain', '--cli-input-json', request]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('s3:GetObject on *: allowed\n');
    expect(explain.stdout).toContain('s3:DeleteBucket on *: explicitDeny\n');
    expect(() => JSON.parse(explain.stdout)).toThrow();
    const both = await runInProcess(['policy', 'simulate', '--explain', '--json', '--cli-input-json', request]);
    expect(JSON.parse(both.stdout)).toMatchObject({ IsTruncated: false });
    expect(both.stderr).toContain('s3:DeleteBucket on *: explicitDeny');
  });

  it('reads the request from standard input with -', async () => {
    const run = await runInProcess(['policy', 'simulate', '--json', '--cli-input-json', '-'], request);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ EvaluationResults: [{ EvalActionName: 's3:GetObject' }, { EvalActionName: 's3:DeleteBucket' }] });
  });

  it('reports a rejected request the aws CLI way, on stderr with exit 1', async () => {
    const run = await runInProcess(['policy', 'simulate', '--cli-input-json', JSON.stringify({ PolicyInputList: [], ActionNames: ['GetObject'] })]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/An error occurred \(InvalidInput\) when calling the SimulateCustomPolicy operation: ActionNames\.member\.1/);
  });

  it('runs a batch from standard input', async () => {
    const run = await runInProcess(['policy', 'simulate', '--batch'], `${request}\nnot json\n${request}\n`);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => Object.keys(l)[0])).toEqual(['EvaluationResults', 'Error', 'EvaluationResults']);
  });

  it.each([
    [['policy', 'simulate'], 'give the request with --cli-input-json'],
    [['policy', 'simulate', '--batch', '--cli-input-json', 'x.json'], 'do not combine it with --cli-input-json'],
    [['policy', 'simulate', '--batch', '--explain'], '--explain cannot be combined with --batch'],
    [['policy', 'simulate', 'request.json'], "Unexpected argument 'request.json'"],
    [['policy', 'simulate', '--cli-input-json', 'file://test/fixtures/none.json'], 'no such file'],
    [['policy', 'simulate', '--cli-input-json', '{"PolicyInputList": ['], '--cli-input-json is not valid JSON'],
    [['policy', 'simulate', '--cli-input-json', 'README.md'], '--cli-input-json is not valid JSON'],
  ])('exits 2 on the usage error %j', async (args, message) => {
    const run = await runInProcess(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('latchkey policy simulate --help');
  });
});
