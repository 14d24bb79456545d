import { defineAwsError, ServiceUnavailable, type AwsError } from '@latchkey/errors';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { INTERNAL_API_CONTENT_TYPE, INTERNAL_API_SIGNING_NAME, INTERNAL_API_TARGET_PREFIX, type InternalApiAction } from './internal-api.js';
import {
  fetchInternalApiTransport,
  INTERNAL_API_TIMEOUT_MS,
  nodeInternalApiTransport,
  type InternalApiAnswer,
  type InternalApiCallOptions,
  type InternalApiTransport,
} from './internal-api-transport.js';

/** Latchkey credentials of the caller: a service's own (never a user's), or an operator's. */
export interface ServiceCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface InternalApiClientOptions {
  /** The Latchkey server, `https://latchkey.internal:8443`. */
  readonly endpoint: string;
  /** The caller's credentials, or a provider (refreshing role credentials, for instance). */
  readonly credentials: ServiceCredentials | (() => Promise<ServiceCredentials>);
  /** Region the calls are signed for. Default `us-east-1`. */
  readonly region?: string;
  /** A WHATWG `fetch` to send the calls with. Default: `node:http`/`node:https` with a keep-alive connection of the client's own. */
  readonly fetch?: typeof fetch;
  /** How long a call may wait for the server, in ms, with the default transport. Default 10 000. */
  readonly timeoutMs?: number;
  /** Clock for signing, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

export interface InternalApiClientCallOptions extends InternalApiCallOptions {
  /**
   * Reject with the server's own 4xx error (its code, status and message) instead of a 503: for
   * calls whose failure a person reads (registering a catalog, the CLI), not for the request path,
   * where any failure of the service's own call must be the caller's 503.
   */
  readonly serverErrors?: boolean;
  /** Send over this transport instead of the client's (the change watch's unref'd connection). */
  readonly via?: InternalApiTransport;
}

/** Signs and sends internal API calls (docs/internal-api.md); the base of `remoteCredentialSource`. */
export interface InternalApiClient {
  /**
   * One call: the parsed JSON answer of a 200. Any other outcome rejects with 503
   * `ServiceUnavailable` (the detail says what happened), or with `serverErrors` the server's own
   * 4xx error.
   */
  call<T>(action: InternalApiAction, body: unknown, options?: InternalApiClientCallOptions): Promise<T>;
  /** A transport of its own whose idle connection never keeps the process alive (long polls). */
  unrefTransport(): InternalApiTransport;
  /** The per-call timeout in effect, ms. */
  readonly timeoutMs: number;
}

class Sha256 extends Hash {
  constructor(secret?: Parameters<typeof Hash.prototype.update>[0]) {
    super('sha256', secret as never);
  }
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

/** The Latchkey server could not be used: 503, never cached, never the principal's fault. */
export function unavailable(detail: string): AwsError {
  return new ServiceUnavailable('Service is unable to handle request.', { detail });
}

/** `who` names the caller in option errors (`remoteCredentialSource: timeoutMs must be ...`). */
export function internalApiClient(options: InternalApiClientOptions, who = 'internalApiClient'): InternalApiClient {
  const endpoint = new URL(options.endpoint);
  if (options.timeoutMs !== undefined && !(Number.isSafeInteger(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new TypeError(`${who}: timeoutMs must be a positive whole number of milliseconds, got ${String(options.timeoutMs)}`);
  }
  const now = options.now ?? Date.now;
  const credentials = typeof options.credentials === 'function' ? options.credentials : () => Promise.resolve(options.credentials as ServiceCredentials);
  const signer = new SignatureV4({ service: INTERNAL_API_SIGNING_NAME, region: options.region ?? 'us-east-1', credentials, sha256: Sha256, uriEscapePath: true, applyChecksum: false });
  const path = endpoint.pathname === '' ? '/' : endpoint.pathname;
  const url = `${endpoint.protocol}//${endpoint.host}${path}`;
  const timeoutMs = options.timeoutMs ?? INTERNAL_API_TIMEOUT_MS;
  const transport = options.fetch === undefined ? nodeInternalApiTransport(endpoint, path, timeoutMs) : fetchInternalApiTransport(options.fetch, url);

  return {
    timeoutMs,
    unrefTransport: () => (options.fetch === undefined ? nodeInternalApiTransport(endpoint, path, timeoutMs, { unref: true }) : transport),
    async call<T>(action: InternalApiAction, body: unknown, callOptions?: InternalApiClientCallOptions): Promise<T> {
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
        answer = await (callOptions?.via ?? transport)(signed.headers, text, callOptions);
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
    },
  };
}
