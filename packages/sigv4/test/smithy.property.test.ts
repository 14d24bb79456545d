import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isAwsError } from '@latchkey/errors';
import { createVerifier, getSignatureMismatchDebug } from '../src/index.js';
import type { VerifyRequest } from '../src/index.js';
import { ACCESS_KEY_ID, SECRET, queryString, smithySign, type UnsignedRequest } from './support/smithy-sign.js';

const SIGNING_DATE = new Date('2026-11-27T20:00:00Z');
const TOKEN = 'FwoGZXIvYXdzEBYaDH+/token=with/special+chars';

const segmentChar = fc.constantFrom(...Array.from("abcXYZ019-._~ %+!$&'()*,;=:@é€😀"), '..', '.');
const wireSegment = fc.array(segmentChar, { maxLength: 6 }).map((chars) => {
  const s = chars.join('');
  // a client percent-encodes the segment (dots and dot-dots stay literal)
  return s === '.' || s === '..' ? s : encodeURIComponent(s);
});
const wirePath = fc.tuple(fc.array(wireSegment, { maxLength: 5 }), fc.boolean()).map(([segs, trailing]) => '/' + segs.join('/') + (trailing && segs.length > 0 ? '/' : ''));
const queryText = fc.string({ unit: fc.constantFrom(...Array.from('aAzZ09-_.~ +=&%/?é😀')), maxLength: 8 });
const query = fc.dictionary(
  queryText.filter((k) => !k.toLowerCase().startsWith('x-amz-')),
  fc.oneof(queryText, fc.array(queryText, { minLength: 1, maxLength: 3 })),
  { maxKeys: 4 },
);
const headerValueText = fc
  .string({ unit: fc.constantFrom(...Array.from('ab Z9-_./\t,;="é')), maxLength: 20 })
  .filter((v) => v.trim() !== '');
const headers = fc.dictionary(fc.stringMatching(/^x-test-[a-z0-9-]{1,8}$/), headerValueText, { maxKeys: 4 });
const body = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 1000, maxLength: 5000 }));

const unsigned = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
  path: wirePath,
  query,
  headers,
  body,
  host: fc.constantFrom('iam.example.com', 'localhost:4566', 'sts.us-east-1.amazonaws.com'),
});

type UnsignedInput = typeof unsigned extends fc.Arbitrary<infer T> ? T : never;

interface Signed {
  request: VerifyRequest;
  headerNames: string[];
}

async function sign(
  u: UnsignedInput,
  opts: { s3: boolean; presign: boolean; token: boolean; applyChecksum: boolean; reverseQuery: boolean; shoutNames: boolean },
): Promise<Signed> {
  const req: UnsignedRequest = {
    method: u.method,
    path: u.path,
    query: u.query,
    headers: { host: u.host, ...u.headers, ...(opts.s3 ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {}) },
    body: u.body,
  };
  const signed = await smithySign(req, {
    region: 'eu-west-1',
    service: opts.s3 ? 's3' : 'iam',
    date: SIGNING_DATE,
    uriEscapePath: !opts.s3,
    applyChecksum: opts.applyChecksum,
    ...(opts.token ? { sessionToken: TOKEN } : {}),
    ...(opts.presign ? { presign: { expiresIn: 900 } } : {}),
  });
  const rawHeaders: string[] = [];
  for (const [name, value] of Object.entries(signed.headers)) rawHeaders.push(opts.shoutNames ? name.toUpperCase() : name, value);
  const qs = queryString(signed.query, opts.reverseQuery);
  return {
    request: { method: signed.method, url: signed.path + (qs === '' ? '' : '?' + qs), headers: rawHeaders, body: u.body },
    headerNames: Object.keys(signed.headers),
  };
}

function verifier(s3: boolean, now = SIGNING_DATE.getTime()) {
  return createVerifier<string>({
    mode: s3 ? 's3' : 'default',
    now: () => now,
    allowedServices: [s3 ? 's3' : 'iam'],
    lookup: (input) =>
      input.accessKeyId === ACCESS_KEY_ID && (input.sessionToken === undefined || input.sessionToken === TOKEN)
        ? { secretAccessKey: SECRET, principal: 'p' }
        : undefined,
    debugSignatureMismatch: true,
  });
}

const signOpts = fc.record({
  s3: fc.boolean(),
  presign: fc.boolean(),
  token: fc.boolean(),
  applyChecksum: fc.boolean(),
  reverseQuery: fc.boolean(),
  shoutNames: fc.boolean(),
});

/**
 * Indices of the letters and digits of a wire path that reach the canonical path: all of them
 * under S3's rules (the path is signed as sent), only those of segments that survive RFC 3986
 * normalisation under the default rules (as smithy's signer: empty and `.` segments are
 * dropped, a `..` drops the segment kept before it).
 */
function survivingLetters(path: string, s3: boolean): number[] {
  const letters = (from: number, to: number): number[] => {
    const out: number[] = [];
    for (let i = from; i < to; i++) if (/[a-zA-Z0-9]/.test(path[i]!)) out.push(i);
    return out;
  };
  if (s3) return letters(0, path.length);
  const kept: Array<[number, number]> = [];
  let start = 0;
  for (const segment of path.split('/')) {
    const end = start + segment.length;
    if (segment === '..') kept.pop();
    else if (segment !== '.' && segment !== '') kept.push([start, end]);
    start = end + 1;
  }
  return kept.flatMap(([from, to]) => letters(from, to));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (error) {
    if (!isAwsError(error)) throw error;
    return error.code;
  }
}

describe('createVerifier against @smithy/signature-v4', () => {
  it('accepts every request smithy signs (header and presigned, default and S3 rules)', async () => {
    await fc.assert(
      fc.asyncProperty(unsigned, signOpts, fc.integer({ min: -14 * 60, max: 14 * 60 }), async (u, opts, skewSeconds) => {
        const { request } = await sign(u, opts);
        const now = SIGNING_DATE.getTime() + (opts.presign ? Math.abs(skewSeconds) : skewSeconds) * 1000;
        try {
          const result = await verifier(opts.s3, now).verify(request);
          expect(result.accessKeyId).toBe(ACCESS_KEY_ID);
          expect(result.credentialScope.region).toBe('eu-west-1');
          expect(result.sessionToken).toBe(opts.token ? TOKEN : undefined);
        } catch (error) {
          throw new Error(`${String(error)}\n${JSON.stringify(request.url)}\n${getSignatureMismatchDebug(error)?.canonicalRequest ?? ''}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any one-character change to a signed element', async () => {
    await fc.assert(
      fc.asyncProperty(unsigned, signOpts, fc.nat(), fc.nat(), async (u, opts, pick, pos) => {
        const { request, headerNames } = await sign(u, opts);
        const raw = request.headers as string[];
        const targets: Array<{ what: string; apply: () => VerifyRequest | undefined }> = [];
        const q = request.url.indexOf('?');
        const path = q === -1 ? request.url : request.url.slice(0, q);
        const rest = q === -1 ? '' : request.url.slice(q);
        // a path character that survives normalisation: letters and digits of segments that
        // normalisation keeps (with the default rules `/a//..` is `/`, so its `a` is unsigned)
        const pathLetters = survivingLetters(path, opts.s3);
        if (pathLetters.length > 0) {
          targets.push({
            what: 'path',
            apply: () => {
              const i = pathLetters[pos % pathLetters.length]!;
              return { ...request, url: path.slice(0, i) + (path[i] === 'q' ? 'r' : 'q') + path.slice(i + 1) + rest };
            },
          });
        }
        const signedHeaders = headerNames.filter((n) => n.toLowerCase().startsWith('x-test-') || n.toLowerCase() === 'host');
        if (signedHeaders.length > 0) {
          targets.push({
            what: 'header',
            apply: () => {
              const name = signedHeaders[pos % signedHeaders.length]!;
              const i = raw.findIndex((n, k) => k % 2 === 0 && n.toLowerCase() === name.toLowerCase());
              const copy = raw.slice();
              copy[i + 1] = copy[i + 1]!.trim() + 'q';
              return { ...request, headers: copy };
            },
          });
        }
        const payloadSigned = !opts.s3;
        if (payloadSigned) {
          targets.push({
            what: 'body',
            apply: () => {
              const b = Buffer.from(request.body as Uint8Array);
              return { ...request, body: b.length === 0 ? Buffer.from('x') : (b.fill(b[pos % b.length]! ^ 1, pos % b.length, (pos % b.length) + 1), b) };
            },
          });
        }
        if (rest.length > 1) {
          targets.push({
            what: 'query',
            apply: () => {
              const pieces = rest.slice(1).split('&');
              const k = pos % pieces.length;
              if (pieces[k]!.startsWith('X-Amz-Signature=')) return undefined;
              pieces[k] = pieces[k] + 'q';
              return { ...request, url: path + '?' + pieces.join('&') };
            },
          });
        }
        targets.push({
          what: 'signature',
          apply: () => {
            if (opts.presign) return { ...request, url: request.url.replace(/X-Amz-Signature=(.)/, (_m, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`) };
            const i = raw.findIndex((n, k) => k % 2 === 0 && n.toLowerCase() === 'authorization');
            const copy = raw.slice();
            copy[i + 1] = copy[i + 1]!.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === 'a' ? 'b' : 'a'}`);
            return { ...request, headers: copy };
          },
        });
        const target = targets[pick % targets.length]!;
        const mutated = target.apply();
        if (mutated === undefined) return;
        const code = await codeOf(verifier(opts.s3).verify(mutated));
        const allowed = target.what === 'body' ? ['SignatureDoesNotMatch', 'XAmzContentSHA256Mismatch'] : target.what === 'query' ? ['SignatureDoesNotMatch', 'IncompleteSignature', 'AuthorizationQueryParametersError', 'RequestExpired', 'InvalidClientTokenId', 'InvalidAccessKeyId', 'AccessDenied', 'InvalidArgument', 'InvalidRequest'] : ['SignatureDoesNotMatch'];
        expect(allowed, `${target.what} mutation gave ${code}`).toContain(code);
      }),
      { numRuns: 300 },
    );
  });
});
