import { MFA_INVALID_CODE } from '@latchkey/iam';
import { generateMasterKey, Keyring } from '@latchkey/keyring';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StsService } from '../src/index.js';
import { ACCOUNT, START, allow, credentialsOf, failure, fixture, random, trust, type Fixture } from './helpers/fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  await f.close();
});

describe('GetSessionToken', () => {
  it('gives a user 12 hours by default; the session reports the user', async () => {
    const alice = await f.user('alice');
    const creds = credentialsOf(await f.sts_('GetSessionToken', {}, alice));
    expect(creds.AccessKeyId).toMatch(/^ASIA/);
    expect(creds.Expiration.getTime()).toBe(START + 43_200_000);
    const session = await f.session(creds);
    expect(await f.sts_('GetCallerIdentity', {}, session)).toEqual({ UserId: alice.userId, Account: ACCOUNT, Arn: alice.arn });
    expect(session.session?.mfaAuthenticatedAt).toBeUndefined();
  });

  it('caps the root at one hour, silently', async () => {
    const creds = credentialsOf(await f.sts_('GetSessionToken', { DurationSeconds: '129600' }, f.root()));
    expect(creds.Expiration.getTime()).toBe(START + 3_600_000);
  });

  it('refuses session credentials with AWS text', async () => {
    const alice = await f.user('alice');
    const session = await f.session(credentialsOf(await f.sts_('GetSessionToken', {}, alice)));
    expect(await failure(f.sts_('GetSessionToken', {}, session))).toMatchObject({ code: 'AccessDenied', status: 403, message: 'Cannot call GetSessionToken with session credentials' });
    const role = await f.role('r', trust({ AWS: alice.arn }));
    const roleSession = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice)));
    expect((await failure(f.sts_('GetSessionToken', {}, roleSession))).message).toBe('Cannot call GetSessionToken with session credentials');
  });

  it('needs no permission, even under an explicit deny', async () => {
    const alice = await f.user('alice', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }));
    await expect(f.sts_('GetSessionToken', {}, alice)).resolves.toBeDefined();
  });

  it('with MFA the session is MFA-authenticated and may call IAM; without, IAM refuses it', async () => {
    const alice = await f.user('alice', allow('iam:GetUser'));
    const device = await f.mfaDevice(alice, 'alice');
    const plain = await f.session(credentialsOf(await f.sts_('GetSessionToken', {}, alice)));
    expect((await failure(f.iamCall('GetUser', { UserName: 'alice' }, plain))).code).toBe('InvalidClientTokenId');
    const mfa = await f.session(credentialsOf(await f.sts_('GetSessionToken', { SerialNumber: device.serial, TokenCode: await device.code() }, alice)));
    expect(mfa.session?.mfaAuthenticatedAt?.getTime()).toBe(START);
    await expect(f.iamCall('GetUser', { UserName: 'alice' }, mfa)).resolves.toBeDefined();
  });

  it('a wrong MFA code is AccessDenied with AWS text', async () => {
    const alice = await f.user('alice');
    const device = await f.mfaDevice(alice, 'alice');
    const good = await device.code();
    const err = await failure(f.sts_('GetSessionToken', { SerialNumber: device.serial, TokenCode: good === '000000' ? '000001' : '000000' }, alice));
    expect(err).toMatchObject({ code: 'AccessDenied', message: MFA_INVALID_CODE });
    expect((await failure(f.sts_('GetSessionToken', { SerialNumber: device.serial }, alice))).code).toBe('AccessDenied');
  });

  it('its credentials may call only AssumeRole and GetCallerIdentity in STS', async () => {
    const alice = await f.user('alice', allow('*'));
    const session = await f.session(credentialsOf(await f.sts_('GetSessionToken', {}, alice)));
    expect(await failure(f.sts_('GetFederationToken', { Name: 'bob' }, session))).toMatchObject({ code: 'AccessDenied', message: 'Cannot call GetFederationToken with session credentials' });
    expect((await failure(f.sts_('GetAccessKeyInfo', { AccessKeyId: 'ASIAQAAAAAAAAAAAAAAA' }, session))).code).toBe('AccessDenied');
    const role = await f.role('r', trust({ AWS: alice.arn }));
    await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, session)).resolves.toBeDefined();
  });
});

describe('GetFederationToken', () => {
  it('needs sts:GetFederationToken; the session answers as the federated user', async () => {
    const nobody = await f.user('nobody');
    const denied = await failure(f.sts_('GetFederationToken', { Name: 'bob' }, nobody));
    expect(denied.code).toBe('AccessDenied');
    expect(denied.message).toContain(`is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::${ACCOUNT}:federated-user/bob`);
    const broker = await f.user('broker', allow(['sts:GetFederationToken', 'iam:GetUser', 'iam:ListUsers']));
    const out = (await f.sts_('GetFederationToken', { Name: 'bob', Policy: allow('iam:GetUser') }, broker)) as Record<string, unknown>;
    expect(out['FederatedUser']).toEqual({ FederatedUserId: `${ACCOUNT}:bob`, Arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob` });
    expect(out['PackedPolicySize']).toBeGreaterThan(0);
    const creds = credentialsOf(out);
    expect(creds.Expiration.getTime()).toBe(START + 43_200_000);
    const session = await f.session(creds);
    expect(await f.sts_('GetCallerIdentity', {}, session)).toEqual({ UserId: `${ACCOUNT}:bob`, Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob` });
  });

  it('its permissions are the broker policies intersected with the session policy; without one, none', async () => {
    const broker = await f.user('broker', allow(['sts:GetFederationToken', 'iam:GetUser', 'iam:ListUsers']));
    const withPolicy = await f.session(credentialsOf(await f.sts_('GetFederationToken', { Name: 'bob', Policy: allow(['iam:GetUser', 'iam:CreateUser']) }, broker)));
    const without = await f.session(credentialsOf(await f.sts_('GetFederationToken', { Name: 'bob' }, broker)));
    // Federated users cannot call IAM at all (AWS), so check with the authorizer as a service would.
    const decide = (caller: typeof withPolicy, action: string) => f.store.read((r) => f.iam.authorizer.decide(r, caller, f.env(), action, `arn:aws:iam::${ACCOUNT}:user/broker`));
    expect((await decide(withPolicy, 'iam:GetUser')).decision).toBe('allowed');
    expect((await decide(withPolicy, 'iam:CreateUser')).decision).toBe('implicitDeny');
    expect((await decide(withPolicy, 'iam:ListUsers')).decision).toBe('implicitDeny');
    expect((await decide(without, 'iam:GetUser')).decision).toBe('implicitDeny');
    expect((await failure(f.iamCall('GetUser', { UserName: 'broker' }, withPolicy))).code).toBe('InvalidClientTokenId');
    expect((await failure(f.sts_('GetSessionToken', {}, withPolicy))).code).toBe('AccessDenied');
  });

  it('a session minted by the root is allowed nothing (fails closed, see README)', async () => {
    const session = await f.session(credentialsOf(await f.sts_('GetFederationToken', { Name: 'rooty', Policy: allow('iam:GetUser') }, f.root())));
    expect(session.kind).toBe('federated-user');
    const decision = await f.store.read((r) => f.iam.authorizer.decide(r, session, f.env(), 'iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/x`));
    expect(decision.decision).toBe('implicitDeny');
  });

  it('caps the root at one hour; tags need sts:TagSession', async () => {
    const creds = credentialsOf(await f.sts_('GetFederationToken', { Name: 'rooty', DurationSeconds: '7200' }, f.root()));
    expect(creds.Expiration.getTime()).toBe(START + 3_600_000);
    const broker = await f.user('broker', allow('sts:GetFederationToken'));
    const tags = { 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' };
    expect((await failure(f.sts_('GetFederationToken', { Name: 'bob', ...tags }, broker))).message).toContain('sts:TagSession');
    const tagger = await f.user('tagger', allow(['sts:GetFederationToken', 'sts:TagSession']));
    const session = await f.session(credentialsOf(await f.sts_('GetFederationToken', { Name: 'bob', ...tags }, tagger)));
    expect(session.session?.tags).toEqual([{ key: 'team', value: 'core' }]);
  });

  it('validates Name and the session policy like AWS', async () => {
    const broker = await f.user('broker', allow('sts:GetFederationToken'));
    expect((await failure(f.sts_('GetFederationToken', { Name: 'x' }, broker))).code).toBe('ValidationError');
    expect((await failure(f.sts_('GetFederationToken', { Name: 'bob', Policy: '{"Statement": 3}' }, broker))).code).toBe('MalformedPolicyDocument');
  });
});

describe('GetCallerIdentity and GetAccessKeyInfo', () => {
  it('GetCallerIdentity works for every caller kind and ignores an explicit deny', async () => {
    const alice = await f.user('alice', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }));
    expect(await f.sts_('GetCallerIdentity', {}, alice)).toEqual({ UserId: alice.userId, Account: ACCOUNT, Arn: alice.arn });
    expect(await f.sts_('GetCallerIdentity', {}, f.root())).toEqual({ UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
  });

  it('GetAccessKeyInfo needs sts:GetAccessKeyInfo and decodes the account', async () => {
    const alice = await f.user('alice');
    expect((await failure(f.sts_('GetAccessKeyInfo', { AccessKeyId: alice.accessKeyId! }, alice))).code).toBe('AccessDenied');
    const bob = await f.user('bob', allow('sts:GetAccessKeyInfo'));
    expect(await f.sts_('GetAccessKeyInfo', { AccessKeyId: alice.accessKeyId! }, bob)).toEqual({ Account: ACCOUNT });
    expect((await failure(f.sts_('GetAccessKeyInfo', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, bob))).code).toBe('InvalidParameterValue');
  });

  it('unknown actions and unsigned calls of signed actions', async () => {
    expect(await failure(f.sts_('AssumeRoot', {}))).toMatchObject({ code: 'InvalidAction', message: 'Could not find operation AssumeRoot for version 2011-06-15' });
    expect((await failure(f.sts.invoke('GetCallerIdentity', new Map(), undefined, f.env()))).code).toBe('MissingAuthenticationToken');
    expect(f.sts.isUnsigned('AssumeRoleWithWebIdentity')).toBe(true);
    expect(f.sts.isUnsigned('AssumeRole')).toBe(false);
  });
});

describe('resolveSessionCredentials', () => {
  it('returns the secret and principal, and refuses another access key id', async () => {
    const alice = await f.user('alice');
    const creds = credentialsOf(await f.sts_('GetSessionToken', {}, alice));
    const resolved = await f.sts.resolveSessionCredentials(creds.AccessKeyId, creds.SessionToken, new Date(f.clock.now));
    expect(resolved.secretAccessKey).toBe(creds.SecretAccessKey);
    expect(resolved.expiresAt).toEqual(creds.Expiration);
    expect(JSON.stringify(resolved)).not.toContain(creds.SecretAccessKey);
    const other = credentialsOf(await f.sts_('GetSessionToken', {}, alice));
    const err = await failure(f.sts.resolveSessionCredentials(other.AccessKeyId, creds.SessionToken, new Date(f.clock.now)));
    expect(err).toMatchObject({ code: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' });
  });

  it('expires at Expiration (also from the cache) with ExpiredToken', async () => {
    const alice = await f.user('alice');
    const creds = credentialsOf(await f.sts_('GetSessionToken', { DurationSeconds: '900' }, alice));
    await f.sts.resolveSessionCredentials(creds.AccessKeyId, creds.SessionToken, new Date(START + 899_000));
    const err = await failure(f.sts.resolveSessionCredentials(creds.AccessKeyId, creds.SessionToken, new Date(START + 900_000)));
    expect(err).toMatchObject({ code: 'ExpiredToken', status: 403, message: 'The security token included in the request is expired' });
  });

  it('tampered, truncated and foreign tokens are InvalidClientTokenId, never a 500', async () => {
    const alice = await f.user('alice');
    const creds = credentialsOf(await f.sts_('GetSessionToken', {}, alice));
    const t = creds.SessionToken;
    const flipped = t.slice(0, 60) + (t[60] === 'A' ? 'B' : 'A') + t.slice(61);
    for (const bad of [flipped, t.slice(0, t.length - 5), 'FQoGZXIvYXdzEBYaDWGfeDJP3XEHi', '', 'a.b.c.d.e']) {
      const err = await failure(f.sts.resolveSessionCredentials(creds.AccessKeyId, bad, new Date(f.clock.now)));
      expect(err.code).toBe('InvalidClientTokenId');
    }
  });

  it('deactivating or deleting the minting key stops GetSessionToken sessions (Latchkey extension)', async () => {
    const alice = await f.user('alice');
    const creds = credentialsOf(await f.sts_('GetSessionToken', {}, alice));
    const now = new Date(f.clock.now);
    await f.sts.resolveSessionCredentials(creds.AccessKeyId, creds.SessionToken, now);
    await f.iamCall('UpdateAccessKey', { UserName: 'alice', AccessKeyId: alice.accessKeyId!, Status: 'Inactive' });
    expect((await failure(f.sts.resolveSessionCredentials(creds.AccessKeyId, creds.SessionToken, now))).code).toBe('InvalidClientTokenId');
    await f.iamCall('UpdateAccessKey', { UserName: 'alice', AccessKeyId: alice.accessKeyId!, Status: 'Active' });
    await expect(f.sts.resolveSessionCredentials(creds.AccessKeyId, creds.SessionToken, now)).resolves.toBeDefined();
    await f.iamCall('DeleteAccessKey', { UserName: 'alice', AccessKeyId: alice.accessKeyId! });
    expect((await failure(f.sts.resolveSessionCredentials(creds.AccessKeyId, creds.SessionToken, now))).code).toBe('InvalidClientTokenId');
  });

  it('with revokeWithSourceKey: false, sessions outlive their key as on AWS', async () => {
    const g = await fixture({ revokeWithSourceKey: false });
    try {
      const alice = await g.user('alice');
      const creds = credentialsOf(await g.sts_('GetSessionToken', {}, alice));
      await g.iamCall('DeleteAccessKey', { UserName: 'alice', AccessKeyId: alice.accessKeyId! });
      await expect(g.sts.resolveSessionCredentials(creds.AccessKeyId, creds.SessionToken, new Date(g.clock.now))).resolves.toBeDefined();
    } finally {
      await g.close();
    }
  });
});

describe('master-key rotation', () => {
  it('live sessions survive promoting a new key and end when the old one is retired', async () => {
    const alice = await f.user('alice');
    const creds = credentialsOf(await f.sts_('GetSessionToken', {}, alice));
    const fresh = generateMasterKey(random, { id: 'test2' });
    // Rotation as the keyring README describes it: mint under k1, promote test2 (k1 still in
    // the ring), then retire k1.
    const k1 = generateMasterKey(random, { id: 'k1' });
    const before = Keyring.fromText(`${k1},${fresh}`, { random });
    const promoted = Keyring.fromText(`${fresh},${k1}`, { random });
    const retired = Keyring.fromText(fresh, { random });
    const mint = new StsService({ store: f.store, keyring: before, random, authorizer: f.iam.authorizer, revokeWithSourceKey: false });
    const minted = credentialsOf(await mint.invoke('GetSessionToken', new Map(), alice, f.env()));
    const now = new Date(f.clock.now);
    const afterPromotion = new StsService({ store: f.store, keyring: promoted, random, revokeWithSourceKey: false });
    await expect(afterPromotion.resolveSessionCredentials(minted.AccessKeyId, minted.SessionToken, now)).resolves.toBeDefined();
    const afterRetirement = new StsService({ store: f.store, keyring: retired, random, revokeWithSourceKey: false });
    expect((await failure(afterRetirement.resolveSessionCredentials(minted.AccessKeyId, minted.SessionToken, now))).code).toBe('InvalidClientTokenId');
    // Tokens of another deployment's ring are foreign.
    expect((await failure(afterPromotion.resolveSessionCredentials(creds.AccessKeyId, creds.SessionToken, now))).code).toBe('InvalidClientTokenId');
  });
});
