import { BoundedCache } from '@latchkey/keyring';
import { loadPolicy, type CompiledPolicy } from '@latchkey/policy';

/**
 * Compiled role trust policies, keyed by role ARN and document text: a changed trust policy is a
 * new key, so no invalidation is needed and AssumeRole compiles each document once.
 */
export class TrustPolicies {
  readonly #cache: BoundedCache<string, CompiledPolicy | null>;

  constructor(maxEntries = 10_000) {
    this.#cache = new BoundedCache(maxEntries);
  }

  /** The compiled trust policy, or undefined when the stored document no longer compiles (then nobody may assume the role). */
  get(roleArn: string, document: string): CompiledPolicy | undefined {
    const key = `${roleArn}\n${document}`;
    let compiled = this.#cache.get(key);
    if (compiled === undefined) {
      // Stored documents were validated when saved; no size limit applies when evaluating them.
      compiled = loadPolicy(document, { type: 'trust', id: roleArn }, { maxSize: Number.MAX_SAFE_INTEGER }).policy ?? null;
      this.#cache.set(key, compiled);
    }
    return compiled ?? undefined;
  }
}
