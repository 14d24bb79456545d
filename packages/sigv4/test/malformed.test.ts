import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isAwsError } from '@latchkey/errors';
import { createVerifier } from '../src/index.js';
import type { VerifyRequest } from '../src/index.js';

const T0 = Date.parse('2026-11-27T20:00:00Z');

function verifiers() {
  const lookup = () => ({ secretAccessKey: 'secret', principal: 'p' });
  return [
    createVerifier<string>({ now: () => T0, allowedServices: ['iam'], lookup }),
    createVerifier<string>({ now: () => T0, allowedServices: ['s3'], mode: 's3', lookup, allowUnsignedSessionToken: true }),
    createVerifier<string>({ now: () => T0, allowedServices: () => true, allowStreamingPayload: true, allowUnsignedPayload: true, lookup }),
  ];
}

/** Runs every verifier; any outcome but acceptance or a 4xx AwsError fails the test. */
async function expectOnly4xx(request: VerifyRequest): Promise<string[]> {
  const codes: string[] = [];
  for (const v of verifiers()) {
    try {
      await v.verify(request);
      codes.push('accepted');
    } catch (error) {
      if (!isAwsError(error)) throw new Error(`non-AwsError escaped: ${String(error)} for ${JSON.stringify(request).slice(0, 500)}`);
      if (error.status < 400 || error.status > 499) throw new Error(`status ${error.status} (${error.code}) for ${JSON.stringify(request).slice(0, 500)}`);
      codes.push(error.code);
    }
  }
  return codes;
}

const token = fc.constantFrom(
  'AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA256 ', 'AWS4-ECDSA-P256-SHA256 ', 'Credential=', 'SignedHeaders=', 'Signature=', 'AKIA', '/', '20261127', 'us-east-1',
  'iam', 's3', 'aws4_request', ',', ', ', ';', '=', ' ', 'host', 'x-amz-date', 'x-amz-security-token', 'constructor', '__proto__', '0'.repeat(64), 'zz', '\t', '%', '%zz', '+', 'é', '\n',
);
const fuzzText = fc.oneof(fc.string({ maxLength: 40 }), fc.array(token, { maxLength: 25 }).map((t) => t.join('')));
const queryToken = fc.constantFrom(
  'X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=', 'X-Amz-Credential=AKIA%2F20261127%2Fus-east-1%2Fiam%2Faws4_request', 'X-Amz-Credential=%',
  'X-Amz-Date=20261127T200000Z', 'X-Amz-Date=2026', 'X-Amz-Expires=3600', 'X-Amz-Expires=99999999999999', 'X-Amz-Expires=-1', 'X-Amz-SignedHeaders=host',
  'X-Amz-SignedHeaders=', 'X-Amz-Signature=' + 'a'.repeat(64), 'X-Amz-Security-Token=a%2Bb', 'X-Amz-Content-Sha256=UNSIGNED-PAYLOAD', 'a=%zz', '%', '&', '=', 'é=€', '+',
);
const fuzzQuery = fc.oneof(fc.string({ maxLength: 30 }), fc.array(queryToken, { maxLength: 10 }).map((t) => t.join('&')));
const headerName = fc.oneof(
  fc.constantFrom('authorization', 'Authorization', 'x-amz-date', 'X-Amz-Date', 'date', 'host', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-trailer', 'x-amz-decoded-content-length', 'constructor', '__proto__', 'toString', 'x-amz-meta-a'),
  fc.string({ maxLength: 10 }),
);
const headerValue = fc.oneof(fuzzText, fc.constantFrom('20261127T200000Z', 'Fri, 27 Nov 2026 20:00:00 GMT', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'UNSIGNED-PAYLOAD', 'iam.example.com'));

const recordHeaders = fc.array(fc.tuple(headerName, fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 }))), { maxLength: 8 }).map((pairs) => {
  const record: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) Object.defineProperty(record, k, { value: v, enumerable: true, writable: true, configurable: true });
  return record;
});
const rawHeaders = fc.array(fc.oneof(headerName, headerValue), { maxLength: 12 });

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', '', 'get'),
  url: fc.oneof(
    fc.tuple(fc.string({ maxLength: 20 }), fuzzQuery).map(([p, q]) => `${p}?${q}`),
    fuzzQuery.map((q) => `/?${q}`),
    fc.constantFrom('', '*', 'http://host', 'https://h/x?y', '//', '/../..', '/%', '/%zz?'),
  ),
  headers: fc.oneof(recordHeaders, rawHeaders),
  body: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 50 }), fc.uint8Array({ maxLength: 50 })),
});

describe('createVerifier on malformed input', () => {
  it('never lets anything but a 4xx AwsError escape, whatever the headers, query and body', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const codes = await expectOnly4xx(r as VerifyRequest);
        expect(codes).not.toContain('accepted');
      }),
      { numRuns: 1500 },
    );
  });

  it.each([
    ['truncated Authorization', { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/2026', 'x-amz-date': '20261127T200000Z', host: 'h' }, 'IncompleteSignature'],
    ['empty Authorization', { authorization: '', host: 'h' }, 'IncompleteSignature'],
    ['algorithm only', { authorization: 'AWS4-HMAC-SHA256', 'x-amz-date': '20261127T200000Z', host: 'h' }, 'IncompleteSignature'],
    ['non-hex signature', { authorization: `AWS4-HMAC-SHA256 Credential=AKIA/20261127/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'z'.repeat(64)}`, 'x-amz-date': '20261127T200000Z', host: 'h' }, 'SignatureDoesNotMatch'],
    ['short signature', { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20261127/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc', 'x-amz-date': '20261127T200000Z', host: 'h' }, 'SignatureDoesNotMatch'],
    ['bad date', { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20261127/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc', 'x-amz-date': '20261399T999999Z', host: 'h' }, 'IncompleteSignature'],
    ['huge Authorization', { authorization: 'AWS4-HMAC-SHA256 Credential=' + 'A'.repeat(100_000), 'x-amz-date': '20261127T200000Z', host: 'h' }, 'IncompleteSignature'],
    ['thousands of signed headers', { authorization: `AWS4-HMAC-SHA256 Credential=AKIA/20261127/us-east-1/iam/aws4_request, SignedHeaders=${Array.from({ length: 2000 }, (_, i) => 'h' + i).join(';')};host, Signature=${'0'.repeat(64)}`, 'x-amz-date': '20261127T200000Z', host: 'h' }, 'IncompleteSignature'],
    ['duplicate Credential', { authorization: `AWS4-HMAC-SHA256 Credential=A/20261127/us-east-1/iam/aws4_request, Credential=B/20261127/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`, 'x-amz-date': '20261127T200000Z', host: 'h' }, 'IncompleteSignature'],
    ['signed header named constructor', { authorization: `AWS4-HMAC-SHA256 Credential=AKIA/20261127/us-east-1/iam/aws4_request, SignedHeaders=constructor;host, Signature=${'0'.repeat(64)}`, 'x-amz-date': '20261127T200000Z', host: 'h' }, 'SignatureDoesNotMatch'],
  ] as const)('answers %s with %s', async (_name, headers, code) => {
    const codes = await expectOnly4xx({ method: 'GET', url: '/', headers });
    expect(codes[0]).toBe(code);
  });

  it('answers malformed query strings and presigned parameters with 4xx codes', async () => {
    expect((await expectOnly4xx({ method: 'GET', url: '/?a=%zz', headers: { host: 'h' } }))[0]).toBe('MalformedQueryString');
    expect((await expectOnly4xx({ method: 'GET', url: '/?a=%', headers: { host: 'h' } }))[0]).toBe('MalformedQueryString');
    const presigned = '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261127%2Fus-east-1%2Fiam%2Faws4_request&X-Amz-Date=20261127T200000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=';
    expect((await expectOnly4xx({ method: 'GET', url: presigned + 'nothex', headers: { host: 'h' } }))[0]).toBe('SignatureDoesNotMatch');
    expect((await expectOnly4xx({ method: 'GET', url: presigned.replace('X-Amz-Date=20261127T200000Z', 'X-Amz-Date=%') + 'x', headers: { host: 'h' } }))[0]).toBe('MalformedQueryString');
    expect((await expectOnly4xx({ method: 'GET', url: presigned.replace('&X-Amz-SignedHeaders=host', '&X-Amz-SignedHeaders=host&X-Amz-SignedHeaders=host') + 'x', headers: { host: 'h' } }))[0]).toBe('IncompleteSignature');
  });
});
