import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, failure, fixture, START, type Fixture } from './helpers/fixture.js';

type KeyOut = { AccessKey: { UserName?: string; AccessKeyId: string; Status: string; SecretAccessKey: string; CreateDate: Date } };
type ListOut = { AccessKeyMetadata: { UserName?: string; AccessKeyId: string; Status: string; CreateDate: Date }[]; IsTruncated: boolean };

describe('access key operations', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
    await f.call('CreateUser', { UserName: 'alice' });
  });
  afterEach(async () => {
    await f.close();
  });

  it('CreateAccessKey returns the secret once and stores it sealed', async () => {
    const out = (await f.call('CreateAccessKey', { UserName: 'alice' })) as KeyOut;
    expect(out.AccessKey).toMatchObject({ UserName: 'alice', Status: 'Active', CreateDate: new Date(START) });
    expect(out.AccessKey.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(out.AccessKey.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    const stored = await f.store.read((r) => r.accessKeys.get(out.AccessKey.AccessKeyId));
    expect(stored!.secret.ciphertext).not.toContain(out.AccessKey.SecretAccessKey);
    expect(stored!.secret.keyId).toBe('test1');
    const listed = (await f.call('ListAccessKeys', { UserName: 'alice' })) as ListOut;
    expect(JSON.stringify(listed)).not.toContain(out.AccessKey.SecretAccessKey);
    expect(listed.AccessKeyMetadata).toEqual([{ UserName: 'alice', AccessKeyId: out.AccessKey.AccessKeyId, Status: 'Active', CreateDate: new Date(START) }]);
    const resolved = await f.iam.resolveAccessKey(out.AccessKey.AccessKeyId);
    expect(resolved!.secretAccessKey).toBe(out.AccessKey.SecretAccessKey);
    expect(resolved!.principal).toMatchObject({ kind: 'user', arn: 'arn:aws:iam::111122223333:user/alice', accessKeyId: out.AccessKey.AccessKeyId });
    expect(JSON.stringify(resolved)).not.toContain(out.AccessKey.SecretAccessKey);
  });

  it('allows two keys per user', async () => {
    await f.call('CreateAccessKey', { UserName: 'alice' });
    await f.call('CreateAccessKey', { UserName: 'alice' });
    expect(await failure(f.call('CreateAccessKey', { UserName: 'alice' }))).toMatchObject({ code: 'LimitExceeded', status: 409, message: 'Cannot exceed quota for AccessKeysPerUser: 2' });
    expect(await f.store.read(async (r) => r.accessKeys.countForOwner(ACCOUNT, (await r.users.getByName(ACCOUNT, 'alice'))!.id))).toBe(2);
  });

  it('acts on the root without a user name when the root calls', async () => {
    // The fixture's account already has one root key.
    const out = (await f.call('CreateAccessKey')) as KeyOut;
    expect(out.AccessKey.UserName).toBeUndefined();
    const listed = (await f.call('ListAccessKeys')) as ListOut;
    expect(listed.AccessKeyMetadata.map((k) => k.AccessKeyId).sort()).toEqual([f.rootKeyId, out.AccessKey.AccessKeyId].sort());
    expect((await failure(f.call('CreateAccessKey'))).message).toBe('Cannot exceed quota for AccessKeysPerUser: 2');
    expect((await f.iam.resolveAccessKey(out.AccessKey.AccessKeyId))!.principal).toMatchObject({ kind: 'root', arn: 'arn:aws:iam::111122223333:root' });
  });

  it('lets a user manage its own keys without a user name', async () => {
    const bob = await f.user('bob', allow(['iam:*AccessKey*'], 'arn:aws:iam::*:user/${aws:username}'));
    const out = (await f.call('CreateAccessKey', {}, bob)) as KeyOut;
    expect(out.AccessKey.UserName).toBe('bob');
    await f.call('UpdateAccessKey', { AccessKeyId: out.AccessKey.AccessKeyId, Status: 'Inactive' }, bob);
    expect(((await f.call('ListAccessKeys', {}, bob)) as ListOut).AccessKeyMetadata[0]!.Status).toBe('Inactive');
    await f.call('DeleteAccessKey', { AccessKeyId: out.AccessKey.AccessKeyId }, bob);
    expect(((await f.call('ListAccessKeys', {}, bob)) as ListOut).AccessKeyMetadata).toEqual([]);
  });

  it('UpdateAccessKey deactivates and reactivates; an inactive key still resolves with its status', async () => {
    const { AccessKey } = (await f.call('CreateAccessKey', { UserName: 'alice' })) as KeyOut;
    await f.call('UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
    expect((await f.iam.resolveAccessKey(AccessKey.AccessKeyId))!.status).toBe('Inactive');
    await f.call('UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Active' });
    expect((await f.iam.resolveAccessKey(AccessKey.AccessKeyId))!.status).toBe('Active');
    expect((await failure(f.call('UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Disabled' }))).message).toBe(
      "1 validation error detected: Value 'Disabled' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]",
    );
    expect((await failure(f.call('UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Expired' }))).code).toBe('InvalidInput');
  });

  it('answers NoSuchEntity for a key of another user or an unknown key', async () => {
    await f.call('CreateUser', { UserName: 'bob' });
    const { AccessKey } = (await f.call('CreateAccessKey', { UserName: 'bob' })) as KeyOut;
    const msg = `The Access Key with id ${AccessKey.AccessKeyId} cannot be found.`;
    expect(await failure(f.call('DeleteAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId }))).toMatchObject({ code: 'NoSuchEntity', message: msg });
    expect(await failure(f.call('UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' }))).toMatchObject({ code: 'NoSuchEntity', message: msg });
    // The root's own keys are not a user's: without UserName the root acts on its own keys only.
    expect((await failure(f.call('DeleteAccessKey', { AccessKeyId: AccessKey.AccessKeyId }))).code).toBe('NoSuchEntity');
    expect((await failure(f.call('DeleteAccessKey', { UserName: 'ghost', AccessKeyId: AccessKey.AccessKeyId }))).message).toBe('The user with name ghost cannot be found.');
    expect((await f.iam.resolveAccessKey(AccessKey.AccessKeyId))!.status).toBe('Active');
  });

  it('GetAccessKeyLastUsed reports N/A before use and the last use after', async () => {
    const { AccessKey } = (await f.call('CreateAccessKey', { UserName: 'alice' })) as KeyOut;
    expect(await f.call('GetAccessKeyLastUsed', { AccessKeyId: AccessKey.AccessKeyId })).toEqual({ UserName: 'alice', AccessKeyLastUsed: { LastUsedDate: undefined, ServiceName: 'N/A', Region: 'N/A' } });
    await f.iam.recordAccessKeyUse(AccessKey.AccessKeyId, { at: new Date(START + 5000), service: 'iam', region: 'eu-west-1' });
    expect(await f.call('GetAccessKeyLastUsed', { AccessKeyId: AccessKey.AccessKeyId })).toEqual({
      UserName: 'alice',
      AccessKeyLastUsed: { LastUsedDate: new Date(START + 5000), ServiceName: 'iam', Region: 'eu-west-1' },
    });
    // A second use within the minute is not written; a use in another region is.
    await f.iam.recordAccessKeyUse(AccessKey.AccessKeyId, { at: new Date(START + 6000), service: 'iam', region: 'eu-west-1' });
    expect(((await f.call('GetAccessKeyLastUsed', { AccessKeyId: AccessKey.AccessKeyId })) as { AccessKeyLastUsed: { LastUsedDate: Date } }).AccessKeyLastUsed.LastUsedDate).toEqual(new Date(START + 5000));
    await f.iam.recordAccessKeyUse(AccessKey.AccessKeyId, { at: new Date(START + 7000), service: 'sts', region: 'us-east-1' });
    expect(await f.call('GetAccessKeyLastUsed', { AccessKeyId: AccessKey.AccessKeyId })).toMatchObject({ AccessKeyLastUsed: { ServiceName: 'sts', Region: 'us-east-1' } });
    const root = (await f.call('GetAccessKeyLastUsed', { AccessKeyId: f.rootKeyId })) as { UserName?: string };
    expect(root.UserName).toBeUndefined();
  });

  it('GetAccessKeyLastUsed denies unknown keys and keys of other accounts', async () => {
    const other = await f.iam.createAccount({ accountId: '444455556666' }, new Date(START));
    const err = await failure(f.call('GetAccessKeyLastUsed', { AccessKeyId: other.rootAccessKeyId }));
    expect(err).toMatchObject({ code: 'AccessDenied', message: `User: arn:aws:iam::111122223333:root is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${other.rootAccessKeyId}` });
    expect((await failure(f.call('GetAccessKeyLastUsed', { AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA' }))).code).toBe('AccessDenied');
  });

  it('never shows a secret in an error', async () => {
    const { AccessKey } = (await f.call('CreateAccessKey', { UserName: 'alice' })) as KeyOut;
    const errors = [
      await failure(f.call('CreateAccessKey', { UserName: 'alice' }).then(() => f.call('CreateAccessKey', { UserName: 'alice' }))),
      await failure(f.call('DeleteUser', { UserName: 'alice' })),
      await failure(f.call('UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Bogus' })),
      await failure(f.call('NoSuchAction')),
    ];
    for (const e of errors) {
      expect(JSON.stringify(e)).not.toContain(AccessKey.SecretAccessKey);
      expect(e.message).not.toContain(AccessKey.SecretAccessKey);
    }
  });
});
