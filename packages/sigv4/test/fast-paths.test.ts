// The verifier's fast paths must give exactly what the general code gives: each is checked here
// against the general path (or node's own implementation) on arbitrary input.
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAwsError } from '@latchkey/errors';
import { hmacHexOfStringToSign, hmacPads, isLowerHex64, sha256Hex } from '../src/crypto.js';
import { canonicalQueryIfCanonical } from '../src/get-canonical-query.js';
import { hasPrefix } from '../src/has-prefix.js';
import { canonicalHeaderValue, createVerifier, getCanonicalQuery, getSigningKey, parseQuery } from '../src/index.js';
import type { VerifyRequest } from '../src/index.js';
import { ACCESS_KEY_ID, SECRET, queryString, smithySign } from './support/smithy-sign.js';

const T0 = Date.parse('2026-11-27T20:00:00Z');

describe('hmacHexOfStringToSign: any message as the prefix, no hash', () => {
  it('equals createHmac for keys of every length and any message, alternating keys', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 100 }),
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.array(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 50 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (keyA, keyB, messages) => {
          const padsA = hmacPads(keyA);
          const padsB = hmacPads(keyB);
          messages.forEach((m, i) => {
            const [key, pads] = i % 2 === 0 ? [keyA, padsA] : [keyB, padsB];
            expect(hmacHexOfStringToSign(pads, key, m, '')).toBe(createHmac('sha256', key).update(m).digest('hex'));
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('falls back to createHmac for a message longer than its scratch space', () => {
    const key = randomBytes(32);
    const long = 'x'.repeat(5000);
    expect(hmacHexOfStringToSign(hmacPads(key), key, long, '')).toBe(createHmac('sha256', key).update(long).digest('hex'));
    const unpaired = '\ud800'.repeat(400); // 3 UTF-8 bytes each once replaced
    expect(hmacHexOfStringToSign(hmacPads(key), key, unpaired, '')).toBe(createHmac('sha256', key).update(unpaired).digest('hex'));
  });
});

describe('hmacHexOfStringToSign', () => {
  it('equals createHmac over prefix + hash, with prefixes and keys repeating, changing, and interleaved with whole messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.array(
          fc.record({
            prefix: fc.oneof(fc.constantFrom('AWS4-HMAC-SHA256\n20261127T200000Z\n20261127/us-east-1/orders/aws4_request\n', ''), fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 })),
            body: fc.string({ maxLength: 100 }),
            keyB: fc.boolean(),
            general: fc.boolean(),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (keyA, keyB, calls) => {
          const padsA = hmacPads(keyA);
          const padsB = hmacPads(keyB);
          let previous = '';
          for (const c of calls) {
            const [key, pads] = c.keyB ? [keyB, padsB] : [keyA, padsA];
            // half the time the same prefix as the call before (its bytes are kept), as a new string object
            const prefix = c.general ? c.prefix : previous.length > 0 && c.body.length % 2 === 0 ? `${previous}` : c.prefix;
            previous = prefix;
            const hexHash = sha256Hex(c.body);
            if (c.general) expect(hmacHexOfStringToSign(pads, key, c.body, '')).toBe(createHmac('sha256', key).update(c.body).digest('hex'));
            expect(hmacHexOfStringToSign(pads, key, prefix, hexHash)).toBe(createHmac('sha256', key).update(prefix + hexHash).digest('hex'));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('falls back to createHmac for a prefix longer than its scratch space', () => {
    const key = randomBytes(32);
    const hexHash = sha256Hex('x');
    for (const prefix of ['p'.repeat(2000), '\ud800'.repeat(400)]) {
      expect(hmacHexOfStringToSign(hmacPads(key), key, prefix, hexHash)).toBe(createHmac('sha256', key).update(prefix + hexHash).digest('hex'));
    }
  });
});

describe('isLowerHex64', () => {
  it('accepts exactly 64 lowercase hex digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (s) => {
        expect(isLowerHex64(s)).toBe(/^[0-9a-f]{64}$/.test(s));
      }),
    );
    expect(isLowerHex64('a'.repeat(63) + 'A')).toBe(false);
    expect(isLowerHex64('a'.repeat(63) + '\u0161')).toBe(false); // 0x161 & 0x7f would be 'a'
    expect(isLowerHex64('0123456789abcdef'.repeat(4))).toBe(true);
  });
});

describe('hasPrefix', () => {
  it('agrees with String#startsWith', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 6 }), (s, p) => {
        expect(hasPrefix(s, p)).toBe(s.startsWith(p));
        expect(hasPrefix(p + s, p)).toBe(true);
      }),
    );
  });
});

describe('canonicalHeaderValue', () => {
  it('trims and collapses SP, HTAB, CR, LF runs, and nothing else', () => {
    const reference = (v: string): string => v.split(/[ \t\r\n]+/).filter((x) => x !== '').join(' ');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '  ', '\t', '\r\n ', '\n', 'a', 'b c', '\u00a0', 'é', ';', ''), { maxLength: 12 }), (parts) => {
        const v = parts.join('');
        expect(canonicalHeaderValue(v)).toBe(reference(v));
      }),
      { numRuns: 500 },
    );
  });
});

describe('canonicalQueryIfCanonical', () => {
  const canonical = (raw: string): string | undefined => {
    const params = parseQuery(raw);
    return params === undefined ? undefined : getCanonicalQuery(params);
  };
  const piece = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'Z', '0', '9', '-', '.', '_', '~', '=', '&', '%', '2', 'F', '+', ' ', 'é'), maxLength: 8 });

  it('returns the raw query only when it is its own canonical form', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 5 }), (pieces) => {
        const raw = pieces.join('&');
        const fast = canonicalQueryIfCanonical(raw);
        if (fast !== undefined) expect(fast).toBe(canonical(raw));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the common shapes and refuses the others', () => {
    expect(canonicalQueryIfCanonical('Action=GetCallerIdentity&Version=2011-06-15')).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(canonicalQueryIfCanonical('a=1&a=1&a=2')).toBe('a=1&a=1&a=2');
    expect(canonicalQueryIfCanonical('a=&b=')).toBe('a=&b=');
    for (const raw of [
      '',
      'Version=2011-06-15&Action=GetCallerIdentity', // unsorted
      'a=1&a-b=1', // '=' sorts after '-': by key, 'a' comes first (this order is right) ...
      'a=2&a=1', // same key, values unsorted
      'a=1&&b=2', // empty piece
      'a', // no '='
      'a=b=c', // '=' in a value is %3D canonically
      'a=%41', // escapes are decoded and re-encoded
      'a=x y',
      'a=é',
    ]) {
      const fast = canonicalQueryIfCanonical(raw);
      if (raw === 'a=1&a-b=1') expect(fast).toBe(canonical(raw));
      else expect(fast, raw).toBeUndefined();
    }
    expect(canonicalQueryIfCanonical('a-b=1&a=1')).toBeUndefined(); // ... and this one is not
  });
});

describe('createVerifier (last Authorization prefix memo)', () => {
  async function signedGet(): Promise<VerifyRequest & { headers: Record<string, string> }> {
    const r = await smithySign(
      { method: 'GET', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: 'sts.example.com' }, body: Buffer.alloc(0) },
      { region: 'us-east-1', service: 'sts', date: new Date(T0), uriEscapePath: true, applyChecksum: false },
    );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
    return { method: 'GET', url: '/?' + queryString(r.query), headers };
  }
  const make = () =>
    createVerifier<string>({
      now: () => T0,
      allowedServices: ['sts'],
      lookup: (i) => (i.accessKeyId === ACCESS_KEY_ID ? { secretAccessKey: SECRET, principal: 'alice' } : undefined),
    });
  const outcome = (v: ReturnType<typeof make>, r: VerifyRequest): string => {
    try {
      return 'ok:' + v.verifySync(r).signedHeaders.join(';');
    } catch (error) {
      return isAwsError(error) ? error.code + ': ' + error.message : 'escaped: ' + String(error);
    }
  };

  it('gives a primed verifier the same answer as a fresh one for any 64 characters after the prefix', async () => {
    const good = await signedGet();
    const auth = String(good.headers.authorization);
    const prefix = auth.slice(0, auth.length - 64);
    const primed = make();
    expect(outcome(primed, good)).toMatch(/^ok:/);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ minLength: 64, maxLength: 64 }),
          fc.string({ unit: fc.constantFrom('0', 'a', 'f', 'A', ',', ' ', '=', '\t'), minLength: 64, maxLength: 64 }),
          fc.nat(63).map((i) => auth.slice(-64, -64 + i) + (auth.at(-64 + i) === '0' ? '1' : '0') + auth.slice(-64 + i + 1 || undefined)),
          fc.constant(auth.slice(-64).toUpperCase()),
          fc.string({ minLength: 60, maxLength: 70 }),
        ),
        (tail) => {
          const request = { ...good, headers: { ...good.headers, authorization: prefix + tail } };
          expect(outcome(primed, request)).toBe(outcome(make(), request));
          expect(outcome(primed, good)).toMatch(/^ok:/); // and the memo still serves the good one
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is not primed by a header only the general parser reads (white space inside a value)', async () => {
    const good = await signedGet();
    const auth = String(good.headers.authorization);
    const spaced = auth.replace('Credential=' + ACCESS_KEY_ID, 'Credential=' + ACCESS_KEY_ID.slice(0, 4) + ' ' + ACCESS_KEY_ID.slice(4));
    const prefix = spaced.slice(0, spaced.length - 64);
    const primed = make();
    const first = { ...good, headers: { ...good.headers, authorization: spaced } };
    expect(outcome(primed, first)).toBe(outcome(make(), first));
    for (const tail of ['a'.repeat(40) + ', Signature=' + 'b'.repeat(12), 'c'.repeat(52) + ', Foo=bar12', ' '.repeat(64)]) {
      const request = { ...good, headers: { ...good.headers, authorization: prefix + tail } };
      expect(outcome(primed, request), tail).toBe(outcome(make(), request));
    }
  });

  it('never lets one result change the SignedHeaders of the requests after it', async () => {
    const good = await signedGet();
    const v = make();
    const first = v.verifySync(good);
    (first.signedHeaders as string[]).push('mutated'); // parsed in full: its own array
    const second = v.verifySync(good); // from the memo: shared, and frozen
    expect(second.signedHeaders).not.toContain('mutated');
    expect(() => (second.signedHeaders as string[]).push('mutated')).toThrow(TypeError);
    expect(v.verifySync(good).signedHeaders).toEqual(second.signedHeaders);
    expect(v.verifySync(good).signedHeaders).not.toContain('mutated');
  });
});

describe('verify (no await for a synchronous lookup)', () => {
  async function signedGet(): Promise<VerifyRequest> {
    const r = await smithySign(
      { method: 'GET', path: '/', query: {}, headers: { host: 'sts.example.com' }, body: Buffer.alloc(0) },
      { region: 'us-east-1', service: 'sts', date: new Date(T0), uriEscapePath: true, applyChecksum: false },
    );
    return { method: 'GET', url: '/', headers: r.headers };
  }
  const withLookup = (lookup: () => unknown) =>
    createVerifier<string>({ now: () => T0, allowedServices: ['sts'], lookup: lookup as never });
  const creds = { secretAccessKey: SECRET, principal: 'alice' };

  it('resolves with sync and async lookups alike', async () => {
    const request = await signedGet();
    expect((await withLookup(() => creds).verify(request)).principal).toBe('alice');
    expect((await withLookup(async () => creds).verify(request)).principal).toBe('alice');
    expect((await withLookup(() => ({ then: (ok: (v: unknown) => void) => ok(creds) })).verify(request)).principal).toBe('alice');
  });

  it('rejects, never throws, whatever fails', async () => {
    const request = await signedGet();
    const code = async (p: () => Promise<unknown>): Promise<string> => {
      let promise: Promise<unknown> | undefined;
      expect(() => (promise = p())).not.toThrow();
      return promise!.then(
        () => 'resolved',
        (e: unknown) => (isAwsError(e) ? e.code : 'not an AwsError'),
      );
    };
    expect(await code(() => withLookup(() => creds).verify({ method: 'GET', url: '/', headers: {} }))).toBe('MissingAuthenticationToken');
    expect(await code(() => withLookup(() => undefined).verify(request))).toBe('InvalidClientTokenId');
    expect(await code(() => withLookup(() => { throw new Error('db down'); }).verify(request))).toBe('InternalFailure');
    expect(await code(() => withLookup(() => Promise.reject(new Error('db down'))).verify(request))).toBe('InternalFailure');
    const badThenable = { get then() { return () => { throw new Error('broken thenable'); }; } };
    expect(await code(() => withLookup(() => badThenable).verify(request))).toBe('InternalFailure');
    const tampered = { ...request, headers: { ...(request.headers as Record<string, string>), host: 'other.example.com' } };
    expect(await code(() => withLookup(() => creds).verify(tampered))).toBe('SignatureDoesNotMatch');
  });
});

describe('createVerifier (delegated signing keys)', () => {
  it('verifies with the key bytes the lookup returns now, even when the same object was changed in place', async () => {
    const r = await smithySign(
      { method: 'GET', path: '/', query: {}, headers: { host: 'sts.example.com' }, body: Buffer.alloc(0) },
      { region: 'us-east-1', service: 'sts', date: new Date(T0), uriEscapePath: true, applyChecksum: false },
    );
    const request: VerifyRequest = { method: 'GET', url: '/', headers: r.headers };
    const key = Buffer.from(getSigningKey(SECRET, '20261127', 'us-east-1', 'sts'));
    const good = Buffer.from(key);
    const v = createVerifier<string>({ now: () => T0, allowedServices: ['sts'], lookup: () => ({ signingKey: key, principal: 'svc' }) });
    expect(v.verifySync(request).principal).toBe('svc');
    expect(v.verifySync(request).principal).toBe('svc'); // cached pads
    key[0] = key[0]! ^ 1;
    expect(() => v.verifySync(request)).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
    good.copy(key);
    expect(v.verifySync(request).principal).toBe('svc');
  });
});
