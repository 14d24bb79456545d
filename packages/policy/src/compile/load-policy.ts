import type { Diagnostic } from '../diagnostic.js';
import type { ServiceCatalog } from '../validate/service-catalog.js';
import { validatePolicy } from '../validate/validate-policy.js';
import type { CompiledPolicy, PolicySource } from './compiled-policy.js';
import { compilePolicy } from './compile-policy.js';

export interface LoadPolicyOptions {
  readonly catalog?: ServiceCatalog;
  /** Passed to validation (e.g. the remaining per-entity size for inline policies). */
  readonly maxSize?: number;
  readonly inline?: boolean;
}

export interface LoadedPolicy {
  /** Present iff the document is valid for `source.type`. */
  readonly policy?: CompiledPolicy;
  readonly diagnostics: readonly Diagnostic[];
}

/** Validates a document as `source.type` and compiles it when valid. Never throws. */
export function loadPolicy(document: string | unknown, source: PolicySource, options: LoadPolicyOptions = {}): LoadedPolicy {
  const result = validatePolicy(document, {
    type: source.type,
    ...(options.catalog !== undefined ? { catalog: options.catalog } : {}),
    ...(options.maxSize !== undefined ? { maxSize: options.maxSize } : {}),
    ...(options.inline !== undefined ? { inline: options.inline } : {}),
  });
  if (!result.valid || result.policy === undefined) return { diagnostics: result.diagnostics };
  return { policy: compilePolicy(result.policy, source), diagnostics: result.diagnostics };
}
