import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAwsCli, hasBoto3 } from '../helpers/external-tools.js';
import { startTestServer, type TestServer } from '../helpers/in-process-server.js';

if (!hasAwsCli) console.warn('[server] `aws --version` failed: skipping the aws CLI smoke test');
if (!hasBoto3) console.warn('[server] `python3 -c "import boto3"` failed: skipping the boto3 smoke test');

let t: TestServer;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  t = await startTestServer();
  // Exactly what the server prints on start: the endpoint, the keys, a region.
  env = {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_ENDPOINT_URL: t.url,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: t.account.rootAccessKeyId,
    AWS_SECRET_ACCESS_KEY: t.account.rootSecretAccessKey,
    AWS_MAX_ATTEMPTS: '1',
  };
});
afterAll(async () => t?.stop());

function run(cmd: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err === null ? 0 : Number((err as { code?: number }).code ?? 1), stdout, stderr }));
    if (input !== undefined) child.stdin!.end(input);
  });
}

describe.skipIf(!hasAwsCli)('the aws CLI against Latchkey', () => {
  it('creates and lists users, round-trips a policy document and reports errors by code', async () => {
    const created = await run('aws', ['iam', 'create-user', '--user-name', 'cli-user', '--output', 'json']);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).User.Arn).toBe(`arn:aws:iam::${t.account.accountId}:user/cli-user`);
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::*:user/a b' }] };
    const put = await run('aws', ['iam', 'put-user-policy', '--user-name', 'cli-user', '--policy-name', 'p', '--policy-document', JSON.stringify(doc)]);
    expect(put.code, put.stderr).toBe(0);
    // The CLI URL-decodes and parses policy documents itself, as it does against AWS.
    const got = await run('aws', ['iam', 'get-user-policy', '--user-name', 'cli-user', '--policy-name', 'p', '--output', 'json']);
    expect(JSON.parse(got.stdout).PolicyDocument).toEqual(doc);
    const missing = await run('aws', ['iam', 'get-user', '--user-name', 'nobody']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(NoSuchEntity)');
    expect(missing.stderr).toContain('The user with name nobody cannot be found.');
  });
});

const BOTO3 = `
import json, os, boto3, botocore
iam = boto3.client("iam")
out = {}
iam.create_user(UserName="py-user", Tags=[{"Key": "team", "Value": "core"}])
for i in range(5):
    iam.create_user(UserName=f"py-page-{i}", Path="/py/")
names = []
for page in iam.get_paginator("list_users").paginate(PathPrefix="/py/", PaginationConfig={"PageSize": 2}):
    names += [u["UserName"] for u in page["Users"]]
out["paged"] = names
key = iam.create_access_key(UserName="py-user")["AccessKey"]
out["keyPrefix"] = key["AccessKeyId"][:4]
try:
    iam.create_user(UserName="py-user")
except botocore.exceptions.ClientError as e:
    out["dupCode"] = e.response["Error"]["Code"]
    out["dupStatus"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
    out["requestId"] = e.response["ResponseMetadata"]["RequestId"]
role = iam.create_role(RoleName="py-role", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
out["trust"] = role["Role"]["AssumeRolePolicyDocument"]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3)('boto3 against Latchkey', () => {
  it('pages, creates keys and roles (trust policy decoded to a dict), and raises ClientError with the AWS code', async () => {
    const r = await run('python3', ['-c', BOTO3]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.paged).toEqual(['py-page-0', 'py-page-1', 'py-page-2', 'py-page-3', 'py-page-4']);
    expect(out.keyPrefix).toBe('AKIA');
    expect(out.dupCode).toBe('EntityAlreadyExists');
    expect(out.dupStatus).toBe(409);
    expect(out.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.trust.Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
  });
});
