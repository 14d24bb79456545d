import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  ListMFADevicesCommand,
  TagRoleCommand,
  ListRoleTagsCommand,
  UntagUserCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UpdateGroupCommand,
  ListGroupsCommand,
  DeleteAccountAliasCommand,
  CreateAccountAliasCommand,
  ListAccountAliasesCommand,
  GetContextKeysForCustomPolicyCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetAccountPasswordPolicyCommand,
  GetGroupPolicyCommand,
  GetLoginProfileCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolesCommand,
  ListVirtualMFADevicesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  SimulatePrincipalPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, serves } from '../helpers/iam-ops.js';
import { startTestServer, type TestServer } from '../helpers/in-process-server.js';
import { totp } from '../helpers/totp.js';

let t: TestServer;
let root: IAMClient;
/** Secrets handed out or sent during this file: none may reach a log line. */
const secrets: string[] = [];
beforeAll(async () => {
  t = await startTestServer();
  root = t.client();
});
afterAll(async () => {
  for (const s of [t.account.rootSecretAccessKey, ...secrets]) expect(t.logs.text).not.toContain(s);
  await t.stop();
});

const doc = (action: string): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const trust = (id: string): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${id}:root` }, Action: 'sts:AssumeRole' }] });

describe.skipIf(!serves('CreatePolicyVersion', 'DeletePolicyVersion', 'SetDefaultPolicyVersion', 'ListPolicyVersions', 'DeletePolicy', 'ListEntitiesForPolicy'))('managed policy versions and deletion', () => {
  it('keeps at most 5 versions, refuses to delete the default, and refuses DeletePolicy while attached', async () => {
    const arn = (await root.send(new CreatePolicyCommand({ PolicyName: 'Versioned', PolicyDocument: doc('iam:GetUser') }))).Policy!.Arn!;
    for (let i = 2; i <= 5; i++) await root.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('iam:GetUser') }));
    const sixth = await sdkError(root.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('iam:GetUser') })));
    expect(sixth.name).toBe('LimitExceededException');
    const delDefault = await sdkError(root.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })));
    expect(delDefault.name).toBe('DeleteConflictException');
    await root.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
    expect((await root.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe('v3');
    await root.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect((await root.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions?.map((v) => v.VersionId).sort()).toEqual(['v2', 'v3', 'v4', 'v5']);
    await root.send(new CreateUserCommand({ UserName: 'fam-attached' }));
    await root.send(new AttachUserPolicyCommand({ UserName: 'fam-attached', PolicyArn: arn }));
    expect((await root.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }))).PolicyUsers?.map((u) => u.UserName)).toEqual(['fam-attached']);
    expect((await sdkError(root.send(new DeletePolicyCommand({ PolicyArn: arn })))).name).toBe('DeleteConflictException');
  });

  it('lists the AWS managed policies under their AWS ARNs', async () => {
    const aws = await root.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));
    const arns = aws.Policies?.map((p) => p.Arn) ?? [];
    for (const name of ['AdministratorAccess', 'IAMFullAccess', 'IAMReadOnlyAccess', 'IAMUserChangePassword']) expect(arns).toContain(`arn:aws:iam::aws:policy/${name}`);
  });
});

describe.skipIf(!serves('CreateRole', 'PutRolePolicy', 'AttachRolePolicy', 'DeleteRole', 'ListRoles', 'UpdateAssumeRolePolicy'))('roles', () => {
  it('refuses DeleteRole while policies are attached, and lists roles by path', async () => {
    await root.send(new CreateRoleCommand({ RoleName: 'fam-role', Path: '/svc/', AssumeRolePolicyDocument: trust(t.account.accountId) }));
    await root.send(new PutRolePolicyCommand({ RoleName: 'fam-role', PolicyName: 'inline', PolicyDocument: doc('s3:GetObject') }));
    await root.send(new AttachRolePolicyCommand({ RoleName: 'fam-role', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    expect((await sdkError(root.send(new DeleteRoleCommand({ RoleName: 'fam-role' })))).name).toBe('DeleteConflictException');
    await root.send(new DetachRolePolicyCommand({ RoleName: 'fam-role', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    expect((await root.send(new ListRolesCommand({ PathPrefix: '/svc/' }))).Roles?.map((r) => r.RoleName)).toEqual(['fam-role']);
    const bad = await sdkError(root.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'fam-role', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}' })));
    expect(bad.name).toBe('MalformedPolicyDocumentException');
  });
});

describe.skipIf(!serves('PutGroupPolicy', 'GetGroupPolicy', 'AttachGroupPolicy'))('group policies', () => {
  it('stores group inline policies and limits attached managed policies to 10 per entity', async () => {
    await root.send(new CreateGroupCommand({ GroupName: 'fam-group' }));
    await root.send(new PutGroupPolicyCommand({ GroupName: 'fam-group', PolicyName: 'g', PolicyDocument: doc('iam:List*') }));
    expect(decodeURIComponent((await root.send(new GetGroupPolicyCommand({ GroupName: 'fam-group', PolicyName: 'g' }))).PolicyDocument!)).toBe(doc('iam:List*'));
    for (let i = 0; i < 10; i++) {
      const arn = (await root.send(new CreatePolicyCommand({ PolicyName: `fam-limit-${i}`, PolicyDocument: doc('iam:GetUser') }))).Policy!.Arn!;
      await root.send(new AttachGroupPolicyCommand({ GroupName: 'fam-group', PolicyArn: arn }));
    }
    const eleventh = await sdkError(root.send(new AttachGroupPolicyCommand({ GroupName: 'fam-group', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' })));
    expect(eleventh.name).toBe('LimitExceededException');
    expect(eleventh.$metadata.httpStatusCode).toBe(409);
  });
});

describe.skipIf(!serves('CreateLoginProfile', 'GetLoginProfile'))('login profiles', () => {
  it('creates a password login (never returned) and refuses a duplicate', async () => {
    await root.send(new CreateUserCommand({ UserName: 'fam-login' }));
    const password = 'Correct-Horse-Battery-9!';
    secrets.push(password);
    const created = await root.send(new CreateLoginProfileCommand({ UserName: 'fam-login', Password: password }));
    expect(created.LoginProfile?.UserName).toBe('fam-login');
    expect(JSON.stringify(await root.send(new GetLoginProfileCommand({ UserName: 'fam-login' })))).not.toContain(password);
    expect((await sdkError(root.send(new CreateLoginProfileCommand({ UserName: 'fam-login', Password: password })))).name).toBe('EntityAlreadyExistsException');
  });
});

describe.skipIf(!serves('CreateVirtualMFADevice', 'ListVirtualMFADevices'))('virtual MFA devices', () => {
  it('creates a device with its seed shown once', async () => {
    const d = await root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'fam-mfa' }));
    expect(d.VirtualMFADevice?.SerialNumber).toBe(`arn:aws:iam::${t.account.accountId}:mfa/fam-mfa`);
    const seed = Buffer.from(d.VirtualMFADevice!.Base32StringSeed!).toString('utf8');
    expect(seed).toMatch(/^[A-Z2-7]+=*$/);
    secrets.push(seed);
    const listed = await root.send(new ListVirtualMFADevicesCommand({}));
    expect(listed.VirtualMFADevices?.map((v) => v.SerialNumber)).toContain(d.VirtualMFADevice!.SerialNumber);
    expect(JSON.stringify(listed)).not.toContain(seed);
  });
});

describe.skipIf(!serves('UpdateAccountPasswordPolicy', 'GetAccountPasswordPolicy'))('account password policy', () => {
  it('stores and returns the policy; NoSuchEntity before one exists', async () => {
    expect((await sdkError(root.send(new GetAccountPasswordPolicyCommand({})))).name).toBe('NoSuchEntityException');
    await root.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true }));
    const p = await root.send(new GetAccountPasswordPolicyCommand({}));
    expect(p.PasswordPolicy).toMatchObject({ MinimumPasswordLength: 14, RequireSymbols: true });
  });
});

describe.skipIf(!serves('CreateOpenIDConnectProvider', 'GetOpenIDConnectProvider'))('OIDC providers', () => {
  it('registers a provider under its AWS ARN', async () => {
    const created = await root.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.example.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['a'.repeat(40)] }));
    expect(created.OpenIDConnectProviderArn).toBe(`arn:aws:iam::${t.account.accountId}:oidc-provider/token.example.com`);
    const got = await root.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: created.OpenIDConnectProviderArn! }));
    expect(got.ClientIDList).toEqual(['sts.amazonaws.com']);
  });
});

describe.skipIf(!serves('SimulatePrincipalPolicy', 'PutUserPolicy'))('policy simulation', () => {
  it('simulates a user policy: allowed and implicitly denied actions', async () => {
    await root.send(new CreateUserCommand({ UserName: 'fam-sim' }));
    const { PutUserPolicyCommand } = await import('@aws-sdk/client-iam');
    await root.send(new PutUserPolicyCommand({ UserName: 'fam-sim', PolicyName: 'p', PolicyDocument: doc('iam:GetUser') }));
    const r = await root.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${t.account.accountId}:user/fam-sim`, ActionNames: ['iam:GetUser', 'iam:CreateUser'] }));
    expect(Object.fromEntries(r.EvaluationResults!.map((e) => [e.EvalActionName, e.EvalDecision]))).toEqual({ 'iam:GetUser': 'allowed', 'iam:CreateUser': 'implicitDeny' });
  });
});

describe.skipIf(!serves('CreateVirtualMFADevice', 'EnableMFADevice', 'ListMFADevices'))('MFA device enablement', () => {
  it('enables a device with two consecutive TOTP codes and refuses wrong ones with InvalidAuthenticationCode (403)', async () => {
    await root.send(new CreateUserCommand({ UserName: 'fam-mfa-user' }));
    const d = (await root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'fam-mfa-2' }))).VirtualMFADevice!;
    const seed = Buffer.from(d.Base32StringSeed!).toString('utf8');
    secrets.push(seed);
    const wrong = await sdkError(root.send(new EnableMFADeviceCommand({ UserName: 'fam-mfa-user', SerialNumber: d.SerialNumber!, AuthenticationCode1: '000000', AuthenticationCode2: '000001' })));
    expect(wrong.name).toBe('InvalidAuthenticationCodeException');
    expect(wrong.$metadata.httpStatusCode).toBe(403);
    const step = Math.floor(Date.now() / 30_000);
    const [c1, c2] = [totp(seed, step - 1), totp(seed, step)];
    secrets.push(`AuthenticationCode1=${c1}`);
    await root.send(new EnableMFADeviceCommand({ UserName: 'fam-mfa-user', SerialNumber: d.SerialNumber!, AuthenticationCode1: c1, AuthenticationCode2: c2 }));
    expect((await root.send(new ListMFADevicesCommand({ UserName: 'fam-mfa-user' }))).MFADevices?.map((m) => m.SerialNumber)).toEqual([d.SerialNumber]);
  });
});

describe.skipIf(!serves('TagRole', 'ListRoleTags', 'UntagUser', 'UpdateGroup', 'ListGroups', 'DeleteAccountAlias', 'GetContextKeysForCustomPolicy'))('more of the surface', () => {
  it('tags and untags, renames groups, drops the alias, and lists context keys', async () => {
    await root.send(new CreateRoleCommand({ RoleName: 'fam-tagged', AssumeRolePolicyDocument: trust(t.account.accountId) }));
    await root.send(new TagRoleCommand({ RoleName: 'fam-tagged', Tags: [{ Key: 'env', Value: 'prod' }] }));
    expect((await root.send(new ListRoleTagsCommand({ RoleName: 'fam-tagged' }))).Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    await root.send(new CreateUserCommand({ UserName: 'fam-untag' }));
    await root.send(new TagUserCommand({ UserName: 'fam-untag', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await root.send(new UntagUserCommand({ UserName: 'fam-untag', TagKeys: ['a'] }));
    expect((await root.send(new ListUserTagsCommand({ UserName: 'fam-untag' }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    await root.send(new CreateGroupCommand({ GroupName: 'fam-old' }));
    await root.send(new UpdateGroupCommand({ GroupName: 'fam-old', NewGroupName: 'fam-new', NewPath: '/teams/' }));
    expect((await root.send(new ListGroupsCommand({ PathPrefix: '/teams/' }))).Groups?.map((g) => g.GroupName)).toEqual(['fam-new']);
    await root.send(new CreateAccountAliasCommand({ AccountAlias: 'fam-alias' }));
    await root.send(new DeleteAccountAliasCommand({ AccountAlias: 'fam-alias' }));
    expect((await root.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
    const keys = await root.send(
      new GetContextKeysForCustomPolicyCommand({
        PolicyInputList: [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] })],
      }),
    );
    expect(keys.ContextKeyNames?.map((k) => k.toLowerCase())).toContain('aws:sourceip');
  });
});
