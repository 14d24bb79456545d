import { CreateUserCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/in-process-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.stop());

describe('smoke', () => {
  it('creates and gets a user', async () => {
    const iam = t.client();
    const created = await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    expect(created.User?.UserName).toBe('alice');
    const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
    expect(got.User?.Arn).toBe(`arn:aws:iam::${t.account.accountId}:user/alice`);
    console.log(t.logs.text);
  });
});
