import { describe, expect, it } from 'vitest';
import { isAwsError } from '@latchkey/errors';
import { createVerifier, deriveSigV4aPublicKey, getSignatureMismatchDebug, uriEscape, normalizePath } from '../src/index.js';
import type { VerifierOptions, VerifyRequest } from '../src/index.js';
import { headerValue, parseRawHttp, type RawRequest } from './support/raw-http.js';
import { LEGACY_CONTEXT, loadIndex, readContext, readVectorFile, vectorsDir, vectorsPresent, type V4Case, type VectorContext } from './support/vectors.js';

interface Prepared {
  name: string;
  kind: 'header' | 'presigned';
  raw: RawRequest;
  ctx: VectorContext;
  /** the token the credential store knows for the key, if any */
  token: string | undefined;
  /** verifier options the case needs */
  options: Partial<VerifierOptions<string>>;
  /** expected files, to compare on failure */
  canonicalRequest?: string;
  stringToSign?: string;
}

function verifierFor(p: Prepared, extra: Partial<VerifierOptions<string>> = {}) {
  const ctx = p.ctx;
  return createVerifier<string>({
    now: () => Date.parse(ctx.timestamp),
    allowedServices: [ctx.service],
    allowedRegions: [ctx.region],
    debugSignatureMismatch: true,
    lookup: (input) => {
      if (input.accessKeyId !== ctx.credentials.access_key_id) return undefined;
      if (p.token !== undefined && input.sessionToken !== p.token) return undefined;
      return {
        secretAccessKey: ctx.credentials.secret_access_key,
        principal: 'vector-principal',
        requiresSessionToken: p.token !== undefined,
      };
    },
    ...p.options,
    ...extra,
  });
}

function toRequest(raw: RawRequest, pathTransform: (path: string) => string = (x) => x): VerifyRequest {
  const q = raw.target.indexOf('?');
  const path = q === -1 ? raw.target : raw.target.slice(0, q);
  const query = q === -1 ? '' : raw.target.slice(q);
  return { method: raw.method, url: pathTransform(path) + query, headers: raw.rawHeaders, body: raw.body };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (!isAwsError(error)) throw error;
    return error.code;
  }
}

const s3Path = (path: string): string => uriEscape(path, true);

function prepareAll(): { defaultMode: Prepared[]; s3Path: Prepared[]; rejectedInDefault: Prepared[] } {
  const index = loadIndex();
  const defaultMode: Prepared[] = [];
  const s3Only: Prepared[] = [];
  const rejectedInDefault: Prepared[] = [];
  for (const c of index.v4) {
    const ctx = readContext(c.dir);
    for (const kind of ['header', 'presigned'] as const) {
      const prefix = kind === 'header' ? 'header' : 'query';
      const p: Prepared = {
        name: `v4/${c.case} (${kind})`,
        kind,
        raw: parseRawHttp(readVectorFile(`${c.dir}/${prefix}-signed-request.txt`)),
        ctx,
        token: ctx.credentials.token,
        options: c.omitSessionToken ? { allowUnsignedSessionToken: true } : {},
        canonicalRequest: readVectorFile(`${c.dir}/${prefix}-canonical-request.txt`).toString('utf8'),
        stringToSign: readVectorFile(`${c.dir}/${prefix}-string-to-sign.txt`).toString('utf8'),
      };
      if (c.pathMode === 'either' || c.pathMode.startsWith('default')) defaultMode.push(p);
      if (c.pathMode === 'either' || c.pathMode.startsWith('s3')) s3Only.push(p);
      if (c.pathMode.startsWith('s3') && c.case !== 'get-space-unnormalized') rejectedInDefault.push(p);
      // its path needs no normalisation, so both modes sign it alike
      if (c.case === 'get-space-unnormalized') defaultMode.push(p);
    }
  }
  for (const c of index.legacy) {
    const base = `${c.dir}/${c.case.split('/').pop()!}`;
    let raw: RawRequest;
    let token: string | undefined;
    if (c.sreqSignatureConsistent) {
      raw = parseRawHttp(readVectorFile(`${base}.sreq`));
      token = headerValue(raw, 'x-amz-security-token');
    } else {
      // known defect: this .sreq carries get-vanilla's signature; the token appears only in .creq
      raw = parseRawHttp(readVectorFile(`${base}.req`));
      const creq = readVectorFile(`${base}.creq`).toString('utf8');
      token = /x-amz-security-token:(.*)/.exec(creq)![1]!;
      raw.rawHeaders.push('X-Amz-Security-Token', token, 'Authorization', readVectorFile(`${base}.authz`).toString('utf8'));
    }
    defaultMode.push({
      name: `legacy/${c.case}`,
      kind: 'header',
      raw,
      ctx: LEGACY_CONTEXT,
      token,
      options: c.case.endsWith('post-sts-header-after') ? { allowUnsignedSessionToken: true } : {},
      canonicalRequest: readVectorFile(`${base}.creq`).toString('utf8'),
      stringToSign: readVectorFile(`${base}.sts`).toString('utf8'),
    });
  }
  return { defaultMode, s3Path: s3Only, rejectedInDefault };
}

const sets = vectorsPresent ? prepareAll() : { defaultMode: [], s3Path: [], rejectedInDefault: [] };
if (!vectorsPresent) console.warn(`sigv4 conformance vectors not found at ${vectorsDir}: skipping the vector tests`);

describe.skipIf(!vectorsPresent)('createVerifier: conformance vectors', () => {
  it('holds every vector of the suite (76 v4 + 34 legacy)', () => {
    expect(sets.defaultMode.length + sets.rejectedInDefault.length).toBe(76 + 34);
  });

  it.each(sets.defaultMode.map((p) => [p.name, p] as const))('accepts %s (default mode)', async (_name, p) => {
    try {
      const result = await verifierFor(p).verify(toRequest(p.raw));
      expect(result.accessKeyId).toBe('AKIDEXAMPLE');
      expect(result.authType).toBe(p.kind);
      expect(result.credentialScope).toEqual({ date: '20150830', region: 'us-east-1', service: 'service' });
      expect(result.principal).toBe('vector-principal');
    } catch (error) {
      const debug = getSignatureMismatchDebug(error);
      if (debug !== undefined) {
        expect(debug.canonicalRequest).toBe(p.canonicalRequest);
        expect(debug.stringToSign).toBe(p.stringToSign);
      }
      throw error;
    }
  });

  it.each(sets.s3Path.map((p) => [p.name, p] as const))('accepts %s (S3 path rules, path percent-encoded)', async (_name, p) => {
    const result = await verifierFor(p, { pathCanonicalization: 's3' }).verify(toRequest(p.raw, s3Path));
    expect(result.authType).toBe(p.kind);
  });

  it.each(sets.rejectedInDefault.map((p) => [p.name, p] as const))('rejects S3-style %s in default mode', async (_name, p) => {
    expect(await codeOf(verifierFor(p).verify(toRequest(p.raw)))).toBe('SignatureDoesNotMatch');
  });

  it.each(sets.defaultMode.filter((p) => p.options.allowUnsignedSessionToken === true).map((p) => [p.name, p] as const))(
    'rejects %s (token added after signing) unless allowUnsignedSessionToken',
    async (_name, p) => {
      const strict = verifierFor(p, { allowUnsignedSessionToken: false });
      expect(await codeOf(strict.verify(toRequest(p.raw)))).toBe('SignatureDoesNotMatch');
    },
  );
});

// --- mutations -------------------------------------------------------------------------------

interface Mutation {
  what: string;
  request: VerifyRequest;
  expected: string;
  now?: number;
}

function withHeader(raw: RawRequest, index: number, value: string): RawRequest {
  const rawHeaders = raw.rawHeaders.slice();
  rawHeaders[index + 1] = value;
  return { ...raw, rawHeaders };
}

/** Changes one character: digits to the next digit, anything else to 'q' (or 'r' for 'q'). */
function mutateChar(value: string, at: number): string {
  const c = value[at]!;
  const next = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : c === 'q' ? 'r' : 'q';
  return value.slice(0, at) + next + value.slice(at + 1);
}

function signedHeaderNames(p: Prepared): string[] {
  if (p.kind === 'header') return /SignedHeaders=([^,\s]+)/.exec(headerValue(p.raw, 'authorization')!)![1]!.split(';');
  const m = /X-Amz-SignedHeaders=([^&]+)/.exec(p.raw.target)!;
  return decodeURIComponent(m[1]!).split(';');
}

function mutations(p: Prepared): Mutation[] {
  const out: Mutation[] = [];
  const raw = p.raw;
  const base = toRequest(raw);
  const hasSha = headerValue(raw, 'x-amz-content-sha256') !== undefined;
  // the signature
  if (p.kind === 'header') {
    const i = raw.rawHeaders.findIndex((n, k) => k % 2 === 0 && n.toLowerCase() === 'authorization');
    const auth = raw.rawHeaders[i + 1]!;
    const at = auth.lastIndexOf('Signature=') + 'Signature='.length + 10;
    out.push({ what: 'signature byte', request: toRequest(withHeader(raw, i, mutateChar(auth, at))), expected: 'SignatureDoesNotMatch' });
    // one more name in SignedHeaders
    out.push({
      what: 'SignedHeaders + x-extra',
      request: toRequest(withHeader(raw, i, auth.replace(/SignedHeaders=([^,]+)/, 'SignedHeaders=$1;x-extra'))),
      expected: 'SignatureDoesNotMatch',
    });
    for (const [part, expected, replacement] of [
      ['20150830/', 'SignatureDoesNotMatch', '20150831/'],
      ['/us-east-1/', 'SignatureDoesNotMatch', '/us-east-2/'],
      ['/service/', 'SignatureDoesNotMatch', '/servicf/'],
      ['/aws4_request', 'SignatureDoesNotMatch', '/aws5_request'],
      ['AKIDEXAMPLE/', 'InvalidClientTokenId', 'AKIDEXAMPLF/'],
    ] as const) {
      out.push({ what: `scope ${part}`, request: toRequest(withHeader(raw, i, auth.replace(part, replacement))), expected });
    }
  } else {
    const target = raw.target.replace(/(X-Amz-Signature=.{10})(.)/, (_m, a: string, c: string) => a + (c === 'q' ? 'r' : /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : 'q'));
    out.push({ what: 'signature byte', request: { ...base, url: target }, expected: 'SignatureDoesNotMatch' });
    out.push({ what: 'X-Amz-Expires', request: { ...base, url: raw.target.replace('X-Amz-Expires=3600', 'X-Amz-Expires=3601') }, expected: 'SignatureDoesNotMatch' });
    out.push({ what: 'X-Amz-Date second', request: { ...base, url: raw.target.replace('T123600Z', 'T123601Z') }, expected: 'SignatureDoesNotMatch' });
    for (const [part, expected, replacement] of [
      ['20150830%2F', 'SignatureDoesNotMatch', '20150831%2F'],
      ['%2Fus-east-1%2F', 'SignatureDoesNotMatch', '%2Fus-east-2%2F'],
      ['%2Fservice%2F', 'SignatureDoesNotMatch', '%2Fservicf%2F'],
      ['%2Faws4_request', 'SignatureDoesNotMatch', '%2Faws5_request'],
      ['AKIDEXAMPLE%2F', 'InvalidClientTokenId', 'AKIDEXAMPLF%2F'],
    ] as const) {
      out.push({ what: `scope ${part}`, request: { ...base, url: raw.target.replace(part, replacement) }, expected });
    }
  }
  // every signed header: one byte of its value, and dropping it
  for (const name of signedHeaderNames(p)) {
    const i = raw.rawHeaders.findIndex((n, k) => k % 2 === 0 && n.toLowerCase() === name);
    if (i === -1) continue;
    const value = raw.rawHeaders[i + 1]!;
    const at = name === 'x-amz-date' ? 14 : name === 'x-amz-content-sha256' ? 0 : value.trimEnd().length - 1;
    const expected =
      name === 'x-amz-content-sha256' ? 'XAmzContentSHA256Mismatch' : name === 'x-amz-security-token' ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch';
    out.push({ what: `header ${name} byte`, request: toRequest(withHeader(raw, i, mutateChar(value, at))), expected });
    const dropped = raw.rawHeaders.slice();
    dropped.splice(i, 2);
    const dropExpected =
      name === 'x-amz-date' ? 'IncompleteSignature' : name === 'x-amz-security-token' ? 'InvalidClientTokenId' : name === 'x-amz-content-sha256' ? 'SignatureDoesNotMatch' : 'SignatureDoesNotMatch';
    out.push({ what: `drop header ${name}`, request: toRequest({ ...raw, rawHeaders: dropped }), expected: dropExpected });
  }
  // the path
  const q = raw.target.indexOf('?');
  const path = q === -1 ? raw.target : raw.target.slice(0, q);
  const query = q === -1 ? '' : raw.target.slice(q);
  for (let at = 0; at < path.length; at++) {
    const mutated = mutateChar(path, at);
    if (normalizePath(uriEscape(mutated, true)) === normalizePath(uriEscape(path, true))) continue; // absorbed by normalisation
    out.push({ what: `path byte ${at}`, request: { ...base, url: mutated + query }, expected: 'SignatureDoesNotMatch' });
  }
  // query keys and values that are not auth parameters
  if (query !== '') {
    const pieces = query.slice(1).split('&');
    pieces.forEach((piece, k) => {
      if (piece.startsWith('X-Amz-')) return;
      const eq = piece.indexOf('=');
      const positions = [0, eq === -1 ? -1 : eq + 1].filter((x) => x >= 0 && x < piece.length && x !== eq);
      for (const at of positions) {
        const changed = pieces.slice();
        changed[k] = mutateChar(piece, at);
        out.push({ what: `query ${piece} byte ${at}`, request: { ...base, url: path + '?' + changed.join('&') }, expected: 'SignatureDoesNotMatch' });
      }
    });
  }
  // the body (always signed: its hash is in the canonical request)
  const body = Buffer.from(raw.body);
  const bodyExpected = hasSha && p.kind === 'header' ? 'XAmzContentSHA256Mismatch' : 'SignatureDoesNotMatch';
  if (body.length > 0) {
    const changed = Buffer.from(body);
    changed[0] = changed[0]! ^ 1;
    out.push({ what: 'body byte', request: { ...base, body: changed }, expected: bodyExpected });
  } else {
    out.push({ what: 'body byte added', request: { ...base, body: Buffer.from('x') }, expected: bodyExpected });
  }
  // the clock
  const t = Date.parse(p.ctx.timestamp);
  if (p.kind === 'header') {
    out.push({ what: 'clock +16 min', request: base, expected: 'SignatureDoesNotMatch', now: t + 16 * 60_000 });
    out.push({ what: 'clock -16 min', request: base, expected: 'SignatureDoesNotMatch', now: t - 16 * 60_000 });
  } else {
    out.push({ what: 'clock past X-Amz-Expires', request: base, expected: 'RequestExpired', now: t + 3601_000 });
    out.push({ what: 'X-Amz-Date 16 min ahead', request: base, expected: 'RequestExpired', now: t - 16 * 60_000 });
  }
  return out;
}

function harmless(p: Prepared): Mutation[] {
  const raw = p.raw;
  const out: Mutation[] = [];
  const swapped = raw.rawHeaders.map((v, k) => (k % 2 === 0 ? (k % 4 === 0 ? v.toUpperCase() : v.toLowerCase()) : v));
  out.push({ what: 'header-name case', request: toRequest({ ...raw, rawHeaders: swapped }), expected: 'accepted' });
  const spaced = raw.rawHeaders.map((v, k) => (k % 2 === 1 && !v.includes('\n') ? `  ${v.replace(/ /g, '   ')}  ` : v));
  out.push({ what: 'extra spaces in values', request: toRequest({ ...raw, rawHeaders: spaced }), expected: 'accepted' });
  out.push({ what: 'unsigned header added', request: toRequest({ ...raw, rawHeaders: [...raw.rawHeaders, 'X-Unsigned', 'whatever'] }), expected: 'accepted' });
  // reverse the order of differently named headers (keep repeated ones in their relative order)
  const names = [...new Set(raw.rawHeaders.filter((_v, k) => k % 2 === 0).map((n) => n.toLowerCase()))].reverse();
  const reordered: string[] = [];
  for (const n of names) {
    for (let k = 0; k < raw.rawHeaders.length; k += 2) if (raw.rawHeaders[k]!.toLowerCase() === n) reordered.push(raw.rawHeaders[k]!, raw.rawHeaders[k + 1]!);
  }
  out.push({ what: 'headers reordered', request: toRequest({ ...raw, rawHeaders: reordered }), expected: 'accepted' });
  const q = raw.target.indexOf('?');
  if (q !== -1) {
    const pieces = raw.target.slice(q + 1).split('&').reverse();
    out.push({ what: 'query reordered', request: { ...toRequest(raw), url: raw.target.slice(0, q) + '?' + pieces.join('&') }, expected: 'accepted' });
  }
  return out;
}

describe.skipIf(!vectorsPresent)('createVerifier: one-byte mutations of the vectors', () => {
  it.each(sets.defaultMode.map((p) => [p.name, p] as const))('rejects every mutation of a signed part of %s', async (_name, p) => {
    const results: string[] = [];
    for (const m of mutations(p)) {
      const now = m.now;
      const v = now === undefined ? verifierFor(p) : verifierFor(p, { now: () => now });
      const code = await codeOf(v.verify(m.request));
      if (code !== m.expected) results.push(`${m.what}: got ${code}, expected ${m.expected}`);
    }
    expect(results).toEqual([]);
  });

  it.each(sets.defaultMode.map((p) => [p.name, p] as const))('accepts changes the canonical form absorbs for %s', async (_name, p) => {
    const results: string[] = [];
    for (const m of harmless(p)) {
      const code = await codeOf(verifierFor(p).verify(m.request));
      if (code !== m.expected) results.push(`${m.what}: got ${code}`);
    }
    expect(results).toEqual([]);
  });

  it('breaks get-header-value-order when the repeated values are swapped', async () => {
    const p = sets.defaultMode.find((x) => x.name === 'v4/get-header-value-order (header)')!;
    const idx = p.raw.rawHeaders.map((n, k) => (k % 2 === 0 && n.toLowerCase() === 'my-header1' ? k : -1)).filter((k) => k >= 0);
    expect(idx.length).toBeGreaterThan(1);
    const swapped = p.raw.rawHeaders.slice();
    swapped[idx[0]! + 1] = p.raw.rawHeaders[idx[1]! + 1]!;
    swapped[idx[1]! + 1] = p.raw.rawHeaders[idx[0]! + 1]!;
    expect(await codeOf(verifierFor(p).verify(toRequest({ ...p.raw, rawHeaders: swapped })))).toBe('SignatureDoesNotMatch');
  });
});

// --- SigV4a (ECDSA P-256) -----------------------------------------------------------------------

interface V4aPrepared extends Prepared {
  pathMode: string;
  publicKey: { X: string; Y: string };
}

function prepareV4a(): V4aPrepared[] {
  const out: V4aPrepared[] = [];
  for (const c of (loadIndex() as unknown as { v4a: Array<V4Case & { complete: boolean }> }).v4a) {
    if (!c.complete) continue;
    const ctx = readContext(c.dir);
    for (const kind of ['header', 'presigned'] as const) {
      out.push({
        name: `v4a/${c.case} (${kind})`,
        kind,
        raw: parseRawHttp(readVectorFile(`${c.dir}/${kind === 'header' ? 'header' : 'query'}-signed-request.txt`)),
        ctx,
        token: ctx.credentials.token,
        options: { allowSigV4a: true, ...(c.omitSessionToken ? { allowUnsignedSessionToken: true } : {}), ...(c.pathMode.startsWith('s3') ? { pathCanonicalization: 's3' as const } : {}) },
        pathMode: c.pathMode,
        publicKey: JSON.parse(readVectorFile(`${c.dir}/public-key.json`).toString('utf8')) as { X: string; Y: string },
      });
    }
  }
  return out;
}

const v4aCases = vectorsPresent ? prepareV4a() : [];

describe.skipIf(!vectorsPresent)('createVerifier: SigV4a vectors', () => {
  it('holds the 38 complete v4a cases, header and presigned', () => {
    expect(v4aCases.length).toBe(76);
  });

  it('derives every case public key from the credentials', () => {
    for (const p of v4aCases) {
      const key = Buffer.from(deriveSigV4aPublicKey(p.ctx.credentials.access_key_id, p.ctx.credentials.secret_access_key)).toString('hex');
      expect(key).toBe('04' + p.publicKey.X + p.publicKey.Y);
    }
  });

  it.each(v4aCases.map((p) => [p.name, p] as const))('accepts %s and rejects a changed signature or signed header', async (_name, p) => {
    const request = toRequest(p.raw, p.pathMode.startsWith('s3') ? s3Path : (x) => x);
    const result = await verifierFor(p).verify(request);
    expect([result.algorithm, result.credentialScope.region]).toEqual(['AWS4-ECDSA-P256-SHA256', 'us-east-1']);
    // a delegated public key verifies too, without the secret
    const pk = Buffer.from('04' + p.publicKey.X + p.publicKey.Y, 'hex');
    const delegated = createVerifier<string>({
      now: () => Date.parse(p.ctx.timestamp),
      allowedServices: ['service'],
      ...p.options,
      lookup: () => ({ sigv4aPublicKey: pk, principal: 'x' }),
    });
    expect((await delegated.verify(request)).principal).toBe('x');
    // mutations: one signature byte (a DER byte), one signed header value
    const flip = (sig: string): string => sig.slice(0, 20) + (sig[20] === '0' ? '1' : '0') + sig.slice(21);
    let mutated: VerifyRequest;
    if (p.kind === 'header') {
      const i = p.raw.rawHeaders.findIndex((n, k) => k % 2 === 0 && n.toLowerCase() === 'authorization');
      const auth = p.raw.rawHeaders[i + 1]!;
      const at = auth.indexOf('Signature=') + 'Signature='.length;
      mutated = toRequest(withHeader(p.raw, i, auth.slice(0, at) + flip(auth.slice(at))), p.pathMode.startsWith('s3') ? s3Path : (x) => x);
    } else {
      mutated = { ...request, url: request.url.replace(/X-Amz-Signature=([0-9a-f]+)/, (_m, sig: string) => 'X-Amz-Signature=' + flip(sig)) };
    }
    expect(await codeOf(verifierFor(p).verify(mutated))).toBe('SignatureDoesNotMatch');
    const h = p.raw.rawHeaders.findIndex((n, k) => k % 2 === 0 && n.toLowerCase() === 'host');
    const hostChanged = toRequest(withHeader(p.raw, h, 'example.amazonaws.co'), p.pathMode.startsWith('s3') ? s3Path : (x) => x);
    expect(await codeOf(verifierFor(p).verify(hostChanged))).toBe('SignatureDoesNotMatch');
    // refused unless enabled
    expect(await codeOf(verifierFor(p, { allowSigV4a: false }).verify(request))).toBe('IncompleteSignature');
  });
});
