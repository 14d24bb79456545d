import { BoundedCache } from '@latchkey/keyring';
import { loadPolicy, type CompiledPolicy, type PolicySet, type PolicyType } from '@latchkey/policy';
import type { PolicyDocument, PrincipalPolicies } from './credential-source.js';

export interface CompiledPrincipalPolicies {
  readonly set: PolicySet;
  /** Documents that did not compile (or a principal that no longer exists): allow nothing. */
  readonly failClosed: boolean;
}

/**
 * Compiles a principal's documents once (cached by type, id and text) into a `PolicySet` whose
 * arrays are kept per `PrincipalPolicies` object, so the engine's merged indexes are reused for
 * as long as the answer is cached.
 */
export class PolicyCompiler {
  readonly #documents: BoundedCache<string, CompiledPolicy | null>;
  readonly #sets = new WeakMap<PrincipalPolicies, CompiledPrincipalPolicies>();

  constructor(maxEntries: number) {
    this.#documents = new BoundedCache(maxEntries);
  }

  #compile(doc: PolicyDocument, type: PolicyType): CompiledPolicy | null {
    const key = `${type}\u0000${doc.id}\u0000${doc.document}`;
    let compiled = this.#documents.get(key);
    if (compiled === undefined) {
      // Stored documents were validated when saved; AWS managed ones may exceed customer limits.
      compiled = loadPolicy(doc.document, { type, id: doc.id }, { maxSize: Number.MAX_SAFE_INTEGER, inline: doc.inline === true }).policy ?? null;
      this.#documents.set(key, compiled);
    }
    return compiled;
  }

  compile(policies: PrincipalPolicies): CompiledPrincipalPolicies {
    const cached = this.#sets.get(policies);
    if (cached !== undefined) return cached;
    let failClosed = policies.failClosed === true;
    const all = (docs: readonly PolicyDocument[], type: PolicyType): CompiledPolicy[] => {
      const out: CompiledPolicy[] = [];
      for (const d of docs) {
        const c = this.#compile(d, type);
        if (c === null) failClosed = true;
        else out.push(c);
      }
      return out;
    };
    const identity = all(policies.identity, 'identity');
    const boundary = policies.boundary === undefined ? undefined : all([policies.boundary], 'boundary');
    const session = policies.session === undefined ? undefined : all(policies.session, 'session');
    const set: PolicySet = {
      identity,
      ...(boundary?.[0] === undefined ? {} : { boundary: boundary[0] }),
      ...(session === undefined ? {} : { session }),
    };
    const result = { set, failClosed };
    this.#sets.set(policies, result);
    return result;
  }
}
