import { resolveAccessKey, type Caller, type ResolvedAccessKey } from '@latchkey/iam';
import { BoundedCache, type Keyring } from '@latchkey/keyring';
import type { CredentialLookup, CredentialLookupInput, ResolvedCredentials } from '@latchkey/sigv4';
import type { ChangeEvent, Store } from '@latchkey/store';

export interface CredentialCacheOptions {
  readonly store: Store;
  readonly keyring: Keyring;
  /** Resolved keys kept (least recently used evicted). Default 10,000. */
  readonly maxEntries?: number;
  /** Called for every access key dropped, so the verifier forgets its derived signing keys too. */
  readonly onEvict?: (accessKeyId: string) => void;
  /**
   * Resolves temporary (`ASIA…`) credentials from their session token (the STS service plugs in
   * here). Not cached: the token carries the session and is verified on every request.
   */
  readonly temporary?: CredentialLookup<Caller>;
}

// Changes after which a cached key may be wrong: the key itself (status, deletion) or its owner
// (deleted, renamed or moved: the principal ARN changes). Anything else leaves keys valid.
const KEY_EVENTS = new Set<ChangeEvent['kind']>(['accessKey']);
const OWNER_EVENTS = new Set<ChangeEvent['kind']>(['user', 'account']);

/**
 * SigV4's credential lookup for long-term (`AKIA…`) keys: resolves through the store and keyring
 * once, then answers from memory until the store's change feed says the key or its owner changed.
 * On PostgreSQL the feed carries other instances' changes too, so a key deactivated anywhere is
 * refused everywhere once the event arrives.
 */
export class CredentialCache {
  readonly #store: Store;
  readonly #keyring: Keyring;
  readonly #entries: BoundedCache<string, ResolvedAccessKey>;
  readonly #onEvict: ((accessKeyId: string) => void) | undefined;
  readonly #temporary: CredentialLookup<Caller> | undefined;
  #unsubscribe: (() => void) | undefined;
  // Bumped on every invalidation: a lookup that started before one must not cache what it read.
  #generation = 0;

  constructor(options: CredentialCacheOptions) {
    this.#store = options.store;
    this.#keyring = options.keyring;
    this.#entries = new BoundedCache(options.maxEntries ?? 10_000);
    this.#onEvict = options.onEvict;
    this.#temporary = options.temporary;
  }

  async start(): Promise<void> {
    this.#unsubscribe ??= await this.#store.changes.subscribe((event) => this.#onChange(event));
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** The verifier's lookup: long-term keys from the store (cached), temporary ones through `temporary`. */
  readonly lookup = async (input: CredentialLookupInput): Promise<ResolvedCredentials<Caller> | undefined> => {
    const id = input.accessKeyId;
    if (id.startsWith('ASIA')) return this.#temporary === undefined ? undefined : this.#temporary(input);
    let resolved = this.#entries.get(id);
    if (resolved === undefined) {
      const generation = this.#generation;
      resolved = await resolveAccessKey(this.#store, this.#keyring, id);
      if (resolved === undefined) return undefined;
      if (generation === this.#generation) this.#entries.set(id, resolved);
    }
    return { secretAccessKey: resolved.secretAccessKey, status: resolved.status, principal: resolved.principal };
  };

  /** Forgets one key (or all), e.g. after a change made through this instance. */
  evict(accessKeyId?: string): void {
    this.#generation++;
    if (accessKeyId === undefined) {
      for (const id of this.#entries.keys()) this.#onEvict?.(id);
      this.#entries.clear();
      return;
    }
    this.#entries.delete(accessKeyId);
    this.#onEvict?.(accessKeyId);
  }

  get size(): number {
    return this.#entries.size;
  }

  #onChange(event: ChangeEvent): void {
    if (KEY_EVENTS.has(event.kind)) this.evict(event.entity);
    else if (OWNER_EVENTS.has(event.kind)) {
      // Owner changes are rare (rename, delete): dropping the owner's keys by scan is enough.
      this.#generation++;
      for (const id of this.#entries.keys()) {
        const principal = this.#entries.peek(id)?.principal;
        if (principal === undefined || principal.accountId !== event.accountId) continue;
        if (event.kind === 'account' || (principal.identity.kind === 'user' && principal.identity.id === event.entity)) {
          this.#entries.delete(id);
          this.#onEvict?.(id);
        }
      }
    }
  }
}
