import { BoundedCache, type Keyring } from '@latchkey/keyring';
import type { AccessKeyStatus, ChangeEvent, SealedSecret, Store } from '@latchkey/store';
import { rootCaller, userCaller, type Caller } from './caller.js';
import { unsealSecretAccessKey } from './secrets.js';

/** A long-term access key as SigV4 verification needs it. Never log it: it holds the secret. */
export interface ResolvedAccessKey {
  readonly accessKeyId: string;
  readonly status: AccessKeyStatus;
  readonly secretAccessKey: string;
  readonly principal: Caller;
}

interface CachedKey {
  readonly accountId: string;
  readonly userId: string | null;
  readonly status: AccessKeyStatus;
  readonly secret: SealedSecret;
  readonly principal: Caller;
}

async function loadKey(store: Store, accessKeyId: string): Promise<CachedKey | undefined> {
  return store.read(async (repos) => {
    const key = await repos.accessKeys.get(accessKeyId);
    if (key === undefined) return undefined;
    let principal: Caller;
    if (key.userId === null) principal = rootCaller(key.accountId, key.id);
    else {
      const user = await repos.users.getById(key.accountId, key.userId);
      if (user === undefined) return undefined;
      principal = userCaller(user, key.id);
    }
    return { accountId: key.accountId, userId: key.userId, status: key.status, secret: key.secret, principal };
  });
}

function unseal(keyring: Keyring, accessKeyId: string, key: CachedKey): ResolvedAccessKey {
  const secretAccessKey = unsealSecretAccessKey(keyring, accessKeyId, key.secret);
  const resolved: ResolvedAccessKey = { accessKeyId, status: key.status, secretAccessKey, principal: key.principal };
  // Serialising the result (a log line, an error report) must not carry the secret.
  Object.defineProperty(resolved, 'toJSON', { enumerable: false, value: () => ({ accessKeyId, status: key.status, principal: key.principal }) });
  return resolved;
}

/**
 * Looks up an `AKIA…` key (an IAM user's or the root's) and unseals its secret. Undefined for
 * unknown keys, temporary (`ASIA…`) ids, which STS resolves from the session token, and keys
 * whose user no longer exists. Inactive keys are returned with their status: the verifier
 * answers them `InvalidClientTokenId`.
 */
export async function resolveAccessKey(store: Store, keyring: Keyring, accessKeyId: string): Promise<ResolvedAccessKey | undefined> {
  if (!accessKeyId.startsWith('AKIA')) return undefined;
  const key = await loadKey(store, accessKeyId);
  return key === undefined ? undefined : unseal(keyring, accessKeyId, key);
}

/**
 * `resolveAccessKey` with the key record and its principal cached (the secret stays sealed in
 * the cache and is unsealed per call). Entries are dropped by the store's change feed: a key's
 * own change (status, deletion), its user's (rename, deletion) or its account's. Unknown keys
 * are not cached, so a key created on another instance resolves at once.
 */
export class AccessKeyResolver {
  readonly #cache: BoundedCache<string, CachedKey>;
  #generation = 0;

  constructor(
    private readonly store: Store,
    private readonly keyring: Keyring,
    options: { maxEntries?: number } = {},
  ) {
    this.#cache = new BoundedCache(options.maxEntries ?? 10_000);
  }

  get size(): number {
    return this.#cache.size;
  }

  async resolve(accessKeyId: string): Promise<ResolvedAccessKey | undefined> {
    if (!accessKeyId.startsWith('AKIA')) return undefined;
    let key = this.#cache.get(accessKeyId);
    if (key === undefined) {
      const generation = this.#generation;
      key = await loadKey(this.store, accessKeyId);
      if (key === undefined) return undefined;
      // A change committed while loading may have made this read stale: do not keep it.
      if (generation === this.#generation) this.#cache.set(accessKeyId, key);
    }
    return unseal(this.keyring, accessKeyId, key);
  }

  invalidate(event: ChangeEvent): void {
    if (event.kind === 'accessKey') {
      this.#generation++;
      this.#cache.delete(event.entity);
    } else if (event.kind === 'user' || event.kind === 'account') {
      this.#generation++;
      for (const id of this.#cache.keys()) {
        const key = this.#cache.peek(id);
        if (key !== undefined && key.accountId === event.accountId && (event.kind === 'account' || key.userId === event.entity)) this.#cache.delete(id);
      }
    }
  }
}

export interface AccessKeyUseEvent {
  readonly at: Date;
  /** The signing service (`iam`, `sts`, or an in-house service's name). */
  readonly service: string;
  readonly region: string;
}

/**
 * Records "last used" for GetAccessKeyLastUsed after a request verified. Writes at most once a
 * minute per key, service and region (a busy key would otherwise write on every request); the
 * first use is always written.
 */
export class AccessKeyUseRecorder {
  readonly #last = new BoundedCache<string, number>(10_000);
  readonly #intervalMs: number;

  constructor(
    private readonly store: Store,
    options: { intervalMs?: number } = {},
  ) {
    this.#intervalMs = options.intervalMs ?? 60_000;
  }

  async record(accessKeyId: string, use: AccessKeyUseEvent): Promise<void> {
    const slot = `${accessKeyId}|${use.service}|${use.region}`;
    const at = use.at.getTime();
    const last = this.#last.get(slot);
    if (last !== undefined && at - last < this.#intervalMs && at >= last) return;
    this.#last.set(slot, at);
    await this.store.read((repos) => repos.accessKeys.recordUse(accessKeyId, { at, service: use.service, region: use.region }));
  }
}
