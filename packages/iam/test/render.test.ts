import { IAM_NAMESPACE, renderResult, type XmlStructure } from '@latchkey/aws-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './helpers/fixture.js';

// The outputs are AWS's result members, so the generic Query renderer gives AWS's XML.
describe('operation outputs rendered as AWS Query XML', () => {
  let f: Fixture;
  const render = async (action: string, params: Record<string, string> = {}) => renderResult(action, IAM_NAMESPACE, (await f.call(action, params)) as XmlStructure | undefined, 'req-1');
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('CreateUser: the User element in the model order, tags as members', async () => {
    const xml = await render('CreateUser', { UserName: 'alice', Path: '/eng/', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' });
    expect(xml).toMatch(
      /^<CreateUserResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><CreateUserResult><User><Path>\/eng\/<\/Path><UserName>alice<\/UserName><UserId>AIDA[A-Z2-7]{17}<\/UserId><Arn>arn:aws:iam::111122223333:user\/eng\/alice<\/Arn><CreateDate>2026-11-27T20:00:00Z<\/CreateDate><Tags><member><Key>team<\/Key><Value>core<\/Value><\/member><\/Tags><\/User><\/CreateUserResult><ResponseMetadata><RequestId>req-1<\/RequestId><\/ResponseMetadata><\/CreateUserResponse>$/,
    );
  });

  it('DeleteUser: no result element at all', async () => {
    await f.call('CreateUser', { UserName: 'alice' });
    expect(await render('DeleteUser', { UserName: 'alice' })).toBe(
      '<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteUserResponse>',
    );
  });

  it('ListUsers and ListAccountAliases: members, IsTruncated, Marker only when truncated, empty lists', async () => {
    await f.call('CreateUser', { UserName: 'a' });
    await f.call('CreateUser', { UserName: 'b' });
    const truncated = await render('ListUsers', { MaxItems: '1' });
    expect(truncated).toMatch(/<Users><member><Path>\/<\/Path><UserName>a<\/UserName>.*<\/member><\/Users><IsTruncated>true<\/IsTruncated><Marker>[^<]+<\/Marker><\/ListUsersResult>/);
    expect(await render('ListUsers')).toMatch(/<\/Users><IsTruncated>false<\/IsTruncated><\/ListUsersResult>/);
    expect(await render('ListAccountAliases')).toContain('<ListAccountAliasesResult><AccountAliases/><IsTruncated>false</IsTruncated></ListAccountAliasesResult>');
  });

  it('GetAccountSummary: SummaryMap entries', async () => {
    expect(await render('GetAccountSummary')).toContain('<SummaryMap><entry><key>Users</key><value>0</value></entry><entry><key>UsersQuota</key><value>5000</value></entry>');
  });

  it('CreateAccessKey and GetAccessKeyLastUsed: AWS member order, N/A before use', async () => {
    await f.call('CreateUser', { UserName: 'alice' });
    const xml = await render('CreateAccessKey', { UserName: 'alice' });
    expect(xml).toMatch(/<AccessKey><UserName>alice<\/UserName><AccessKeyId>(AKIA[A-Z2-7]{16})<\/AccessKeyId><Status>Active<\/Status><SecretAccessKey>[A-Za-z0-9+/]{40}<\/SecretAccessKey><CreateDate>2026-11-27T20:00:00Z<\/CreateDate><\/AccessKey>/);
    const id = /<AccessKeyId>([^<]+)</.exec(xml)![1]!;
    expect(await render('GetAccessKeyLastUsed', { AccessKeyId: id })).toContain(
      '<GetAccessKeyLastUsedResult><UserName>alice</UserName><AccessKeyLastUsed><ServiceName>N/A</ServiceName><Region>N/A</Region></AccessKeyLastUsed></GetAccessKeyLastUsedResult>',
    );
  });
});
