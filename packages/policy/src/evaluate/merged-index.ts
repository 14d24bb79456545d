import type { CompiledPolicy, IndexEntry, StatementIndex } from '../compile/compiled-policy.js';

const EMPTY: StatementIndex = { byService: new Map(), always: [], byAction: new Map() };

// Callers compile once and keep their policy arrays, so the merged index of an array is built
// once and reused: the cost of a decision then does not grow with policies for other services.
const cache = new WeakMap<readonly CompiledPolicy[], StatementIndex>();

/** One service index over several policies (the principal's identity policies, a SCP level). */
export function mergedIndex(policies: readonly CompiledPolicy[]): StatementIndex {
  if (policies.length === 0) return EMPTY;
  if (policies.length === 1) return policies[0]!.index;
  const cached = cache.get(policies);
  if (cached !== undefined) return cached;
  const byService = new Map<string, IndexEntry[]>();
  const always: IndexEntry[] = [];
  for (const policy of policies) {
    for (const [service, entries] of policy.index.byService) {
      const list = byService.get(service);
      if (list) list.push(...entries);
      else byService.set(service, [...entries]);
    }
    always.push(...policy.index.always);
  }
  const index: StatementIndex = { byService, always, byAction: new Map() };
  cache.set(policies, index);
  return index;
}
