import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAwsError } from '@latchkey/errors';
import { createVerifier, getSignatureMismatchDebug, normalizePath } from '../src/index.js';
import type { VerifyRequest } from '../src/index.js';

const script = fileURLToPath(new URL('./botocore_sign.py', import.meta.url));
const botocorePresent = spawnSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' }).status === 0;
if (!botocorePresent) console.warn("python3 with botocore not available (`python3 -c 'import botocore'` failed): skipping the botocore tests");

interface BotoRequest {
  kind: 'header' | 'presigned' | 's3';
  method: string;
  url: string;
  rawHeaders: string[];
  body: string;
  token: string | null;
}

const T0 = Date.parse('2026-11-27T20:00:00Z');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function load(seed: number, count: number): BotoRequest[] {
  return JSON.parse(execFileSync('python3', [script, String(seed), String(count)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as BotoRequest[];
}

function verifierFor(r: BotoRequest) {
  return createVerifier<string>({
    mode: r.kind === 's3' ? 's3' : 'default',
    now: () => T0 + 60_000,
    allowedServices: [r.kind === 's3' ? 's3' : r.kind === 'presigned' ? 'sts' : 'iam'],
    debugSignatureMismatch: true,
    lookup: (i) =>
      i.accessKeyId === 'AKIAIOSFODNN7EXAMPLE' && (i.sessionToken ?? null) === r.token
        ? { secretAccessKey: SECRET, principal: 'boto', requiresSessionToken: r.token !== null }
        : undefined,
  });
}

function toRequest(r: BotoRequest): VerifyRequest {
  return { method: r.method, url: r.url, headers: r.rawHeaders, body: Buffer.from(r.body, 'hex') };
}

describe.skipIf(!botocorePresent)('createVerifier against botocore', () => {
  const requests = botocorePresent ? load(20261127, 300) : [];

  it('covers header, presigned and S3 signing, session tokens and Date-header requests', () => {
    const kinds = new Set(requests.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['header', 'presigned', 's3']);
    expect(requests.some((r) => r.token !== null)).toBe(true);
    expect(requests.some((r) => r.rawHeaders.some((h) => h.toLowerCase() === 'date'))).toBe(true);
  });

  it('accepts every request botocore signs (SigV4Auth, SigV4QueryAuth, S3SigV4Auth)', async () => {
    const failures: string[] = [];
    for (const r of requests) {
      try {
        const result = await verifierFor(r).verify(toRequest(r));
        if (result.principal !== 'boto') failures.push(`${r.url}: wrong principal`);
      } catch (error) {
        if (!isAwsError(error)) throw error;
        failures.push(`${r.kind} ${r.method} ${r.url}: ${error.code} ${error.message}\n${getSignatureMismatchDebug(error)?.canonicalRequest ?? ''}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('rejects each of them once a signed element changes', async () => {
    const failures: string[] = [];
    for (const [n, r] of requests.entries()) {
      const req = toRequest(r);
      const mutated: VerifyRequest[] = [];
      // the path: change a letter or digit (normalisation cannot absorb that)
      const q = r.url.indexOf('?');
      const path = q === -1 ? r.url : r.url.slice(0, q);
      const letter = [...path].findIndex((c) => /[A-Za-z0-9]/.test(c));
      const mutatedPath = letter < 0 ? path : path.slice(0, letter) + (path[letter] === 'q' ? 'r' : 'q') + path.slice(letter + 1);
      // outside S3 a segment that a later '..' removes is not part of the canonical URI
      const absorbed = r.kind !== 's3' && normalizePath(mutatedPath) === normalizePath(path);
      if (letter >= 0 && !absorbed) mutated.push({ ...req, url: path.slice(0, letter) + (path[letter] === 'q' ? 'r' : 'q') + path.slice(letter + 1) + r.url.slice(path.length) });
      // a signed header value
      const signed = r.rawHeaders.map((h, i) => (i % 2 === 0 && /^(x-test-\d|host|content-type)$/i.test(h) ? i : -1)).filter((i) => i >= 0);
      if (signed.length > 0) {
        const i = signed[n % signed.length]!;
        const headers = r.rawHeaders.slice();
        headers[i + 1] = headers[i + 1] + 'q';
        mutated.push({ ...req, headers });
      }
      // the body, where its hash is signed
      if (r.kind !== 'presigned') {
        const body = Buffer.from(r.body, 'hex');
        mutated.push({ ...req, body: body.length === 0 ? Buffer.from('x') : Buffer.concat([body, Buffer.from('x')]) });
      }
      for (const m of mutated) {
        try {
          await verifierFor(r).verify(m);
          failures.push(`accepted a mutation of ${r.kind} ${r.url}`);
        } catch (error) {
          if (!isAwsError(error)) throw error;
          if (!['SignatureDoesNotMatch', 'XAmzContentSHA256Mismatch'].includes(error.code)) failures.push(`${r.url}: ${error.code}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
