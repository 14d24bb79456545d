import { createHash, createHmac } from 'node:crypto';

export interface SignInput {
  readonly url: string;
  readonly body: string | Buffer;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly method?: 'POST' | 'GET';
  readonly region?: string;
  readonly service?: string;
  /** `yyyymmddThhmmssZ`; defaults to now. */
  readonly amzDate?: string;
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function amzDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * A minimal SigV4 header signer (host, x-amz-date, content-type signed; body hashed), written
 * from the spec for raw-HTTP tests and the benchmark's precomputed requests. Canonical query
 * handling is limited to already-encoded, sorted parameters, which is all the tests send.
 */
export function signRequest(input: SignInput): { headers: Record<string, string> } {
  const u = new URL(input.url);
  const method = input.method ?? 'POST';
  const region = input.region ?? 'us-east-1';
  const service = input.service ?? 'iam';
  const amzDate = input.amzDate ?? amzDateOf(Date.now());
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    host: u.host,
    'x-amz-date': amzDate,
    ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}),
    ...input.extraHeaders,
  };
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${String(lower[n]).trim()}\n`).join('');
  const signedHeaders = names.join(';');
  const query = u.search.length > 1 ? u.search.slice(1).split('&').sort().join('&') : '';
  const canonical = [method, u.pathname || '/', query, canonicalHeaders, signedHeaders, sha256(input.body)].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, date), region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
  };
}

/** Sends a signed (or, with `sign: false`, unsigned) Query request; resolves status, headers and body text. */
export async function send(
  url: string,
  body: string | Buffer,
  creds: { accessKeyId: string; secretAccessKey: string } | undefined,
  options: Partial<SignInput> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const method = options.method ?? 'POST';
  const headers = creds === undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : signRequest({ url, body, ...creds, ...options }).headers;
  delete (headers as Record<string, string>).host;
  const res = await fetch(url, { method, headers, ...(method === 'POST' ? { body } : {}), redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
