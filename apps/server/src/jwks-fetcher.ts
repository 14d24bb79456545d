import type { JSONWebKeySet } from 'jose';
import type { FetchJwks } from '@latchkey/sts';
import { ConfigError } from './server-config.js';

export interface JwksFetcherOptions {
  /** `globalThis.fetch` in production (injected by `main`/`startServer`). */
  readonly fetch: typeof fetch;
  /** Reads a local JWKS file (UTF-8). */
  readonly readFile: (path: string) => Promise<string>;
  /**
   * Per issuer URL (as registered with CreateOpenIDConnectProvider): a local JWKS file, or the
   * http(s) URL of a JWKS document, used instead of OIDC discovery (air-gapped setups).
   */
  readonly sources?: ReadonlyMap<string, string>;
  /** Per HTTP request. Default 5 s. */
  readonly timeoutMs?: number;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

function asJwks(value: unknown, where: string): JSONWebKeySet {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
    throw new Error(`${where} is not a JWKS (no "keys" array)`);
  }
  return value as JSONWebKeySet;
}

/**
 * The server's `fetchJwks` for AssumeRoleWithWebIdentity: the configured source for the issuer
 * when there is one (file or URL), else OIDC discovery over HTTPS
 * (`<issuer>/.well-known/openid-configuration` → `jwks_uri`). Errors become IDPCommunicationError
 * in STS; the StsService caches the result per issuer.
 */
export function jwksFetcher(options: JwksFetcherOptions): FetchJwks {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const sources = new Map<string, string>();
  for (const [issuer, source] of options.sources ?? []) sources.set(trimSlash(issuer), source);

  const getJson = async (url: string): Promise<unknown> => {
    const res = await options.fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
    return res.json();
  };

  return async (issuerUrl) => {
    const source = sources.get(trimSlash(issuerUrl));
    if (source !== undefined) {
      if (/^https?:\/\//i.test(source)) return asJwks(await getJson(source), source);
      return asJwks(JSON.parse(await options.readFile(source)), source);
    }
    if (!issuerUrl.startsWith('https://')) throw new Error(`issuer ${issuerUrl} is not https and has no configured JWKS source`);
    const discovery = (await getJson(`${trimSlash(issuerUrl)}/.well-known/openid-configuration`)) as { jwks_uri?: unknown };
    if (typeof discovery.jwks_uri !== 'string' || !discovery.jwks_uri.startsWith('https://')) throw new Error(`discovery for ${issuerUrl} has no https jwks_uri`);
    return asJwks(await getJson(discovery.jwks_uri), discovery.jwks_uri);
  };
}

/** `--oidc-jwks <issuer>=<file or URL>` values (repeatable) into a map; throws ConfigError. */
export function parseOidcJwksOptions(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    const issuer = eq < 0 ? '' : value.slice(0, eq);
    const source = eq < 0 ? '' : value.slice(eq + 1);
    if (!/^https:\/\/[^\s=]+$/.test(issuer) || source === '') {
      throw new ConfigError(`--oidc-jwks must be <issuer https URL>=<JWKS file or URL>, got '${value}'`);
    }
    out.set(trimSlash(issuer), source);
  }
  return out;
}
