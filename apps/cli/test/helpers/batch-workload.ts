/**
 * A batch of simulation requests whose expected answers follow from how the lines are built
 * (a reference model written independently of the engine), mixing allows, explicit and implicit
 * denies, a missing context key, several resources per request, malformed policies, lines that
 * are not JSON and empty lines.
 */
export interface BatchLine {
  readonly line: string;
  /** Decisions per result, or the error code the line must produce. */
  readonly expect: { readonly decisions: readonly string[]; readonly missing?: readonly string[] } | { readonly error: string };
}

const policy = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

export function batchWorkload(count: number): BatchLine[] {
  const lines: BatchLine[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 10;
    if (kind <= 5) {
      const k = i % 7;
      const bucket = i % 5;
      const secret = i % 3 === 0;
      const doc = policy([
        { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${k}/*` },
        { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-0/secret/*' },
      ]);
      const arn = `arn:aws:s3:::bucket-${bucket}/${secret ? 'secret/' : ''}k${i}`;
      const decision = bucket === 0 && secret ? 'explicitDeny' : bucket === k ? 'allowed' : 'implicitDeny';
      lines.push({ line: JSON.stringify({ PolicyInputList: [doc], ActionNames: ['s3:GetObject'], ResourceArns: [arn] }), expect: { decisions: [decision] } });
    } else if (kind === 6) {
      const doc = policy([{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } }]);
      const team = i % 3 === 0 ? undefined : i % 3 === 1 ? 'red' : 'blue';
      const request = { PolicyInputList: [doc], ActionNames: ['s3:PutObject'], ...(team === undefined ? {} : { PrincipalTags: { team } }) };
      lines.push({ line: JSON.stringify(request), expect: { decisions: [team === 'red' ? 'allowed' : 'implicitDeny'], missing: team === undefined ? ['aws:PrincipalTag/team'] : [] } });
    } else if (kind === 7) {
      const doc = policy([{ Effect: 'allow', Action: 's3:GetObject', Resource: '*' }]);
      lines.push({ line: JSON.stringify({ PolicyInputList: [doc], ActionNames: ['s3:GetObject'] }), expect: { error: 'MalformedPolicyDocument' } });
    } else if (kind === 8) {
      lines.push(i % 20 === 8 ? { line: '', expect: { error: 'InvalidInput' } } : { line: `{"PolicyInputList": [, ${i}`, expect: { error: 'InvalidInput' } });
    } else {
      const doc = policy([{ Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'], Resource: `arn:aws:sqs:us-east-1:111122223333:queue-${i % 2}` }]);
      const request = { PolicyInputList: [doc], ActionNames: ['sqs:SendMessage', 'sqs:DeleteMessage'], ResourceArns: ['arn:aws:sqs:us-east-1:111122223333:queue-0', 'arn:aws:sqs:us-east-1:111122223333:queue-1'] };
      const q = i % 2;
      // Action-major: SendMessage on queue-0, queue-1, then DeleteMessage (never allowed).
      lines.push({ line: JSON.stringify(request), expect: { decisions: [q === 0 ? 'allowed' : 'implicitDeny', q === 1 ? 'allowed' : 'implicitDeny', 'implicitDeny', 'implicitDeny'] } });
    }
  }
  return lines;
}

interface ResponseLine {
  EvaluationResults?: { EvalDecision: string; MissingContextValues: string[] }[];
  Error?: { Code: string; Message: string };
}

/** Checks every output line against its input line; returns the problems found. */
export function checkBatchOutput(workload: readonly BatchLine[], output: string): string[] {
  const problems: string[] = [];
  const lines = output.split('\n');
  if (lines.pop() !== '') problems.push('output does not end with a newline');
  if (lines.length !== workload.length) problems.push(`expected ${workload.length} output lines, got ${lines.length}`);
  workload.forEach((w, i) => {
    const raw = lines[i];
    if (raw === undefined) return;
    let got: ResponseLine;
    try {
      got = JSON.parse(raw) as ResponseLine;
    } catch {
      problems.push(`line ${i + 1}: not JSON`);
      return;
    }
    if ('error' in w.expect) {
      if (got.Error?.Code !== w.expect.error || typeof got.Error.Message !== 'string') problems.push(`line ${i + 1}: expected error ${w.expect.error}, got ${raw.slice(0, 200)}`);
      return;
    }
    const decisions = got.EvaluationResults?.map((r) => r.EvalDecision);
    if (JSON.stringify(decisions) !== JSON.stringify(w.expect.decisions)) problems.push(`line ${i + 1}: expected ${w.expect.decisions.join(',')}, got ${raw.slice(0, 200)}`);
    if (w.expect.missing !== undefined && JSON.stringify(got.EvaluationResults?.[0]?.MissingContextValues) !== JSON.stringify(w.expect.missing)) {
      problems.push(`line ${i + 1}: expected missing ${w.expect.missing.join(',')}, got ${raw.slice(0, 200)}`);
    }
  });
  return problems;
}
