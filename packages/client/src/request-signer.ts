import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { defaultCredentials, type CredentialProvider, type Credentials } from './credentials.js';

export interface SignerOptions {
  /** The service's signing name (`orders`). */
  readonly service: string;
  readonly region: string;
  /** Credentials or a provider (`roleCredentials`, the SDK's `fromIni`, …). Default: the SDK's default chain. */
  readonly credentials?: Credentials | CredentialProvider;
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Send `UNSIGNED-PAYLOAD` instead of hashing bodies (the service must allow it). Default false. */
  readonly unsignedPayload?: boolean;
}

/** A request to sign: the bytes that will be sent. */
export interface SignableRequest {
  readonly method: string;
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
}

export interface SignedRequest {
  readonly method: string;
  /** The URL to send (its query re-encoded exactly as it was signed). */
  readonly url: string;
  /** Every header to send, `authorization` and `x-amz-*` included; `host` is left to the HTTP client. */
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array | string;
}

export interface RequestSigner {
  sign(request: SignableRequest): Promise<SignedRequest>;
  /** A presigned URL valid for `expiresIn` seconds (default 900, at most 604800). */
  presignUrl(url: string | URL, options?: { method?: string; expiresIn?: number; headers?: Readonly<Record<string, string>> }): Promise<string>;
  /** Milliseconds added to the local clock when signing (corrected from clock-skew errors). */
  clockOffsetMs: number;
}

// RFC 3986 unreserved characters stay; everything else is percent-encoded (SigV4's rule).
function escape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Query pairs decoded strictly (`+` stays a plus, as SigV4 reads it). */
function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const piece of search.replace(/^\?/, '').split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? piece : piece.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(piece.slice(eq + 1));
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

function buildQuery(query: Record<string, string | string[] | null> | undefined): string {
  const parts: string[] = [];
  for (const key of Object.keys(query ?? {}).sort()) {
    const v = (query ?? {})[key];
    if (v === null || v === undefined) continue;
    for (const value of Array.isArray(v) ? v : [v]) parts.push(`${escape(key)}=${escape(value)}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function toHttpRequest(method: string, url: URL, headers: Readonly<Record<string, string>>, body: Uint8Array | string | undefined): HttpRequest {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  lower.host = url.host;
  return new HttpRequest({
    method: method.toUpperCase(),
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query: parseQuery(url.search),
    headers: lower,
    ...(body === undefined ? {} : { body }),
  });
}

// The SDK's Node hash (node:crypto), bound to SHA-256 as the signer's HashConstructor.
class Sha256 extends Hash {
  constructor(secret?: Parameters<typeof Hash.prototype.update>[0]) {
    super('sha256', secret as never);
  }
}

function resolveProvider(credentials: SignerOptions['credentials']): CredentialProvider {
  if (credentials === undefined) return defaultCredentials();
  if (typeof credentials === 'function') return credentials;
  return () => Promise.resolve(credentials);
}

/**
 * SigV4 signing with `@smithy/signature-v4` (the AWS SDK's own signer) and credentials from a
 * provider: the building block of `createSignedFetch`, and what axios/undici hooks call.
 */
export function createRequestSigner(options: SignerOptions): RequestSigner {
  const now = options.now ?? Date.now;
  const provider = resolveProvider(options.credentials);
  const signer = new SignatureV4({ service: options.service, region: options.region, credentials: provider, sha256: Sha256, uriEscapePath: true, applyChecksum: false });
  const state: RequestSigner = {
    clockOffsetMs: 0,
    async sign(request) {
      const url = new URL(request.url);
      const headers = { ...(request.headers ?? {}) };
      if (options.unsignedPayload === true) headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      const http = toHttpRequest(request.method, url, headers, request.body);
      const signed = await signer.sign(http, { signingDate: new Date(now() + state.clockOffsetMs) });
      const out: Record<string, string> = {};
      // The HTTP client writes Host itself (fetch refuses to set it); it is the URL's host either way.
      for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') out[k] = v;
      return {
        method: signed.method,
        url: `${url.protocol}//${url.host}${url.pathname}${buildQuery(signed.query as Record<string, string | string[] | null>)}`,
        headers: out,
        ...(request.body === undefined ? {} : { body: request.body }),
      };
    },
    async presignUrl(target, presign = {}) {
      const url = new URL(target);
      const expiresIn = presign.expiresIn ?? 900;
      const http = toHttpRequest(presign.method ?? 'GET', url, presign.headers ?? {}, undefined);
      const signed = await signer.presign(http, { expiresIn, signingDate: new Date(now() + state.clockOffsetMs) });
      return `${url.protocol}//${url.host}${url.pathname}${buildQuery(signed.query as Record<string, string | string[] | null>)}`;
    },
  };
  return state;
}
