import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What the remote credential source needs of an internal API answer. */
export interface InternalApiAnswer {
  readonly status: number;
  /** `x-amzn-ErrorType`, when the server sent one. */
  readonly errorType: string | undefined;
  readonly text: string;
}

/**
 * POSTs one signed internal API call (`headers` as signed, `host` included) and reads the
 * whole answer. Rejects on transport failures only (the caller turns those into 503s).
 */
export type InternalApiTransport = (headers: Readonly<Record<string, string>>, body: string, call?: InternalApiCallOptions) => Promise<InternalApiAnswer>;

export interface InternalApiCallOptions {
  /** Ends the call (a watch being stopped). */
  readonly signal?: AbortSignal;
  /** This call's timeout instead of the transport's (a long poll waits longer than a lookup). */
  readonly timeoutMs?: number;
}

/** Answers are a key or a principal's policy documents: far below this. A larger one is refused, not buffered. */
export const MAX_INTERNAL_API_ANSWER_BYTES = 16 * 1024 * 1024;
/** Default: no answer, or no progress on the socket, within this: the call fails (503) and is not cached. */
export const INTERNAL_API_TIMEOUT_MS = 10_000;

/**
 * The transport over `node:http`/`node:https` with a keep-alive agent of its own: one connection
 * serves the cache's reloads one after another. (Measured against the Latchkey server: `fetch`
 * cost ~2.5 ms of the service's CPU per call, most of it undici's request and stream
 * machinery; reloads run while the service is under load, so that was taken from requests.)
 */
export function nodeInternalApiTransport(endpoint: URL, path: string, defaultTimeoutMs: number, options: { readonly unref?: boolean } = {}): InternalApiTransport {
  const secure = endpoint.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const send: (options: RequestOptions, callback: (res: IncomingMessage) => void) => ClientRequest = secure ? httpsRequest : httpRequest;
  // URL keeps IPv6 literals bracketed; node:http wants the bare address.
  const hostname = endpoint.hostname.startsWith('[') ? endpoint.hostname.slice(1, -1) : endpoint.hostname;
  const port = endpoint.port === '' ? (secure ? 443 : 80) : Number(endpoint.port);

  const once = (headers: Readonly<Record<string, string>>, body: string, call: InternalApiCallOptions): Promise<{ answer?: InternalApiAnswer; retry?: boolean; error?: Error }> =>
    new Promise((resolve) => {
      const timeoutMs = call.timeoutMs ?? defaultTimeoutMs;
      let settled = false;
      const settle = (outcome: { answer?: InternalApiAnswer; retry?: boolean; error?: Error }): void => {
        if (!settled) {
          settled = true;
          resolve(outcome);
        }
      };
      const req = send(
        {
          hostname,
          port,
          path,
          method: 'POST',
          agent,
          timeout: timeoutMs,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          ...(call.signal === undefined ? {} : { signal: call.signal }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_INTERNAL_API_ANSWER_BYTES) {
              settle({ error: new Error(`the answer is larger than ${MAX_INTERNAL_API_ANSWER_BYTES} bytes`) });
              res.destroy();
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            const type = res.headers['x-amzn-errortype'];
            settle({ answer: { status: res.statusCode ?? 0, errorType: typeof type === 'string' ? type : undefined, text: Buffer.concat(chunks, size).toString('utf8') } });
          });
          res.on('error', (error) => settle({ error }));
          res.on('aborted', () => settle({ error: new Error('the answer was cut off') }));
        },
      );
      // A watch's long poll must not keep the process alive by itself (its agent is its own).
      if (options.unref === true) req.on('socket', (socket) => socket.unref());
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) =>
        // A kept-alive connection the server closed just as it was reused: the call never
        // reached it (the documented keep-alive race), so sending it once more is safe.
        settle(req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE') ? { retry: true, error } : { error }),
      );
      req.end(body);
    });

  return async (headers, body, call = {}) => {
    let outcome = await once(headers, body, call);
    if (outcome.retry === true && call.signal?.aborted !== true) outcome = await once(headers, body, call);
    if (outcome.answer !== undefined) return outcome.answer;
    throw outcome.error ?? new Error('no answer');
  };
}

/** The transport over a WHATWG `fetch` (an injected one: tests, proxies, instrumentation). */
export function fetchInternalApiTransport(doFetch: typeof fetch, url: string): InternalApiTransport {
  return async (headers, body, call = {}) => {
    // fetch sets Host from the URL itself and refuses it as a header.
    const sent: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'host') sent[k] = v;
    const signals = [...(call.signal === undefined ? [] : [call.signal]), ...(call.timeoutMs === undefined ? [] : [AbortSignal.timeout(call.timeoutMs)])];
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    const response = await doFetch(url, { method: 'POST', headers: sent, body, ...(signal === undefined ? {} : { signal }) });
    const text = await response.text();
    return { status: response.status, errorType: response.headers.get('x-amzn-ErrorType') ?? undefined, text };
  };
}
