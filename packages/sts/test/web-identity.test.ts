import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, START, allow, credentialsOf, failure, fixture, trust, type Fixture } from './helpers/fixture.js';

const ISSUER = 'https://issuer.test.internal/realm';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/issuer.test.internal/realm`;
const NOT_AUTHORIZED = 'Not authorized to perform sts:AssumeRoleWithWebIdentity';

// A local OIDC issuer: keys made with jose, the JWKS served through the injected fetchJwks.
let signingKey: CryptoKey;
let otherKey: CryptoKey;
let publicJwk: JWK;
let f: Fixture;
let fetches: string[];
let jwks: JSONWebKeySet;
let reachable: boolean;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  otherKey = (await generateKeyPair('RS256')).privateKey;
});

beforeEach(async () => {
  fetches = [];
  jwks = { keys: [publicJwk] };
  reachable = true;
  f = await fixture({
    webIdentity: {
      fetchJwks: async (issuer) => {
        fetches.push(issuer);
        if (!reachable) throw new Error('connect ECONNREFUSED');
        return jwks;
      },
    },
  });
  await f.store.transaction((tx) => tx.oidcProviders.create({ accountId: ACCOUNT, arn: PROVIDER_ARN, url: ISSUER, clientIds: ['sts.amazonaws.com', 'my-app'], thumbprints: [], createdAt: START }));
});
afterEach(async () => {
  await f.close();
});

async function token(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; kid?: string; exp?: number; iss?: string } = {}): Promise<string> {
  const now = Math.floor(f.clock.now / 1000);
  return new SignJWT({ sub: 'repo:acme/app:ref:refs/heads/main', aud: 'sts.amazonaws.com', amr: ['mfa'], ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(options.iss ?? ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(options.exp ?? now + 600)
    .sign(options.key ?? signingKey);
}

const webTrust = (condition?: unknown) => trust({ Federated: PROVIDER_ARN }, 'sts:AssumeRoleWithWebIdentity', condition);

const call = (values: Record<string, string>) => f.sts.invoke('AssumeRoleWithWebIdentity', new Map(Object.entries(values)), undefined, f.env());

describe('AssumeRoleWithWebIdentity', () => {
  it('accepts a valid token unsigned, with the provider condition keys, and answers AWS shapes', async () => {
    const role = await f.role('ci', webTrust({ StringEquals: { 'issuer.test.internal/realm:aud': 'sts.amazonaws.com' }, StringLike: { 'issuer.test.internal/realm:sub': 'repo:acme/*' } }), {
      inline: { p: allow('iam:ListUsers') },
    });
    const out = (await call({ RoleArn: role.arn, RoleSessionName: 'gh-run', WebIdentityToken: await token() })) as Record<string, unknown>;
    expect(out['SubjectFromWebIdentityToken']).toBe('repo:acme/app:ref:refs/heads/main');
    expect(out['Provider']).toBe('issuer.test.internal/realm');
    expect(out['Audience']).toBe('sts.amazonaws.com');
    expect(out['AssumedRoleUser']).toEqual({ AssumedRoleId: `${role.id}:gh-run`, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci/gh-run` });
    const session = await f.session(credentialsOf(out));
    await expect(f.iamCall('ListUsers', {}, session)).resolves.toBeDefined();
    // The JWKS was fetched once and cached.
    await call({ RoleArn: role.arn, RoleSessionName: 'gh-run', WebIdentityToken: await token() });
    expect(fetches).toEqual([ISSUER]);
  });

  it('rejects by the trust policy: sub/amr conditions and a policy naming another provider', async () => {
    const subRole = await f.role('sub', webTrust({ StringEquals: { 'issuer.test.internal/realm:sub': 'someone-else' } }));
    expect(await failure(call({ RoleArn: subRole.arn, RoleSessionName: 'rs', WebIdentityToken: await token() }))).toMatchObject({ code: 'AccessDenied', message: NOT_AUTHORIZED });
    const amrRole = await f.role('amr', webTrust({ 'ForAnyValue:StringEquals': { 'issuer.test.internal/realm:amr': 'mfa' } }));
    await expect(call({ RoleArn: amrRole.arn, RoleSessionName: 'rs', WebIdentityToken: await token() })).resolves.toBeDefined();
    expect((await failure(call({ RoleArn: amrRole.arn, RoleSessionName: 'rs', WebIdentityToken: await token({ amr: ['pwd'] }) }))).code).toBe('AccessDenied');
    const other = await f.role('other', trust({ Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/elsewhere.example` }, 'sts:AssumeRoleWithWebIdentity'));
    expect((await failure(call({ RoleArn: other.arn, RoleSessionName: 'rs', WebIdentityToken: await token() }))).message).toBe(NOT_AUTHORIZED);
    const missing = `arn:aws:iam::${ACCOUNT}:role/missing`;
    expect((await failure(call({ RoleArn: missing, RoleSessionName: 'rs', WebIdentityToken: await token() }))).message).toBe(NOT_AUTHORIZED);
  });

  it('rejects tokens: not a JWT, unknown issuer, wrong audience, bad signature, expired, not yet valid', async () => {
    const role = await f.role('ci', webTrust());
    const base = { RoleArn: role.arn, RoleSessionName: 'rs' };
    expect((await failure(call({ ...base, WebIdentityToken: 'not-a-jwt' }))).code).toBe('InvalidIdentityToken');
    const unknown = await failure(call({ ...base, WebIdentityToken: await token({}, { iss: 'https://unknown.example' }) }));
    expect(unknown).toMatchObject({ code: 'InvalidIdentityToken', status: 400, message: 'No OpenIDConnect provider found in your account for https://unknown.example' });
    expect(await failure(call({ ...base, WebIdentityToken: await token({ aud: 'someone-else' }) }))).toMatchObject({ code: 'InvalidIdentityToken', message: 'Incorrect token audience' });
    // Same ARN, other scheme: not the registered issuer, and its keys are never fetched.
    const downgraded = await failure(call({ ...base, WebIdentityToken: await token({}, { iss: 'http://issuer.test.internal/realm' }) }));
    expect(downgraded).toMatchObject({ code: 'InvalidIdentityToken', message: 'No OpenIDConnect provider found in your account for http://issuer.test.internal/realm' });
    expect(fetches.every((u) => u === ISSUER)).toBe(true);
    expect((await failure(call({ ...base, WebIdentityToken: await token({}, { key: otherKey }) }))).code).toBe('InvalidIdentityToken');
    const now = Math.floor(f.clock.now / 1000);
    expect(await failure(call({ ...base, WebIdentityToken: await token({}, { exp: now - 10 }) }))).toMatchObject({ code: 'ExpiredTokenException', status: 400 });
    expect((await failure(call({ ...base, WebIdentityToken: await token({ nbf: now + 3600 }) }))).code).toBe('InvalidIdentityToken');
  });

  it('an unreachable IdP is IDPCommunicationError; a rotated key is refetched', async () => {
    const role = await f.role('ci', webTrust());
    reachable = false;
    expect(await failure(call({ RoleArn: role.arn, RoleSessionName: 'rs', WebIdentityToken: await token() }))).toMatchObject({ code: 'IDPCommunicationError', status: 400 });
    reachable = true;
    await call({ RoleArn: role.arn, RoleSessionName: 'rs', WebIdentityToken: await token() });
    const rotated = await generateKeyPair('RS256');
    jwks = { keys: [publicJwk, { ...(await exportJWK(rotated.publicKey)), kid: 'k2', alg: 'RS256' }] };
    const rotatedToken = await token({}, { key: rotated.privateKey, kid: 'k2' });
    // An unknown kid refetches at most once a minute per issuer (a flood of forged kids cannot hammer the IdP).
    expect((await failure(call({ RoleArn: role.arn, RoleSessionName: 'rs', WebIdentityToken: rotatedToken }))).code).toBe('InvalidIdentityToken');
    expect(fetches).toHaveLength(2);
    f.clock.now += 61_000;
    await expect(call({ RoleArn: role.arn, RoleSessionName: 'rs', WebIdentityToken: await token({}, { key: rotated.privateKey, kid: 'k2' }) })).resolves.toBeDefined();
  });

  it('honours MaxSessionDuration and session policies', async () => {
    const role = await f.role('ci', webTrust(), { inline: { p: allow(['iam:ListUsers', 'iam:GetUser']) } });
    const err = await failure(call({ RoleArn: role.arn, RoleSessionName: 'rs', WebIdentityToken: await token(), DurationSeconds: '7200' }));
    expect(err.message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    const out = (await call({ RoleArn: role.arn, RoleSessionName: 'rs', WebIdentityToken: await token(), Policy: allow('iam:GetUser') })) as Record<string, unknown>;
    expect(out['PackedPolicySize']).toBeGreaterThan(0);
    const session = await f.session(credentialsOf(out));
    expect((await failure(f.iamCall('ListUsers', {}, session))).code).toBe('AccessDenied');
  });
});
