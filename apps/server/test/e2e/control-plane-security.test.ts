// Issue 5 end to end: the password policy, the credential report and policy simulation through
// the real server and `@aws-sdk/client-iam` (the operations' own rules are unit-tested in
// @latchkey/iam; this checks they reach the wire as AWS's clients read them).
import {
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateLoginProfileCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from '../helpers/iam-ops.js';
import { startTestServer, type TestServer } from '../helpers/in-process-server.js';

const doc = (statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

let t: TestServer;
let root: IAMClient;
beforeAll(async () => {
  t = await startTestServer();
  root = t.client();
  await root.send(new CreateUserCommand({ UserName: 'pat' }));
});
afterAll(async () => {
  await t.stop();
});

describe('the account password policy over the wire', () => {
  const rules: [string, string][] = [
    ['Sh0rt!a', 'Password should have a minimum length of 12'],
    ['alllowercase-1!', 'Password should have at least one uppercase letter'],
    ['ALLUPPERCASE-1!', 'Password should have at least one lowercase letter'],
    ['NoNumbersHere-!', 'Password should have at least one number'],
    ['NoSymbols12345a', 'Password should have at least one symbol'],
  ];

  beforeAll(async () => {
    await root.send(
      new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, RequireNumbers: true, RequireSymbols: true, PasswordReusePrevention: 2, AllowUsersToChangePassword: true }),
    );
  });

  it.each(rules)('refuses %j with PasswordPolicyViolation (%s) and creates nothing', async (password, message) => {
    const e = await sdkError(root.send(new CreateLoginProfileCommand({ UserName: 'pat', Password: password })));
    expect(e.name).toBe('PasswordPolicyViolationException');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.message).toContain(message);
    expect(e.message).not.toContain(password);
  });

  it('accepts a compliant password and enforces reuse prevention on change', async () => {
    const first = 'Compliant-Passw0rd-1';
    await root.send(new CreateLoginProfileCommand({ UserName: 'pat', Password: first }));
    const key = (await root.send(new CreateAccessKeyCommand({ UserName: 'pat' }))).AccessKey!;
    const pat = t.client({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    const second = 'Compliant-Passw0rd-2';
    await pat.send(new ChangePasswordCommand({ OldPassword: first, NewPassword: second }));
    const reuse = await sdkError(pat.send(new ChangePasswordCommand({ OldPassword: second, NewPassword: first })));
    expect(reuse.name).toBe('PasswordPolicyViolationException');
    const wrongOld = await sdkError(pat.send(new ChangePasswordCommand({ OldPassword: 'not-the-password-1A!', NewPassword: 'Compliant-Passw0rd-3' })));
    expect(wrongOld.$metadata.httpStatusCode).toBeGreaterThanOrEqual(400);
    expect(wrongOld.$metadata.httpStatusCode).toBeLessThan(500);
    await root.send(new UpdateLoginProfileCommand({ UserName: 'pat', Password: 'Admin-Reset-Passw0rd!', PasswordResetRequired: true }));
  });
});

describe('the credential report over the wire', () => {
  it('lists the root and every user with AWS columns', async () => {
    let state = (await root.send(new GenerateCredentialReportCommand({}))).State;
    for (let i = 0; i < 10 && state !== 'COMPLETE'; i++) state = (await root.send(new GenerateCredentialReportCommand({}))).State;
    expect(state).toBe('COMPLETE');
    const report = await root.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    const csv = Buffer.from(report.Content!).toString('utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    expect(header).toHaveLength(22);
    expect(header.slice(0, 8)).toEqual(['user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active']);
    expect(csv[1]!.startsWith('<root_account>,')).toBe(true);
    const pat = csv.find((l) => l.startsWith('pat,'))!.split(',');
    const col = (name: string): string => pat[header.indexOf(name)]!;
    expect(col('arn')).toBe(`arn:aws:iam::${t.account.accountId}:user/pat`);
    expect(col('password_enabled')).toBe('true');
    expect(col('access_key_1_active')).toBe('true');
    expect(col('access_key_2_active')).toBe('false');
  });
});

describe('policy simulation over the wire', () => {
  beforeAll(async () => {
    await root.send(new CreateUserCommand({ UserName: 'sim' }));
    await root.send(new PutUserPolicyCommand({ UserName: 'sim', PolicyName: 'p', PolicyDocument: doc([
      { Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'iam:CreateUser'], Resource: '*' },
      { Effect: 'Deny', Action: 'iam:GetRole', Resource: '*' },
      { Effect: 'Allow', Action: 'iam:TagUser', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } } },
    ]) }));
    const boundary = (await root.send(new CreatePolicyCommand({ PolicyName: 'sim-boundary', PolicyDocument: doc([{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'iam:TagUser'], Resource: '*' }]) }))).Policy!.Arn!;
    await root.send(new PutUserPermissionsBoundaryCommand({ UserName: 'sim', PermissionsBoundary: boundary }));
  });

  it('answers allowed, explicitDeny, boundary-limited and missing context keys for a user', async () => {
    const r = await root.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${t.account.accountId}:user/sim`, ActionNames: ['iam:GetUser', 'iam:GetRole', 'iam:CreateUser', 'iam:TagUser'] }));
    const by = new Map(r.EvaluationResults!.map((e) => [e.EvalActionName, e]));
    expect(by.get('iam:GetUser')!.EvalDecision).toBe('allowed');
    expect(by.get('iam:GetRole')!.EvalDecision).toBe('explicitDeny');
    expect(by.get('iam:GetRole')!.MatchedStatements!.length).toBeGreaterThan(0);
    expect(by.get('iam:CreateUser')!.EvalDecision).toBe('implicitDeny'); // the boundary does not allow it
    expect(by.get('iam:TagUser')!.EvalDecision).toBe('implicitDeny');
    expect(by.get('iam:TagUser')!.MissingContextValues).toContain('aws:RequestTag/team');
  });

  it('simulates custom policies with context entries', async () => {
    const r = await root.send(new SimulateCustomPolicyCommand({
      PolicyInputList: [doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }])],
      ActionNames: ['s3:GetObject'],
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['10.1.2.3'] }],
    }));
    expect(r.EvaluationResults![0]!.EvalDecision).toBe('allowed');
  });
});
