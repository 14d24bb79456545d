import { CreateLoginProfileCommand, CreateUserCommand, GetUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../helpers/sign.js';
import { rejection } from '../helpers/sts-fixtures.js';
import { startStsServer, type StsTestServer } from '../helpers/sts-server.js';

// Latchkey's password sign-in (STS action LatchkeySignIn, a Latchkey extension) over the wire.
let skew = 0;
let t: StsTestServer;
let root: IAMClient;
const PASSWORD = 'Sign-In-Pass-7!';
beforeAll(async () => {
  t = await startStsServer({ clock: () => Date.now() + skew });
  root = t.iam();
  await root.send(new CreateUserCommand({ UserName: 'web-user' }));
  await root.send(new CreateLoginProfileCommand({ UserName: 'web-user', Password: PASSWORD }));
});
afterAll(async () => t.stop());

const signIn = (password: string, user = 'web-user') =>
  send(t.url, new URLSearchParams({ Action: 'LatchkeySignIn', Version: '2011-06-15', Account: t.account.accountId, UserName: user, Password: password }).toString(), undefined);
const field = (xml: string, name: string): string => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)![1]!;

describe('LatchkeySignIn through the server', () => {
  it('is accepted unsigned and answers GetSessionToken-like credentials usable with the SDK', async () => {
    const r = await signIn(PASSWORD);
    expect(r.status, r.text).toBe(200);
    expect(r.text).toContain('<LatchkeySignInResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    const keys = { accessKeyId: field(r.text, 'AccessKeyId'), secretAccessKey: field(r.text, 'SecretAccessKey'), sessionToken: field(r.text, 'SessionToken') };
    expect((await t.stsClient(keys).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${t.account.accountId}:user/web-user`);
    // Without MFA the session is like GetSessionToken's: IAM refuses it.
    expect((await rejection(t.iam(keys).send(new GetUserCommand({})))).name).toBe('InvalidClientTokenId');
    expect(t.logs.text).not.toContain(PASSWORD);
    expect(t.logs.text).not.toContain(keys.secretAccessKey);
  });

  it('locks the user out after repeated failures (403 with a retry time), then lets the right password in once the backoff passed', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await signIn(`wrong-${i}`);
      expect(r.status).toBe(403);
      expect(r.text).toContain('<Message>Your authentication information is incorrect. Please try again.</Message>');
    }
    const locked = await signIn(PASSWORD);
    expect(locked.status).toBe(403);
    expect(locked.text).toContain('Too many failed sign-in attempts for this user.');
    skew += 5_000;
    const ok = await signIn(PASSWORD);
    expect(ok.status, ok.text).toBe(200);
    expect(t.logs.text).not.toContain('wrong-0');
  });

  it('a signed LatchkeySignIn is verified like any signed request', async () => {
    const body = new URLSearchParams({ Action: 'LatchkeySignIn', Version: '2011-06-15', Account: t.account.accountId, UserName: 'web-user', Password: PASSWORD }).toString();
    const r = await send(t.url, body, { accessKeyId: t.account.rootAccessKeyId, secretAccessKey: 'not-the-secret-0000000000000000000000000' }, { service: 'sts' });
    expect(r.status).toBe(403);
    expect(r.text).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
