import { BoundedCache, type Keyring } from '@latchkey/keyring';
import type { AccessKeyStatus, Store } from '@latchkey/store';
import { rootCaller, userCaller, type Caller } from './caller.js';
import { unsealSecretAccessKey } from './secrets.js';

/** A long-term access key as SigV4 verification needs it. Never log it: it holds the secret. */
export interface ResolvedAccessKey {
  readonly accessKeyId: string;
  readonly status: AccessKeyStatus;
  readonly secretAccessKey: string;
  readonly principal: Caller;
}

/**
 * Looks up an `AKIA…` key (an IAM user's or the root's) and unseals its secret. Undefined for
 * unknown keys, temporary (`ASIA…`) ids, which STS resolves from the session token, and keys
 * whose user no longer exists. Inactive keys are returned with their status: the verifier
 * answers them `InvalidClientTokenId`.
 */
export async function resolveAccessKey(store: Store, keyring: Keyring, accessKeyId: string): Promise<ResolvedAccessKey | undefined> {
  if (!accessKeyId.startsWith('AKIA')) return undefined;
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
    const secretAccessKey = unsealSecretAccessKey(keyring, key.id, key.secret);
    const resolved: ResolvedAccessKey = { accessKeyId: key.id, status: key.status, secretAccessKey, principal };
    // Serialising the result (a log line, an error report) must not carry the secret.
    Object.defineProperty(resolved, 'toJSON', { enumerable: false, value: () => ({ accessKeyId: key.id, status: key.status, principal }) });
    return resolved;
  });
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
