import { LimitExceeded, MalformedPolicyDocument, ValidationError } from '@latchkey/errors';
import type { AwsError } from '@latchkey/errors';
import { awsPolicyError, loadPolicy } from '@latchkey/policy';
import type { CompiledPolicy, PolicySource } from '@latchkey/policy';
import { statementPositions } from './statement-positions.js';
import type { StatementSpan } from './statement-positions.js';

type Loaded = { readonly policy: CompiledPolicy } | { readonly error: AwsError };

/** SimulateCustomPolicy takes documents of up to 131,072 characters (`policyDocumentType`),
 * whatever the size quota of the policy type they stand for. */
const SIMULATION_MAX_SIZE = 131_072;

/**
 * Compiles each distinct policy document once. The batch simulator sees the same few documents
 * on thousands of lines; validation and compilation then happen once per (text, type, id)
 * and each line only evaluates. Invalid documents are cached too, so a bad document repeated on
 * every line costs one validation. Bounded: when full, the oldest entries are dropped (Map keeps
 * insertion order).
 */
export class PolicyCache {
  private readonly loaded = new Map<string, Loaded>();
  private readonly spans = new Map<string, StatementSpan[] | undefined>();

  constructor(private readonly limit = 20_000) {}

  /** The compiled policy, or throws the error AWS would answer with (`MalformedPolicyDocument`
   * with AWS's message for the first problem AWS checks, see `awsPolicyError`). */
  load(text: string, source: PolicySource): CompiledPolicy {
    const key = `${source.type}\u0000${source.id}\u0000${text}`;
    let entry = this.loaded.get(key);
    if (entry === undefined) {
      entry = compile(text, source);
      remember(this.loaded, key, entry, this.limit);
    }
    if ('error' in entry) throw entry.error;
    return entry.policy;
  }

  /** Statement positions in AWS's convention (see `statementPositions`). */
  positions(text: string): StatementSpan[] | undefined {
    if (this.spans.has(text)) return this.spans.get(text);
    const spans = statementPositions(text);
    remember(this.spans, text, spans, this.limit);
    return spans;
  }
}

function compile(text: string, source: PolicySource): Loaded {
  // Identity documents are read as inline policies: the simulator takes any identity policy,
  // including ones without Version (which only managed policies must have).
  const { policy, diagnostics } = loadPolicy(text, source, { maxSize: SIMULATION_MAX_SIZE, inline: source.type === 'identity' });
  if (policy !== undefined) return { policy };
  const chosen = awsPolicyError(diagnostics) ?? { code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.' };
  const first = diagnostics.find((d) => d.severity === 'error' && d.message === chosen.message) ?? diagnostics.find((d) => d.severity === 'error');
  const position = first?.line === undefined ? '' : ` (line ${first.line}, column ${first.column ?? '?'})`;
  const detail = first === undefined ? source.id : `${source.id} at ${first.pointer || '/'}${position} [${first.code}]`;
  const Class = chosen.code === 'LimitExceeded' ? LimitExceeded : chosen.code === 'ValidationError' ? ValidationError : MalformedPolicyDocument;
  return { error: new Class(chosen.message, { detail }) };
}

function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  if (map.size >= limit) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  map.set(key, value);
}
