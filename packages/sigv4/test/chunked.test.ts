import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAwsError } from '@latchkey/errors';
import { createChunkVerifier, createChunkVerifierStream, createVerifier, getSigningKey } from '../src/index.js';
import type { ChunkVerifierOptions } from '../src/index.js';

// The worked example of AWS's "Transferring Payload in Multiple Chunks" page (S3 API reference):
// 66560 bytes of 'a' in chunks of 65536 and 1024 bytes, then the final empty chunk.
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const AMZ_DATE = '20130524T000000Z';
const SCOPE = '20130524/us-east-1/s3/aws4_request';
const SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const CHUNK_SIGS = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
];
const key = getSigningKey(SECRET, '20130524', 'us-east-1', 's3');

function awsExampleBody(): Buffer {
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${CHUNK_SIGS[0]}\r\n`),
    Buffer.alloc(65536, 'a'),
    Buffer.from(`\r\n400;chunk-signature=${CHUNK_SIGS[1]}\r\n`),
    Buffer.alloc(1024, 'a'),
    Buffer.from(`\r\n0;chunk-signature=${CHUNK_SIGS[2]}\r\n\r\n`),
  ]);
}

const signedOptions: ChunkVerifierOptions = { encoding: 'signed', signingKey: key, amzDate: AMZ_DATE, scope: SCOPE, seedSignature: SEED, decodedContentLength: 66560 };

/** Feeds `body` in pieces of `step` bytes, returning the data handed on. */
function feed(options: ChunkVerifierOptions, body: Buffer, step: number): { data: Buffer; trailers: Record<string, string> } {
  const v = createChunkVerifier(options);
  const out: Uint8Array[] = [];
  for (let i = 0; i < body.length; i += step) out.push(...v.push(body.subarray(i, i + step)));
  const { trailers } = v.end();
  return { data: Buffer.concat(out), trailers };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    if (!isAwsError(error)) throw error;
    return error.code;
  }
}

// An independent signer for the chunk format, written from the S3 documentation.
function signChunks(chunks: Buffer[], seed: string, trailer?: { name: string; value: string }): Buffer {
  const parts: Buffer[] = [];
  let prev = seed;
  const empty = createHash('sha256').update('').digest('hex');
  for (const data of [...chunks, Buffer.alloc(0)]) {
    const sts = ['AWS4-HMAC-SHA256-PAYLOAD', AMZ_DATE, SCOPE, prev, empty, createHash('sha256').update(data).digest('hex')].join('\n');
    prev = createHmac('sha256', key).update(sts).digest('hex');
    parts.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${prev}\r\n`), data);
    if (data.length > 0) parts.push(Buffer.from('\r\n'));
  }
  if (trailer !== undefined) {
    const canonical = `${trailer.name}:${trailer.value}\n`;
    const sts = ['AWS4-HMAC-SHA256-TRAILER', AMZ_DATE, SCOPE, prev, createHash('sha256').update(canonical).digest('hex')].join('\n');
    const sig = createHmac('sha256', key).update(sts).digest('hex');
    parts.push(Buffer.from(`${trailer.name}:${trailer.value}\r\nx-amz-trailer-signature:${sig}\r\n\r\n`));
  } else parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

function crc32cBase64(data: Buffer): string {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

describe('createChunkVerifier', () => {
  it("verifies AWS's published chunked-upload example and hands on exactly the data", () => {
    for (const step of [66824, 65536, 4096, 977, 7]) {
      const { data } = feed(signedOptions, awsExampleBody(), step);
      expect(data.equals(Buffer.alloc(66560, 'a'))).toBe(true);
    }
  });

  it('reproduces the example chunk signatures with the independent test signer', () => {
    expect(signChunks([Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a')], SEED).equals(awsExampleBody())).toBe(true);
  });

  it('rejects a changed data byte before handing on any data of that chunk', () => {
    const body = awsExampleBody();
    body[100] = 0x62; // inside the first chunk
    const v = createChunkVerifier(signedOptions);
    const handed: Uint8Array[] = [];
    let code = 'accepted';
    try {
      for (let i = 0; i < body.length; i += 1000) handed.push(...v.push(body.subarray(i, i + 1000)));
    } catch (error) {
      code = isAwsError(error) ? error.code : 'other';
    }
    expect(code).toBe('SignatureDoesNotMatch');
    expect(handed).toEqual([]);
  });

  it('rejects a changed byte in the second chunk after handing on only the first', () => {
    const body = awsExampleBody();
    const at = body.indexOf('400;chunk-signature') + 200;
    body[at] = 0x62;
    const v = createChunkVerifier(signedOptions);
    const handed: Uint8Array[] = [];
    expect(codeOf(() => handed.push(...v.push(body)))).toBe('SignatureDoesNotMatch');
    expect(handed.length).toBe(0); // push threw: nothing of this call escaped
  });

  it('rejects a changed chunk signature, a wrong seed and a truncated body', () => {
    const body = awsExampleBody();
    const sigAt = body.indexOf('chunk-signature=') + 'chunk-signature='.length;
    const badSig = Buffer.from(body);
    badSig[sigAt] = badSig[sigAt] === 0x30 ? 0x31 : 0x30;
    expect(codeOf(() => feed(signedOptions, badSig, 4096))).toBe('SignatureDoesNotMatch');
    expect(codeOf(() => feed({ ...signedOptions, seedSignature: SEED.replace('4f', '4e') }, body, 4096))).toBe('SignatureDoesNotMatch');
    expect(codeOf(() => feed(signedOptions, body.subarray(0, body.length - 2), 4096))).toBe('IncompleteBody');
    expect(codeOf(() => feed({ ...signedOptions, decodedContentLength: 66561 }, body, 4096))).toBe('IncompleteBody');
  });

  it('rejects malformed framing with IncompleteBody', () => {
    for (const bad of ['zz;chunk-signature=00\r\n', '10000\r\n', '5;chunk-signature=' + CHUNK_SIGS[0] + '\nabcde\r\n', '123456789;chunk-signature=x\r\n']) {
      expect(codeOf(() => feed(signedOptions, Buffer.from(bad), 3)), bad).toBe('IncompleteBody');
    }
    expect(codeOf(() => feed({ ...signedOptions, maxChunkSize: 1024 }, awsExampleBody(), 4096))).toBe('IncompleteBody');
  });

  it('verifies the signed-trailer variant, its trailer signature and checksum', () => {
    const data = [Buffer.from('hello '), Buffer.from('world')];
    const checksum = crc32cBase64(Buffer.concat(data));
    const body = signChunks(data, SEED, { name: 'x-amz-checksum-crc32c', value: checksum });
    const options: ChunkVerifierOptions = { ...signedOptions, encoding: 'signed-trailer', expectedTrailers: ['x-amz-checksum-crc32c'], decodedContentLength: 11 };
    for (const step of [body.length, 5, 1]) {
      const result = feed(options, body, step);
      expect(result.data.toString()).toBe('hello world');
      expect(result.trailers).toEqual({ 'x-amz-checksum-crc32c': checksum });
    }
    // a wrong checksum, even correctly signed, is refused
    const wrong = signChunks(data, SEED, { name: 'x-amz-checksum-crc32c', value: 'AAAAAA==' });
    expect(codeOf(() => feed(options, wrong, 64))).toBe('InvalidRequest');
    // a tampered trailer value breaks the trailer signature
    const tampered = Buffer.from(body.toString('latin1').replace(checksum, 'AAAAAA=='), 'latin1');
    expect(codeOf(() => feed(options, tampered, 64))).toBe('SignatureDoesNotMatch');
    // a trailer that was not announced
    expect(codeOf(() => feed({ ...options, expectedTrailers: ['x-amz-checksum-sha256'] }, body, 64))).toBe('IncompleteBody');
  });

  it('checks the checksum of the unsigned-trailer variant (its only integrity check)', () => {
    const data = Buffer.from('123456789');
    const body = Buffer.from(`9\r\n123456789\r\n0\r\nx-amz-checksum-crc32:y/Q5Jg==\r\n\r\n`);
    const options: ChunkVerifierOptions = { encoding: 'unsigned-trailer', expectedTrailers: ['x-amz-checksum-crc32'] };
    expect(feed(options, body, 4).data.equals(data)).toBe(true); // CRC-32("123456789") = 0xCBF43926
    const bad = Buffer.from(body.toString().replace('12345', '12346'));
    expect(codeOf(() => feed(options, bad, 4))).toBe('InvalidRequest');
  });
});

describe('createChunkVerifierStream', () => {
  it('emits the verified data of each chunk and errors on a bad one', async () => {
    const good = new Blob([awsExampleBody()]).stream().pipeThrough(createChunkVerifierStream(signedOptions));
    const bytes = Buffer.from(await new Response(good).arrayBuffer());
    expect(bytes.equals(Buffer.alloc(66560, 'a'))).toBe(true);
    const body = awsExampleBody();
    body[66000] = 0x62; // inside the second chunk
    const bad = new Blob([body]).stream().pipeThrough(createChunkVerifierStream(signedOptions));
    await expect(new Response(bad).arrayBuffer()).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });
});

describe('createVerifier with aws-chunked bodies', () => {
  const headers = {
    host: 's3.amazonaws.com',
    'x-amz-date': AMZ_DATE,
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
    'content-length': '66824',
    authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${SEED}`,
  };
  const verifier = (extra: object = {}) =>
    createVerifier<string>({
      mode: 's3',
      now: () => Date.parse('2013-05-24T00:00:00Z'),
      allowedServices: ['s3'],
      lookup: (i) => (i.accessKeyId === 'AKIAIOSFODNN7EXAMPLE' ? { secretAccessKey: SECRET, principal: 'p' } : undefined),
      ...extra,
    });

  it("accepts AWS's example request (seed signature) and verifies its whole body", async () => {
    const result = await verifier().verify({ method: 'PUT', url: '/examplebucket/chunkObject.txt', headers, body: awsExampleBody() });
    expect(result.payloadHash).toBe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    expect(result.streaming?.decodedContentLength).toBe(66560);
    expect(Buffer.from(result.decodedBody!).equals(Buffer.alloc(66560, 'a'))).toBe(true);
  });

  it('hands out a chunk verifier for a body that streams later', async () => {
    const result = await verifier().verify({ method: 'PUT', url: '/examplebucket/chunkObject.txt', headers });
    const v = result.streaming!.createChunkVerifier();
    const data = v.push(awsExampleBody());
    v.end();
    expect(Buffer.concat(data).length).toBe(66560);
  });

  it('rejects a bad chunk inside a whole body, and streaming where it is not allowed', async () => {
    const body = awsExampleBody();
    body[500] = 0x62;
    await expect(verifier().verify({ method: 'PUT', url: '/examplebucket/chunkObject.txt', headers, body })).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(
      verifier({ allowStreamingPayload: false }).verify({ method: 'PUT', url: '/examplebucket/chunkObject.txt', headers }),
    ).rejects.toMatchObject({ code: 'InvalidRequest' });
  });
});
