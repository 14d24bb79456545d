// Benchmark (not a test): verifications per second for a typical GET and a small POST with a
// cached signing key, the raw crypto ceiling of one verification, and @smithy/signature-v4
// signing the same requests. Run: npm run bench -w @latchkey/sigv4
import { createHash, createHmac, hash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createVerifier, getSigningKey } from '../src/index.js';
import { hmacHexOfStringToSign, hmacPads } from '../src/crypto.js';
import type { VerifyRequest } from '../src/index.js';

const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const DATE = new Date('2026-11-27T20:00:00Z');

const signer = new SignatureV4({
  credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
  region: 'us-east-1',
  service: 'sts',
  sha256: Hash.bind(null, 'sha256'),
});

function getRequest(): HttpRequest {
  return new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname: 'sts.example.com',
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: 'sts.example.com', 'user-agent': 'bench' },
  });
}

const POST_BODY = 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=bench';
function postRequest(): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: 'sts.example.com',
    path: '/',
    headers: {
      host: 'sts.example.com',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'content-length': String(Buffer.byteLength(POST_BODY)),
    },
    body: POST_BODY,
  });
}

function toVerify(signed: HttpRequest, body?: string): VerifyRequest {
  const qs = Object.entries(signed.query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  return { method: signed.method, url: signed.path + (qs ? '?' + qs : ''), headers, ...(body === undefined ? {} : { body }) };
}

// The machine is shared: rates are per second of this process's CPU time (process.cpuUsage),
// not wall time, and every figure is the best of several short interleaved rounds, so load from
// elsewhere distorts the figures as little as possible.
const ROUNDS = 7;
const ROUND_MS = 250;
const best = new Map<string, number>();

async function round(name: string, fn: () => unknown): Promise<void> {
  const isAsync = fn() instanceof Promise;
  let n = 0;
  const start = process.cpuUsage();
  const limitMicros = ROUND_MS * 1000;
  let elapsed = 0;
  while (elapsed < limitMicros) {
    if (isAsync) for (let i = 0; i < 500; i++) await fn();
    else for (let i = 0; i < 500; i++) fn();
    n += 500;
    const used = process.cpuUsage(start);
    elapsed = used.user + used.system;
  }
  const perSec = (n * 1e6) / elapsed;
  best.set(name, Math.max(best.get(name) ?? 0, perSec));
}

function report(name: string): number {
  const perSec = best.get(name)!;
  console.log(`${name.padEnd(68)} ${Math.round(perSec).toLocaleString('en-US').padStart(12)} /s`);
  return perSec;
}

async function main(): Promise<void> {
  const signedGet = (await signer.sign(getRequest(), { signingDate: DATE })) as HttpRequest;
  const signedPost = (await signer.sign(postRequest(), { signingDate: DATE })) as HttpRequest;
  const getReq = toVerify(signedGet);
  const postReq = toVerify(signedPost, POST_BODY);
  const creds = { secretAccessKey: SECRET, principal: 'bench' };
  const verifier = createVerifier<string>({
    now: () => DATE.getTime(),
    allowedServices: ['sts'],
    lookup: (input) => (input.accessKeyId === ACCESS_KEY_ID ? creds : undefined),
  });
  // sanity: both verify
  verifier.verifySync(getReq);
  verifier.verifySync(postReq);

  const key = getSigningKey(SECRET, '20261127', 'us-east-1', 'sts');
  const pads = hmacPads(key);
  const canonical = 'GET\n/\nAction=GetCallerIdentity&Version=2011-06-15\nhost:sts.example.com\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-amz-date:20261127T200000Z\n\nhost;x-amz-content-sha256;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const stsPrefix = 'AWS4-HMAC-SHA256\n20261127T200000Z\n20261127/us-east-1/sts/aws4_request\n';
  const sts = stsPrefix + '0'.repeat(64);
  const cases: Array<[string, () => unknown]> = [
    ['verifySync GET  (cached signing key)', () => verifier.verifySync(getReq)],
    ['verifySync POST (cached signing key, 121-byte form body)', () => verifier.verifySync(postReq)],
    ['verify     GET  (async)', () => verifier.verify(getReq)],
    ['verify     POST (async)', () => verifier.verify(postReq)],
    ['raw ceiling GET : createHash + createHmac', () => {
      createHash('sha256').update(canonical).digest('hex');
      createHmac('sha256', key).update(sts).digest();
    }],
    ['raw ceiling POST: + createHash of the body', () => {
      createHash('sha256').update(POST_BODY).digest('hex');
      createHash('sha256').update(canonical).digest('hex');
      createHmac('sha256', key).update(sts).digest();
    }],
    ['raw ceiling GET : crypto.hash + createHmac', () => {
      hash('sha256', canonical, 'hex');
      createHmac('sha256', key).update(sts).digest('hex');
    }],
    ['raw ceiling GET : crypto.hash x3, HMAC from pads (what verify uses)', () => {
      hmacHexOfStringToSign(pads, key, stsPrefix, hash('sha256', canonical, 'hex'));
    }],
    ['raw ceiling POST: crypto.hash x4, HMAC from pads (what verify uses)', () => {
      hash('sha256', POST_BODY, 'hex');
      hmacHexOfStringToSign(pads, key, stsPrefix, hash('sha256', canonical, 'hex'));
    }],
    ['@smithy/signature-v4 sign GET', () => signer.sign(getRequest(), { signingDate: DATE })],
    ['@smithy/signature-v4 sign POST', () => signer.sign(postRequest(), { signingDate: DATE })],
  ];
  for (const [, fn] of cases) for (let i = 0; i < 3000; i++) await fn(); // warm up
  for (let r = 0; r < ROUNDS; r++) for (const [name, fn] of cases) await round(name, fn);
  console.log(`node ${process.version}; per CPU-second, best of ${ROUNDS} interleaved ${ROUND_MS} ms rounds, one thread\n`);
  const [getSync, postSync, getAsync, , rawGet, rawPost, hmacGet, fastGet, fastPost, smithyGet, smithyPost] = cases.map(([name]) => report(name)) as [number, number, number, number, number, number, number, number, number, number, number];
  console.log('');
  console.log(
    `GET : ${(rawGet / getSync).toFixed(2)}x the createHash/createHmac ceiling, ${(hmacGet / getSync).toFixed(2)}x the crypto.hash/createHmac one, ` +
      `${(fastGet / getSync).toFixed(2)}x the ceiling of the calls verify makes, ` +
      `${(getSync / smithyGet).toFixed(1)}x smithy's signer (async verify: ${(getAsync / smithyGet).toFixed(1)}x)`,
  );
  console.log(
    `POST: ${(rawPost / postSync).toFixed(2)}x the createHash/createHmac ceiling, ${(fastPost / postSync).toFixed(2)}x the ceiling of the calls verify makes, ` +
      `${(postSync / smithyPost).toFixed(1)}x smithy's signer`,
  );
}

await main();
