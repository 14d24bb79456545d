import { RequestEntityTooLarge } from '@latchkey/errors';
import type { Request } from 'express';

const EMPTY = Buffer.alloc(0);

/**
 * The body when it needs no reading: a Buffer left by `express.raw()`, or none at all (no
 * Content-Length and no Transfer-Encoding: HTTP/1.1 says there is no body, as for a plain GET).
 * Undefined when the stream must be read.
 */
export function bodyAtHand(req: Request): Buffer | undefined {
  const existing: unknown = req.body;
  if (Buffer.isBuffer(existing)) return existing;
  if (existing === undefined && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return EMPTY;
  return undefined;
}

/**
 * The body bytes exactly as received, for the SigV4 payload hash. A `Buffer` already in
 * `req.body` (`express.raw()` mounted first) is used as is; a body another parser has turned
 * into an object cannot be hashed any more, which is a mounting mistake.
 */
export async function readRawBody(req: Request, maxBytes: number): Promise<Buffer> {
  const existing: unknown = req.body;
  if (Buffer.isBuffer(existing)) return existing;
  if (existing !== undefined) throw new TypeError('latchkey: req.body was already parsed; mount latchkey() before body parsers (or use express.raw())');
  if (req.readableEnded) return Buffer.alloc(0);
  // No Content-Length and no Transfer-Encoding: HTTP/1.1 says there is no body (a plain GET).
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return Buffer.alloc(0);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new RequestEntityTooLarge(`Request body must be at most ${maxBytes} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.unpipe?.();
      throw new RequestEntityTooLarge(`Request body must be at most ${maxBytes} bytes.`);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}
