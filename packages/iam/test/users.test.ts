import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, attach, failure, fixture, managedPolicy, putUserPolicy, START, type Fixture } from './helpers/fixture.js';

type UserOut = { Path: string; UserName: string; UserId: string; Arn: string; CreateDate: Date; Tags?: { Key: string; Value: string }[]; PermissionsBoundary?: unknown };

describe('user operations', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  describe('CreateUser', () => {
    it('creates a user with path, tags and AWS-shaped id and ARN', async () => {
      const out = (await f.call('CreateUser', { UserName: 'alice', Path: '/eng/core/', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' })) as { User: UserOut };
      expect(out.User).toMatchObject({ Path: '/eng/core/', UserName: 'alice', Arn: 'arn:aws:iam::111122223333:user/eng/core/alice', Tags: [{ Key: 'team', Value: 'core' }] });
      expect(out.User.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
      expect(out.User.CreateDate).toEqual(new Date(START));
      expect(out.User.PermissionsBoundary).toBeUndefined();
    });

    it('refuses a name that differs only in case', async () => {
      await f.call('CreateUser', { UserName: 'alice' });
      const err = await failure(f.call('CreateUser', { UserName: 'ALICE' }));
      expect(err).toMatchObject({ code: 'EntityAlreadyExists', status: 409, message: 'User with name ALICE already exists.' });
    });

    it('validates the name and path with AWS messages', async () => {
      const err = await failure(f.call('CreateUser', { UserName: 'bad name', Path: 'nopath' }));
      expect(err.code).toBe('ValidationError');
      expect(err.message).toBe(
        "2 validation errors detected: Value 'nopath' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      );
      const missing = await failure(f.call('CreateUser', {}));
      expect(missing.message).toBe("1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
      const long = await failure(f.call('CreateUser', { UserName: 'a'.repeat(65) }));
      expect(long.message).toContain('Member must have length less than or equal to 64');
    });

    it('checks the permissions boundary', async () => {
      expect(await failure(f.call('CreateUser', { UserName: 'a', PermissionsBoundary: 'arn:aws:iam::111122223333:policy/Nope' }))).toMatchObject({
        code: 'NoSuchEntity',
        message: 'Policy arn:aws:iam::111122223333:policy/Nope does not exist or is not attachable.',
      });
      expect((await failure(f.call('CreateUser', { UserName: 'a', PermissionsBoundary: 'arn:aws:s3:::bucket/key/object' }))).code).toBe('InvalidInput');
      const arn = await managedPolicy(f.store, ACCOUNT, 'Boundary', allow('s3:*'));
      const out = (await f.call('CreateUser', { UserName: 'a', PermissionsBoundary: arn })) as { User: UserOut };
      expect(out.User.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn });
    });

    it('refuses reserved and duplicate tag keys', async () => {
      expect(await failure(f.call('CreateUser', { UserName: 'a', 'Tags.member.1.Key': 'aws:x', 'Tags.member.1.Value': 'v' }))).toMatchObject({ code: 'InvalidInput' });
      expect(await failure(f.call('CreateUser', { UserName: 'a', 'Tags.member.1.Key': 'Team', 'Tags.member.1.Value': 'v', 'Tags.member.2.Key': 'team', 'Tags.member.2.Value': 'w' }))).toMatchObject({
        code: 'InvalidInput',
        message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      });
      const tooMany: Record<string, string> = { UserName: 'a' };
      for (let i = 1; i <= 51; i++) Object.assign(tooMany, { [`Tags.member.${i}.Key`]: `k${i}`, [`Tags.member.${i}.Value`]: 'v' });
      expect((await failure(f.call('CreateUser', tooMany))).message).toContain("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
      expect(await f.store.read((r) => r.users.count(ACCOUNT))).toBe(0);
    });
  });

  describe('GetUser', () => {
    it('returns the named user with tags and boundary', async () => {
      const arn = await managedPolicy(f.store, ACCOUNT, 'B', allow('s3:*'));
      await f.call('CreateUser', { UserName: 'alice', PermissionsBoundary: arn, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' });
      const out = (await f.call('GetUser', { UserName: 'Alice' })) as { User: UserOut };
      expect(out.User).toMatchObject({ UserName: 'alice', Tags: [{ Key: 'k', Value: 'v' }], PermissionsBoundary: { PermissionsBoundaryArn: arn } });
    });

    it('returns the caller without a user name', async () => {
      const bob = await f.user('bob', allow('iam:GetUser', 'arn:aws:iam::*:user/${aws:username}'));
      const out = (await f.call('GetUser', {}, bob)) as { User: UserOut };
      expect(out.User.UserName).toBe('bob');
      const root = (await f.call('GetUser')) as { User: Record<string, unknown> };
      expect(root.User).toEqual({ UserId: ACCOUNT, Arn: 'arn:aws:iam::111122223333:root', CreateDate: new Date(START) });
    });

    it('answers NoSuchEntity for a missing user', async () => {
      expect(await failure(f.call('GetUser', { UserName: 'ghost' }))).toMatchObject({ code: 'NoSuchEntity', status: 404, message: 'The user with name ghost cannot be found.' });
    });
  });

  describe('UpdateUser', () => {
    it('renames and moves a user, keeping its id', async () => {
      const created = (await f.call('CreateUser', { UserName: 'alice' })) as { User: UserOut };
      await f.call('UpdateUser', { UserName: 'alice', NewUserName: 'alicia', NewPath: '/ops/' });
      const out = (await f.call('GetUser', { UserName: 'alicia' })) as { User: UserOut };
      expect(out.User).toMatchObject({ UserId: created.User.UserId, Path: '/ops/', Arn: 'arn:aws:iam::111122223333:user/ops/alicia' });
      expect((await failure(f.call('GetUser', { UserName: 'alice' }))).code).toBe('NoSuchEntity');
    });

    it('allows a change of case only, refuses a taken name', async () => {
      await f.call('CreateUser', { UserName: 'alice' });
      await f.call('CreateUser', { UserName: 'bob' });
      await f.call('UpdateUser', { UserName: 'alice', NewUserName: 'Alice' });
      expect(((await f.call('GetUser', { UserName: 'alice' })) as { User: UserOut }).User.UserName).toBe('Alice');
      expect(await failure(f.call('UpdateUser', { UserName: 'alice', NewUserName: 'BOB' }))).toMatchObject({ code: 'EntityAlreadyExists', message: 'User with name BOB already exists.' });
      expect(await failure(f.call('UpdateUser', { UserName: 'nobody', NewUserName: 'x' }))).toMatchObject({ code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.' });
    });

    it('needs permission on the new name too', async () => {
      await f.call('CreateUser', { UserName: 'alice' });
      const bob = await f.user('bob', allow('iam:UpdateUser', 'arn:aws:iam::*:user/alice'));
      const err = await failure(f.call('UpdateUser', { UserName: 'alice', NewUserName: 'eve' }, bob));
      expect(err.message).toContain('iam:UpdateUser on resource: arn:aws:iam::111122223333:user/eve because');
    });
  });

  describe('DeleteUser', () => {
    it('deletes a user and its tags', async () => {
      const created = (await f.call('CreateUser', { UserName: 'alice', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' })) as { User: UserOut };
      await f.call('DeleteUser', { UserName: 'alice' });
      expect(await f.store.read((r) => r.users.getByName(ACCOUNT, 'alice'))).toBeUndefined();
      expect(await f.store.read((r) => r.tags.list(ACCOUNT, 'user', created.User.UserId))).toEqual([]);
      expect((await failure(f.call('DeleteUser', { UserName: 'alice' }))).code).toBe('NoSuchEntity');
    });

    const dependents: [string, (f: Fixture, userId: string) => Promise<void>, string][] = [
      [
        'a login profile',
        (f, userId) => f.store.transaction((tx) => tx.loginProfiles.create({ accountId: ACCOUNT, userId, passwordHash: '$argon2id$x', passwordResetRequired: false, createdAt: START, passwordLastChangedAt: START })),
        'Cannot delete entity, must delete login profile first.',
      ],
      ['an access key', (f) => f.call('CreateAccessKey', { UserName: 'alice' }).then(() => undefined), 'Cannot delete entity, must delete access keys first.'],
      [
        'an MFA device',
        async (f, userId) => {
          const serial = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
          await f.store.transaction(async (tx) => {
            await tx.mfaDevices.create({ accountId: ACCOUNT, serial, name: 'alice', path: '/', seed: { ciphertext: 'x', keyId: 'k' }, createdAt: START });
            await tx.mfaDevices.enable(ACCOUNT, serial, userId, START, 1);
          });
        },
        'Cannot delete entity, must delete MFA device first.',
      ],
      ['an inline policy', (f) => putUserPolicy(f.store, ACCOUNT, 'alice', 'p', allow('s3:*')), 'Cannot delete entity, must delete policies first.'],
      ['an attached policy', async (f) => attach(f.store, ACCOUNT, 'user', 'alice', await managedPolicy(f.store, ACCOUNT, 'P', allow('s3:*'))), 'Cannot delete entity, must detach all policies first.'],
      [
        'a group membership',
        async (f) => {
          await f.call('CreateGroup', { GroupName: 'g' });
          await f.call('AddUserToGroup', { GroupName: 'g', UserName: 'alice' });
        },
        'Cannot delete entity, must remove users from group first.',
      ],
    ];
    for (const [what, add, message] of dependents) {
      it(`refuses while the user has ${what}`, async () => {
        const created = (await f.call('CreateUser', { UserName: 'alice' })) as { User: UserOut };
        await add(f, created.User.UserId);
        expect(await failure(f.call('DeleteUser', { UserName: 'alice' }))).toMatchObject({ code: 'DeleteConflict', status: 409, message });
        expect(await f.store.read((r) => r.users.getByName(ACCOUNT, 'alice'))).toBeDefined();
      });
    }

    it('allows deleting a user that still has a permissions boundary', async () => {
      const arn = await managedPolicy(f.store, ACCOUNT, 'B', allow('s3:*'));
      await f.call('CreateUser', { UserName: 'alice', PermissionsBoundary: arn });
      await f.call('DeleteUser', { UserName: 'alice' });
      expect(await f.store.read((r) => r.users.count(ACCOUNT))).toBe(0);
    });
  });

  describe('ListUsers', () => {
    it('filters by path prefix and pages with markers', async () => {
      for (const [name, path] of [['a', '/'], ['b', '/eng/'], ['c', '/eng/core/'], ['d', '/ops/'], ['e', '/eng/']]) await f.call('CreateUser', { UserName: name!, Path: path! });
      const eng = (await f.call('ListUsers', { PathPrefix: '/eng/' })) as { Users: UserOut[]; IsTruncated: boolean; Marker?: string };
      expect(eng.Users.map((u) => u.UserName)).toEqual(['b', 'c', 'e']);
      expect(eng.IsTruncated).toBe(false);
      expect(eng.Marker).toBeUndefined();
      const first = (await f.call('ListUsers', { MaxItems: '2' })) as { Users: UserOut[]; IsTruncated: boolean; Marker?: string };
      expect(first.Users.map((u) => u.UserName)).toEqual(['a', 'b']);
      expect(first.IsTruncated).toBe(true);
      const second = (await f.call('ListUsers', { MaxItems: '2', Marker: first.Marker! })) as { Users: UserOut[]; IsTruncated: boolean; Marker?: string };
      expect(second.Users.map((u) => u.UserName)).toEqual(['c', 'd']);
      const third = (await f.call('ListUsers', { MaxItems: '2', Marker: second.Marker! })) as { Users: UserOut[]; IsTruncated: boolean };
      expect(third.Users.map((u) => u.UserName)).toEqual(['e']);
      expect(third.IsTruncated).toBe(false);
      // Listing omits tags and boundaries, as AWS does.
      expect(first.Users[0]!.Tags).toBeUndefined();
    });

    it('validates MaxItems and rejects foreign markers', async () => {
      expect((await failure(f.call('ListUsers', { MaxItems: '0' }))).message).toBe("1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
      expect((await failure(f.call('ListUsers', { MaxItems: 'ten' }))).code).toBe('MalformedInput');
      expect((await failure(f.call('ListUsers', { Marker: 'not-a-marker' }))).code).toBe('InvalidInput');
    });

    it('visits every user exactly once whatever the page size (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), { minLength: 0, maxLength: 12, selector: (s) => s.toLowerCase() }), fc.integer({ min: 1, max: 5 }), async (names, pageSize) => {
          const g = await fixture();
          try {
            for (const name of names) await g.call('CreateUser', { UserName: name });
            const seen: string[] = [];
            let marker: string | undefined;
            do {
              const page = (await g.call('ListUsers', { MaxItems: String(pageSize), ...(marker === undefined ? {} : { Marker: marker }) })) as { Users: UserOut[]; IsTruncated: boolean; Marker?: string };
              expect(page.Users.length).toBeLessThanOrEqual(pageSize);
              seen.push(...page.Users.map((u) => u.UserName));
              marker = page.IsTruncated ? page.Marker : undefined;
            } while (marker !== undefined);
            expect(seen).toEqual([...names].sort());
          } finally {
            await g.close();
          }
        }),
        { numRuns: 15 },
      );
    });
  });
});
