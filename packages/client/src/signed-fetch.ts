import { createRequestSigner, type RequestSigner, type SignerOptions } from './request-signer.js';
import { CLOCK_SKEW_CODES, errorCodeOf, updatedClockOffset } from './skew.js';

export interface SignedFetchOptions extends SignerOptions {
  /** The fetch to wrap. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Retries after a clock-skew error that moved the clock offset. Default 2 (the SDKs' 3 attempts). */
  readonly maxSkewRetries?: number;
}

export type SignedFetch = ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) & {
  readonly signer: RequestSigner;
  presignUrl: RequestSigner['presignUrl'];
};

/**
 * A `fetch` that signs every request with SigV4 for `service`/`region`: the body is read once,
 * hashed and sent as signed. A 4xx clock-skew error (`RequestTimeTooSkewed`,
 * `SignatureDoesNotMatch` "Signature expired", …) whose `Date` shows the local clock off by
 * 5 minutes or more moves the signing clock to the server's and retries, as the AWS SDKs do.
 */
export function createSignedFetch(options: SignedFetchOptions): SignedFetch {
  const signer = createRequestSigner(options);
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const maxRetries = options.maxSkewRetries ?? 2;

  const signedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const bytes = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    for (let attempt = 0; ; attempt++) {
      const signed = await signer.sign({ method: request.method, url: request.url, headers, ...(bytes === undefined ? {} : { body: bytes }) });
      const response = await doFetch(signed.url, {
        method: signed.method,
        headers: signed.headers,
        ...(bytes === undefined ? {} : { body: bytes }),
        redirect: request.redirect,
        signal: request.signal,
      });
      if (attempt >= maxRetries || (response.status !== 400 && response.status !== 401 && response.status !== 403)) return response;
      const text = await response.clone().text();
      const code = errorCodeOf(text, response.headers.get('x-amzn-ErrorType'));
      if (code === undefined || !CLOCK_SKEW_CODES.has(code)) return response;
      const offset = updatedClockOffset(response.headers.get('date'), now(), signer.clockOffsetMs);
      // Retry only when the offset moved: a real signature problem would fail again.
      if (offset === signer.clockOffsetMs) return response;
      signer.clockOffsetMs = offset;
    }
  };
  return Object.assign(signedFetch, { signer, presignUrl: signer.presignUrl.bind(signer) });
}
