import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessKeyResolver, assertMayCallIam, type Caller } from '../src/index.js';
import { ACCOUNT, allow, failure, fixture, START, type Fixture } from './helpers/fixture.js';

type KeyOut = { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };

describe('IamService.resolveAccessKey', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
    await f.call('CreateUser', { UserName: 'alice' });
  });
  afterEach(async () => {
    await f.close();
  });

  it('follows status changes, renames and deletions through the change feed', async () => {
    const { AccessKey } = (await f.call('CreateAccessKey', { UserName: 'alice' })) as KeyOut;
    expect((await f.iam.resolveAccessKey(AccessKey.AccessKeyId))!.principal.arn).toBe('arn:aws:iam::111122223333:user/alice');
    await f.call('UpdateUser', { UserName: 'alice', NewUserName: 'alicia', NewPath: '/x/' });
    expect((await f.iam.resolveAccessKey(AccessKey.AccessKeyId))!.principal.arn).toBe('arn:aws:iam::111122223333:user/x/alicia');
    await f.call('UpdateAccessKey', { UserName: 'alicia', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
    expect((await f.iam.resolveAccessKey(AccessKey.AccessKeyId))!.status).toBe('Inactive');
    await f.call('DeleteAccessKey', { UserName: 'alicia', AccessKeyId: AccessKey.AccessKeyId });
    expect(await f.iam.resolveAccessKey(AccessKey.AccessKeyId)).toBeUndefined();
  });

  it('resolves a key created after an earlier miss', async () => {
    const resolver = new AccessKeyResolver(f.store, f.keyring);
    const unsubscribe = await f.store.changes.subscribe((e) => resolver.invalidate(e));
    try {
      const { AccessKey } = (await f.call('CreateAccessKey', { UserName: 'alice' })) as KeyOut;
      const first = await resolver.resolve(AccessKey.AccessKeyId);
      expect(first!.secretAccessKey).toBe(AccessKey.SecretAccessKey);
      expect(resolver.size).toBe(1);
      await f.call('DeleteAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId });
      expect(resolver.size).toBe(0);
      expect(await resolver.resolve(AccessKey.AccessKeyId)).toBeUndefined();
    } finally {
      unsubscribe();
    }
  });
});

describe('assertMayCallIam', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  const session = { issuedAt: new Date(START), expiresAt: new Date(START + 3600_000) };

  it('refuses GetSessionToken credentials without MFA and federated users, before anything else', async () => {
    const bob = await f.user('bob', allow('iam:*'));
    const noMfa: Caller = { ...bob, accessKeyId: 'ASIAEXAMPLE', session };
    const err = await failure(f.call('ListUsers', {}, noMfa));
    expect(err).toMatchObject({ code: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid' });
    expect((await failure(f.call('NoSuchAction', {}, noMfa))).code).toBe('InvalidClientTokenId');
    const rootNoMfa: Caller = { ...f.root, session };
    expect((await failure(f.call('ListUsers', {}, rootNoMfa))).code).toBe('InvalidClientTokenId');
    const federated: Caller = {
      kind: 'federated-user',
      accountId: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:federated-user/fed`,
      userId: `${ACCOUNT}:fed`,
      identity: bob.identity,
      session: { ...session, mfaAuthenticatedAt: new Date(START), policies: [allow('iam:*')] },
    };
    expect(() => assertMayCallIam(federated)).toThrow(/security token/);
  });

  it('lets GetSessionToken credentials with MFA through, to normal authorization', async () => {
    const bob = await f.user('bob', allow('iam:ListUsers'));
    const withMfa: Caller = { ...bob, session: { ...session, mfaAuthenticatedAt: new Date(START) } };
    await f.call('ListUsers', {}, withMfa);
    expect((await failure(f.call('ListGroups', {}, withMfa))).code).toBe('AccessDenied');
    expect(() => assertMayCallIam(bob)).not.toThrow();
  });
});
