import { isAwsError } from '@latchkey/errors';
import { explainDecision } from '@latchkey/policy';
import type { CliIo } from '../cli-io.js';
import type { Command } from '../command.js';
import { parseOptions } from '../parse-options.js';
import { readInput } from '../read-input.js';
import { parseSimulateInput, PolicyCache, simulate } from '@latchkey/iam';
import type { Simulation } from '@latchkey/iam';
import { runBatch } from '../simulate/batch.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error.js';

const help = `Usage: latchkey policy simulate --cli-input-json file://request.json [--explain] [--json]
       latchkey policy simulate --batch < requests.jsonl > responses.jsonl

Simulates requests against policies, like \`aws iam simulate-custom-policy\`: the same input
(PolicyInputList, PermissionsBoundaryPolicyInputList, ResourcePolicy, ResourceOwner, CallerArn,
ActionNames, ResourceArns, ContextEntries, ResourceHandlingOption, MaxItems, Marker) and the same
output (EvaluationResults with EvalDecision, MatchedStatements with positions,
MissingContextValues, ResourceSpecificResults, ...). Latchkey extensions to the input:
SessionPolicyInputList, ServiceControlPolicyInputList (levels, root first), PrincipalTags,
ResourceTags, ResourceAccount, ResourcePolicyType (see the CLI README).

Options:
  --cli-input-json SPEC  the request: file://path, a path, \`-\` (standard input) or inline JSON
  --json                 print the response as one line of JSON (default: indented, as the aws CLI)
  --explain              print a human-readable trace of each decision instead of the response
                         (with --json: the response on stdout, the traces on stderr)
  --batch                read one request per line on standard input, write one response per line
                         (an error line {"Error":{"Code","Message"}} for a request that fails)
  -h, --help             show this help

Exit status: 0 simulated (whatever the decisions; batch: whatever the lines), 1 the request was
rejected (InvalidInput, MalformedPolicyDocument, ...), 2 usage error.

Examples:
  latchkey policy simulate --cli-input-json file://request.json
  latchkey policy simulate --cli-input-json file://request.json --explain
  jq -c . requests/*.json | latchkey policy simulate --batch
`;

export const policySimulateCommand: Command = {
  name: 'simulate',
  summary: 'simulate requests against policies (aws iam simulate-custom-policy input and output)',
  help,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values } = parseOptions(
      args,
      { 'cli-input-json': { type: 'string' }, json: { type: 'boolean' }, explain: { type: 'boolean' }, batch: { type: 'boolean' } },
      false,
    );
    const spec = values['cli-input-json'];
    if (values['batch'] === true) {
      if (spec !== undefined) throw new UsageError('--batch reads requests from standard input; do not combine it with --cli-input-json');
      if (values['explain'] === true) throw new UsageError('--explain cannot be combined with --batch');
      await runBatch(io.stdin, io.stdout);
      return EXIT_OK;
    }
    if (typeof spec !== 'string') throw new UsageError('give the request with --cli-input-json file://request.json (or use --batch)');
    const text = spec.trimStart().startsWith('{') ? spec : await readInput(spec, io);
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--cli-input-json is not valid JSON: ${(error as Error).message}`);
    }

    let simulation: Simulation;
    try {
      simulation = simulate(parseSimulateInput(request), new PolicyCache());
    } catch (error) {
      if (!isAwsError(error)) throw error;
      io.stderr.write(`\nAn error occurred (${error.code}) when calling the SimulateCustomPolicy operation: ${error.message}\n`);
      if (error.detail !== undefined) io.stderr.write(`(${error.detail})\n`);
      return EXIT_FAILURE;
    }

    const json = values['json'] === true;
    if (values['explain'] === true) {
      const traces = simulation.evaluations.map(({ request: r, decision }) => `${r.action} on ${r.resource.arn}: ${decision.decision}\n${indent(explainDecision(decision, r))}\n`).join('\n');
      if (json) {
        io.stdout.write(`${JSON.stringify(simulation.response)}\n`);
        io.stderr.write(traces);
      } else {
        io.stdout.write(traces);
      }
      return EXIT_OK;
    }
    io.stdout.write(json ? `${JSON.stringify(simulation.response)}\n` : `${JSON.stringify(simulation.response, null, 4)}\n`);
    return EXIT_OK;
  },
};

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
