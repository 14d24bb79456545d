import { defineAwsError, ExpiredToken, InvalidClientTokenId, ServiceUnavailable, type AwsError } from '@latchkey/errors';
import type { Caller } from '@latchkey/iam';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { callerFromJson, callerToJson } from './caller-json.js';
import type { CredentialChanges, CredentialSource, PrincipalPolicies, ServiceSigningKey, SigningKeyRequest } from './credential-source.js';
import type { ServiceCatalogDocument } from './service-catalog-document.js';
import {
  fromWirePolicy,
  INTERNAL_API_CONTENT_TYPE,
  INTERNAL_API_SIGNING_NAME,
  INTERNAL_API_TARGET_PREFIX,
  type GetPrincipalPoliciesResponse,
  type GetServiceSigningKeyResponse,
  type InternalApiAction,
  type ListChangesResponse,
  type PutServiceCatalogResponse,
  MAX_LIST_CHANGES_WAIT_SECONDS,
} from './internal-api.js';
import {
  fetchInternalApiTransport,
  INTERNAL_API_TIMEOUT_MS,
  nodeInternalApiTransport,
  type InternalApiAnswer,
  type InternalApiCallOptions,
  type InternalApiTransport,
} from './internal-api-transport.js';

/** The service's own Latchkey credentials (never a user's). */
export interface ServiceCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface RemoteCredentialSourceOptions {
  /** The Latchkey server, `https://latchkey.internal:8443`. */
  readonly endpoint: string;
  /** This service's name (its catalog name): the resource its calls are authorized on. */
  readonly service: string;
  /** The service's credentials, or a provider (refreshing role credentials, for instance). */
  readonly credentials: ServiceCredentials | (() => Promise<ServiceCredentials>);
  /** Region the internal API calls are signed for. Default `us-east-1`. */
  readonly region?: string;
  /**
   * A WHATWG `fetch` to send the calls with (tests, proxies, instrumentation). Default: `node:http`
   * or `node:https` with a keep-alive connection of the source's own (cheaper per call than `fetch`).
   */
  readonly fetch?: typeof fetch;
  /**
   * How long a call may wait for the server (for its answer to start, or between its packets),
   * in ms, with the default transport. Default 10 000. A call that times out fails with 503
   * `ServiceUnavailable` and is not cached.
   */
  readonly timeoutMs?: number;
  /** Clock for signing, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

class Sha256 extends Hash {
  constructor(secret?: Parameters<typeof Hash.prototype.update>[0]) {
    super('sha256', secret as never);
  }
}

/** Least time between two watch polls that brought no news, and the first retry's delay. */
const WATCH_MIN_INTERVAL_MS = 1_000;
const WATCH_MAX_BACKOFF_MS = 60_000;

interface CallOptions extends InternalApiCallOptions {
  /** Answer the server's own 4xx error (code and message) instead of a 503: for calls a person reads the failure of (registration), not for the request path. */
  readonly serverErrors?: boolean;
}

const JSON_ERROR_CODE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** The server's AWS JSON error as an `AwsError` of the same code, status and message (4xx only; anything else is a 503). */
function serverError(action: string, answer: InternalApiAnswer): AwsError {
  let body: { __type?: unknown; message?: unknown } | undefined;
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    body = undefined;
  }
  const code = answer.errorType ?? body?.__type;
  if (answer.status >= 400 && answer.status < 500 && typeof code === 'string' && JSON_ERROR_CODE.test(code) && typeof body?.message === 'string') {
    const Coded = defineAwsError(code, answer.status);
    return new Coded(body.message.slice(0, 2048));
  }
  return unavailable(`internal API ${action} answered ${answer.status} ${answer.errorType ?? 'unknown'}`);
}

function unavailable(detail: string): AwsError {
  // The service cannot verify anything without Latchkey: 503, never cached, never the principal's fault.
  return new ServiceUnavailable('Service is unable to handle request.', { detail });
}

/**
 * A `CredentialSource` over the Latchkey server's internal API (docs/internal-api.md): every
 * call is SigV4-signed with the service's own credentials and authorized by the server's policy
 * engine; answers carry only scoped signing keys and policy documents. The middleware caches
 * both (`cacheTtlMs`), so a known principal costs no round trip per request.
 */
export function remoteCredentialSource(options: RemoteCredentialSourceOptions): CredentialSource {
  const endpoint = new URL(options.endpoint);
  if (options.timeoutMs !== undefined && !(Number.isSafeInteger(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new TypeError(`remoteCredentialSource: timeoutMs must be a positive whole number of milliseconds, got ${String(options.timeoutMs)}`);
  }
  const now = options.now ?? Date.now;
  const credentials = typeof options.credentials === 'function' ? options.credentials : () => Promise.resolve(options.credentials as ServiceCredentials);
  const signer = new SignatureV4({ service: INTERNAL_API_SIGNING_NAME, region: options.region ?? 'us-east-1', credentials, sha256: Sha256, uriEscapePath: true, applyChecksum: false });
  const path = endpoint.pathname === '' ? '/' : endpoint.pathname;

  const url = `${endpoint.protocol}//${endpoint.host}${path}`;
  const timeoutMs = options.timeoutMs ?? INTERNAL_API_TIMEOUT_MS;
  const transport = options.fetch === undefined ? nodeInternalApiTransport(endpoint, path, timeoutMs) : fetchInternalApiTransport(options.fetch, url);

  const call = async <T>(action: InternalApiAction, body: unknown, via: InternalApiTransport = transport, callOptions?: CallOptions): Promise<T> => {
    const text = JSON.stringify(body);
    const request = new HttpRequest({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port === '' ? {} : { port: Number(endpoint.port) }),
      path,
      headers: { host: endpoint.host, 'content-type': INTERNAL_API_CONTENT_TYPE, 'x-amz-target': `${INTERNAL_API_TARGET_PREFIX}.${action}` },
      body: text,
    });
    const signed = await signer.sign(request, { signingDate: new Date(now()) });
    let answer: InternalApiAnswer;
    try {
      answer = await via(signed.headers, text, callOptions);
    } catch (err) {
      throw unavailable(`internal API ${action}: ${(err as Error).message}`);
    }
    if (answer.status !== 200) {
      if (callOptions?.serverErrors === true) throw serverError(action, answer);
      throw unavailable(`internal API ${action} answered ${answer.status} ${answer.errorType ?? 'unknown'}`);
    }
    try {
      return JSON.parse(answer.text) as T;
    } catch {
      throw unavailable(`internal API ${action}: the answer is not JSON`);
    }
  };

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
      const out = await call<PutServiceCatalogResponse>('PutServiceCatalog', { Service: options.service, Catalog: document }, transport, { serverErrors: true });
      if (typeof out?.UpdatedAt !== 'number') throw unavailable('internal API: unexpected PutServiceCatalog answer');
      return { updatedAt: out.UpdatedAt * 1000 };
    },

    watch(listener: (changes: CredentialChanges) => void): () => void {
      // Long polls of their own connection, unref'd: a watch never keeps the process alive.
      const via = options.fetch === undefined ? nodeInternalApiTransport(endpoint, path, timeoutMs, { unref: true }) : transport;
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
              via,
              { signal: stop.signal, timeoutMs: MAX_LIST_CHANGES_WAIT_SECONDS * 1000 + timeoutMs },
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
