import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export interface UnsignedRequest {
  method: string;
  /** wire path, already percent-encoded as a client would send it */
  path: string;
  /** decoded query: key -> value(s) */
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface SignOptions {
  region: string;
  service: string;
  date: Date;
  uriEscapePath: boolean;
  applyChecksum: boolean;
  sessionToken?: string;
  presign?: { expiresIn: number };
}

export async function smithySign(req: UnsignedRequest, o: SignOptions): Promise<HttpRequest> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, ...(o.sessionToken === undefined ? {} : { sessionToken: o.sessionToken }) },
    region: o.region,
    service: o.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: o.uriEscapePath,
    applyChecksum: o.applyChecksum,
  });
  const request = new HttpRequest({
    method: req.method,
    protocol: 'https:',
    hostname: req.headers['host'] ?? 'example.com',
    path: req.path,
    query: req.query,
    headers: { ...req.headers },
    body: req.body,
  });
  if (o.presign !== undefined) return (await signer.presign(request, { expiresIn: o.presign.expiresIn, signingDate: o.date })) as HttpRequest;
  return (await signer.sign(request, { signingDate: o.date })) as HttpRequest;
}

/** smithy's URI escape: encodeURIComponent plus !'()* */
export function escape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function queryString(query: HttpRequest['query'], reverse = false): string {
  const pieces: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) pieces.push(escape(key) + '=' + escape(v));
  }
  if (reverse) pieces.reverse();
  return pieces.join('&');
}
