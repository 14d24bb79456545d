import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  canonicalHeaderValue,
  createHeaderLookup,
  formatAmzDate,
  getCanonicalHeaders,
  getCanonicalQuery,
  getCanonicalRequest,
  getCanonicalUri,
  getDateKey,
  getRegionKey,
  getServiceKey,
  getSigningKey,
  getSigningKeyFromServiceKey,
  getStringToSign,
  parseAmzDate,
  parseAuthorizationHeader,
  parseHttpDate,
  parsePresignedQuery,
  parseQuery,
  SigningKeyCache,
} from '../src/index.js';

interface Cases {
  uri: Array<{ raw: string; default: string; s3: string }>;
  query: Array<{ raw: string; canonical: string }>;
  badQuery: string[];
  headerValue: Array<{ raw: string; canonical: string }>;
}
const cases = JSON.parse(readFileSync(new URL('./cases/canonical.json', import.meta.url), 'utf8')) as Cases;

describe('getCanonicalUri', () => {
  it.each(cases.uri.map((c) => [c.raw, c] as const))('canonicalises %j in both modes', (_raw, c) => {
    expect(getCanonicalUri(c.raw, 'default')).toBe(c.default);
    expect(getCanonicalUri(c.raw, 's3')).toBe(c.s3);
  });
});

describe('getCanonicalQuery', () => {
  it.each(cases.query.map((c) => [c.raw, c.canonical] as const))('canonicalises %j as %j', (raw, canonical) => {
    expect(getCanonicalQuery(parseQuery(raw)!)).toBe(canonical);
  });
  it.each(cases.badQuery)('refuses the malformed escape in %j', (raw) => {
    expect(parseQuery(raw)).toBeUndefined();
  });
  it('leaves out what the exclusion names (the presigned signature)', () => {
    const params = parseQuery('b=1&X-Amz-Signature=abc&a=2')!;
    expect(getCanonicalQuery(params, (p) => p.rawKey === 'X-Amz-Signature')).toBe('a=2&b=1');
  });
});

describe('canonicalHeaderValue', () => {
  it.each(cases.headerValue.map((c) => [c.raw, c.canonical] as const))('canonicalises %j as %j', (raw, canonical) => {
    expect(canonicalHeaderValue(raw)).toBe(canonical);
  });
});

describe('getCanonicalHeaders', () => {
  it('joins repeated headers with "," in arrival order, from rawHeaders pairs in any case', () => {
    const lookup = createHeaderLookup(['Host', 'h', 'My-Header', ' b ', 'my-header', 'a', 'X-Other', 'o']);
    expect(getCanonicalHeaders(['host', 'my-header'], lookup)).toEqual({ canonical: 'host:h\nmy-header:b,a\n' });
    expect(getCanonicalHeaders(['host', 'absent'], lookup)).toEqual({ missing: 'absent' });
  });
  it('takes the HTTP/2 :authority for a signed host, and the reverse', () => {
    expect(getCanonicalHeaders(['host'], createHeaderLookup({ ':authority': 'h:8443' }))).toEqual({ canonical: 'host:h:8443\n' });
    expect(getCanonicalHeaders([':authority'], createHeaderLookup({ host: 'h' }))).toEqual({ canonical: ':authority:h\n' });
  });
  it('reads records with mixed-case names and array values', () => {
    const lookup = createHeaderLookup({ Host: 'h', 'x-a': ['1', ' 2 '] });
    expect(getCanonicalHeaders(['host', 'x-a'], lookup)).toEqual({ canonical: 'host:h\nx-a:1,2\n' });
    expect(createHeaderLookup({ host: 'h' }).get('constructor')).toBeUndefined();
  });
});

describe('getSigningKey', () => {
  it("derives AWS's documented example key (IAM, 20120215, us-east-1)", () => {
    const key = getSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam');
    expect(Buffer.from(key).toString('hex')).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });
  it('is the composition of the exported derivation steps', () => {
    const steps = getSigningKeyFromServiceKey(getServiceKey(getRegionKey(getDateKey('s', '20261127'), 'eu-west-1'), 'execute-api'));
    expect(Buffer.from(steps).equals(Buffer.from(getSigningKey('s', '20261127', 'eu-west-1', 'execute-api')))).toBe(true);
  });
});

describe('getStringToSign / getCanonicalRequest', () => {
  it('reproduces the get-vanilla vector of the AWS suite', () => {
    const canonicalRequest = getCanonicalRequest({
      method: 'GET',
      canonicalUri: '/',
      canonicalQuery: '',
      canonicalHeaders: 'host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n',
      signedHeaders: 'host;x-amz-date',
      payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
    expect(getStringToSign('20150830T123600Z', { date: '20150830', region: 'us-east-1', service: 'service' }, canonicalRequest)).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
  });
});

describe('parseAuthorizationHeader', () => {
  it('parses the SDK form and the comma-only form alike', () => {
    const a = parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=AK/20261127/r/s/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab');
    const b = parseAuthorizationHeader('AWS4-HMAC-SHA256 Signature=ab,SignedHeaders=host;x-amz-date,Credential=AK/20261127/r/s/aws4_request');
    expect(a).toEqual(b);
    expect(a.ok && a.value.signedHeaders).toEqual(['host', 'x-amz-date']);
  });
  it('reports problems instead of throwing', () => {
    const r = parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.missing).toEqual(['Credential', 'Signature', 'SignedHeaders']);
  });
});

describe('parsePresignedQuery', () => {
  it('percent-decodes values and keeps + literal', () => {
    const r = parsePresignedQuery(parseQuery('X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20261127%2Fr%2Fs%2Faws4_request&X-Amz-Date=20261127T200000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=ab&X-Amz-Security-Token=a+b%2Bc%3D')!);
    expect(r.ok && r.value).toMatchObject({ credential: 'AK/20261127/r/s/aws4_request', signedHeaders: ['host', 'x-k8s-aws-id'], securityToken: 'a+b+c=' });
  });
});

describe('parseAmzDate / parseHttpDate / formatAmzDate', () => {
  it('parses valid times and refuses impossible ones', () => {
    expect(parseAmzDate('20150830T123600Z')).toBe(Date.parse('2015-08-30T12:36:00Z'));
    expect(parseAmzDate('20240229T000000Z')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    for (const bad of ['20230229T000000Z', '20151330T000000Z', '20150830T126000Z', '20150830 123600Z', '2015083T123600Z', '']) expect(parseAmzDate(bad)).toBeUndefined();
    expect(parseHttpDate('Wed, 01 May 2024 10:00:00 -0000')).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(parseHttpDate('Wed, 01 May 2024 10:00:00 GMT')).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(parseHttpDate('Wed, 01 May 2024 10:00:00 +0200')).toBeUndefined();
    expect(formatAmzDate(Date.parse('2015-08-30T12:36:00.999Z'))).toBe('20150830T123600Z');
  });
});

describe('SigningKeyCache', () => {
  it('stays within its bound and evicts by access key', () => {
    const cache = new SigningKeyCache(3);
    for (let i = 0; i < 10; i++) cache.get('AK' + i, 's', '20261127', 'r', 'iam');
    expect(cache.size).toBe(3);
    const k = cache.get('AK9', 's', '20261127', 'r', 'iam');
    expect(cache.get('AK9', 's', '20261127', 'r', 'iam')).toBe(k);
    expect(cache.get('AK9', 'other', '20261127', 'r', 'iam')).not.toEqual(k);
    cache.evict('AK9');
    expect(cache.get('AK9', 's', '20261127', 'r', 'iam')).not.toBe(k);
  });
});
