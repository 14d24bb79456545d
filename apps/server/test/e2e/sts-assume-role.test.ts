import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, GetUserCommand, ListRolesCommand, ListUsersCommand, PutRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { IAMClient as SdkIamClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allow, keysOf, mfaDevice, policy, rejection, role, trust, userWithKey } from '../helpers/sts-fixtures.js';
import { startStsServer, type Keys, type StsTestServer } from '../helpers/sts-server.js';

// The server's clock runs `skew` ms ahead of real time (SDK requests are signed with real time,
// so the skew stays well inside SigV4's 15 minutes); MFA codes are computed from it.
let skew = 0;
const clock = (): number => Date.now() + skew;
let t: StsTestServer;
let root: IAMClient;
let acct: string;
const secrets: string[] = [];

beforeAll(async () => {
  t = await startStsServer({ clock });
  root = t.iam();
  acct = t.account.accountId;
});
afterAll(async () => t.stop());

const assume = (keys: Keys, input: ConstructorParameters<typeof AssumeRoleCommand>[0]) => t.stsClient(keys).send(new AssumeRoleCommand(input));
const denied = (roleArn: string, caller: string): string => `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;

describe('AssumeRole trust policies (principal forms)', () => {
  it('a trust policy naming the user ARN allows on its own, with AWS identifiers', async () => {
    const u = await userWithKey(root, 'ar-user');
    secrets.push(u.secretAccessKey);
    const arn = await role(root, 'ar-by-user', trust({ AWS: u.arn }));
    const out = await assume(u, { RoleArn: arn, RoleSessionName: 'sess-1', DurationSeconds: 900 });
    secrets.push(out.Credentials!.SecretAccessKey!, out.Credentials!.SessionToken!);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${acct}:assumed-role/ar-by-user/sess-1`);
    const roleId = (await root.send(new GetRoleCommand({ RoleName: 'ar-by-user' }))).Role!.RoleId!;
    expect(out.AssumedRoleUser?.AssumedRoleId).toBe(`${roleId}:sess-1`);
    const exp = out.Credentials!.Expiration!.getTime();
    expect(Math.abs(exp - (clock() + 900_000))).toBeLessThan(5_000);
    const who = await t.stsClient(keysOf(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: acct, Arn: `arn:aws:sts::${acct}:assumed-role/ar-by-user/sess-1`, UserId: `${roleId}:sess-1` });
  });

  it('a trust policy naming the account needs an identity-policy Allow too (both forms of the account)', async () => {
    for (const [i, principal] of [{ AWS: `arn:aws:iam::${acct}:root` }, { AWS: acct }].entries()) {
      const arn = await role(root, `ar-by-account-${i}`, trust(principal));
      const without = await userWithKey(root, `ar-acct-no-${i}`);
      const e = await rejection(assume(without, { RoleArn: arn, RoleSessionName: 'ss' }));
      expect(e.name).toBe('AccessDenied');
      expect(e.status).toBe(403);
      expect(e.message).toBe(denied(arn, `arn:aws:iam::${acct}:user/ar-acct-no-${i}`));
      const withPolicy = await userWithKey(root, `ar-acct-yes-${i}`, policy(allow('sts:AssumeRole', arn)));
      expect((await assume(withPolicy, { RoleArn: arn, RoleSessionName: 'ss' })).AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${acct}:assumed-role/ar-by-account-${i}/ss`);
    }
  });

  it('a wildcard principal allows any authenticated caller; a service principal allows no user; an explicit Deny wins', async () => {
    const u = await userWithKey(root, 'ar-forms');
    const star = await role(root, 'ar-star', trust({ AWS: '*' }));
    expect((await assume(u, { RoleArn: star, RoleSessionName: 'ss' })).Credentials?.AccessKeyId).toMatch(/^ASIA/);
    const svc = await role(root, 'ar-service', trust({ Service: 'ec2.amazonaws.com' }));
    expect((await rejection(assume(u, { RoleArn: svc, RoleSessionName: 'ss' }))).name).toBe('AccessDenied');
    const deny = await role(
      root,
      'ar-deny',
      policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }, { Effect: 'Deny', Principal: { AWS: u.arn }, Action: 'sts:AssumeRole' }),
    );
    expect((await rejection(assume(u, { RoleArn: deny, RoleSessionName: 'ss' }))).message).toBe(denied(deny, u.arn));
  });

  it('a missing role and a root caller are AccessDenied; a non-ARN is ValidationError', async () => {
    const u = await userWithKey(root, 'ar-missing');
    const missing = `arn:aws:iam::${acct}:role/nope`;
    expect((await rejection(assume(u, { RoleArn: missing, RoleSessionName: 'ss' }))).message).toBe(denied(missing, u.arn));
    const anyone = await role(root, 'ar-root', trust({ AWS: '*' }));
    expect((await rejection(assume(t.rootKeys(), { RoleArn: anyone, RoleSessionName: 'ss' }))).message).toBe('Roles may not be assumed by root accounts.');
    const bad = await rejection(assume(u, { RoleArn: 'not-an-arn-at-all', RoleSessionName: 'ss' }));
    expect(bad.name).toBe('ValidationError');
    expect(bad.status).toBe(400);
  });
});

describe('AssumeRole conditions: ExternalId, MFA, session tags', () => {
  it('ExternalId: the right one allows; absent or wrong is AccessDenied', async () => {
    const u = await userWithKey(root, 'ar-ext');
    const arn = await role(root, 'ar-ext', trust({ AWS: u.arn }, 'sts:AssumeRole', { StringEquals: { 'sts:ExternalId': 'tenant-42' } }));
    expect((await assume(u, { RoleArn: arn, RoleSessionName: 'ss', ExternalId: 'tenant-42' })).Credentials).toBeDefined();
    expect((await rejection(assume(u, { RoleArn: arn, RoleSessionName: 'ss' }))).name).toBe('AccessDenied');
    expect((await rejection(assume(u, { RoleArn: arn, RoleSessionName: 'ss', ExternalId: 'tenant-43' }))).name).toBe('AccessDenied');
  });

  it('MFA required: missing, wrong and reused codes are refused; a fresh code from the device seed works once', async () => {
    const u = await userWithKey(root, 'ar-mfa');
    const arn = await role(root, 'ar-mfa', trust({ AWS: u.arn }, 'sts:AssumeRole', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }));
    const device = await mfaDevice(root, 'ar-mfa', 'ar-mfa-dev', clock());
    expect((await rejection(assume(u, { RoleArn: arn, RoleSessionName: 'ss' }))).message).toBe(denied(arn, u.arn));
    const wrongCode = device.code(device.step + 1) === '000000' ? '111111' : '000000';
    const wrong = await rejection(assume(u, { RoleArn: arn, RoleSessionName: 'ss', SerialNumber: device.serial, TokenCode: wrongCode }));
    expect(wrong.name).toBe('AccessDenied');
    // The code EnableMFADevice consumed is spent.
    expect((await rejection(assume(u, { RoleArn: arn, RoleSessionName: 'ss', SerialNumber: device.serial, TokenCode: device.code(device.step) }))).name).toBe('AccessDenied');
    const fresh = device.code(device.step + 1);
    const ok = await assume(u, { RoleArn: arn, RoleSessionName: 'ss', SerialNumber: device.serial, TokenCode: fresh });
    expect(ok.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect((await rejection(assume(u, { RoleArn: arn, RoleSessionName: 'ss', SerialNumber: device.serial, TokenCode: fresh }))).name).toBe('AccessDenied');
    // Half of the pair is a ValidationError-free AccessDenied as AWS words it.
    expect((await rejection(assume(u, { RoleArn: arn, RoleSessionName: 'ss', SerialNumber: device.serial }))).name).toBe('AccessDenied');
    // Another user's device is not this caller's.
    const other = await userWithKey(root, 'ar-mfa-other');
    skew += 30_000;
    const theirs = await rejection(assume(other, { RoleArn: arn, RoleSessionName: 'ss', SerialNumber: device.serial, TokenCode: device.code(Math.floor(clock() / 30_000)) }));
    expect(theirs.name).toBe('AccessDenied');
  });

  it('session tags need sts:TagSession and reach aws:PrincipalTag in the role session', async () => {
    const u = await userWithKey(root, 'ar-tags');
    const perms = policy(allow('iam:GetUser', '*', { StringEquals: { 'aws:PrincipalTag/team': 'core' } }));
    const noTag = await role(root, 'ar-tags-no', trust({ AWS: u.arn }), perms);
    const e = await rejection(assume(u, { RoleArn: noTag, RoleSessionName: 'ss', Tags: [{ Key: 'team', Value: 'core' }] }));
    expect(e.name).toBe('AccessDenied');
    expect(e.message).toContain('sts:TagSession');
    const tagged = await role(root, 'ar-tags-yes', trust({ AWS: u.arn }, ['sts:AssumeRole', 'sts:TagSession']), perms);
    const core = await assume(u, { RoleArn: tagged, RoleSessionName: 'ss', Tags: [{ Key: 'team', Value: 'core' }] });
    expect(core.PackedPolicySize).toBeGreaterThan(0);
    expect((await t.iam(keysOf(core.Credentials)).send(new GetUserCommand({ UserName: 'ar-tags' }))).User?.UserName).toBe('ar-tags');
    const ops = await assume(u, { RoleArn: tagged, RoleSessionName: 'ss', Tags: [{ Key: 'team', Value: 'ops' }] });
    expect((await rejection(t.iam(keysOf(ops.Credentials)).send(new GetUserCommand({ UserName: 'ar-tags' })))).name).toBe('AccessDenied');
    const dup = await rejection(assume(u, { RoleArn: tagged, RoleSessionName: 'ss', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }));
    expect(dup.message).toBe('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  });
});

describe('role session credentials against IAM', () => {
  it('allowed by the role, narrowed by a session policy, denied otherwise', async () => {
    const u = await userWithKey(root, 'rs-user');
    const arn = await role(root, 'rs-reader', trust({ AWS: u.arn }), policy(allow(['iam:GetUser', 'iam:ListUsers'])));
    const full = t.iam(keysOf((await assume(u, { RoleArn: arn, RoleSessionName: 'full' })).Credentials));
    expect((await full.send(new ListUsersCommand({}))).Users?.length).toBeGreaterThan(0);
    expect((await full.send(new GetUserCommand({ UserName: 'rs-user' }))).User?.UserName).toBe('rs-user');
    const other = await rejection(full.send(new ListRolesCommand({})));
    expect(other.name).toBe('AccessDenied');
    expect(other.message).toContain(`arn:aws:sts::${acct}:assumed-role/rs-reader/full is not authorized to perform: iam:ListRoles`);
    // A session policy intersects: GetUser stays, ListUsers goes, and nothing is added.
    const narrowed = await assume(u, { RoleArn: arn, RoleSessionName: 'narrow', Policy: policy(allow(['iam:GetUser', 'iam:ListRoles'])) });
    expect(narrowed.PackedPolicySize).toBeGreaterThan(0);
    const n = t.iam(keysOf(narrowed.Credentials));
    expect((await n.send(new GetUserCommand({ UserName: 'rs-user' }))).User?.UserName).toBe('rs-user');
    expect((await rejection(n.send(new ListUsersCommand({})))).name).toBe('AccessDenied');
    expect((await rejection(n.send(new ListRolesCommand({})))).name).toBe('AccessDenied');
    const malformed = await rejection(assume(u, { RoleArn: arn, RoleSessionName: 'bad', Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}' }));
    expect(malformed.name).toBe('MalformedPolicyDocumentException');
  });

  it('role chaining is capped at one hour; the chained session names the second role', async () => {
    const u = await userWithKey(root, 'ch-user');
    const first = await role(root, 'ch-first', trust({ AWS: u.arn }), policy(allow('sts:AssumeRole')), 7200);
    const second = await role(root, 'ch-second', trust({ AWS: first }), undefined, 7200);
    expect((await assume(u, { RoleArn: first, RoleSessionName: 'aa', DurationSeconds: 7200 })).Credentials).toBeDefined();
    const a = keysOf((await assume(u, { RoleArn: first, RoleSessionName: 'aa' })).Credentials);
    const over = await rejection(assume(a, { RoleArn: second, RoleSessionName: 'bb', DurationSeconds: 3601 }));
    expect(over.name).toBe('ValidationError');
    expect(over.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    const b = await assume(a, { RoleArn: second, RoleSessionName: 'bb', DurationSeconds: 3600 });
    expect(b.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${acct}:assumed-role/ch-second/bb`);
    const beyondMax = await rejection(assume(u, { RoleArn: first, RoleSessionName: 'aa', DurationSeconds: 7201 }));
    expect(beyondMax.message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  });

  it('cross-account: the trust policy of the other account and the caller identity policy must both allow', async () => {
    const otherRoot = t.iam(t.rootKeys(t.other));
    const arn = await role(otherRoot, 'xa-role', trust({ AWS: `arn:aws:iam::${acct}:root` }), policy(allow('iam:GetRole')));
    expect(arn).toBe(`arn:aws:iam::${t.other.accountId}:role/xa-role`);
    const without = await userWithKey(root, 'xa-no');
    expect((await rejection(assume(without, { RoleArn: arn, RoleSessionName: 'ss' }))).message).toBe(denied(arn, without.arn));
    const withPolicy = await userWithKey(root, 'xa-yes', policy(allow('sts:AssumeRole', arn)));
    const out = await assume(withPolicy, { RoleArn: arn, RoleSessionName: 'xa' });
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${t.other.accountId}:assumed-role/xa-role/xa`);
    const there = t.iam(keysOf(out.Credentials));
    expect((await there.send(new GetRoleCommand({ RoleName: 'xa-role' }))).Role?.Arn).toBe(arn);
    // A trust policy of the other account that does not name this one refuses even with an identity Allow.
    const closed = await role(otherRoot, 'xa-closed', trust({ AWS: `arn:aws:iam::${t.other.accountId}:root` }));
    const everything = await userWithKey(root, 'xa-all', policy(allow('sts:AssumeRole')));
    expect((await rejection(assume(everything, { RoleArn: closed, RoleSessionName: 'ss' }))).name).toBe('AccessDenied');
  });

  it('revocation: an inline deny on aws:TokenIssueTime stops older sessions only; deleting the role stops all', async () => {
    const u = await userWithKey(root, 'rv-user');
    const arn = await role(root, 'rv-role', trust({ AWS: u.arn }), policy(allow('iam:GetUser')));
    const old = t.iam(keysOf((await assume(u, { RoleArn: arn, RoleSessionName: 'old' })).Credentials));
    expect((await old.send(new GetUserCommand({ UserName: 'rv-user' }))).User).toBeDefined();
    skew += 2_000;
    const cutoff = new Date(clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await root.send(
      new PutRolePolicyCommand({
        RoleName: 'rv-role',
        PolicyName: 'AWSRevokeOlderSessions',
        PolicyDocument: policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } } }),
      }),
    );
    const e = await rejection(old.send(new GetUserCommand({ UserName: 'rv-user' })));
    expect(e.name).toBe('AccessDenied');
    expect(e.message).toContain('with an explicit deny');
    skew += 2_000;
    const fresh = t.iam(keysOf((await assume(u, { RoleArn: arn, RoleSessionName: 'new' })).Credentials));
    expect((await fresh.send(new GetUserCommand({ UserName: 'rv-user' }))).User).toBeDefined();
    await root.send(new DeleteRolePolicyCommand({ RoleName: 'rv-role', PolicyName: 'AWSRevokeOlderSessions' }));
    await root.send(new DeleteRolePolicyCommand({ RoleName: 'rv-role', PolicyName: 'perm' }));
    await root.send(new DeleteRoleCommand({ RoleName: 'rv-role' }));
    expect((await rejection(fresh.send(new GetUserCommand({ UserName: 'rv-user' })))).name).toBe('AccessDenied');
  });
});

describe('GetSessionToken and fromTemporaryCredentials', () => {
  it('GetSessionToken: long-term keys only; with MFA the session may call IAM, without it may not', async () => {
    const u = await userWithKey(root, 'gst-user', policy(allow('iam:GetUser')));
    const plain = await t.stsClient(u).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const p = keysOf(plain.Credentials);
    expect(p.accessKeyId).toMatch(/^ASIA/);
    expect((await t.stsClient(p).send(new GetCallerIdentityCommand({}))).Arn).toBe(u.arn);
    // IAM refuses GetSessionToken credentials without MFA before authorization, as AWS does.
    const noMfa = await rejection(t.iam(p).send(new GetUserCommand({ UserName: 'gst-user' })));
    expect(noMfa.name).toBe('InvalidClientTokenId');
    const again = await rejection(t.stsClient(p).send(new GetSessionTokenCommand({})));
    expect(again.message).toBe('Cannot call GetSessionToken with session credentials');
    skew += 30_000;
    const device = await mfaDevice(root, 'gst-user', 'gst-dev', clock());
    const wrong = await rejection(t.stsClient(u).send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: '12345x' })));
    expect(wrong.status).toBe(400);
    const mfa = await t.stsClient(u).send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: device.code(device.step + 1) }));
    const m = keysOf(mfa.Credentials);
    expect((await t.iam(m).send(new GetUserCommand({ UserName: 'gst-user' }))).User?.Arn).toBe(u.arn);
  });

  it('fromTemporaryCredentials assumes the role through the endpoint and refreshes nothing by hand', async () => {
    const u = await userWithKey(root, 'ftc-user');
    const arn = await role(root, 'ftc-role', trust({ AWS: u.arn }, 'sts:AssumeRole', { StringLike: { 'sts:RoleSessionName': 'ftc-*' } }), policy(allow('iam:ListUsers')));
    const provider = fromTemporaryCredentials({
      params: { RoleArn: arn, RoleSessionName: 'ftc-session', DurationSeconds: 900 },
      masterCredentials: u,
      clientConfig: { endpoint: t.url, region: 'us-east-1', maxAttempts: 1 },
    });
    const client = new SdkIamClient({ endpoint: t.url, region: 'us-east-1', credentials: provider, maxAttempts: 1 });
    try {
      expect((await client.send(new ListUsersCommand({}))).Users?.some((x) => x.UserName === 'ftc-user')).toBe(true);
      const creds = await provider();
      expect(creds.accessKeyId).toMatch(/^ASIA/);
      expect(creds.sessionToken).toBeTruthy();
      const wrongName = fromTemporaryCredentials({ params: { RoleArn: arn, RoleSessionName: 'other' }, masterCredentials: u, clientConfig: { endpoint: t.url, region: 'us-east-1', maxAttempts: 1 } });
      await expect(wrongName()).rejects.toMatchObject({ name: 'AccessDenied' });
    } finally {
      client.destroy();
    }
  });
});

describe('logs', () => {
  it('never carry a secret access key, session token or MFA code issued or used here', () => {
    const text = t.logs.text;
    expect(text.length).toBeGreaterThan(0);
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).not.toMatch(/"(SessionToken|SecretAccessKey|TokenCode|Password)"/);
    const assumed = t.logs.records().filter((r) => r.action === 'AssumeRole' && r.status === 200);
    expect(assumed.length).toBeGreaterThan(5);
  });
});
