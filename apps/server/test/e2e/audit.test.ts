import { CreateAccessKeyCommand, CreateLoginProfileCommand, CreateUserCommand, GetUserCommand, ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { queryAudit, type AuditLine } from '@latchkey/iam';
import { verifyAuditChain } from '@latchkey/store-sql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sdkError } from '../helpers/iam-ops.js';
import { startTestServer, type TestServer } from '../helpers/in-process-server.js';

async function records(t: TestServer): Promise<AuditLine[]> {
  const out: AuditLine[] = [];
  for await (const r of queryAudit(t.store, {})) out.push(r);
  return out;
}

/** Read-only calls are recorded without delaying the response: wait until they are stored. */
async function eventually(t: TestServer, predicate: (rs: AuditLine[]) => boolean): Promise<AuditLine[]> {
  for (let i = 0; i < 200; i++) {
    const rs = await records(t);
    if (predicate(rs)) return rs;
    await new Promise((r) => setTimeout(r, 20));
  }
  return records(t);
}

describe('the audit trail of the server', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('records allowed and denied calls and authentication failures, with every secret removed', async () => {
    const root = t.client();
    const password = 'Audit-Trail-Passw0rd!x';
    await root.send(new CreateUserCommand({ UserName: 'carol', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await root.send(new CreateLoginProfileCommand({ UserName: 'carol', Password: password }));
    await root.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }] }) }));
    const key = (await root.send(new CreateAccessKeyCommand({ UserName: 'carol' }))).AccessKey!;
    const carol = t.client({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    await carol.send(new GetUserCommand({}));
    const denied = await sdkError(carol.send(new ListUsersCommand({})));
    expect(denied.Code ?? denied.name).toBe('AccessDenied');
    const forged = t.client({ accessKeyId: key.AccessKeyId!, secretAccessKey: 'not-the-secret-access-key-of-carol-00000' });
    expect((await sdkError(forged.send(new GetUserCommand({})))).Code).toBe('SignatureDoesNotMatch');

    const rs = await eventually(t, (all) => all.some((r) => r.eventName === 'GetUser' && r.errorCode === 'SignatureDoesNotMatch') && all.some((r) => r.eventName === 'ListUsers'));
    const byName = (name: string) => rs.filter((r) => r.eventName === name);

    const created = byName('CreateUser')[0]!;
    expect(created).toMatchObject({ eventSource: 'iam.amazonaws.com', readOnly: false, userIdentity: { type: 'Root', accountId: t.account.accountId } });
    expect(created.errorCode).toBeUndefined();

    const list = byName('ListUsers')[0]!;
    expect(list).toMatchObject({ errorCode: 'AccessDenied', userIdentity: { type: 'IAMUser', userName: 'carol', accessKeyId: key.AccessKeyId } });

    const failure = byName('GetUser').find((r) => r.errorCode === 'SignatureDoesNotMatch')!;
    expect(failure).toMatchObject({ authenticationFailure: true, userIdentity: { accessKeyId: key.AccessKeyId } });

    // The records, and everything the trail stored, never hold a secret the test created.
    const stored = JSON.stringify(rs);
    for (const secret of [password, key.SecretAccessKey!, t.account.rootSecretAccessKey]) expect(stored).not.toContain(secret);
    expect(byName('CreateLoginProfile')[0]!.requestParameters).toMatchObject({ Password: '[REDACTED]' });

    // The chain verifies, as `latchkey audit verify` checks it.
    expect(await verifyAuditChain(t.store)).toMatchObject({ ok: true });
  });
});
