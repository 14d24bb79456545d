import { MalformedPolicyDocument } from '@latchkey/errors';
import { loadPolicy } from '@latchkey/policy';
import type { CompiledPolicy, PolicySource } from '@latchkey/policy';
import { statementPositions } from './statement-positions.js';
import type { StatementSpan } from './statement-positions.js';

type Loaded = { readonly policy: CompiledPolicy } | { readonly error: MalformedPolicyDocument };

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

  /** The compiled policy, or throws AWS's `MalformedPolicyDocument` with the first error. */
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
  const { policy, diagnostics } = loadPolicy(text, source);
  if (policy !== undefined) return { policy };
  const first = diagnostics.find((d) => d.severity === 'error');
  const where = first === undefined ? source.id : `${source.id} at ${first.pointer || '/'}${first.line === undefined ? '' : ` (line ${first.line}, column ${first.column ?? '?'})`}`;
  return {
    error: new MalformedPolicyDocument(first?.message ?? 'Syntax errors in policy.', { detail: `${where}${first === undefined ? '' : ` [${first.code}]`}` }),
  };
}

function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  if (map.size >= limit) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  map.set(key, value);
}
