import { createHash, createHmac } from 'node:crypto';
import { IncompleteBody, InvalidRequest, SignatureDoesNotMatch } from '@latchkey/errors';
import {
  CHUNK_STRING_TO_SIGN_PREFIX,
  EMPTY_SHA256,
  SIGNATURE_MISMATCH_MESSAGE,
  TRAILER_SIGNATURE_NAME,
  TRAILER_STRING_TO_SIGN_PREFIX,
} from './constants.js';
import { signatureMatches } from './crypto.js';
import { createChecksum, type Checksum } from './checksum.js';

export type ChunkEncoding = 'signed' | 'signed-trailer' | 'unsigned-trailer';

export interface ChunkVerifierOptions {
  /** `signed`: STREAMING-AWS4-HMAC-SHA256-PAYLOAD; `signed-trailer`: its -TRAILER variant;
   *  `unsigned-trailer`: STREAMING-UNSIGNED-PAYLOAD-TRAILER (no chunk signatures). */
  encoding: ChunkEncoding;
  /** Signing key of the request's scope (unused for `unsigned-trailer`). */
  signingKey?: Uint8Array;
  /** The request's `X-Amz-Date` (ISO 8601 basic). */
  amzDate?: string;
  /** `date/region/service/aws4_request`. */
  scope?: string;
  /** The request's own signature: the seed of the chunk signature chain. */
  seedSignature?: string;
  /** Trailer names announced in `x-amz-trailer` (lower-case); others are rejected. */
  expectedTrailers?: readonly string[];
  /** `x-amz-decoded-content-length`, checked at the end when given. */
  decodedContentLength?: number;
  /** Largest chunk accepted (each chunk is held until its signature is checked). Default 16 MiB. */
  maxChunkSize?: number;
  signatureMismatchMessage?: string;
}

export interface ChunkVerifier {
  /**
   * Feeds the next bytes of the aws-chunked body. Returns the data of every chunk completed and
   * verified by these bytes, in order (often none). Throws `SignatureDoesNotMatch` for a bad chunk
   * signature and `IncompleteBody` for broken framing; no data of a bad chunk is ever returned.
   */
  push(bytes: Uint8Array): Uint8Array[];
  /** Ends the body: throws unless the final chunk (and trailer) arrived intact. */
  end(): { trailers: Record<string, string>; decodedLength: number };
  readonly done: boolean;
}

const MAX_LINE = 4096;
const CRLF_ERROR = 'The aws-chunked body is malformed.';

const enum State {
  Header,
  Data,
  DataCr,
  DataLf,
  Trailer,
  Done,
}

/**
 * Decodes an `aws-chunked` body and verifies it as it streams: each chunk's signature
 * (`AWS4-HMAC-SHA256-PAYLOAD`, chained from the seed signature) is checked before its data is
 * handed on, then the trailer (signature `AWS4-HMAC-SHA256-TRAILER`, and any checksum it carries).
 */
export function createChunkVerifier(options: ChunkVerifierOptions): ChunkVerifier {
  const signed = options.encoding !== 'unsigned-trailer';
  const withTrailer = options.encoding !== 'signed';
  const maxChunk = options.maxChunkSize ?? 16 * 1024 * 1024;
  const mismatch = options.signatureMismatchMessage ?? SIGNATURE_MISMATCH_MESSAGE;
  if (signed && (options.signingKey === undefined || options.amzDate === undefined || options.scope === undefined || options.seedSignature === undefined)) {
    throw new TypeError('signed chunk verification needs signingKey, amzDate, scope and seedSignature');
  }
  const expected = new Set(options.expectedTrailers ?? []);
  const stsPrefix = signed ? '\n' + options.amzDate! + '\n' + options.scope! + '\n' : '';

  let state: State = State.Header;
  let line: number[] = [];
  let remaining = 0;
  let chunkSignature = '';
  let pieces: Uint8Array[] = [];
  let hash = signed ? createHash('sha256') : undefined;
  let previous = options.seedSignature ?? '';
  let decodedLength = 0;
  const trailers: Record<string, string> = {};
  const trailerLines: string[] = [];
  let trailerSignature: string | undefined;
  let checksum: Checksum | undefined;
  let checksumName: string | undefined;
  for (const name of expected) {
    if (name.startsWith('x-amz-checksum-')) {
      checksum = createChecksum(name);
      checksumName = name;
    }
  }

  const malformed = (why = CRLF_ERROR): never => {
    state = State.Done;
    throw new IncompleteBody(why);
  };

  function readHeaderLine(text: string): void {
    const semi = text.indexOf(';');
    const sizeText = semi === -1 ? text : text.slice(0, semi);
    if (sizeText.length === 0 || sizeText.length > 8 || !/^[0-9a-fA-F]+$/.test(sizeText)) malformed();
    remaining = parseInt(sizeText, 16);
    if (remaining > maxChunk) malformed(`A chunk of the aws-chunked body is larger than ${maxChunk} bytes.`);
    if (signed) {
      const ext = semi === -1 ? '' : text.slice(semi + 1);
      if (!ext.startsWith('chunk-signature=')) malformed('A chunk of the aws-chunked body has no chunk-signature.');
      chunkSignature = ext.slice('chunk-signature='.length);
    }
    pieces = [];
    state = remaining === 0 ? State.DataCr : State.Data;
    if (remaining === 0) finishChunk([]);
  }

  function finishChunk(out: Uint8Array[]): void {
    const size = pieces.reduce((n, p) => n + p.length, 0);
    if (signed) {
      const dataHash = hash!.digest('hex');
      hash = createHash('sha256');
      const sts = CHUNK_STRING_TO_SIGN_PREFIX + stsPrefix + previous + '\n' + EMPTY_SHA256 + '\n' + dataHash;
      const expectedSig = createHmac('sha256', options.signingKey!).update(sts).digest();
      if (!signatureMatches(expectedSig, chunkSignature)) {
        state = State.Done;
        throw new SignatureDoesNotMatch(mismatch, { detail: 'aws-chunked chunk signature mismatch' });
      }
      previous = chunkSignature;
    }
    if (size === 0) {
      // the last chunk: what follows is the (possibly empty) trailer, ended by an empty line
      state = State.Trailer;
      return;
    }
    decodedLength += size;
    out.push(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, size));
    pieces = [];
  }

  function readTrailerLine(text: string): void {
    if (text === '') {
      finishTrailer();
      return;
    }
    if (!withTrailer) malformed();
    const colon = text.indexOf(':');
    if (colon <= 0) malformed();
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === TRAILER_SIGNATURE_NAME && signed) {
      if (trailerSignature !== undefined) malformed();
      trailerSignature = value;
      return;
    }
    if (!expected.has(name) || Object.prototype.hasOwnProperty.call(trailers, name) || trailerSignature !== undefined) {
      malformed(`The trailer '${name.slice(0, 64)}' was not announced in x-amz-trailer.`);
    }
    trailers[name] = value;
    trailerLines.push(name + ':' + value + '\n');
  }

  function finishTrailer(): void {
    if (withTrailer && signed) {
      if (trailerSignature === undefined) malformed('The aws-chunked trailer has no x-amz-trailer-signature.');
      const sts =
        TRAILER_STRING_TO_SIGN_PREFIX + stsPrefix + previous + '\n' + createHash('sha256').update(trailerLines.join('')).digest('hex');
      const expectedSig = createHmac('sha256', options.signingKey!).update(sts).digest();
      if (!signatureMatches(expectedSig, trailerSignature!)) {
        state = State.Done;
        throw new SignatureDoesNotMatch(mismatch, { detail: 'aws-chunked trailer signature mismatch' });
      }
    }
    for (const name of expected) {
      if (!Object.prototype.hasOwnProperty.call(trailers, name)) malformed(`The trailer '${name}' announced in x-amz-trailer is missing.`);
    }
    if (checksum !== undefined && checksumName !== undefined) {
      if (checksum.digestBase64() !== trailers[checksumName]) {
        state = State.Done;
        throw new InvalidRequest(`Value for ${checksumName} trailing header is invalid.`);
      }
    }
    state = State.Done;
  }

  return {
    get done() {
      return state === State.Done;
    },
    push(bytes) {
      const out: Uint8Array[] = [];
      let i = 0;
      while (i < bytes.length) {
        switch (state) {
          case State.Header:
          case State.Trailer: {
            const b = bytes[i++]!;
            if (b === 0x0a) {
              if (line.length === 0 || line[line.length - 1] !== 0x0d) malformed();
              line.pop();
              const text = Buffer.from(line).toString('latin1');
              line = [];
              if (state === State.Header) readHeaderLine(text);
              else readTrailerLine(text);
            } else {
              if (line.length >= MAX_LINE) malformed();
              line.push(b);
            }
            break;
          }
          case State.Data: {
            const take = Math.min(remaining, bytes.length - i);
            const piece = bytes.subarray(i, i + take);
            pieces.push(piece);
            hash?.update(piece);
            checksum?.update(piece);
            i += take;
            remaining -= take;
            if (remaining === 0) state = State.DataCr;
            break;
          }
          case State.DataCr:
            if (bytes[i++] !== 0x0d) malformed();
            state = State.DataLf;
            break;
          case State.DataLf:
            if (bytes[i++] !== 0x0a) malformed();
            state = State.Header;
            finishChunk(out);
            break;
          case State.Done:
            malformed('Data follows the end of the aws-chunked body.');
        }
      }
      return out;
    },
    end() {
      if (state !== State.Done) malformed('The aws-chunked body ended before its final chunk.');
      if (options.decodedContentLength !== undefined && options.decodedContentLength !== decodedLength) {
        throw new IncompleteBody('The decoded length of the aws-chunked body does not match x-amz-decoded-content-length.');
      }
      return { trailers: { ...trailers }, decodedLength };
    },
  };
}

/** A web `TransformStream` that emits only verified chunk data (see `createChunkVerifier`). */
export function createChunkVerifierStream(options: ChunkVerifierOptions): TransformStream<Uint8Array, Uint8Array> {
  const verifier = createChunkVerifier(options);
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(bytes, controller) {
      for (const data of verifier.push(bytes)) controller.enqueue(data);
    },
    flush() {
      verifier.end();
    },
  });
}
