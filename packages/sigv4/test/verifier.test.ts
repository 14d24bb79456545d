import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AwsError} from '@latchkey/errors';
import { InvalidClientTokenId, isAwsError } from '@latchkey/errors';
import { createVerifier, getSignatureMismatchDebug, getSigningKey } from '../src/index.js';
import type { ResolvedCredentials, VerifierOptions, VerifyRequest } from '../src/index.js';
import { ACCESS_KEY_ID, SECRET, queryString, smithySign } from './support/smithy-sign.js';

const T0 = Date.parse('2026-11-27T20:00:00Z');
const TOKEN = 'session/token+value==';

interface SignArgs {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  region?: string;
  service?: string;
  date?: number;
  token?: string;
  presign?: number;
  applyChecksum?: boolean;
  s3?: boolean;
}

async function signed(a: SignArgs = {}): Promise<VerifyRequest & { headers: Record<string, string> }> {
  const body = Buffer.from(a.body ?? '');
  const r = await smithySign(
    { method: a.method ?? 'POST', path: a.path ?? '/', query: a.query ?? {}, headers: { host: 'iam.example.com', ...a.headers }, body },
    {
      region: a.region ?? 'us-east-1',
      service: a.service ?? 'iam',
      date: new Date(a.date ?? T0),
      uriEscapePath: a.s3 !== true,
      applyChecksum: a.applyChecksum ?? false,
      ...(a.token === undefined ? {} : { sessionToken: a.token }),
      ...(a.presign === undefined ? {} : { presign: { expiresIn: a.presign } }),
    },
  );
  const qs = queryString(r.query);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  return { method: r.method, url: r.path + (qs === '' ? '' : '?' + qs), headers, body };
}

type Creds = ResolvedCredentials<string>;
function verifier(extra: Partial<VerifierOptions<string>> = {}, creds: Partial<Creds> = {}) {
  return createVerifier<string>({
    now: () => T0,
    allowedServices: ['iam', 'sts'],
    lookup: (i) => (i.accessKeyId === ACCESS_KEY_ID ? { secretAccessKey: SECRET, principal: 'alice', ...creds } : undefined),
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<AwsError> {
  try {
    await p;
  } catch (error) {
    if (isAwsError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function setAuth(req: VerifyRequest & { headers: Record<string, string> }, edit: (auth: string) => string) {
  return { ...req, headers: { ...req.headers, authorization: edit(req.headers['authorization']!) } };
}

describe('createVerifier: header auth', () => {
  it('accepts a signed request and reports what it verified', async () => {
    const req = await signed({ body: 'Action=ListUsers&Version=2010-05-08', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const result = await verifier().verify(req);
    expect(result).toMatchObject({
      accessKeyId: ACCESS_KEY_ID,
      principal: 'alice',
      authType: 'header',
      credentialScope: { date: '20261127', region: 'us-east-1', service: 'iam' },
      requestTime: T0,
      amzDate: '20261127T200000Z',
    });
    expect(result.signedHeaders).toContain('host');
    expect(verifier().verifySync(req).principal).toBe('alice');
  });

  it('answers MissingAuthenticationToken (403) when there is no auth at all', async () => {
    const e = await failure(verifier().verify({ method: 'GET', url: '/', headers: { host: 'x' } }));
    expect([e.code, e.status, e.message]).toEqual(['MissingAuthenticationToken', 403, 'Request is missing Authentication Token']);
  });

  it('refuses an unsupported algorithm and both auth mechanisms at once', async () => {
    const req = await signed();
    const e = await failure(verifier().verify(setAuth(req, (a) => a.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'))));
    expect([e.code, e.status, e.message]).toEqual(['IncompleteSignature', 400, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."]);
    const both = { ...req, url: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256' };
    expect((await failure(verifier().verify(both))).code).toBe('SignatureDoesNotMatch');
  });

  it('names every missing part of the Authorization header in one IncompleteSignature', async () => {
    const req = await signed();
    const { ['x-amz-date']: _date, ...noDate } = req.headers;
    const e = await failure(verifier().verify({ ...req, headers: { ...noDate, authorization: 'AWS4-HMAC-SHA256 Foo=bar' } }));
    expect(e.code).toBe('IncompleteSignature');
    expect(e.message).toBe(
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        'Authorization=AWS4-HMAC-SHA256',
    );
    const noEq = await failure(verifier().verify(setAuth(req, (a) => a + ', Junk')));
    expect(noEq.message).toContain("'Junk' not a valid key=value pair (missing equal-sign) in Authorization header.");
    const dup = await failure(verifier().verify(setAuth(req, (a) => a + ', Signature=' + '0'.repeat(64))));
    expect(dup.code).toBe('IncompleteSignature');
  });

  it('accepts the parameters in any order and with or without spaces after commas', async () => {
    const req = await signed();
    const auth = req.headers['authorization']!;
    const [, params] = /^AWS4-HMAC-SHA256 (.*)$/.exec(auth)!;
    const reordered = 'AWS4-HMAC-SHA256 ' + params!.split(', ').reverse().join(',');
    expect((await verifier().verify({ ...req, headers: { ...req.headers, authorization: reordered } })).principal).toBe('alice');
  });

  it('requires host to be signed', async () => {
    const req = await signed();
    const e = await failure(verifier().verify(setAuth(req, (a) => a.replace('SignedHeaders=host;', 'SignedHeaders='))));
    expect([e.code, e.message]).toEqual(['SignatureDoesNotMatch', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."]);
  });

  it('rejects a malformed X-Amz-Date with the ISO 8601 message', async () => {
    const req = await signed();
    for (const bad of ['2026-11-27T20:00:00Z', '20261127T250000Z', '20260230T000000Z', '20261127T200000']) {
      const e = await failure(verifier().verify({ ...req, headers: { ...req.headers, 'x-amz-date': bad } }));
      expect([e.code, e.message]).toEqual(['IncompleteSignature', `Date must be in ISO-8601 'basic format'. Got '${bad}'. See http://en.wikipedia.org/wiki/ISO_8601`]);
    }
  });

  it('applies the 15-minute skew rule with AWS messages, at exactly 15 minutes still accepting', async () => {
    const req = await signed();
    const late = await failure(verifier({ now: () => T0 + 16 * 60_000 }).verify(req));
    expect([late.code, late.status, late.message]).toEqual([
      'SignatureDoesNotMatch',
      403,
      'Signature expired: 20261127T200000Z is now earlier than 20261127T200100Z (20261127T201600Z - 15 min.)',
    ]);
    const early = await failure(verifier({ now: () => T0 - 16 * 60_000 }).verify(req));
    expect(early.message).toBe('Signature not yet current: 20261127T200000Z is still later than 20261127T195900Z (20261127T194400Z + 15 min.)');
    expect((await verifier({ now: () => T0 + 15 * 60_000 }).verify(req)).principal).toBe('alice');
    expect((await verifier({ now: () => T0 - 15 * 60_000 }).verify(req)).principal).toBe('alice');
    const s3 = await failure(verifier({ mode: 's3', allowedServices: ['iam'], now: () => T0 + 16 * 60_000 }).verify(req));
    expect(s3.code).toBe('RequestTimeTooSkewed');
  });

  it('checks the credential shape and collects every scope problem in one message', async () => {
    const req = await signed();
    const four = await failure(verifier().verify(setAuth(req, (a) => a.replace('/aws4_request', ''))));
    expect([four.code, four.message]).toEqual([
      'IncompleteSignature',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${ACCESS_KEY_ID}/20261127/us-east-1/iam'`,
    ]);
    const bad = setAuth(req, (a) => a.replace('20261127/us-east-1/iam/aws4_request', '20261126/us-east-2/ec2/aws5_request'));
    const e = await failure(verifier({ allowedRegions: ['us-east-1'] }).verify(bad));
    expect(e.code).toBe('SignatureDoesNotMatch');
    expect(e.message).toBe(
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261126' != '20261127', from '20261127T200000Z'. " +
        "Credential should be scoped to a valid region, not 'us-east-2'. Credential should be scoped to correct service: 'iam' or 'sts'. " +
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.",
    );
    const s3 = await failure(verifier({ mode: 's3', allowedServices: ['iam'], allowedRegions: ['us-east-1'] }).verify({ ...bad, headers: { ...bad.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }));
    expect(s3.code).toBe('AuthorizationHeaderMalformed');
  });

  it('re-checks the scope date when a remembered credential comes with another day', async () => {
    const req = await signed();
    let now = T0;
    const v = verifier({ now: () => now });
    await v.verify(req);
    now = T0 + 24 * 3600_000;
    const e = await failure(v.verify({ ...req, headers: { ...req.headers, 'x-amz-date': '20261128T200000Z' } }));
    expect(e.message).toMatch(/^Date in Credential scope does not match YYYYMMDD/);
  });

  it('accepts any well-formed region by default (custom endpoints sign their own region)', async () => {
    const req = await signed({ region: 'eu-west-1' });
    expect((await verifier().verify(req)).credentialScope.region).toBe('eu-west-1');
    expect((await failure(verifier({ allowedRegions: (r) => r === 'us-east-1' }).verify(req))).code).toBe('SignatureDoesNotMatch');
  });

  it('checks in AWS order: skew before scope, scope before lookup, lookup before the signature', async () => {
    const req = await signed({ region: 'us-east-2' });
    const wrongKey = setAuth(req, (a) => a.replace(ACCESS_KEY_ID, 'AKIAUNKNOWN000000000').replace(/Signature=.*/, 'Signature=' + 'f'.repeat(64)));
    expect((await failure(verifier({ allowedRegions: ['us-east-1'], now: () => T0 + 3600_000 }).verify(wrongKey))).message).toMatch(/^Signature expired/);
    expect((await failure(verifier({ allowedRegions: ['us-east-1'] }).verify(wrongKey))).message).toMatch(/valid region/);
    const e = await failure(verifier().verify(wrongKey));
    expect([e.code, e.status, e.message]).toEqual(['InvalidClientTokenId', 403, 'The security token included in the request is invalid']);
  });

  it('refuses inactive keys, expired credentials and session keys without their token', async () => {
    const req = await signed();
    expect((await failure(verifier({}, { status: 'Inactive' }).verify(req))).code).toBe('InvalidClientTokenId');
    const expired = await failure(verifier({}, { expiresAt: T0 }).verify(req));
    expect([expired.code, expired.status, expired.message]).toEqual(['ExpiredToken', 403, 'The security token included in the request is expired']);
    expect((await failure(verifier({}, { requiresSessionToken: true }).verify(req))).code).toBe('InvalidClientTokenId');
  });

  it('passes the session token to the lookup and requires it to be signed', async () => {
    const req = await signed({ token: TOKEN });
    const seen: Array<string | undefined> = [];
    const v = createVerifier<string>({
      now: () => T0,
      allowedServices: ['iam'],
      lookup: (i) => {
        seen.push(i.sessionToken);
        return i.sessionToken === TOKEN ? { secretAccessKey: SECRET, principal: 'session', requiresSessionToken: true } : undefined;
      },
    });
    expect((await v.verify(req)).sessionToken).toBe(TOKEN);
    expect(seen).toEqual([TOKEN]);
    const unsigned = setAuth(req, (a) => a.replace(';x-amz-security-token', ''));
    const e = await failure(v.verify(unsigned));
    expect([e.code, e.message]).toEqual(['SignatureDoesNotMatch', "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization."]);
    const swapped = await failure(v.verify({ ...req, headers: { ...req.headers, 'x-amz-security-token': 'other' } }));
    expect(swapped.code).toBe('InvalidClientTokenId');
  });

  it('propagates AwsErrors from the lookup and turns other failures into InternalFailure', async () => {
    const req = await signed();
    const base = { now: () => T0, allowedServices: ['iam'] };
    const aws = createVerifier<string>({ ...base, lookup: () => { throw new InvalidClientTokenId('nope'); } });
    expect((await failure(aws.verify(req))).message).toBe('nope');
    const boom = createVerifier<string>({ ...base, lookup: async () => { throw new Error('db down'); } });
    const e = await failure(boom.verify(req));
    expect([e.code, e.status]).toEqual(['InternalFailure', 500]);
    const asyncLookup = createVerifier<string>({ ...base, lookup: async () => ({ secretAccessKey: SECRET, principal: 'a' }) });
    expect((await asyncLookup.verify(req)).principal).toBe('a');
    expect(() => asyncLookup.verifySync(req)).toThrow(TypeError);
  });

  it('accepts a delegated signing key for exactly its scope, never for another', async () => {
    const req = await signed();
    const scoped = createVerifier<string>({
      now: () => T0,
      allowedServices: ['iam'],
      lookup: (i) => ({ signingKey: getSigningKey(SECRET, i.date, i.region, i.service), principal: 'delegated' }),
    });
    expect((await scoped.verify(req)).principal).toBe('delegated');
    const wrongScope = createVerifier<string>({
      now: () => T0,
      allowedServices: ['iam'],
      lookup: () => ({ signingKey: getSigningKey(SECRET, '20261127', 'us-west-2', 'iam'), principal: 'delegated' }),
    });
    expect((await failure(wrongScope.verify(req))).code).toBe('SignatureDoesNotMatch');
  });

  it('never reuses a cached key after the secret changes', async () => {
    const req = await signed();
    let secret = SECRET;
    const v = createVerifier<string>({ now: () => T0, allowedServices: ['iam'], lookup: () => ({ secretAccessKey: secret, principal: 'p' }) });
    await v.verify(req);
    secret = 'rotated/secret/value/000000000000000000000';
    expect((await failure(v.verify(req))).code).toBe('SignatureDoesNotMatch');
    v.evictSigningKeys(ACCESS_KEY_ID);
    secret = SECRET;
    expect((await v.verify(req)).principal).toBe('p');
  });

  it('attaches the canonical request and string to sign only when debugging is enabled, never the secret', async () => {
    const req = await signed();
    const bad = setAuth(req, (a) => a.replace(/Signature=./, 'Signature=0'));
    expect(getSignatureMismatchDebug(await failure(verifier().verify(bad)))).toBeUndefined();
    const e = await failure(verifier({ debugSignatureMismatch: true }).verify(bad));
    const debug = getSignatureMismatchDebug(e)!;
    expect(debug.canonicalRequest).toMatch(/^POST\n\/\n\nhost:iam.example.com\n/);
    expect(debug.stringToSign).toMatch(/^AWS4-HMAC-SHA256\n20261127T200000Z\n20261127\/us-east-1\/iam\/aws4_request\n[0-9a-f]{64}$/);
    expect(JSON.stringify({ ...debug, message: e.message, detail: e.detail })).not.toContain(SECRET);
    expect(JSON.stringify(e)).not.toContain('host:');
  });

  it('hashes the body: a declared x-amz-content-sha256 must match what arrived', async () => {
    const req = await signed({ body: 'Action=ListUsers', applyChecksum: true });
    expect((await verifier().verify(req)).payloadHash).toMatch(/^[0-9a-f]{64}$/);
    const e = await failure(verifier().verify({ ...req, body: 'Action=DeleteUser' }));
    expect([e.code, e.status]).toEqual(['XAmzContentSHA256Mismatch', 400]);
    expect((await failure(verifier().verify({ ...req, headers: { ...req.headers, 'x-amz-content-sha256': 'nonsense' } }))).code).toBe('InvalidRequest');
    // caller-computed hash instead of the bytes
    const { body: _b, ...noBody } = req;
    expect((await verifier().verify({ ...noBody, bodySha256: req.headers['x-amz-content-sha256']! })).principal).toBe('alice');
  });

  it('refuses UNSIGNED-PAYLOAD unless the service allows it', async () => {
    const req = await signed({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: 'anything' });
    expect((await failure(verifier().verify(req))).code).toBe('InvalidRequest');
    expect((await verifier({ allowUnsignedPayload: true }).verify(req)).payloadHash).toBe('UNSIGNED-PAYLOAD');
  });

  it('accepts a request dated only by an RFC 2822 Date header (botocore with a caller-set Date)', async () => {
    // signed by hand with node:crypto: the string to sign carries the ISO form of the Date header
    const httpDate = 'Fri, 27 Nov 2026 20:00:00 -0000';
    const canonical = `GET\n/\n\ndate:${httpDate}\nhost:iam.example.com\n\ndate;host\n${createHash('sha256').update('').digest('hex')}`;
    const sts = `AWS4-HMAC-SHA256\n20261127T200000Z\n20261127/us-east-1/iam/aws4_request\n${createHash('sha256').update(canonical).digest('hex')}`;
    const hmac = (k: string | Buffer, d: string) => createHmac('sha256', k).update(d).digest();
    const key = hmac(hmac(hmac(hmac('AWS4' + SECRET, '20261127'), 'us-east-1'), 'iam'), 'aws4_request');
    const signature = createHmac('sha256', key).update(sts).digest('hex');
    const req = {
      method: 'GET',
      url: '/',
      headers: {
        host: 'iam.example.com',
        date: httpDate,
        authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20261127/us-east-1/iam/aws4_request, SignedHeaders=date;host, Signature=${signature}`,
      },
    };
    const result = await verifier().verify(req);
    expect([result.amzDate, result.requestTime]).toEqual(['20261127T200000Z', T0]);
    const stale = await failure(verifier({ now: () => T0 + 3600_000 }).verify(req));
    expect(stale.message).toMatch(/^Signature expired: 20261127T200000Z is now earlier than/);
    const bad = await failure(verifier().verify({ ...req, headers: { ...req.headers, date: 'Fri, 27 Nov 2026 21:00:00 +0100' } }));
    expect(bad.code).toBe('IncompleteSignature');
  });
});

describe('createVerifier: presigned URLs', () => {
  it('accepts a presigned URL within [X-Amz-Date, X-Amz-Date + X-Amz-Expires], inclusive', async () => {
    const req = await signed({ method: 'GET', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, presign: 3600, service: 'sts' });
    for (const now of [T0, T0 + 3600_000, T0 - 14 * 60_000]) {
      const result = await verifier({ now: () => now }).verify(req);
      expect(result.authType).toBe('presigned');
      expect(result.expiresAt).toBe(T0 + 3600_000);
    }
    const expired = await failure(verifier({ now: () => T0 + 3601_000 }).verify(req));
    expect([expired.code, expired.status, expired.message]).toEqual(['RequestExpired', 400, 'Request has expired']);
    const future = await failure(verifier({ now: () => T0 - 16 * 60_000 }).verify(req));
    expect([future.code, future.message]).toEqual(['RequestExpired', 'Request is not yet valid']);
    const capped = await failure(verifier({ now: () => T0 + 16 * 60_000, maxPresignedAgeMs: 15 * 60_000 }).verify(req));
    expect(capped.code).toBe('RequestExpired');
    const s3 = await failure(verifier({ mode: 's3', now: () => T0 + 3601_000 }).verify(req));
    expect([s3.code, s3.message]).toEqual(['AccessDenied', 'Request has expired']);
  });

  it('validates X-Amz-Expires (1 s to 7 days) and names missing parameters', async () => {
    const req = await signed({ method: 'GET', presign: 3600 });
    for (const [value, message] of [
      ['0', 'X-Amz-Expires must be non-negative and at least 1 second'],
      ['604801', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds'],
      ['abc', 'X-Amz-Expires should be a number'],
      ['-5', 'X-Amz-Expires should be a number'],
    ] as const) {
      const e = await failure(verifier().verify({ ...req, url: req.url.replace('X-Amz-Expires=3600', `X-Amz-Expires=${value}`) }));
      expect([e.code, e.message]).toEqual(['IncompleteSignature', message]);
    }
    const missing = await failure(verifier().verify({ ...req, url: req.url.replace(/&?X-Amz-Credential=[^&]*/, '').replace(/&?X-Amz-Signature=[^&]*/, '') }));
    expect(missing.message).toBe(
      "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.",
    );
    const s3 = await failure(verifier({ mode: 's3' }).verify({ ...req, url: req.url.replace('X-Amz-Expires=3600', 'X-Amz-Expires=604801') }));
    expect(s3.code).toBe('AuthorizationQueryParametersError');
    const dup = await failure(verifier().verify({ ...req, url: req.url + '&X-Amz-Date=20261127T200000Z' }));
    expect(dup.code).toBe('IncompleteSignature');
  });

  it('signs the token into the canonical query and refuses the URL once the credentials expire', async () => {
    const req = await signed({ method: 'GET', presign: 900, token: TOKEN });
    const v = createVerifier<string>({
      now: () => T0 + 60_000,
      allowedServices: ['iam'],
      lookup: (i) => (i.sessionToken === TOKEN ? { secretAccessKey: SECRET, principal: 's', requiresSessionToken: true, expiresAt: T0 + 30_000 } : undefined),
    });
    expect((await failure(v.verify(req))).code).toBe('ExpiredToken');
    expect(req.url).toContain('X-Amz-Security-Token=' + encodeURIComponent(TOKEN));
  });
});

describe('createVerifier: S3 mode', () => {
  const s3v = (extra: Partial<VerifierOptions<string>> = {}) => verifier({ mode: 's3', allowedServices: ['s3'], ...extra });

  it('requires x-amz-content-sha256 and that every x-amz-* header be signed', async () => {
    const req = await signed({ s3: true, service: 's3', method: 'GET', path: '/bucket/a//b/../c', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect((await s3v().verify(req)).payloadHash).toBe('UNSIGNED-PAYLOAD');
    const { ['x-amz-content-sha256']: _s, ...noSha } = req.headers;
    const missing = await failure(s3v().verify({ ...req, headers: { ...noSha } }));
    expect([missing.code, missing.message]).toEqual(['InvalidRequest', 'Missing required header for this request: x-amz-content-sha256']);
    const extra = await failure(s3v().verify({ ...req, headers: { ...req.headers, 'x-amz-meta-note': 'unsigned' } }));
    expect([extra.code, extra.message]).toEqual(['AccessDenied', 'There were headers present in the request which were not signed']);
    // the path is used as sent: its normalised form is a different request
    expect((await failure(s3v().verify({ ...req, url: '/bucket/a/c' }))).code).toBe('SignatureDoesNotMatch');
  });

  it('uses S3 error codes for unknown keys and missing auth', async () => {
    const req = await signed({ s3: true, service: 's3', method: 'GET', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    const v = createVerifier<string>({ mode: 's3', now: () => T0, allowedServices: ['s3'], lookup: () => undefined });
    expect((await failure(v.verify(req))).code).toBe('InvalidAccessKeyId');
    expect((await failure(v.verify({ method: 'GET', url: '/', headers: {} }))).code).toBe('AccessDenied');
  });
});

describe('createVerifier: options', () => {
  it('validates its options at construction', () => {
    const base = { now: () => T0, lookup: () => undefined };
    expect(() => createVerifier({ ...base } as unknown as VerifierOptions<string>)).toThrow(/allowedServices/);
    expect(() => createVerifier({ ...base, allowedServices: ['iam'], mode: 'S3' } as unknown as VerifierOptions<string>)).toThrow(/mode/);
    expect(() => createVerifier({ ...base, allowedServices: ['iam'], signingKeyCache: { max: -1 } })).toThrow(RangeError);
  });
});
