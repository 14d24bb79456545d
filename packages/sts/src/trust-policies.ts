import { BoundedCache } from '@latchkey/keyring';
import { loadPolicy, type CompiledPolicy } from '@latchkey/policy';

/**
 * Compiled role trust policies by role ARN, with the document text they were compiled from: a
 * changed trust policy does not match its entry and is compiled anew, so no invalidation is
 * needed and AssumeRole compiles each document once. (Keying by ARN + document text instead
 * would hash the whole document on every call.)
 */
export class TrustPolicies {
  readonly #cache: BoundedCache<string, { readonly document: string; readonly compiled: CompiledPolicy | null }>;

  constructor(maxEntries = 10_000) {
    this.#cache = new BoundedCache(maxEntries);
  }

  /** The compiled trust policy, or undefined when the stored document no longer compiles (then nobody may assume the role). */
  get(roleArn: string, document: string): CompiledPolicy | undefined {
    let entry = this.#cache.get(roleArn);
    // The role cache hands out the same record (and so the same string) on every hit, so this
    // comparison is usually a pointer check.
    if (entry?.document !== document) {
      // Stored documents were validated when saved; no size limit applies when evaluating them.
      entry = { document, compiled: loadPolicy(document, { type: 'trust', id: roleArn }, { maxSize: Number.MAX_SAFE_INTEGER }).policy ?? null };
      this.#cache.set(roleArn, entry);
    }
    return entry.compiled ?? undefined;
  }
}
