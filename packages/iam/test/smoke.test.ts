import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './helpers/fixture.js';

describe('IamService', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('creates and gets a user as root', async () => {
    const out = (await f.call('CreateUser', { UserName: 'bob' })) as { User: { UserName: string; Arn: string } };
    expect(out.User.Arn).toBe('arn:aws:iam::111122223333:user/bob');
    const got = (await f.call('GetUser', { UserName: 'BOB' })) as { User: { UserName: string } };
    expect(got.User.UserName).toBe('bob');
  });
});
