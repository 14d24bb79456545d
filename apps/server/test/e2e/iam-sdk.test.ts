import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetGroupCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
  UpdateRoleCommand,
  UpdateUserCommand,
  paginateListUsers,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, serves } from '../helpers/iam-ops.js';
import { startTestServer, type TestServer } from '../helpers/in-process-server.js';

let t: TestServer;
let root: IAMClient;
/** Every secret access key the tests were given: none may appear in a log line. */
const secrets: string[] = [];
beforeAll(async () => {
  t = await startTestServer();
  root = t.client();
});
afterAll(async () => t.stop());

const ADMIN = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/** A user with an access key and (optionally) an inline policy, and a client signing as it. */
async function userWithKey(name: string, policy?: object): Promise<{ client: IAMClient; accessKeyId: string; secretAccessKey: string }> {
  await root.send(new CreateUserCommand({ UserName: name }));
  if (policy !== undefined) await root.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
  const key = (await root.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  const creds = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  secrets.push(creds.secretAccessKey);
  return { client: t.client(creds), ...creds };
}

describe('users (IAM over the JS SDK)', () => {
  it('creates, gets, renames, lists and deletes users with AWS identifiers', async () => {
    const created = await root.send(new CreateUserCommand({ UserName: 'u-alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'core' }] }));
    expect(created.User).toMatchObject({ UserName: 'u-alice', Path: '/eng/', Arn: `arn:aws:iam::${t.account.accountId}:user/eng/u-alice` });
    expect(created.User?.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    expect(created.User?.CreateDate).toBeInstanceOf(Date);
    expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const got = await root.send(new GetUserCommand({ UserName: 'u-alice' }));
    expect(got.User?.UserId).toBe(created.User?.UserId);
    await root.send(new UpdateUserCommand({ UserName: 'u-alice', NewUserName: 'u-alicia', NewPath: '/ops/' }));
    const renamed = await root.send(new GetUserCommand({ UserName: 'u-alicia' }));
    expect(renamed.User?.Arn).toBe(`arn:aws:iam::${t.account.accountId}:user/ops/u-alicia`);
    const listed = await root.send(new ListUsersCommand({ PathPrefix: '/ops/' }));
    expect(listed.Users?.map((u) => u.UserName)).toEqual(['u-alicia']);
    await root.send(new DeleteUserCommand({ UserName: 'u-alicia' }));
    const gone = await sdkError(root.send(new GetUserCommand({ UserName: 'u-alicia' })));
    expect(gone.name).toBe('NoSuchEntityException');
    expect(gone.$metadata.httpStatusCode).toBe(404);
    expect(gone.message).toBe('The user with name u-alicia cannot be found.');
  });

  it('refuses a duplicate name with EntityAlreadyExists (409)', async () => {
    await root.send(new CreateUserCommand({ UserName: 'u-dup' }));
    const e = await sdkError(root.send(new CreateUserCommand({ UserName: 'U-DUP' })));
    expect(e.name).toBe('EntityAlreadyExistsException');
    expect(e.$metadata.httpStatusCode).toBe(409);
  });

  it('answers invalid names with ValidationError (400) as AWS words it', async () => {
    const e = await sdkError(root.send(new CreateUserCommand({ UserName: 'bad name!' })));
    expect(e.name).toBe('ValidationError');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.message).toContain("at 'userName' failed to satisfy constraint");
  });

  it('pages with Marker/MaxItems/IsTruncated, and the SDK paginator walks every page', async () => {
    for (let i = 0; i < 7; i++) await root.send(new CreateUserCommand({ UserName: `pg-${i}`, Path: '/paging/' }));
    const first = await root.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 3 }));
    expect(first.Users).toHaveLength(3);
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    const names: string[] = [];
    for await (const page of paginateListUsers({ client: root, pageSize: 2 }, { PathPrefix: '/paging/' })) names.push(...page.Users!.map((u) => u.UserName!));
    expect(names).toEqual(['pg-0', 'pg-1', 'pg-2', 'pg-3', 'pg-4', 'pg-5', 'pg-6']);
    const bad = await sdkError(root.send(new ListUsersCommand({ MaxItems: 0 })));
    expect(bad.name).toBe('ValidationError');
  });

  it('refuses to delete a user with dependents (DeleteConflict, 409)', async () => {
    await root.send(new CreateUserCommand({ UserName: 'u-conflict' }));
    const key = await root.send(new CreateAccessKeyCommand({ UserName: 'u-conflict' }));
    const e = await sdkError(root.send(new DeleteUserCommand({ UserName: 'u-conflict' })));
    expect(e.name).toBe('DeleteConflictException');
    expect(e.$metadata.httpStatusCode).toBe(409);
    await root.send(new DeleteAccessKeyCommand({ UserName: 'u-conflict', AccessKeyId: key.AccessKey!.AccessKeyId! }));
    await root.send(new DeleteUserCommand({ UserName: 'u-conflict' }));
  });
});

describe('groups', () => {
  it('manages groups and membership', async () => {
    await root.send(new CreateUserCommand({ UserName: 'g-bob' }));
    const g = await root.send(new CreateGroupCommand({ GroupName: 'devs' }));
    expect(g.Group?.GroupId).toMatch(/^AGPA/);
    await root.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'g-bob' }));
    const got = await root.send(new GetGroupCommand({ GroupName: 'devs' }));
    expect(got.Users?.map((u) => u.UserName)).toEqual(['g-bob']);
    expect((await root.send(new ListGroupsForUserCommand({ UserName: 'g-bob' }))).Groups?.map((x) => x.GroupName)).toEqual(['devs']);
    const conflict = await sdkError(root.send(new DeleteGroupCommand({ GroupName: 'devs' })));
    expect(conflict.name).toBe('DeleteConflictException');
    await root.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'g-bob' }));
    await root.send(new DeleteGroupCommand({ GroupName: 'devs' }));
    expect((await sdkError(root.send(new GetGroupCommand({ GroupName: 'devs' })))).name).toBe('NoSuchEntityException');
  });
});

describe('access keys', () => {
  it('creates (secret once), lists, deactivates and deletes keys; two per user', async () => {
    await root.send(new CreateUserCommand({ UserName: 'k-carol' }));
    const k1 = (await root.send(new CreateAccessKeyCommand({ UserName: 'k-carol' }))).AccessKey!;
    expect(k1.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(k1.SecretAccessKey).toHaveLength(40);
    secrets.push(k1.SecretAccessKey!);
    await root.send(new CreateAccessKeyCommand({ UserName: 'k-carol' }));
    const third = await sdkError(root.send(new CreateAccessKeyCommand({ UserName: 'k-carol' })));
    expect(third.name).toBe('LimitExceededException');
    expect(third.$metadata.httpStatusCode).toBe(409);
    const listed = await root.send(new ListAccessKeysCommand({ UserName: 'k-carol' }));
    expect(listed.AccessKeyMetadata).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(k1.SecretAccessKey);
    await root.send(new UpdateAccessKeyCommand({ UserName: 'k-carol', AccessKeyId: k1.AccessKeyId!, Status: 'Inactive' }));
    const l2 = await root.send(new ListAccessKeysCommand({ UserName: 'k-carol' }));
    expect(l2.AccessKeyMetadata?.find((m) => m.AccessKeyId === k1.AccessKeyId)?.Status).toBe('Inactive');
  });

  it('signs with a new key at once, records its last use, and refuses it once inactive or deleted', async () => {
    const u = await userWithKey('k-dave', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
    const me = await u.client.send(new GetUserCommand({}));
    expect(me.User?.UserName).toBe('k-dave');
    const used = await root.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: u.accessKeyId }));
    expect(used.UserName).toBe('k-dave');
    expect(used.AccessKeyLastUsed?.ServiceName).toBe('iam');
    expect(used.AccessKeyLastUsed?.Region).toBe('us-east-1');
    expect(used.AccessKeyLastUsed?.LastUsedDate).toBeInstanceOf(Date);
    await root.send(new UpdateAccessKeyCommand({ UserName: 'k-dave', AccessKeyId: u.accessKeyId, Status: 'Inactive' }));
    const inactive = await sdkError(u.client.send(new GetUserCommand({})));
    expect(inactive.name).toBe('InvalidClientTokenId');
    expect(inactive.$metadata.httpStatusCode).toBe(403);
    await root.send(new UpdateAccessKeyCommand({ UserName: 'k-dave', AccessKeyId: u.accessKeyId, Status: 'Active' }));
    expect((await u.client.send(new GetUserCommand({}))).User?.UserName).toBe('k-dave');
    await root.send(new DeleteAccessKeyCommand({ UserName: 'k-dave', AccessKeyId: u.accessKeyId }));
    expect((await sdkError(u.client.send(new GetUserCommand({})))).name).toBe('InvalidClientTokenId');
  });

  it('refuses a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidClientTokenId', async () => {
    const wrong = t.client({ accessKeyId: t.account.rootAccessKeyId, secretAccessKey: 'x'.repeat(40) });
    const e1 = await sdkError(wrong.send(new ListUsersCommand({})));
    expect(e1.name).toBe('SignatureDoesNotMatch');
    expect(e1.$metadata.httpStatusCode).toBe(403);
    const unknown = t.client({ accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x'.repeat(40) });
    const e2 = await sdkError(unknown.send(new ListUsersCommand({})));
    expect(e2.name).toBe('InvalidClientTokenId');
    // AWS's captured text has no final period (reference/sigv4-verifier-checklist.md).
    expect(e2.message).toBe('The security token included in the request is invalid');
  });

  it('accepts a region other than us-east-1 in the credential scope', async () => {
    const c = t.client(undefined, 'eu-west-1');
    expect((await c.send(new ListUsersCommand({ MaxItems: 1 }))).$metadata.httpStatusCode).toBe(200);
  });
});

describe('account', () => {
  it('answers GetAccountSummary and manages the alias', async () => {
    const s = await root.send(new GetAccountSummaryCommand({}));
    expect(s.SummaryMap?.UsersQuota).toBe(5000);
    expect(typeof s.SummaryMap?.Users).toBe('number');
    await root.send(new CreateAccountAliasCommand({ AccountAlias: 'latchkey-e2e' }));
    expect((await root.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['latchkey-e2e']);
  });

  it('answers GetUser without a name for the root with the account ARN', async () => {
    const me = await root.send(new GetUserCommand({}));
    expect(me.User?.Arn).toBe(`arn:aws:iam::${t.account.accountId}:root`);
  });
});

describe.skipIf(!serves('PutUserPolicy', 'GetUserPolicy', 'DeleteUserPolicy'))('inline policies', () => {
  it('stores a document and returns it URL-encoded as AWS does (the SDK hands it over raw)', async () => {
    await root.send(new CreateUserCommand({ UserName: 'ip-erin' }));
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/a b*' }] });
    await root.send(new PutUserPolicyCommand({ UserName: 'ip-erin', PolicyName: 'read', PolicyDocument: doc }));
    const got = await root.send(new GetUserPolicyCommand({ UserName: 'ip-erin', PolicyName: 'read' }));
    expect(got.PolicyDocument).toContain('%22Version%22');
    expect(got.PolicyDocument).toContain('%2F');
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(JSON.parse(doc));
    const bad = await sdkError(root.send(new PutUserPolicyCommand({ UserName: 'ip-erin', PolicyName: 'bad', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}' })));
    expect(bad.name).toBe('MalformedPolicyDocumentException');
    expect(bad.$metadata.httpStatusCode).toBe(400);
    await root.send(new DeleteUserPolicyCommand({ UserName: 'ip-erin', PolicyName: 'read' }));
    expect((await sdkError(root.send(new GetUserPolicyCommand({ UserName: 'ip-erin', PolicyName: 'read' })))).name).toBe('NoSuchEntityException');
  });
});

describe.skipIf(!serves('CreatePolicy', 'AttachUserPolicy', 'CreatePolicyVersion', 'GetPolicyVersion', 'ListAttachedUserPolicies', 'DetachUserPolicy'))('managed policies', () => {
  it('creates versions, attaches and detaches, and URL-encodes Document', async () => {
    await root.send(new CreateUserCommand({ UserName: 'mp-frank' }));
    const p = await root.send(new CreatePolicyCommand({ PolicyName: 'ReadUsers', PolicyDocument: ADMIN }));
    expect(p.Policy?.Arn).toBe(`arn:aws:iam::${t.account.accountId}:policy/ReadUsers`);
    expect(p.Policy?.DefaultVersionId).toBe('v1');
    const v2 = await root.send(new CreatePolicyVersionCommand({ PolicyArn: p.Policy!.Arn!, PolicyDocument: ADMIN, SetAsDefault: true }));
    expect(v2.PolicyVersion?.VersionId).toBe('v2');
    const got = await root.send(new GetPolicyVersionCommand({ PolicyArn: p.Policy!.Arn!, VersionId: 'v2' }));
    expect(got.PolicyVersion?.Document?.startsWith('%7B')).toBe(true);
    await root.send(new AttachUserPolicyCommand({ UserName: 'mp-frank', PolicyArn: p.Policy!.Arn! }));
    await root.send(new AttachUserPolicyCommand({ UserName: 'mp-frank', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    const attached = await root.send(new ListAttachedUserPoliciesCommand({ UserName: 'mp-frank' }));
    expect(attached.AttachedPolicies?.map((a) => a.PolicyName).sort()).toEqual(['IAMReadOnlyAccess', 'ReadUsers']);
    await root.send(new DetachUserPolicyCommand({ UserName: 'mp-frank', PolicyArn: p.Policy!.Arn! }));
    const missing = await sdkError(root.send(new AttachUserPolicyCommand({ UserName: 'mp-frank', PolicyArn: `arn:aws:iam::${t.account.accountId}:policy/Nope` })));
    expect(missing.name).toBe('NoSuchEntityException');
  });
});

describe.skipIf(!serves('CreateRole', 'GetRole', 'UpdateRole'))('roles', () => {
  it('creates a role with a trust policy returned URL-encoded, and updates MaxSessionDuration', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${t.account.accountId}:root` }, Action: 'sts:AssumeRole' }] });
    const r = await root.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: trust, Description: 'ci' }));
    expect(r.Role?.RoleId).toMatch(/^AROA/);
    expect(decodeURIComponent(r.Role!.AssumeRolePolicyDocument!)).toBe(trust);
    await root.send(new UpdateRoleCommand({ RoleName: 'deployer', MaxSessionDuration: 7200 }));
    expect((await root.send(new GetRoleCommand({ RoleName: 'deployer' }))).Role?.MaxSessionDuration).toBe(7200);
    const bad = await sdkError(root.send(new UpdateRoleCommand({ RoleName: 'deployer', MaxSessionDuration: 60 })));
    expect(bad.name).toBe('ValidationError');
  });
});

describe.skipIf(!serves('TagUser', 'ListUserTags'))('tags', () => {
  it('tags users and lists the tags', async () => {
    await root.send(new CreateUserCommand({ UserName: 'tg-gina' }));
    await root.send(new TagUserCommand({ UserName: 'tg-gina', Tags: [{ Key: 'dept', Value: 'eng' }] }));
    expect((await root.send(new ListUserTagsCommand({ UserName: 'tg-gina' }))).Tags).toEqual([{ Key: 'dept', Value: 'eng' }]);
  });
});

describe.skipIf(!serves('GetAccountAuthorizationDetails', 'PutUserPolicy'))('GetAccountAuthorizationDetails', () => {
  it('returns nested policy documents URL-encoded', async () => {
    await root.send(new CreateUserCommand({ UserName: 'aad-hal' }));
    await root.send(new PutUserPolicyCommand({ UserName: 'aad-hal', PolicyName: 'x', PolicyDocument: ADMIN }));
    const d = await root.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'] }));
    const hal = d.UserDetailList?.find((u) => u.UserName === 'aad-hal');
    expect(decodeURIComponent(hal!.UserPolicyList![0]!.PolicyDocument!)).toBe(ADMIN);
  });
});

describe.skipIf(!serves('PutUserPolicy'))('authorization', () => {
  it('denies a user without iam:CreateUser with AccessDenied naming the missing identity-based allow', async () => {
    const u = await userWithKey('az-ivan', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
    const e = await sdkError(u.client.send(new CreateUserCommand({ UserName: 'az-new' })));
    expect(e.name).toBe('AccessDenied');
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect(e.message).toBe(
      `User: arn:aws:iam::${t.account.accountId}:user/az-ivan is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${t.account.accountId}:user/az-new because no identity-based policy allows the iam:CreateUser action`,
    );
    expect((await sdkError(root.send(new GetUserCommand({ UserName: 'az-new' })))).name).toBe('NoSuchEntityException');
  });

  it('lets an explicit deny win over an allow', async () => {
    const u = await userWithKey('az-judy', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' },
      ],
    });
    await u.client.send(new CreateUserCommand({ UserName: 'az-victim' }));
    const e = await sdkError(u.client.send(new DeleteUserCommand({ UserName: 'az-victim' })));
    expect(e.name).toBe('AccessDenied');
    expect(e.message).toContain('with an explicit deny in an identity-based policy');
    expect((await root.send(new GetUserCommand({ UserName: 'az-victim' }))).User?.UserName).toBe('az-victim');
  });

  it.skipIf(!serves('CreatePolicy', 'PutUserPermissionsBoundary'))('limits a user by its permissions boundary', async () => {
    const u = await userWithKey('az-kim', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] });
    const boundary = await root.send(
      new CreatePolicyCommand({ PolicyName: 'OnlyRead', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] }) }),
    );
    expect((await u.client.send(new CreateUserCommand({ UserName: 'az-before' }))).User?.UserName).toBe('az-before');
    await root.send(new PutUserPermissionsBoundaryCommand({ UserName: 'az-kim', PermissionsBoundary: boundary.Policy!.Arn! }));
    const e = await sdkError(u.client.send(new CreateUserCommand({ UserName: 'az-after' })));
    expect(e.name).toBe('AccessDenied');
    expect(e.message).toContain('permissions boundary');
    expect((await u.client.send(new ListUsersCommand({ MaxItems: 1 }))).$metadata.httpStatusCode).toBe(200);
  });

  it('takes effect on the next request after a policy change (cache invalidated)', async () => {
    const u = await userWithKey('az-leo', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] });
    expect((await u.client.send(new ListUsersCommand({ MaxItems: 1 }))).$metadata.httpStatusCode).toBe(200);
    await root.send(new DeleteUserPolicyCommand({ UserName: 'az-leo', PolicyName: 'p' }));
    expect((await sdkError(u.client.send(new ListUsersCommand({ MaxItems: 1 })))).name).toBe('AccessDenied');
  });
});

describe('logs of the whole run', () => {
  it('hold one line per request and no secret access key, root or user', () => {
    expect(secrets.length).toBeGreaterThan(3);
    const text = t.logs.text;
    for (const s of [t.account.rootSecretAccessKey, ...secrets]) expect(text).not.toContain(s);
    const requests = t.logs.records().filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThan(50);
    for (const r of requests) expect(Object.keys(r).sort()).toEqual(expect.arrayContaining(['action', 'durationMs', 'requestId', 'service', 'status']));
  });
});
