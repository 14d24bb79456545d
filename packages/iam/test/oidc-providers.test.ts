import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, failure, fixture, type Fixture } from './helpers/fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  await f.close();
});

const URL_ = 'https://token.example.com/realm/';
const ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.example.com/realm`;
const THUMB = 'A'.repeat(40);

describe('OpenID Connect provider operations', () => {
  it('create, get, list, delete with AWS shapes (URL without scheme, lower-case thumbprints)', async () => {
    const created = await f.call('CreateOpenIDConnectProvider', {
      Url: URL_,
      'ClientIDList.member.1': 'sts.amazonaws.com',
      'ClientIDList.member.2': 'sts.amazonaws.com',
      'ThumbprintList.member.1': THUMB,
      'Tags.member.1.Key': 'env',
      'Tags.member.1.Value': 'test',
    });
    expect(created).toEqual({ OpenIDConnectProviderArn: ARN, Tags: [{ Key: 'env', Value: 'test' }] });
    const got = await f.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN });
    expect(got).toEqual({ Url: 'token.example.com/realm', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['a'.repeat(40)], CreateDate: new Date(f.clock.now), Tags: [{ Key: 'env', Value: 'test' }] });
    expect(await f.call('ListOpenIDConnectProviders')).toEqual({ OpenIDConnectProviderList: [{ Arn: ARN }] });
    const again = await failure(f.call('CreateOpenIDConnectProvider', { Url: URL_ }));
    expect(again).toMatchObject({ code: 'EntityAlreadyExists', status: 409, message: `Provider with url ${URL_} already exists.` });
    await f.call('DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN });
    expect(await failure(f.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN }))).toMatchObject({
      code: 'NoSuchEntity',
      status: 404,
      message: `OpenIDConnect Provider not found for arn ${ARN}`,
    });
    expect((await failure(f.call('DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN }))).code).toBe('NoSuchEntity');
    expect(await f.call('ListOpenIDConnectProviders')).toEqual({ OpenIDConnectProviderList: [] });
  });

  it('refuses non-https URLs, bad thumbprints and more than five', async () => {
    expect((await failure(f.call('CreateOpenIDConnectProvider', { Url: 'http://token.example.com' }))).code).toBe('InvalidInput');
    expect((await failure(f.call('CreateOpenIDConnectProvider', { Url: 'not a url' }))).code).toBe('InvalidInput');
    expect((await failure(f.call('CreateOpenIDConnectProvider', { Url: URL_, 'ThumbprintList.member.1': 'abc' }))).code).toBe('ValidationError');
    const six: Record<string, string> = { Url: URL_ };
    for (let i = 1; i <= 6; i++) six[`ThumbprintList.member.${i}`] = String(i).repeat(40);
    expect((await failure(f.call('CreateOpenIDConnectProvider', six))).code).toBe('InvalidInput');
  });

  it('client ids: add (idempotent), remove (absent is fine); thumbprints replaced', async () => {
    await f.call('CreateOpenIDConnectProvider', { Url: URL_, 'ClientIDList.member.1': 'a' });
    await f.call('AddClientIDToOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN, ClientID: 'b' });
    await f.call('AddClientIDToOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN, ClientID: 'b' });
    await f.call('RemoveClientIDFromOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN, ClientID: 'a' });
    await f.call('RemoveClientIDFromOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN, ClientID: 'zzz' });
    await f.call('UpdateOpenIDConnectProviderThumbprint', { OpenIDConnectProviderArn: ARN, 'ThumbprintList.member.1': 'b'.repeat(40) });
    const got = (await f.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN })) as Record<string, unknown>;
    expect(got['ClientIDList']).toEqual(['b']);
    expect(got['ThumbprintList']).toEqual(['b'.repeat(40)]);
    expect((await failure(f.call('AddClientIDToOpenIDConnectProvider', { OpenIDConnectProviderArn: `${ARN}x`, ClientID: 'b' }))).code).toBe('NoSuchEntity');
  });

  it('tags: tag, untag, list; duplicate keys in one request refused', async () => {
    await f.call('CreateOpenIDConnectProvider', { Url: URL_ });
    const dup = await failure(f.call('TagOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN, 'Tags.member.1.Key': 'Env', 'Tags.member.1.Value': 'a', 'Tags.member.2.Key': 'env', 'Tags.member.2.Value': 'b' }));
    expect(dup.code).toBe('InvalidInput');
    await f.call('TagOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' });
    expect(await f.call('ListOpenIDConnectProviderTags', { OpenIDConnectProviderArn: ARN })).toMatchObject({ Tags: [{ Key: 'team', Value: 'core' }], IsTruncated: false });
    await f.call('UntagOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN, 'TagKeys.member.1': 'team' });
    expect(await f.call('ListOpenIDConnectProviderTags', { OpenIDConnectProviderArn: ARN })).toMatchObject({ Tags: [] });
  });

  it('authorizes on the provider ARN before revealing existence', async () => {
    await f.call('CreateOpenIDConnectProvider', { Url: URL_ });
    const bob = await f.user('bob');
    const denied = await failure(f.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN }, bob));
    expect(denied.code).toBe('AccessDenied');
    expect(denied.message).toContain(`iam:GetOpenIDConnectProvider on resource: ${ARN}`);
    const missing = `arn:aws:iam::${ACCOUNT}:oidc-provider/missing.example.com`;
    expect((await failure(f.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: missing }, bob))).code).toBe('AccessDenied');
    const reader = await f.user('reader', allow(['iam:GetOpenIDConnectProvider', 'iam:ListOpenIDConnectProviders'], '*', { StringEquals: { 'aws:ResourceTag/env': 'prod' } }));
    expect((await failure(f.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN }, reader))).code).toBe('AccessDenied');
    await f.call('TagOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN, 'Tags.member.1.Key': 'env', 'Tags.member.1.Value': 'prod' });
    await expect(f.call('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: ARN }, reader)).resolves.toBeDefined();
    expect((await failure(f.call('CreateOpenIDConnectProvider', { Url: 'https://other.example.com' }, bob))).code).toBe('AccessDenied');
  });
});
