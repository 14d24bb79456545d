import type { IncomingMessage } from 'node:http';
import { IncompleteBody, RequestEntityTooLarge } from '@latchkey/errors';

/** Largest request body accepted by default: far above IAM's largest document (131,072 characters of a managed policy, URL-encoded). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function tooLarge(limit: number): RequestEntityTooLarge {
  return new RequestEntityTooLarge(`Request body is larger than the maximum of ${limit} bytes.`);
}

/**
 * Reads the raw request body (SigV4 hashes the exact bytes, so no parser may touch it first).
 * A declared or actual size above `limit` rejects with `RequestEntityTooLarge` without buffering
 * the rest; the caller answers and closes the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: Error | undefined): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (error !== undefined) reject(error);
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the rest of the body is drained (and discarded) so the socket can answer.
        req.resume();
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish(undefined);
    // A client that goes away mid-body is the client's fault, not a server failure.
    const onError = (): void => finish(new IncompleteBody('The request body ended before its declared length.'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.once('aborted', onError);
  });
}
