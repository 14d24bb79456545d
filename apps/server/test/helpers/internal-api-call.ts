import { signRequest } from './sign.js';

export type Keys = { accessKeyId: string; secretAccessKey: string };
export const INTERNAL_API_TARGET = 'LatchkeyInternal_20261127';

export interface InternalApiCallResult {
  readonly status: number;
  readonly errorType: string | null;
  readonly contentType: string | null;
  readonly text: string;
  readonly json: Record<string, any>;
}

/** A raw internal API call to the server at `url`, signed with `keys` for `signingName` (default `latchkey`); unsigned without keys. */
export async function internalApiCall(
  url: string,
  keys: Keys | undefined,
  action: string,
  body: unknown,
  options: { signingName?: string; target?: string; rawBody?: string } = {},
): Promise<InternalApiCallResult> {
  const text = options.rawBody ?? JSON.stringify(body);
  const extra = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': options.target ?? `${INTERNAL_API_TARGET}.${action}` };
  const headers = keys === undefined ? extra : signRequest({ url: url + '/', body: text, ...keys, service: options.signingName ?? 'latchkey', extraHeaders: extra }).headers;
  delete (headers as Record<string, string>).host;
  const res = await fetch(url + '/', { method: 'POST', headers, body: text });
  const answer = await res.text();
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(answer) as Record<string, any>;
  } catch {
    // not JSON (the Query handler's XML, in the routing test)
  }
  return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), contentType: res.headers.get('content-type'), text: answer, json };
}
