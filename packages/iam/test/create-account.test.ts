import { accountIdFromAccessKeyId } from '@latchkey/model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unsealSecretAccessKey } from '../src/index.js';
import { failure, fixture, START, type Fixture } from './helpers/fixture.js';

describe('IamService.createAccount', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('generates an account and a root key whose id encodes the account', async () => {
    const created = await f.iam.createAccount({}, new Date(START));
    expect(created.accountId).toMatch(/^\d{12}$/);
    expect(created.rootAccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(created.rootSecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(accountIdFromAccessKeyId(created.rootAccessKeyId)).toBe(created.accountId);
    const stored = await f.store.read((r) => r.accessKeys.get(created.rootAccessKeyId));
    expect(stored).toMatchObject({ accountId: created.accountId, userId: null, isRoot: true, status: 'Active' });
    expect(stored!.secret.ciphertext).not.toContain(created.rootSecretAccessKey);
    expect(unsealSecretAccessKey(f.keyring, created.rootAccessKeyId, stored!.secret)).toBe(created.rootSecretAccessKey);
  });

  it('takes known credentials, e.g. from LATCHKEY_ROOT_ACCESS_KEY_ID', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    await f.iam.createAccount({ accountId: '123456789012', rootAccessKeyId: 'AKIAIOSFODNN7EXAMPLE', rootSecretAccessKey: secret }, new Date(START));
    const resolved = await f.iam.resolveAccessKey('AKIAIOSFODNN7EXAMPLE');
    expect(resolved).toMatchObject({ secretAccessKey: secret, status: 'Active', principal: { kind: 'root', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:root', userId: '123456789012' } });
  });

  it('refuses bad or partial input without echoing secrets', async () => {
    expect((await failure(f.iam.createAccount({ accountId: '12345' }, new Date(START)))).code).toBe('InvalidInput');
    expect((await failure(f.iam.createAccount({ rootAccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, new Date(START)))).code).toBe('InvalidInput');
    expect((await failure(f.iam.createAccount({ rootAccessKeyId: 'ASIAIOSFODNN7EXAMPLE', rootSecretAccessKey: 'x'.repeat(40) }, new Date(START)))).code).toBe('InvalidInput');
    const err = await failure(f.iam.createAccount({ rootAccessKeyId: 'AKIAIOSFODNN7EXAMPLE', rootSecretAccessKey: 'short secret' }, new Date(START)));
    expect(err.message).not.toContain('short secret');
  });

  it('refuses an existing account or key and leaves nothing behind', async () => {
    expect(await failure(f.iam.createAccount({ accountId: '111122223333' }, new Date(START)))).toMatchObject({ code: 'EntityAlreadyExists' });
    const clash = await failure(f.iam.createAccount({ accountId: '999988887777', rootAccessKeyId: f.rootKeyId, rootSecretAccessKey: 'x'.repeat(40) }, new Date(START)));
    expect(clash.code).toBe('EntityAlreadyExists');
    expect(await f.store.read((r) => r.accounts.get('999988887777'))).toBeUndefined();
  });

  it('resolves nothing for unknown, temporary or orphaned keys', async () => {
    expect(await f.iam.resolveAccessKey('AKIAAAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(await f.iam.resolveAccessKey('ASIAAAAAAAAAAAAAAAAA')).toBeUndefined();
  });
});
