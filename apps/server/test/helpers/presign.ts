import { createHash, createHmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** node:crypto SHA-256 in the shape @smithy/signature-v4 takes (HMAC when given a secret). */
class Sha256 {
  readonly #hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

/**
 * A presigned `GET /?Action=GetCallerIdentity&Version=2011-06-15` URL, as Kubernetes' AWS
 * authenticator (EKS tokens: `x-k8s-aws-id` signed) and Vault's AWS auth method build them: the
 * holder of the URL proves its identity to a third party, which replays it to STS.
 */
export async function presignGetCallerIdentity(
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  options: { headers?: Record<string, string>; expiresIn?: number; signingDate?: Date } = {},
): Promise<{ url: string; headers: Record<string, string> }> {
  const u = new URL(endpoint);
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials, sha256: Sha256 });
  const request = new HttpRequest({
    method: 'GET',
    protocol: u.protocol,
    hostname: u.hostname,
    port: Number(u.port),
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: u.host, ...options.headers },
  });
  const signed = await signer.presign(request, { expiresIn: options.expiresIn ?? 60, ...(options.signingDate === undefined ? {} : { signingDate: options.signingDate }) });
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const headers = { ...signed.headers };
  delete headers.host;
  return { url: `${u.origin}/?${query}`, headers };
}
