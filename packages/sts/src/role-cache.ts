import { BoundedCache } from '@latchkey/keyring';
import type { ChangeEvent, Repositories, RoleRecord } from '@latchkey/store';

/**
 * Roles by account and name for AssumeRole*, so a busy role costs no database read. Entries are
 * dropped by the store's change feed (`role`: update or delete; `trustPolicy`; `account`), and
 * a per-instance generation stops a load that raced an invalidation from being cached. Unknown
 * roles are not cached, so a role created on another instance is assumable at once.
 */
export class RoleCache {
  readonly #cache: BoundedCache<string, RoleRecord>;
  #generation = 0;

  constructor(maxEntries = 10_000) {
    this.#cache = new BoundedCache(maxEntries);
  }

  async get(repos: Repositories, accountId: string, name: string): Promise<RoleRecord | undefined> {
    // Role names are unique case-insensitively (AWS), so the key folds case.
    const key = `${accountId}|${name.toLowerCase()}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const generation = this.#generation;
    const role = await repos.roles.getByName(accountId, name);
    if (role !== undefined && generation === this.#generation) this.#cache.set(key, role);
    return role;
  }

  invalidate(event: ChangeEvent): void {
    if (event.kind !== 'role' && event.kind !== 'trustPolicy' && event.kind !== 'account') return;
    this.#generation++;
    for (const key of this.#cache.keys()) {
      const role = this.#cache.peek(key);
      if (role !== undefined && role.accountId === event.accountId && (event.kind === 'account' || role.id === event.entity)) this.#cache.delete(key);
    }
  }
}
