import { ExpiredToken } from '@latchkey/errors';
import { embeddedCredentialSource, type CredentialSource, type ServiceSigningKey, type SigningKeyRequest } from '@latchkey/express';
import type { Caller } from '@latchkey/iam';
import type { Keyring } from '@latchkey/keyring';
import { getSigningKey, type CredentialLookup } from '@latchkey/sigv4';
import type { Store } from '@latchkey/store';

export interface ServerCredentialSourceOptions {
  readonly store: Store;
  readonly keyring: Keyring;
  /** The server's own SigV4 lookup (`CredentialCache.lookup`): long-term keys cached and dropped on the change feed, temporary ones decoded from their session token. */
  readonly lookup: CredentialLookup<Caller>;
  readonly clock: () => number;
}

const EXPIRED_TOKEN_MESSAGE = 'The security token included in the request is expired';

/**
 * The credential source behind the internal API, inside the Latchkey server. Signing keys come
 * from the same lookup the server verifies its own requests with, so a key deactivated or deleted
 * (through any instance, by the change feed) is answered `Inactive`/`NotFound` to services as
 * soon as the server itself refuses it, and `ASIA…` keys work exactly when the server accepts
 * them. Policies are read from the store as the embedded source reads them (one definition of
 * "a principal's policies" for both modes).
 */
export function serverCredentialSource(options: ServerCredentialSourceOptions): CredentialSource {
  const { lookup, clock } = options;
  // Only its store read is used: it is never started, so it holds no subscription.
  const policies = embeddedCredentialSource({ store: options.store, keyring: options.keyring, now: clock });
  return {
    async getSigningKey(request: SigningKeyRequest): Promise<ServiceSigningKey | undefined> {
      const { accessKeyId, sessionToken, date, region, service } = request;
      if (accessKeyId.startsWith('ASIA') && sessionToken === undefined) return undefined;
      const found = await lookup({ accessKeyId, date, region, service, ...(sessionToken === undefined ? {} : { sessionToken }) });
      if (found === undefined) return undefined;
      if (found.expiresAt !== undefined && found.expiresAt <= clock()) throw new ExpiredToken(EXPIRED_TOKEN_MESSAGE);
      const signingKey = found.signingKey ?? (found.secretAccessKey === undefined ? undefined : getSigningKey(found.secretAccessKey, date, region, service));
      if (signingKey === undefined) return undefined;
      return {
        signingKey,
        status: found.status ?? 'Active',
        principal: found.principal,
        ...(found.expiresAt === undefined ? {} : { expiresAt: found.expiresAt }),
      };
    },
    getPrincipalPolicies: (principal) => policies.getPrincipalPolicies(principal),
  };
}
