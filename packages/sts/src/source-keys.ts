import { BoundedCache } from '@latchkey/keyring';
import type { Session } from '@latchkey/keyring';
import type { ChangeEvent, Store } from '@latchkey/store';

/**
 * Latchkey's extension over AWS: a GetSessionToken or GetFederationToken session stops working
 * when the long-term key that minted it is deactivated or deleted (AWS keeps such sessions alive
 * until they expire; see the README). Key states are cached and dropped by the change feed.
 */
export class SourceKeyStatus {
  readonly #cache = new BoundedCache<string, boolean>(10_000);
  #generation = 0;

  constructor(private readonly store: Store) {}

  async active(session: Session): Promise<boolean> {
    const id = session.sourceAccessKeyId;
    if (id === undefined) return true;
    const cached = this.#cache.get(id);
    if (cached !== undefined) return cached;
    const generation = this.#generation;
    const key = await this.store.read((repos) => repos.accessKeys.get(id));
    const active = key !== undefined && key.status === 'Active' && key.accountId === session.accountId;
    if (generation === this.#generation) this.#cache.set(id, active);
    return active;
  }

  invalidate(event: ChangeEvent): void {
    if (event.kind === 'accessKey') {
      this.#generation++;
      this.#cache.delete(event.entity);
    } else if (event.kind === 'user' || event.kind === 'account') {
      // A deleted user takes its keys along: drop everything (rare).
      this.#generation++;
      this.#cache.clear();
    }
  }
}
