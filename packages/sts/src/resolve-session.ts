import { InvalidClientTokenId } from '@latchkey/errors';
import type { Caller } from '@latchkey/iam';
import { BoundedCache, decodeSessionToken, isSessionExpired, sessionTokenError, type Keyring, type Session } from '@latchkey/keyring';
import { sessionCaller } from './session-caller.js';

/** Temporary credentials as SigV4 verification needs them. Never log it: it holds the secret. */
export interface ResolvedSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly expiresAt: Date;
  readonly principal: Caller;
  readonly session: Session;
}

// The text STS answers for a token that does not belong to the request's key id (as for any
// invalid token: AWS does not say which part is wrong).
const INVALID_TOKEN = 'The security token included in the request is invalid.';

interface Entry {
  readonly session: Session;
  readonly principal: Caller;
}

/** Whether the long-term key that minted a GetSessionToken/GetFederationToken session still works. */
export type SourceKeyCheck = (session: Session) => Promise<boolean>;

/**
 * Resolves `ASIA…` credentials from their session token (no database read): decodes it with the
 * keyring (any key still in the ring), caches the decoded session by token (bounded LRU; expiry
 * re-checked on every hit), and checks that the token belongs to the request's access key id.
 * Failures are AWS's: `ExpiredToken` or `InvalidClientTokenId`.
 */
export class SessionResolver {
  readonly #cache: BoundedCache<string, Entry>;

  constructor(
    private readonly keyring: Keyring,
    private readonly sourceKeyCheck: SourceKeyCheck | undefined,
    maxEntries = 10_000,
  ) {
    this.#cache = new BoundedCache(maxEntries);
  }

  get size(): number {
    return this.#cache.size;
  }

  async resolve(accessKeyId: string, sessionToken: string, now: Date): Promise<ResolvedSession> {
    let entry = this.#cache.get(sessionToken);
    if (entry !== undefined) {
      if (isSessionExpired(entry.session, now.getTime())) {
        this.#cache.delete(sessionToken);
        throw sessionTokenError('expired');
      }
    } else {
      const result = await decodeSessionToken(sessionToken, { keyring: this.keyring, now: () => now.getTime() });
      if (!result.ok) throw sessionTokenError(result.failure);
      entry = { session: result.session, principal: sessionCaller(result.session) };
      this.#cache.set(sessionToken, entry);
    }
    const { session, principal } = entry;
    if (session.accessKeyId !== accessKeyId) throw new InvalidClientTokenId(INVALID_TOKEN, { detail: 'session token issued for another access key id' });
    if (this.sourceKeyCheck !== undefined && session.sourceAccessKeyId !== undefined && !(await this.sourceKeyCheck(session))) {
      throw new InvalidClientTokenId(INVALID_TOKEN, { detail: 'the long-term key that minted this session is inactive or deleted' });
    }
    const resolved: ResolvedSession = { accessKeyId, secretAccessKey: session.secretAccessKey, expiresAt: new Date(session.expiresAt * 1000), principal, session };
    // Serialising the result (a log line, an error report) must not carry the secret.
    Object.defineProperty(resolved, 'toJSON', { enumerable: false, value: () => ({ accessKeyId, expiresAt: resolved.expiresAt, principal: principal.arn }) });
    return resolved;
  }
}
