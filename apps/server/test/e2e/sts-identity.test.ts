import { GetUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import {
  DecodeAuthorizationMessageCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  AssumeRoleCommand,
} from '@aws-sdk/client-sts';
import { queryAudit, type AuditLine } from '@latchkey/iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presignGetCallerIdentity } from '../helpers/presign.js';
import { amzDateOf, send } from '../helpers/sign.js';
import { allow, keysOf, policy, rejection, role, trust, userWithKey } from '../helpers/sts-fixtures.js';
import { startStsServer, type Keys, type StsTestServer } from '../helpers/sts-server.js';

let t: StsTestServer;
let root: IAMClient;
let acct: string;
beforeAll(async () => {
  t = await startStsServer();
  root = t.iam();
  acct = t.account.accountId;
});
afterAll(async () => t.stop());

const who = (keys: Keys) => t.stsClient(keys).send(new GetCallerIdentityCommand({}));

/** A raw STS request signed with `keys` (their session token in X-Amz-Security-Token). */
function raw(keys: Keys, body: string, tokenOverride?: string, at = Date.now()) {
  const token = tokenOverride ?? keys.sessionToken;
  return send(t.url, body, keys, { service: 'sts', amzDate: amzDateOf(at), ...(token === undefined ? {} : { extraHeaders: { 'x-amz-security-token': token } }) });
}

describe('GetCallerIdentity', () => {
  it('answers for every caller kind, and an identity-policy Deny does not stop it', async () => {
    expect(await who(t.rootKeys())).toMatchObject({ Account: acct, Arn: `arn:aws:iam::${acct}:root`, UserId: acct });
    const u = await userWithKey(root, 'gci-user', policy({ Effect: 'Deny', Action: '*', Resource: '*' }));
    const id = await who(u);
    expect(id).toMatchObject({ Account: acct, Arn: u.arn });
    expect(id.UserId).toMatch(/^AIDA/);
    const gst = keysOf((await t.stsClient(u).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
    expect((await who(gst)).Arn).toBe(u.arn);
    const other = await who(t.rootKeys(t.other));
    expect(other.Account).toBe(t.other.accountId);
  });

  it('a presigned GET URL replayed by a third party identifies its signer (EKS/Vault style), with temporary keys too', async () => {
    const u = await userWithKey(root, 'gci-presign');
    const token = await presignGetCallerIdentity(t.url, u, { headers: { 'x-k8s-aws-id': 'my-cluster' } });
    const res = await fetch(token.url, { headers: token.headers });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).toContain(`<Arn>${u.arn}</Arn>`);
    expect(text).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    // The signed cluster header is part of the proof: a replay naming another cluster fails.
    const swapped = await fetch(token.url, { headers: { ...token.headers, 'x-k8s-aws-id': 'other-cluster' } });
    expect(swapped.status).toBe(403);
    expect(await swapped.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const arn = await role(root, 'gci-role', trust({ AWS: u.arn }));
    const session = keysOf((await t.stsClient(u).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'vault' }))).Credentials);
    const temp = await presignGetCallerIdentity(t.url, session);
    const r2 = await fetch(temp.url, { headers: temp.headers });
    expect(await r2.text()).toContain(`<Arn>arn:aws:sts::${acct}:assumed-role/gci-role/vault</Arn>`);
    // Expired presigned URLs are refused.
    const old = await presignGetCallerIdentity(t.url, u, { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    const r3 = await fetch(old.url, { headers: old.headers });
    expect(r3.status).toBe(400);
    expect(await r3.text()).toContain('<Code>RequestExpired</Code>');
  });

  it('a signed POST replayed verbatim by a third party (Vault iam auth) identifies its signer', async () => {
    const u = await userWithKey(root, 'gci-vault');
    const r = await send(t.url, 'Action=GetCallerIdentity&Version=2011-06-15', u, { service: 'sts' });
    expect(r.status).toBe(200);
    expect(r.text).toContain(`<Arn>${u.arn}</Arn>`);
  });
});

describe('GetAccessKeyInfo, GetFederationToken, DecodeAuthorizationMessage', () => {
  it('GetAccessKeyInfo needs sts:GetAccessKeyInfo and names the key account', async () => {
    const allowed = await userWithKey(root, 'gaki-yes', policy(allow('sts:GetAccessKeyInfo')));
    const out = await t.stsClient(allowed).send(new GetAccessKeyInfoCommand({ AccessKeyId: t.other.rootAccessKeyId }));
    expect(out.Account).toBe(t.other.accountId);
    const mine = await t.stsClient(allowed).send(new GetAccessKeyInfoCommand({ AccessKeyId: allowed.accessKeyId }));
    expect(mine.Account).toBe(acct);
    const no = await userWithKey(root, 'gaki-no');
    const e = await rejection(t.stsClient(no).send(new GetAccessKeyInfoCommand({ AccessKeyId: allowed.accessKeyId })));
    expect(e.name).toBe('AccessDenied');
    expect(e.status).toBe(403);
  });

  it('GetFederationToken: needs the permission, the session policy bounds it, and federated users cannot call IAM', async () => {
    const broker = await userWithKey(root, 'fed-broker', policy(allow(['sts:GetFederationToken', 'iam:GetUser'])));
    const out = await t.stsClient(broker).send(new GetFederationTokenCommand({ Name: 'alice', Policy: policy(allow('iam:GetUser')), DurationSeconds: 900 }));
    expect(out.FederatedUser).toEqual({ Arn: `arn:aws:sts::${acct}:federated-user/alice`, FederatedUserId: `${acct}:alice` });
    const fed = keysOf(out.Credentials);
    expect((await who(fed)).Arn).toBe(`arn:aws:sts::${acct}:federated-user/alice`);
    expect((await rejection(t.iam(fed).send(new GetUserCommand({ UserName: 'fed-broker' })))).name).toBe('InvalidClientTokenId');
    expect((await rejection(t.stsClient(fed).send(new GetSessionTokenCommand({})))).name).toBe('AccessDenied');
    const plain = await userWithKey(root, 'fed-plain');
    expect((await rejection(t.stsClient(plain).send(new GetFederationTokenCommand({ Name: 'bob' })))).name).toBe('AccessDenied');
  });

  it('DecodeAuthorizationMessage reads an encoded failure for principals allowed to, and only for them', async () => {
    const bob = await userWithKey(root, 'dam-bob');
    const encoded = await t.sts.encodeAuthorizationMessage(
      { decision: 'implicitDeny', matchedStatements: [], notAllowedBy: ['identity'], missingContextKeys: [], errors: [] } as never,
      { caller: { kind: 'user', accountId: acct, arn: bob.arn, userId: 'AIDAEXAMPLE', identity: { kind: 'root' } } as never, action: 'iam:ListRoles', resource: '*', context: {} },
    );
    const auditor = await userWithKey(root, 'dam-auditor', policy(allow('sts:DecodeAuthorizationMessage')));
    const decoded = JSON.parse((await t.stsClient(auditor).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }))).DecodedMessage!);
    expect(decoded).toMatchObject({ allowed: false, explicitDeny: false, context: { action: 'iam:ListRoles', resource: '*' } });
    expect((await rejection(t.stsClient(bob).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })))).name).toBe('AccessDenied');
    const garbage = await rejection(t.stsClient(auditor).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'not-a-message' })));
    expect(garbage.name).toBe('InvalidAuthorizationMessageException');
    expect(garbage.status).toBe(400);
  });
});

describe('session tokens on the wire', () => {
  let session: Keys;
  beforeAll(async () => {
    const u = await userWithKey(root, 'tok-user');
    session = keysOf((await t.stsClient(u).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
  });
  const GCI = 'Action=GetCallerIdentity&Version=2011-06-15';

  it('a valid token works raw', async () => {
    const r = await raw(session, GCI);
    expect(r.status).toBe(200);
  });

  it('tampered, truncated, empty, foreign and mismatched tokens are InvalidClientTokenId (403), never 5xx', async () => {
    const token = session.sessionToken!;
    const mid = Math.floor(token.length / 2);
    const flipped = token.slice(0, mid) + (token[mid] === 'A' ? 'B' : 'A') + token.slice(mid + 1);
    const other = await userWithKey(root, 'tok-other');
    const otherSession = keysOf((await t.stsClient(other).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
    const cases: [string, Keys, string | undefined][] = [
      ['tampered', session, flipped],
      ['truncated', session, token.slice(0, token.length - 10)],
      ['truncated to a prefix', session, token.slice(0, 20)],
      ['garbage', session, 'x'.repeat(300)],
      ['another session token for this key id', session, otherSession.sessionToken],
      ['missing', { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey }, undefined],
    ];
    for (const [name, keys, tok] of cases) {
      const r = await raw(keys, GCI, tok ?? '');
      expect(r.status, name).toBe(403);
      expect(r.text, name).toContain('<Code>InvalidClientTokenId</Code>');
    }
    // The right token with the wrong secret is a signature failure, not a token failure.
    const wrongSecret = await raw({ ...session, secretAccessKey: 'x'.repeat(40) }, GCI);
    expect(wrongSecret.text).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('a token minted by another Latchkey (another master key) is InvalidClientTokenId', async () => {
    const elsewhere = await startStsServer();
    try {
      const u = await userWithKey(elsewhere.iam(), 'far');
      const foreign = keysOf((await elsewhere.stsClient(u).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
      const r = await raw(foreign, GCI);
      expect(r.status).toBe(403);
      expect(r.text).toContain('<Code>InvalidClientTokenId</Code>');
      expect((await rejection(t.iam(foreign).send(new GetUserCommand({})))).name).toBe('InvalidClientTokenId');
    } finally {
      await elsewhere.stop();
    }
  });

  it('unsigned requests are refused for every action but the web identity ones', async () => {
    for (const action of ['GetCallerIdentity', 'GetSessionToken', 'AssumeRole']) {
      const r = await send(t.url, `Action=${action}&Version=2011-06-15`, undefined);
      expect(r.status, action).toBe(403);
      expect(r.text, action).toContain('<Code>MissingAuthenticationToken</Code>');
    }
  });
});

describe('expiry with the injected clock', () => {
  it('temporary credentials work until their expiry and are ExpiredToken after, for STS and IAM', async () => {
    let offset = 0;
    const s = await startStsServer({ clock: () => Date.now() + offset });
    try {
      const u = await userWithKey(s.iam(), 'exp-user', policy(allow('iam:GetUser')));
      const arn = await role(s.iam(), 'exp-role', trust({ AWS: u.arn }), policy(allow('iam:GetUser')));
      const out = await s.stsClient(u).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'exp', DurationSeconds: 900 }));
      const k = keysOf(out.Credentials);
      const call = (body: string, service: string) =>
        send(s.url, body, k, { service, amzDate: amzDateOf(Date.now() + offset), extraHeaders: { 'x-amz-security-token': k.sessionToken! } });
      offset = 899_000;
      expect((await call('Action=GetCallerIdentity&Version=2011-06-15', 'sts')).status).toBe(200);
      expect((await call('Action=GetUser&UserName=exp-user&Version=2010-05-08', 'iam')).status).toBe(200);
      offset = 901_000;
      for (const [body, service] of [
        ['Action=GetCallerIdentity&Version=2011-06-15', 'sts'],
        ['Action=GetUser&UserName=exp-user&Version=2010-05-08', 'iam'],
      ] as const) {
        const r = await call(body, service);
        expect(r.status, service).toBe(403);
        expect(r.text, service).toContain('<Code>ExpiredToken</Code>');
        expect(r.text).toContain('The security token included in the request is expired');
      }
    } finally {
      await s.stop();
    }
  });
});

describe('the audit trail of STS calls', () => {
  it('records AssumeRole (waited for, credentials redacted) and GetCallerIdentity as a read', async () => {
    const u = await userWithKey(root, 'aud-user');
    const arn = await role(root, 'aud-role', trust({ AWS: u.arn }));
    const out = await t.stsClient(u).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'audited' }));
    const records = async (): Promise<AuditLine[]> => {
      const rs: AuditLine[] = [];
      for await (const r of queryAudit(t.store, {})) rs.push(r);
      return rs;
    };
    // A credential-issuing call is acknowledged only once its record is stored.
    const assumed = (await records()).find((r) => r.eventName === 'AssumeRole' && JSON.stringify(r).includes('audited'));
    expect(assumed).toMatchObject({ eventSource: 'sts.amazonaws.com', readOnly: false });
    const text = JSON.stringify(await records());
    expect(text).not.toContain(out.Credentials!.SecretAccessKey!);
    expect(text).not.toContain(out.Credentials!.SessionToken!);
    await who(u);
    let gci: AuditLine | undefined;
    for (let i = 0; i < 200 && gci === undefined; i++) {
      gci = (await records()).find((r) => r.eventName === 'GetCallerIdentity' && (r as { userIdentity?: { arn?: string } }).userIdentity?.arn === u.arn);
      if (gci === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(gci).toMatchObject({ eventSource: 'sts.amazonaws.com', readOnly: true });
  });
});
