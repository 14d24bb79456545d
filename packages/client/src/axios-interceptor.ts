import type { RequestSigner } from './request-signer.js';

/** The parts of an axios request config the interceptor reads and writes. */
export interface AxiosLikeConfig {
  url?: string;
  baseURL?: string;
  method?: string;
  params?: Record<string, string | number | boolean>;
  headers?: Record<string, unknown> | { toJSON?(): Record<string, unknown>; set?(name: string, value: string): unknown };
  data?: unknown;
}

function plainHeaders(headers: AxiosLikeConfig['headers']): Record<string, string> {
  const source = headers !== undefined && typeof (headers as { toJSON?: unknown }).toJSON === 'function' ? (headers as { toJSON(): Record<string, unknown> }).toJSON() : ((headers ?? {}) as Record<string, unknown>);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (typeof v === 'string' || typeof v === 'number') out[k.toLowerCase()] = String(v);
  return out;
}

/**
 * An axios request interceptor (`axios.interceptors.request.use(axiosSigningInterceptor(signer))`)
 * that serialises the body as axios would (objects as JSON), signs, and writes the signed
 * headers and URL back. The same `signer.sign({ method, url, headers, body })` serves undici's
 * `request()` or any other client: send exactly the returned URL, headers and body.
 */
export function axiosSigningInterceptor(signer: RequestSigner): <C extends AxiosLikeConfig>(config: C) => Promise<C> {
  return async (config) => {
    const base = config.baseURL === undefined ? undefined : config.baseURL.replace(/\/+$/, '');
    const target = new URL(base === undefined || /^https?:/i.test(config.url ?? '') ? (config.url ?? '') : `${base}/${(config.url ?? '').replace(/^\/+/, '')}`);
    // Not searchParams.append: it writes spaces as `+`, which SigV4 reads as a literal plus.
    const extra = Object.entries(config.params ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    if (extra.length > 0) target.search = `${target.search === '' ? '' : `${target.search}&`}${extra.join('&')}`;
    const headers = plainHeaders(config.headers);
    let body: string | Uint8Array | undefined;
    if (typeof config.data === 'string' || config.data instanceof Uint8Array) body = config.data;
    else if (config.data !== undefined && config.data !== null) {
      body = JSON.stringify(config.data);
      headers['content-type'] ??= 'application/json';
    }
    const signed = await signer.sign({ method: config.method ?? 'get', url: target, headers, ...(body === undefined ? {} : { body }) });
    const setter = config.headers as { set?(name: string, value: string): unknown } | undefined;
    if (setter !== undefined && typeof setter.set === 'function') for (const [k, v] of Object.entries(signed.headers)) setter.set(k, v);
    else config.headers = { ...(config.headers as Record<string, unknown> | undefined), ...signed.headers };
    const out: AxiosLikeConfig = config;
    out.url = signed.url;
    delete out.baseURL;
    delete out.params;
    if (body !== undefined) out.data = body;
    return config;
  };
}
