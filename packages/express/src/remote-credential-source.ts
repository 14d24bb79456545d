import { ExpiredToken, InvalidClientTokenId } from '@latchkey/errors';
import type { Caller } from '@latchkey/iam';
import { callerFromJson, callerToJson } from './caller-json.js';
import type { CredentialChanges, CredentialSource, PrincipalPolicies, ServiceSigningKey, SigningKeyRequest } from './credential-source.js';
import { internalApiClient, unavailable, type InternalApiClientOptions } from './internal-api-client.js';
import {
  fromWirePolicy,
  type GetPrincipalPoliciesResponse,
  type GetServiceSigningKeyResponse,
  type ListChangesResponse,
  type PutServiceCatalogResponse,
  MAX_LIST_CHANGES_WAIT_SECONDS,
} from './internal-api.js';
import type { ServiceCatalogDocument } from './service-catalog-document.js';

export type { ServiceCredentials } from './internal-api-client.js';

/**
 * The internal API client's options (`endpoint`, the service's own `credentials`, `region`,
 * `fetch`, `timeoutMs` — a call that times out fails with 503 `ServiceUnavailable` and is not
 * cached — and `now`), and the service's name.
 */
export interface RemoteCredentialSourceOptions extends InternalApiClientOptions {
  /** This service's name (its catalog name): the resource its calls are authorized on. */
  readonly service: string;
}

/** Least time between two watch polls that brought no news, and the first retry's delay. */
const WATCH_MIN_INTERVAL_MS = 1_000;
const WATCH_MAX_BACKOFF_MS = 60_000;

/**
 * A `CredentialSource` over the Latchkey server's internal API (docs/internal-api.md): every
 * call is SigV4-signed with the service's own credentials and authorized by the server's policy
 * engine; answers carry only scoped signing keys and policy documents. The middleware caches
 * both (`cacheTtlMs`), so a known principal costs no round trip per request.
 */
export function remoteCredentialSource(options: RemoteCredentialSourceOptions): CredentialSource {
  const client = internalApiClient(options, 'remoteCredentialSource');
  const call = client.call.bind(client);

  return {
    async getSigningKey(request: SigningKeyRequest): Promise<ServiceSigningKey | undefined> {
      const out = await call<GetServiceSigningKeyResponse>('GetServiceSigningKey', {
        AccessKeyId: request.accessKeyId,
        ...(request.sessionToken === undefined ? {} : { SessionToken: request.sessionToken }),
        Date: request.date,
        Region: request.region,
        Service: request.service,
      });
      switch (out?.Result) {
        case 'NotFound':
          return undefined;
        case 'Rejected':
          // Only the two answers SigV4 verification can give about a principal's credentials.
          throw out.Code === 'ExpiredToken' ? new ExpiredToken(out.Message) : new InvalidClientTokenId(out.Message);
        case 'Found': {
          const key = Buffer.from(out.SigningKey, 'base64');
          if (key.length !== 32) throw unavailable('internal API: signing key is not 32 bytes');
          let principal: Caller;
          try {
            principal = callerFromJson(out.Principal);
          } catch (err) {
            throw unavailable((err as Error).message);
          }
          return { signingKey: new Uint8Array(key), status: out.Status === 'Inactive' ? 'Inactive' : 'Active', principal, ...(out.Expiration === undefined ? {} : { expiresAt: out.Expiration * 1000 }) };
        }
        default:
          throw unavailable('internal API: unexpected GetServiceSigningKey answer');
      }
    },

    async getPrincipalPolicies(principal: Caller): Promise<PrincipalPolicies> {
      const out = await call<GetPrincipalPoliciesResponse>('GetPrincipalPolicies', { Service: options.service, Principal: callerToJson(principal) });
      try {
        return {
          identity: out.Identity.map(fromWirePolicy),
          ...(out.Boundary === undefined ? {} : { boundary: fromWirePolicy(out.Boundary) }),
          ...(out.Session === undefined ? {} : { session: out.Session.map(fromWirePolicy) }),
          tags: out.Tags.map((t) => {
            if (typeof t.Key !== 'string' || typeof t.Value !== 'string') throw new TypeError('internal API: malformed tag');
            return { key: t.Key, value: t.Value };
          }),
          ...(out.FailClosed === true ? { failClosed: true } : {}),
        };
      } catch (err) {
        throw unavailable((err as Error).message);
      }
    },

    async putServiceCatalog(document: ServiceCatalogDocument): Promise<{ readonly updatedAt: number }> {
      const out = await call<PutServiceCatalogResponse>('PutServiceCatalog', { Service: options.service, Catalog: document }, { serverErrors: true });
      if (typeof out?.UpdatedAt !== 'number') throw unavailable('internal API: unexpected PutServiceCatalog answer');
      return { updatedAt: out.UpdatedAt * 1000 };
    },

    watch(listener: (changes: CredentialChanges) => void): () => void {
      // Long polls of their own connection, unref'd: a watch never keeps the process alive.
      const via = client.unrefTransport();
      const stop = new AbortController();
      let cursor: string | undefined;
      let failures = 0;
      const pause = (ms: number): Promise<void> =>
        new Promise((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            stop.signal.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          timer.unref();
          stop.signal.addEventListener('abort', done);
        });
      const loop = async (): Promise<void> => {
        while (!stop.signal.aborted) {
          const started = performance.now();
          try {
            const out = await call<ListChangesResponse>(
              'ListChanges',
              { Service: options.service, ...(cursor === undefined ? {} : { Cursor: cursor }), WaitTimeSeconds: MAX_LIST_CHANGES_WAIT_SECONDS },
              { via, signal: stop.signal, timeoutMs: MAX_LIST_CHANGES_WAIT_SECONDS * 1000 + client.timeoutMs },
            );
            if (typeof out?.Cursor !== 'string' || typeof out.Reset !== 'boolean' || !Array.isArray(out.Changes)) throw unavailable('internal API: unexpected ListChanges answer');
            if (stop.signal.aborted) return;
            failures = 0;
            cursor = out.Cursor;
            const kinds = out.Changes.map((c) => String(c?.Kind));
            if (out.Reset || kinds.length > 0) {
              try {
                listener({ reset: out.Reset, kinds });
              } catch {
                // the listener's own failure is not the watch's
              }
            }
            // A server that answers at once without news (shutting down, or not waiting): do not spin.
            if (!out.Reset && kinds.length === 0 && performance.now() - started < WATCH_MIN_INTERVAL_MS) await pause(WATCH_MIN_INTERVAL_MS);
          } catch {
            if (stop.signal.aborted) return;
            // Not allowed (no latchkey:ListChanges), unreachable, restarting: the TTL bounds
            // staleness meanwhile; try again later, backing off to a minute.
            failures++;
            await pause(Math.min(WATCH_MAX_BACKOFF_MS, WATCH_MIN_INTERVAL_MS * 2 ** Math.min(failures - 1, 10)));
          }
        }
      };
      void loop();
      return () => stop.abort();
    },
  };
}
