import { IAM_NAMESPACE, IAM_POLICY_DOCUMENT_MEMBERS, renderResult, type XmlStructure } from '@latchkey/aws-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './helpers/fixture.js';
import { trust } from './helpers/policies-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  await f.close();
});

async function xml(action: string, params: Record<string, string>): Promise<string> {
  const result = await f.call(action, params);
  return renderResult(action, IAM_NAMESPACE, result as XmlStructure | undefined, 'req-1', { urlEncodedMembers: IAM_POLICY_DOCUMENT_MEMBERS });
}

const between = (text: string, tag: string): string => {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text);
  if (m === null) throw new Error(`no <${tag}> in ${text}`);
  return m[1]!;
};

describe('policy operations on the wire', () => {
  // A document with characters that URL-encoding and XML escaping both touch, and a literal %2F.
  const doc = '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a%2Fb/<x>&\'y\'/*"}]}';

  it('URL-encodes inline and managed policy documents and trust policies, which decode to the exact text', async () => {
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    await f.call('PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: doc });
    await f.call('CreatePolicy', { PolicyName: 'm', PolicyDocument: doc });
    const inline = await xml('GetRolePolicy', { RoleName: 'r', PolicyName: 'p' });
    expect(inline).toContain('<GetRolePolicyResult><RoleName>r</RoleName><PolicyName>p</PolicyName><PolicyDocument>');
    expect(decodeURIComponent(between(inline, 'PolicyDocument'))).toBe(doc);
    const version = await xml('GetPolicyVersion', { PolicyArn: 'arn:aws:iam::111122223333:policy/m', VersionId: 'v1' });
    expect(decodeURIComponent(between(version, 'Document'))).toBe(doc);
    const role = await xml('GetRole', { RoleName: 'r' });
    expect(decodeURIComponent(between(role, 'AssumeRolePolicyDocument'))).toBe(trust());
    expect(role).toContain('<RoleLastUsed/>');
  });

  it('answers UpdateRole with an empty result wrapper and attach calls with none', async () => {
    await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    expect(await xml('UpdateRole', { RoleName: 'r', Description: 'x' })).toContain('<UpdateRoleResult/>');
    const attach = await xml('AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    expect(attach).not.toContain('Result');
  });

  it('renders list members as AWS does', async () => {
    await f.call('CreateUser', { UserName: 'u' });
    await f.call('PutUserPolicy', { UserName: 'u', PolicyName: 'a', PolicyDocument: doc });
    const names = await xml('ListUserPolicies', { UserName: 'u' });
    expect(names).toContain('<PolicyNames><member>a</member></PolicyNames><IsTruncated>false</IsTruncated>');
  });
});
