import { BoundedCache } from '@latchkey/keyring';
import type { Repositories } from '@latchkey/store';

/**
 * Records `RoleLastUsed` (GetRole) for AssumeRole*. AWS reports it approximately, so a busy role
 * is written at most once a minute per region: AssumeRole stays a read on its hot path.
 */
export class RoleUseRecorder {
  readonly #last = new BoundedCache<string, number>(10_000);

  constructor(private readonly intervalMs = 60_000) {}

  async record(repos: Repositories, accountId: string, roleId: string, at: Date, region: string): Promise<void> {
    const slot = `${accountId}|${roleId}|${region}`;
    const ms = at.getTime();
    const last = this.#last.get(slot);
    if (last !== undefined && ms >= last && ms - last < this.intervalMs) return;
    this.#last.set(slot, ms);
    await repos.roles.recordUse(accountId, roleId, ms, region);
  }
}
