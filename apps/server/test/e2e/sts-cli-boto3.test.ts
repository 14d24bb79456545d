import { execFile } from 'node:child_process';
import type { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, hasBoto3 } from '../helpers/external-tools.js';
import { allow, policy, role, trust, userWithKey } from '../helpers/sts-fixtures.js';
import { startStsServer, type StsTestServer } from '../helpers/sts-server.js';

if (!hasAwsCli) console.warn('[server] `aws --version` failed: skipping the aws CLI STS test');
if (!hasBoto3) console.warn('[server] `python3 -c "import boto3"` failed: skipping the boto3 STS test');

let t: StsTestServer;
let root: IAMClient;
let user: { accessKeyId: string; secretAccessKey: string; arn: string };
let roleArn: string;
beforeAll(async () => {
  t = await startStsServer();
  root = t.iam();
  user = await userWithKey(root, 'py-user');
  roleArn = await role(root, 'py-role', trust({ AWS: user.arn }, 'sts:AssumeRole', { StringEquals: { 'sts:ExternalId': 'ext-1' } }), policy(allow('iam:GetRole')));
});
afterAll(async () => t?.stop());

/** Service-specific endpoint variables only: STS must be reachable through AWS_ENDPOINT_URL_STS. */
function run(cmd: string, args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_ENDPOINT_URL_STS: t.url,
    AWS_ENDPOINT_URL_IAM: t.url,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: user.accessKeyId,
    AWS_SECRET_ACCESS_KEY: user.secretAccessKey,
    AWS_MAX_ATTEMPTS: '1',
    ...extra,
  };
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err === null ? 0 : Number((err as { code?: number }).code ?? 1), stdout, stderr }));
  });
}

describe.skipIf(!hasAwsCli)('the aws CLI against Latchkey STS', () => {
  it('get-caller-identity, assume-role with an ExternalId, and the role credentials calling IAM', async () => {
    const id = await run('aws', ['sts', 'get-caller-identity', '--output', 'json']);
    expect(id.code, id.stderr).toBe(0);
    expect(JSON.parse(id.stdout).Arn).toBe(user.arn);
    const wrong = await run('aws', ['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', 'cli', '--external-id', 'nope']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('(AccessDenied)');
    const assumed = await run('aws', ['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', 'cli', '--external-id', 'ext-1', '--output', 'json']);
    expect(assumed.code, assumed.stderr).toBe(0);
    const c = JSON.parse(assumed.stdout).Credentials;
    const asRole = { AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
    const got = await run('aws', ['iam', 'get-role', '--role-name', 'py-role', '--output', 'json'], asRole);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout).Role.Arn).toBe(roleArn);
    const denied = await run('aws', ['iam', 'list-users'], asRole);
    expect(denied.stderr).toContain('(AccessDenied)');
  });
});

const BOTO3 = `
import json, os, boto3, botocore
sts = boto3.client("sts")
out = {"me": sts.get_caller_identity()["Arn"]}
c = sts.assume_role(RoleArn=os.environ["ROLE_ARN"], RoleSessionName="boto", ExternalId="ext-1", DurationSeconds=900)["Credentials"]
session = boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
out["assumed"] = session.client("sts").get_caller_identity()["Arn"]
out["role"] = session.client("iam").get_role(RoleName="py-role")["Role"]["Arn"]
bad = boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"][:-8])
try:
    bad.client("sts").get_caller_identity()
except botocore.exceptions.ClientError as e:
    out["badToken"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3)('boto3 against Latchkey STS', () => {
  it('assumes a role through AWS_ENDPOINT_URL_STS and uses the session for STS and IAM; a truncated token is refused', async () => {
    const r = await run('python3', ['-c', BOTO3], { ROLE_ARN: roleArn });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.me).toBe(user.arn);
    expect(out.assumed).toBe(`arn:aws:sts::${t.account.accountId}:assumed-role/py-role/boto`);
    expect(out.role).toBe(roleArn);
    expect(out.badToken).toEqual(['InvalidClientTokenId', 403]);
  });
});
