import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { isAwsError } from '@latchkey/errors';
import { parseSimulateInput, PolicyCache, simulate } from '@latchkey/iam';
import type { OutputStream } from '../cli-io.js';
import { writeAll } from '../cli-io.js';

export interface BatchSummary {
  readonly lines: number;
  readonly errors: number;
}

/**
 * Answers one line of request JSON at a time: a response per line, always, in input order.
 * A line that fails (bad JSON, bad input, malformed policy, anything unexpected) gets an
 * `{"Error":{"Code","Message"}}` line and the batch goes on. Documents are compiled once per
 * distinct text (see `PolicyCache`); output is flushed in chunks with back-pressure.
 */
export async function runBatch(input: Readable, output: OutputStream, cache: PolicyCache = new PolicyCache()): Promise<BatchSummary> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let pending = '';
  let count = 0;
  let errors = 0;
  for await (const line of lines) {
    count++;
    const answer = answerLine(line, cache);
    if (answer.error) errors++;
    pending += `${answer.json}\n`;
    if (pending.length >= 65_536) {
      await writeAll(output, pending);
      pending = '';
    }
  }
  if (pending !== '') await writeAll(output, pending);
  return { lines: count, errors };
}

export function answerLine(line: string, cache: PolicyCache): { readonly json: string; readonly error: boolean } {
  try {
    if (line.trim() === '') return errorLine('InvalidInput', 'Empty request line: expected one SimulateCustomPolicy request (JSON) per line.');
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch (error) {
      return errorLine('InvalidInput', `The request line is not valid JSON: ${(error as Error).message}`);
    }
    return { json: JSON.stringify(simulate(parseSimulateInput(request), cache).response), error: false };
  } catch (error) {
    if (isAwsError(error)) return errorLine(error.code, error.message);
    return errorLine('InternalFailure', error instanceof Error ? error.message : String(error));
  }
}

function errorLine(code: string, message: string): { readonly json: string; readonly error: boolean } {
  return { json: JSON.stringify({ Error: { Code: code, Message: message } }), error: true };
}
