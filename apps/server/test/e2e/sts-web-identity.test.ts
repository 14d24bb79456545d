import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateOpenIDConnectProviderCommand, ListRolesCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../helpers/sign.js';
import { allow, keysOf, policy, rejection, role } from '../helpers/sts-fixtures.js';
import { startStsServer, type StsTestServer } from '../helpers/sts-server.js';

// A local OIDC issuer: keys made with jose, its JWKS served over HTTP on 127.0.0.1 and, for a
// second issuer, from a file (the server's --oidc-jwks sources for air-gapped setups).
const ISSUER = 'https://oidc.latchkey.test';
const FILE_ISSUER = 'https://files.latchkey.test/tenant';
const AUDIENCE = 'sts.amazonaws.com';
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let jwksServer: Server;
let jwksHits = 0;
let dir: string;
let t: StsTestServer;
let root: IAMClient;
let acct: string;
let unsignedSts: STSClient;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const ecPair = await generateKeyPair('ES256');
  const ecJwk: JWK = { ...(await exportJWK(ecPair.publicKey)), kid: 'ec1', alg: 'ES256' };
  jwksServer = createHttpServer((_req, res) => {
    jwksHits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  dir = await mkdtemp(join(tmpdir(), 'latchkey-jwks-'));
  await writeFile(join(dir, 'jwks.json'), JSON.stringify({ keys: [ecJwk] }));
  fileKey = ecPair.privateKey;
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
  t = await startStsServer({ jwksSources: new Map([[ISSUER, jwksUrl], [FILE_ISSUER, join(dir, 'jwks.json')]]) });
  root = t.iam();
  acct = t.account.accountId;
  await root.send(new CreateOpenIDConnectProviderCommand({ Url: ISSUER, ClientIDList: [AUDIENCE] }));
  await root.send(new CreateOpenIDConnectProviderCommand({ Url: FILE_ISSUER, ClientIDList: ['tenant-app'] }));
  // No credentials at all: the SDK sends AssumeRoleWithWebIdentity unsigned, as against AWS.
  unsignedSts = new STSClient({ endpoint: t.url, region: 'us-east-1', maxAttempts: 1, credentials: () => Promise.reject(new Error('no credentials: this call must go unsigned')) });
});
let fileKey: CryptoKey;
afterAll(async () => {
  unsignedSts.destroy();
  await t.stop();
  jwksServer.close();
  await rm(dir, { recursive: true, force: true });
});

const jwt = (claims: Record<string, unknown>, options: { key?: CryptoKey; kid?: string; alg?: string; issuer?: string; exp?: number } = {}): Promise<string> =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(options.issuer ?? ISSUER)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(options.key ?? signingKey);

const provider = 'oidc.latchkey.test';
const webTrust = (sub: string): string =>
  policy({
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::${acct}:oidc-provider/${provider}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${provider}:aud`]: AUDIENCE }, StringLike: { [`${provider}:sub`]: sub } },
  });

const withToken = (roleArn: string, token: string, name = 'ci-run') =>
  unsignedSts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: name, WebIdentityToken: token, DurationSeconds: 900 }));

describe('AssumeRoleWithWebIdentity against a local OIDC issuer', () => {
  it('a token whose sub and aud match the trust policy gets credentials, unsigned, with AWS response members', async () => {
    const arn = await role(root, 'web-deploy', webTrust('repo:org/app:*'), policy(allow('iam:ListRoles')));
    const out = await withToken(arn, await jwt({ sub: 'repo:org/app:ref:refs/heads/main', aud: AUDIENCE }));
    expect(out.SubjectFromWebIdentityToken).toBe('repo:org/app:ref:refs/heads/main');
    expect(out.Provider).toBe(provider);
    expect(out.Audience).toBe(AUDIENCE);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${acct}:assumed-role/web-deploy/ci-run`);
    const creds = keysOf(out.Credentials);
    expect((await t.stsClient(creds).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${acct}:assumed-role/web-deploy/ci-run`);
    expect((await t.iam(creds).send(new ListRolesCommand({}))).Roles?.some((r) => r.RoleName === 'web-deploy')).toBe(true);
    expect(jwksHits).toBeGreaterThan(0);
  });

  it('refuses a sub the trust policy does not name, a wrong audience, a foreign signature, an expired token, an unknown issuer', async () => {
    const arn = await role(root, 'web-narrow', webTrust('repo:org/app:ref:refs/heads/main'));
    const sub = await rejection(withToken(arn, await jwt({ sub: 'repo:org/app:pull_request', aud: AUDIENCE })));
    expect(sub.name).toBe('AccessDenied');
    expect(sub.status).toBe(403);
    const aud = await rejection(withToken(arn, await jwt({ sub: 'repo:org/app:ref:refs/heads/main', aud: 'someone-else' })));
    expect(aud.name).toBe('InvalidIdentityTokenException');
    expect(aud.message).toBe('Incorrect token audience');
    const forged = await rejection(withToken(arn, await jwt({ sub: 'repo:org/app:ref:refs/heads/main', aud: AUDIENCE }, { key: strangerKey })));
    expect(forged.name).toBe('InvalidIdentityTokenException');
    const expired = await rejection(withToken(arn, await jwt({ sub: 'repo:org/app:ref:refs/heads/main', aud: AUDIENCE }, { exp: Math.floor(Date.now() / 1000) - 60 })));
    expect(expired.name).toBe('ExpiredTokenException');
    expect(expired.status).toBe(400);
    const unknown = await rejection(withToken(arn, await jwt({ sub: 'x', aud: AUDIENCE }, { issuer: 'https://unregistered.example' })));
    expect(unknown.name).toBe('InvalidIdentityTokenException');
    expect(unknown.message).toBe('No OpenIDConnect provider found in your account for https://unregistered.example');
    const notJwt = await rejection(withToken(arn, 'definitely.not.a-jwt'));
    expect(notJwt.name).toBe('InvalidIdentityTokenException');
    const missingRole = await rejection(withToken(`arn:aws:iam::${acct}:role/none`, await jwt({ sub: 'repo:org/app:ref:refs/heads/main', aud: AUDIENCE })));
    expect(missingRole.name).toBe('AccessDenied');
  });

  it('verifies keys from a local JWKS file for an air-gapped issuer', async () => {
    const fileProvider = 'files.latchkey.test/tenant';
    const arn = await role(
      root,
      'web-file',
      policy({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${acct}:oidc-provider/${fileProvider}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${fileProvider}:sub`]: 'svc-a' } } }),
    );
    const token = await jwt({ sub: 'svc-a', aud: 'tenant-app' }, { key: fileKey, kid: 'ec1', alg: 'ES256', issuer: FILE_ISSUER });
    expect((await withToken(arn, token, 'file-run')).Provider).toBe(fileProvider);
  });

  it('only the web identity action goes unsigned; a token is never echoed in a log line', async () => {
    const r = await send(t.url, 'Action=GetCallerIdentity&Version=2011-06-15', undefined);
    expect(r.status).toBe(403);
    expect(r.text).toContain('<Code>MissingAuthenticationToken</Code>');
    const token = await jwt({ sub: 'repo:org/app:ref:refs/heads/main', aud: AUDIENCE });
    const arn = `arn:aws:iam::${acct}:role/web-deploy`;
    const raw = await send(t.url, `Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=${encodeURIComponent(arn)}&RoleSessionName=raw&WebIdentityToken=${token}`, undefined);
    expect(raw.status).toBe(200);
    expect(raw.text).toContain('<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    const secret = /<SecretAccessKey>([^<]+)<\/SecretAccessKey>/.exec(raw.text)![1]!;
    expect(t.logs.text).not.toContain(token.split('.')[2]!);
    expect(t.logs.text).not.toContain(secret);
    const line = t.logs.records().find((l) => l.action === 'AssumeRoleWithWebIdentity' && l.status === 200);
    expect(line).toMatchObject({ service: 'sts' });
    expect(line).not.toHaveProperty('principal');
  });
});
