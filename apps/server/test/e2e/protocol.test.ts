import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/in-process-server.js';
import { amzDateOf, send } from '../helpers/sign.js';

let t: TestServer;
let root: { accessKeyId: string; secretAccessKey: string };
const MAX_BODY = 64 * 1024;
beforeAll(async () => {
  t = await startTestServer({ maxBodyBytes: MAX_BODY });
  root = { accessKeyId: t.account.rootAccessKeyId, secretAccessKey: t.account.rootSecretAccessKey };
});
afterAll(async () => t.stop());

const V = 'Version=2010-05-08';
const tag = (xml: string, name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

describe('the Query endpoint', () => {
  it('answers a signed POST with <XResponse><XResult>, text/xml and the same RequestId in header and body', async () => {
    const r = await send(t.url, `Action=CreateUser&${V}&UserName=raw-1&Path=%2Fa%2F`, root);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/xml');
    expect(r.text.startsWith('<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult><User>')).toBe(true);
    expect(tag(r.text, 'CreateDate')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(tag(r.text, 'RequestId')).toBe(r.headers.get('x-amzn-requestid'));
  });

  it('writes operations without an output shape as a bare response with metadata', async () => {
    await send(t.url, `Action=CreateUser&${V}&UserName=raw-del`, root);
    const r = await send(t.url, `Action=DeleteUser&${V}&UserName=raw-del`, root);
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^<DeleteUserResponse xmlns="[^"]+"><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DeleteUserResponse>$/);
  });

  it('accepts GET with the parameters in the signed query string', async () => {
    const r = await send(`${t.url}/?Action=ListUsers&MaxItems=1&${V}`, '', root, { method: 'GET' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('<ListUsersResponse');
  });

  it('redirects a request without Action as AWS does', async () => {
    const r = await send(t.url, V, undefined);
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('https://aws.amazon.com/iam');
  });

  it('refuses an unsigned request with MissingAuthenticationToken (403)', async () => {
    const r = await send(t.url, `Action=ListUsers&${V}`, undefined);
    expect(r.status).toBe(403);
    expect(tag(r.text, 'Code')).toBe('MissingAuthenticationToken');
    expect(tag(r.text, 'Type')).toBe('Sender');
    expect(r.text).toMatch(/^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error>/);
    expect(tag(r.text, 'RequestId')).toBe(r.headers.get('x-amzn-requestid'));
  });

  it('answers an unknown action or version with InvalidAction in the AWSFault namespace', async () => {
    const r = await send(t.url, `Action=Frobnicate&${V}`, root);
    expect(r.status).toBe(400);
    expect(tag(r.text, 'Code')).toBe('InvalidAction');
    expect(tag(r.text, 'Message')).toBe('Could not find operation Frobnicate for version 2010-05-08');
    expect(r.text).toContain('xmlns="http://webservices.amazon.com/AWSFault/2005-15-09"');
    const v = await send(t.url, 'Action=ListUsers&Version=2011-06-15', root);
    expect(tag(v.text, 'Message')).toBe('Could not find operation ListUsers for version 2011-06-15');
    const none = await send(t.url, 'Action=ListUsers', root);
    expect(tag(none.text, 'Message')).toBe('Could not find operation ListUsers for version NO_VERSION_SPECIFIED');
  });

  it('routes by the signing name: STS actions answer InvalidAction for version 2011-06-15 until STS lands', async () => {
    const r = await send(t.url, 'Action=GetCallerIdentity&Version=2011-06-15', root, { service: 'sts' });
    expect(r.status).toBe(400);
    expect(tag(r.text, 'Message')).toBe('Could not find operation GetCallerIdentity for version 2011-06-15');
    const wrongService = await send(t.url, `Action=ListUsers&${V}`, root, { service: 's3' });
    expect(wrongService.status).toBeGreaterThanOrEqual(400);
    expect(wrongService.status).toBeLessThan(500);
  });

  it('refuses a request signed too long ago (clock skew) with SignatureDoesNotMatch', async () => {
    const r = await send(t.url, `Action=ListUsers&${V}`, root, { amzDate: amzDateOf(Date.now() - 20 * 60_000) });
    expect(r.status).toBe(403);
    expect(tag(r.text, 'Code')).toBe('SignatureDoesNotMatch');
    expect(tag(r.text, 'Message')).toMatch(/^Signature expired: /);
  });

  it('answers an oversized body with 413 RequestEntityTooLarge and an oversized parameter with ValidationError', async () => {
    const big = `Action=CreateUser&${V}&UserName=${'a'.repeat(MAX_BODY)}`;
    const r = await send(t.url, big, root);
    expect(r.status).toBe(413);
    expect(tag(r.text, 'Code')).toBe('RequestEntityTooLarge');
    const long = await send(t.url, `Action=CreateUser&${V}&UserName=${'a'.repeat(5000)}`, root);
    expect(long.status).toBe(400);
    expect(tag(long.text, 'Code')).toBe('ValidationError');
  });

  it('answers malformed form encoding with MalformedInput (400)', async () => {
    const r = await send(t.url, `Action=ListUsers&${V}&PathPrefix=%zz`, root);
    expect(r.status).toBe(400);
    expect(tag(r.text, 'Code')).toBe('MalformedInput');
  });

  it('refuses methods other than GET and POST', async () => {
    const r = await fetch(t.url, { method: 'PUT', body: 'x' });
    expect(r.status).toBe(400);
    expect(r.headers.get('allow')).toBe('GET, POST');
  });

  it('serves /healthz and Prometheus /metrics with request counts by action and status, latency and auth failures', async () => {
    const h = await fetch(`${t.url}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ status: 'ok' });
    await send(t.url, `Action=ListUsers&${V}`, { accessKeyId: root.accessKeyId, secretAccessKey: 'wrong'.repeat(8) });
    const m = await (await fetch(`${t.url}/metrics`)).text();
    expect(m).toMatch(/latchkey_requests_total\{service="iam",action="CreateUser",status="200"\} \d+/);
    expect(m).toMatch(/latchkey_requests_total\{service="iam",action="unknown",status="400"\} \d+/);
    expect(m).toMatch(/latchkey_request_duration_seconds_bucket\{service="iam",action="ListUsers",le="0.1"\} \d+/);
    expect(m).toMatch(/latchkey_auth_failures_total\{code="SignatureDoesNotMatch"\} [1-9]/);
  });
});

describe('request logs', () => {
  it('write one JSON line per request with action, status, principal, request id and duration', async () => {
    const before = t.logs.lines.length;
    const r = await send(t.url, `Action=GetUser&${V}`, root);
    const line = t.logs.records().slice(before).find((l) => l.requestId === r.headers.get('x-amzn-requestid'));
    expect(line).toMatchObject({ msg: 'request', service: 'iam', action: 'GetUser', status: 200, principal: `arn:aws:iam::${t.account.accountId}:root` });
    expect(typeof line?.durationMs).toBe('number');
  });
});

const ACTIONS = ['CreateUser', 'GetUser', 'ListUsers', 'DeleteUser', 'CreateAccessKey', 'PutUserPolicy', 'CreatePolicy', 'TagUser', 'CreateRole', 'UpdateUser', 'AttachUserPolicy', 'Frobnicate', ''];
const NAMES = ['UserName', 'Path', 'PolicyDocument', 'PolicyName', 'MaxItems', 'Marker', 'Tags.member.1.Key', 'Tags.member.1.Value', 'NewUserName', 'PolicyArn', 'AssumeRolePolicyDocument', 'RoleName', 'Version', 'Tags', 'PathPrefix'];

/** A form body: a mix of plausible and arbitrary parameters, some percent-encoded, some raw. */
const formBody = fc
  .record({
    action: fc.constantFrom(...ACTIONS),
    pairs: fc.array(
      fc.tuple(fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 20 })), fc.oneof(fc.string({ maxLength: 200 }), fc.integer().map(String), fc.constantFrom('{', '{"Version":"2012-10-17"}', '%', '/', '\u0000', 'a'.repeat(3000)))),
      { maxLength: 8 },
    ),
    raw: fc.boolean(),
  })
  .map(({ action, pairs, raw }) => {
    const enc = (s: string): string => (raw ? s : encodeURIComponent(s));
    return [`Action=${action}`, V, ...pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`)].join('&');
  });

describe('bad input (property)', () => {
  it('never answers a signed fuzzed form body with a 5xx, and always with a well-formed AWS envelope', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(formBody, fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b))), async (body) => {
        const r = await send(t.url, body, root);
        expect([200, 302, 400, 403, 404, 409, 413]).toContain(r.status);
        if (r.status !== 302) {
          expect(tag(r.text, 'RequestId')).toBe(r.headers.get('x-amzn-requestid'));
          if (r.status >= 400) expect(r.text.startsWith('<ErrorResponse')).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
    expect(t.logs.text).not.toContain('"internal failure"');
  });
});

describe('secrets in logs', () => {
  it('never logs a secret access key, signature or policy text the tests sent', async () => {
    const created = await send(t.url, `Action=CreateUser&${V}&UserName=log-scan`, root);
    expect(created.status).toBe(200);
    const key = await send(t.url, `Action=CreateAccessKey&${V}&UserName=log-scan`, root);
    const secret = tag(key.text, 'SecretAccessKey')!;
    expect(secret).toHaveLength(40);
    const signed = await send(t.url, `Action=ListUsers&${V}`, root);
    expect(signed.status).toBe(200);
    const text = t.logs.text;
    expect(text.length).toBeGreaterThan(0);
    for (const s of [root.secretAccessKey, secret, encodeURIComponent(secret), 'Signature=', 'AWS4-HMAC-SHA256']) expect(text).not.toContain(s);
  });
});
