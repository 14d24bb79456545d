import { MFA_INVALID_CODE, MFA_UNKNOWN_DEVICE } from '@latchkey/iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, OTHER, START, allow, credentialsOf, failure, fixture, policy, trust, type Fixture } from './helpers/fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  await f.close();
});

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const denied = (callerArn: string, roleArn: string, action = 'sts:AssumeRole') => `User: ${callerArn} is not authorized to perform: ${action} on resource: ${roleArn}`;

describe('AssumeRole', () => {
  it('answers AWS shapes: ASIA key of the role account, AROA…:session id, assumed-role ARN without the path, expiry', async () => {
    const alice = await f.user('alice');
    const role = await f.role('reader', trust({ AWS: alice.arn }), { path: '/team/' });
    const out = (await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'alice-session' }, alice)) as Record<string, unknown>;
    const creds = credentialsOf(out);
    expect(creds.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(creds.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(creds.Expiration.getTime()).toBe(START + 3600_000);
    expect(out['AssumedRoleUser']).toEqual({ AssumedRoleId: `${role.id}:alice-session`, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/reader/alice-session` });
    expect(out['PackedPolicySize']).toBeUndefined();
    const who = await f.sts_('GetCallerIdentity', {}, await f.session(creds));
    expect(who).toEqual({ UserId: `${role.id}:alice-session`, Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/reader/alice-session` });
    const info = await f.sts_('GetAccessKeyInfo', { AccessKeyId: creds.AccessKeyId });
    expect(info).toEqual({ Account: ACCOUNT });
  });

  it('records the role as last used', async () => {
    const alice = await f.user('alice');
    const role = await f.role('reader', trust({ AWS: alice.arn }));
    await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 's1' }, alice, { region: 'eu-west-1' });
    const stored = await f.store.read((r) => r.roles.getById(ACCOUNT, role.id));
    expect(stored?.lastUsedAt).toBe(START);
    expect(stored?.lastUsedRegion).toBe('eu-west-1');
  });

  describe('principal forms', () => {
    it('a trust policy naming the user allows it without any identity policy', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice)).resolves.toBeDefined();
    });

    it('a trust policy naming the account needs the identity policy to allow sts:AssumeRole', async () => {
      const role = await f.role('r', trust({ AWS: ROOT }));
      const bob = await f.user('bob');
      const err = await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, bob));
      expect(err).toMatchObject({ code: 'AccessDenied', status: 403, message: denied(bob.arn, role.arn) });
      const carol = await f.user('carol', allow('sts:AssumeRole', role.arn));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, carol)).resolves.toBeDefined();
    });

    it('the bare account id works like the root ARN', async () => {
      const role = await f.role('r', trust({ AWS: ACCOUNT }));
      const carol = await f.user('carol', allow('sts:AssumeRole', role.arn));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, carol)).resolves.toBeDefined();
    });

    it('the root may not assume roles (AWS text), also with its session credentials', async () => {
      const role = await f.role('r', trust({ AWS: ACCOUNT }));
      const expected = { code: 'AccessDenied', message: 'Roles may not be assumed by root accounts.' };
      expect(await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, f.root()))).toMatchObject(expected);
      const rootSession = await f.session(credentialsOf(await f.sts_('GetSessionToken', {}, f.root())));
      expect(await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, rootSession))).toMatchObject(expected);
    });

    it('a trust policy naming another user refuses this one', async () => {
      const alice = await f.user('alice');
      const bob = await f.user('bob', allow('sts:AssumeRole'));
      const role = await f.role('r', trust({ AWS: alice.arn }));
      const err = await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, bob));
      expect(err).toMatchObject({ code: 'AccessDenied', message: denied(bob.arn, role.arn) });
    });

    it('Principal "*" with a condition on aws:PrincipalTag', async () => {
      const role = await f.role('r', trust('*', 'sts:AssumeRole', { StringEquals: { 'aws:PrincipalTag/team': 'core' } }));
      const alice = await f.user('alice');
      await f.iamCall('TagUser', { UserName: 'alice', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' });
      const bob = await f.user('bob');
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice)).resolves.toBeDefined();
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, bob))).code).toBe('AccessDenied');
    });

    it('an explicit Deny in the trust policy wins', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', policy({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' }, { Effect: 'Deny', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole' }));
      const admin = await f.user('admin', allow('*'));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, admin)).resolves.toBeDefined();
      const aliceAllowed = await f.user('alice2', allow('*'));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, aliceAllowed)).resolves.toBeDefined();
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice))).code).toBe('AccessDenied');
    });

    it('an explicit Deny in the caller identity policy wins over a trust policy naming it', async () => {
      const alice = await f.user('alice', policy({ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }));
      const role = await f.role('r', trust({ AWS: alice.arn }));
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice))).code).toBe('AccessDenied');
    });

    it('sts:RoleSessionName conditions', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }, 'sts:AssumeRole', { StringEquals: { 'sts:RoleSessionName': '${aws:username}' } }));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'alice' }, alice)).resolves.toBeDefined();
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'mallory' }, alice))).code).toBe('AccessDenied');
    });
  });

  describe('missing or malformed roles', () => {
    it('a missing role is AccessDenied with the same text as a refused one', async () => {
      const alice = await f.user('alice', allow('*'));
      const missing = `arn:aws:iam::${ACCOUNT}:role/nope`;
      const refused = await f.role('refused', trust({ AWS: `arn:aws:iam::${OTHER}:root` }));
      const a = await failure(f.sts_('AssumeRole', { RoleArn: missing, RoleSessionName: 'sx' }, alice));
      const b = await failure(f.sts_('AssumeRole', { RoleArn: refused.arn, RoleSessionName: 'sx' }, alice));
      expect(a).toMatchObject({ code: 'AccessDenied', message: denied(alice.arn, missing) });
      expect(b).toMatchObject({ code: 'AccessDenied', message: denied(alice.arn, refused.arn) });
    });

    it('a RoleArn with the wrong path names no role', async () => {
      const alice = await f.user('alice');
      await f.role('r', trust({ AWS: alice.arn }), { path: '/a/' });
      const err = await failure(f.sts_('AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, RoleSessionName: 'sx' }, alice));
      expect(err.code).toBe('AccessDenied');
    });

    it('a value that is not an ARN is ValidationError "<value> is invalid"', async () => {
      const err = await failure(f.sts_('AssumeRole', { RoleArn: 'not-an-arn-at-all-xyz', RoleSessionName: 's1' }, await f.user('alice')));
      expect(err).toMatchObject({ code: 'ValidationError', status: 400, message: 'not-an-arn-at-all-xyz is invalid' });
    });

    it('validates RoleSessionName like AWS', async () => {
      const err = await failure(f.sts_('AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, RoleSessionName: 'Session1:2' }));
      expect(err.code).toBe('ValidationError');
      expect(err.message).toContain("at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    });
  });

  describe('ExternalId', () => {
    const condition = { StringEquals: { 'sts:ExternalId': 'ext-123' } };
    it('present and right: allowed', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }, 'sts:AssumeRole', condition));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', ExternalId: 'ext-123' }, alice)).resolves.toBeDefined();
    });
    it('absent or wrong: AccessDenied', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }, 'sts:AssumeRole', condition));
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice))).code).toBe('AccessDenied');
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', ExternalId: 'ext-999' }, alice))).code).toBe('AccessDenied');
    });
    it('not tested by the trust policy: ignored', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', ExternalId: 'anything' }, alice)).resolves.toBeDefined();
    });
  });

  describe('MFA', () => {
    const mfaTrust = (arn: string) => trust({ AWS: arn }, 'sts:AssumeRole', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } });

    it('required and given: allowed, and the session is MFA-authenticated', async () => {
      const alice = await f.user('alice');
      const device = await f.mfaDevice(alice, 'alice');
      const role = await f.role('r', mfaTrust(alice.arn), { inline: { p: allow('iam:GetUser', '*', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) } });
      const out = await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', SerialNumber: device.serial, TokenCode: await device.code() }, alice);
      const session = await f.session(credentialsOf(out));
      expect(session.session?.mfaAuthenticatedAt?.getTime()).toBe(START);
      await expect(f.iamCall('GetUser', { UserName: 'alice' }, session)).resolves.toBeDefined();
    });

    it('required and missing: AccessDenied', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', mfaTrust(alice.arn));
      expect(await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice))).toMatchObject({ code: 'AccessDenied', message: denied(alice.arn, role.arn) });
    });

    it('a wrong code: AWS text', async () => {
      const alice = await f.user('alice');
      const device = await f.mfaDevice(alice, 'alice');
      const role = await f.role('r', mfaTrust(alice.arn));
      const good = await device.code();
      const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
      const err = await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', SerialNumber: device.serial, TokenCode: wrong }, alice));
      expect(err).toMatchObject({ code: 'AccessDenied', message: MFA_INVALID_CODE });
    });

    it('a reused code: refused the second time', async () => {
      const alice = await f.user('alice');
      const device = await f.mfaDevice(alice, 'alice');
      const role = await f.role('r', mfaTrust(alice.arn));
      const code = await device.code();
      await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', SerialNumber: device.serial, TokenCode: code }, alice);
      const err = await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', SerialNumber: device.serial, TokenCode: code }, alice));
      expect(err.message).toBe(MFA_INVALID_CODE);
      f.clock.now += 30_000;
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', SerialNumber: device.serial, TokenCode: await device.code() }, alice)).resolves.toBeDefined();
    });

    it('a code is used up even when the trust policy then refuses', async () => {
      const alice = await f.user('alice');
      const device = await f.mfaDevice(alice, 'alice');
      const refused = await f.role('refused', trust({ AWS: `arn:aws:iam::${OTHER}:root` }));
      const allowed = await f.role('allowed', mfaTrust(alice.arn));
      const code = await device.code();
      expect((await failure(f.sts_('AssumeRole', { RoleArn: refused.arn, RoleSessionName: 'sx', SerialNumber: device.serial, TokenCode: code }, alice))).message).toBe(denied(alice.arn, refused.arn));
      expect((await failure(f.sts_('AssumeRole', { RoleArn: allowed.arn, RoleSessionName: 'sx', SerialNumber: device.serial, TokenCode: code }, alice))).message).toBe(MFA_INVALID_CODE);
    });

    it('accepts the adjacent step (clock drift) but not two steps away', async () => {
      const alice = await f.user('alice');
      const device = await f.mfaDevice(alice, 'alice');
      const role = await f.role('r', mfaTrust(alice.arn));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', SerialNumber: device.serial, TokenCode: await device.code(-1) }, alice)).resolves.toBeDefined();
      const err = await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', SerialNumber: device.serial, TokenCode: await device.code(3) }, alice));
      expect(err.code).toBe('AccessDenied');
    });

    it("another user's device, or an unknown serial: AWS text", async () => {
      const alice = await f.user('alice');
      const bob = await f.user('bob');
      const bobs = await f.mfaDevice(bob, 'bob');
      const role = await f.role('r', mfaTrust(alice.arn));
      const expected = MFA_UNKNOWN_DEVICE;
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', SerialNumber: bobs.serial, TokenCode: await bobs.code() }, alice))).message).toBe(expected);
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/none`, TokenCode: '123456' }, alice))).message).toBe(expected);
    });

    it('aws:MultiFactorAuthAge limits an MFA session used for chaining', async () => {
      const alice = await f.user('alice');
      const device = await f.mfaDevice(alice, 'alice');
      const role = await f.role('r', trust({ AWS: alice.arn }, 'sts:AssumeRole', { NumericLessThan: { 'aws:MultiFactorAuthAge': '600' } }));
      const gst = await f.sts_('GetSessionToken', { SerialNumber: device.serial, TokenCode: await device.code() }, alice);
      const session = await f.session(credentialsOf(gst));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, session)).resolves.toBeDefined();
      f.clock.now += 601_000;
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, session))).code).toBe('AccessDenied');
    });
  });

  describe('DurationSeconds', () => {
    it('defaults to one hour and may go up to MaxSessionDuration', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }), { maxSessionDuration: 7200 });
      const out = await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', DurationSeconds: '7200' }, alice);
      expect(credentialsOf(out).Expiration.getTime()).toBe(START + 7200_000);
      const err = await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', DurationSeconds: '7201' }, alice));
      expect(err).toMatchObject({ code: 'ValidationError', message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' });
    });

    it('below 900 is the model ValidationError', async () => {
      const err = await failure(f.sts_('AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, RoleSessionName: 's1', DurationSeconds: '899' }));
      expect(err.code).toBe('ValidationError');
      expect(err.message).toContain('Member must have value greater than or equal to 900');
    });

    it('role chaining is capped at one hour with AWS text', async () => {
      const alice = await f.user('alice');
      const first = await f.role('first', trust({ AWS: alice.arn }), { maxSessionDuration: 43200 });
      const second = await f.role('second', trust({ AWS: first.arn }), { maxSessionDuration: 43200 });
      const session = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: first.arn, RoleSessionName: 'one', DurationSeconds: '43200' }, alice)));
      const err = await failure(f.sts_('AssumeRole', { RoleArn: second.arn, RoleSessionName: 'two', DurationSeconds: '3601' }, session));
      expect(err).toMatchObject({ code: 'ValidationError', message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.' });
      const out = await f.sts_('AssumeRole', { RoleArn: second.arn, RoleSessionName: 'two', DurationSeconds: '3600' }, session);
      expect((out as { AssumedRoleUser: { Arn: string } }).AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/second/two`);
    });
  });

  describe('session policies', () => {
    it('narrow the role permissions (checked with an IAM read)', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }), { inline: { p: allow(['iam:GetUser', 'iam:ListUsers']) } });
      const out = (await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', Policy: allow('iam:GetUser') }, alice)) as Record<string, unknown>;
      expect(out['PackedPolicySize']).toBeGreaterThan(0);
      const session = await f.session(credentialsOf(out));
      await expect(f.iamCall('GetUser', { UserName: 'alice' }, session)).resolves.toBeDefined();
      const err = await failure(f.iamCall('ListUsers', {}, session));
      expect(err).toMatchObject({ code: 'AccessDenied' });
      expect(err.message).toContain('because no session policy allows the iam:ListUsers action');
    });

    it('never widen them', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }), { inline: { p: allow('iam:GetUser') } });
      const session = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', Policy: allow('iam:*') }, alice)));
      expect((await failure(f.iamCall('ListUsers', {}, session))).message).toContain('because no identity-based policy allows');
    });

    it('managed session policies (PolicyArns) narrow too', async () => {
      const alice = await f.user('alice');
      const created = (await f.iamCall('CreatePolicy', { PolicyName: 'get-only', PolicyDocument: allow('iam:GetUser') })) as { Policy: { Arn: string } };
      const role = await f.role('r', trust({ AWS: alice.arn }), { inline: { p: allow('iam:*') } });
      const out = await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', 'PolicyArns.member.1.arn': created.Policy.Arn }, alice);
      const session = await f.session(credentialsOf(out));
      await expect(f.iamCall('GetUser', { UserName: 'alice' }, session)).resolves.toBeDefined();
      expect((await failure(f.iamCall('ListUsers', {}, session))).code).toBe('AccessDenied');
    });

    it('malformed: MalformedPolicyDocument; over 2,048 characters: ValidationError; over 10 ARNs: ValidationError', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }));
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', Policy: '{"Version":' }, alice))).code).toBe('MalformedPolicyDocument');
      const long = policy({ Sid: 'x'.repeat(2100), Effect: 'Allow', Action: 's3:*', Resource: '*' });
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', Policy: long }, alice))).code).toBe('ValidationError');
      const arns: Record<string, string> = {};
      for (let i = 1; i <= 11; i++) arns[`PolicyArns.member.${i}.arn`] = `arn:aws:iam::${ACCOUNT}:policy/p${i}`;
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', ...arns }, alice))).code).toBe('ValidationError');
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', 'PolicyArns.member.1.arn': 'arn:aws:s3:::bucket-xyz' }, alice))).code).toBe('ValidationError');
    });

    it('PackedPolicyTooLarge when policies and tags exceed the packed budget', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }, ['sts:AssumeRole', 'sts:TagSession']));
      const tags: Record<string, string> = {};
      for (let i = 1; i <= 20; i++) {
        tags[`Tags.member.${i}.Key`] = `k${i}-${'k'.repeat(100)}`;
        tags[`Tags.member.${i}.Value`] = 'v'.repeat(200);
      }
      const err = await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', ...tags }, alice));
      expect(err.code).toBe('PackedPolicyTooLarge');
    });
  });

  describe('session tags', () => {
    it('need sts:TagSession in the trust policy', async () => {
      const alice = await f.user('alice');
      const without = await f.role('without', trust({ AWS: alice.arn }));
      const withTag = await f.role('with', trust({ AWS: alice.arn }, ['sts:AssumeRole', 'sts:TagSession']));
      const tags = { 'Tags.member.1.Key': 'project', 'Tags.member.1.Value': 'x' };
      expect(await failure(f.sts_('AssumeRole', { RoleArn: without.arn, RoleSessionName: 'sx', ...tags }, alice))).toMatchObject({
        code: 'AccessDenied',
        message: denied(alice.arn, without.arn, 'sts:TagSession'),
      });
      const out = await f.sts_('AssumeRole', { RoleArn: withTag.arn, RoleSessionName: 'sx', ...tags }, alice);
      const session = await f.session(credentialsOf(out));
      expect(session.session?.tags).toEqual([{ key: 'project', value: 'x' }]);
    });

    it('override role tags as aws:PrincipalTag, and aws:RequestTag conditions apply in the trust policy', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }, ['sts:AssumeRole', 'sts:TagSession'], { StringEquals: { 'aws:RequestTag/team': ['core', 'ops'] } }), {
        tags: [{ key: 'team', value: 'role-team' }],
        inline: { p: allow('iam:GetUser', '*', { StringEquals: { 'aws:PrincipalTag/team': 'ops' } }) },
      });
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'sales' }, alice))).code).toBe('AccessDenied');
      const core = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' }, alice)));
      expect((await failure(f.iamCall('GetUser', { UserName: 'alice' }, core))).code).toBe('AccessDenied');
      const ops = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'ops' }, alice)));
      await expect(f.iamCall('GetUser', { UserName: 'alice' }, ops)).resolves.toBeDefined();
    });

    it('duplicate keys (case-insensitive) and a transitive key not among the tags: AWS texts', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }, ['sts:AssumeRole', 'sts:TagSession']));
      const dup = await failure(
        f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', 'Tags.member.1.Key': 'Team', 'Tags.member.1.Value': 'a', 'Tags.member.2.Key': 'team', 'Tags.member.2.Value': 'b' }, alice),
      );
      expect(dup).toMatchObject({ code: 'InvalidParameterValue', message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' });
      const missing = await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': 'b', 'TransitiveTagKeys.member.1': 'c' }, alice));
      expect(missing).toMatchObject({ code: 'InvalidParameterValue', message: 'The specified transitive tag key must be included in the requested tags.' });
      const fiftyOne: Record<string, string> = {};
      for (let i = 1; i <= 51; i++) {
        fiftyOne[`Tags.member.${i}.Key`] = `k${i}`;
        fiftyOne[`Tags.member.${i}.Value`] = 'v';
      }
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', ...fiftyOne }, alice))).code).toBe('ValidationError');
    });

    it('transitive tags pass through a chain and cannot be overridden', async () => {
      const alice = await f.user('alice');
      const first = await f.role('first', trust({ AWS: alice.arn }, ['sts:AssumeRole', 'sts:TagSession']));
      const second = await f.role('second', trust({ AWS: first.arn }, ['sts:AssumeRole', 'sts:TagSession']));
      const one = await f.session(
        credentialsOf(
          await f.sts_(
            'AssumeRole',
            { RoleArn: first.arn, RoleSessionName: 'one', 'Tags.member.1.Key': 'project', 'Tags.member.1.Value': 'x', 'Tags.member.2.Key': 'local', 'Tags.member.2.Value': 'y', 'TransitiveTagKeys.member.1': 'project' },
            alice,
          ),
        ),
      );
      const two = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: second.arn, RoleSessionName: 'two' }, one)));
      expect(two.session?.tags).toEqual([{ key: 'project', value: 'x' }]);
      expect(two.session?.transitiveTagKeys).toEqual(['project']);
      const conflict = await failure(f.sts_('AssumeRole', { RoleArn: second.arn, RoleSessionName: 'two', 'Tags.member.1.Key': 'Project', 'Tags.member.1.Value': 'z' }, one));
      expect(conflict).toMatchObject({
        code: 'InvalidParameterValue',
        message: "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
      });
      // The non-transitive tag may be set again in the chain.
      const three = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: second.arn, RoleSessionName: 'two', 'Tags.member.1.Key': 'local', 'Tags.member.1.Value': 'new' }, one)));
      expect(three.session?.tags).toEqual([
        { key: 'project', value: 'x' },
        { key: 'local', value: 'new' },
      ]);
    });

    it('inherited transitive tags also need sts:TagSession on the next role', async () => {
      const alice = await f.user('alice');
      const first = await f.role('first', trust({ AWS: alice.arn }, ['sts:AssumeRole', 'sts:TagSession']));
      const second = await f.role('second', trust({ AWS: first.arn }));
      const one = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: first.arn, RoleSessionName: 'one', 'Tags.member.1.Key': 'p', 'Tags.member.1.Value': 'x', 'TransitiveTagKeys.member.1': 'p' }, alice)));
      expect((await failure(f.sts_('AssumeRole', { RoleArn: second.arn, RoleSessionName: 'two' }, one))).message).toBe(denied(one.arn, second.arn, 'sts:TagSession'));
    });
  });

  describe('SourceIdentity', () => {
    it('needs sts:SetSourceIdentity, is echoed, and sticks through a chain', async () => {
      const alice = await f.user('alice');
      const first = await f.role('first', trust({ AWS: alice.arn }, ['sts:AssumeRole', 'sts:SetSourceIdentity'], { StringEquals: { 'sts:SourceIdentity': 'alice' } }));
      const second = await f.role('second', trust({ AWS: first.arn }, ['sts:AssumeRole', 'sts:SetSourceIdentity']));
      const plain = await f.role('plain', trust({ AWS: alice.arn }));
      expect((await failure(f.sts_('AssumeRole', { RoleArn: plain.arn, RoleSessionName: 'sx', SourceIdentity: 'alice' }, alice))).message).toBe(denied(alice.arn, plain.arn, 'sts:SetSourceIdentity'));
      expect((await failure(f.sts_('AssumeRole', { RoleArn: first.arn, RoleSessionName: 'sx', SourceIdentity: 'bob' }, alice))).code).toBe('AccessDenied');
      const out = (await f.sts_('AssumeRole', { RoleArn: first.arn, RoleSessionName: 'sx', SourceIdentity: 'alice' }, alice)) as Record<string, unknown>;
      expect(out['SourceIdentity']).toBe('alice');
      const one = await f.session(credentialsOf(out));
      const two = (await f.sts_('AssumeRole', { RoleArn: second.arn, RoleSessionName: 'tx' }, one)) as Record<string, unknown>;
      expect(two['SourceIdentity']).toBe('alice');
      expect((await f.session(credentialsOf(two))).session?.sourceIdentity).toBe('alice');
      expect((await failure(f.sts_('AssumeRole', { RoleArn: second.arn, RoleSessionName: 'tx', SourceIdentity: 'mallory' }, one))).code).toBe('AccessDenied');
    });

    it("refuses the reserved 'aws:' prefix (the model pattern has no ':')", async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }, ['sts:AssumeRole', 'sts:SetSourceIdentity']));
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', SourceIdentity: 'aws:x' }, alice))).code).toBe('ValidationError');
    });
  });

  describe('across accounts', () => {
    it('needs both the trust policy and the caller identity policy', async () => {
      const role = await f.role('shared', trust({ AWS: ACCOUNT }), { account: OTHER, inline: { p: allow('iam:ListUsers') } });
      const bob = await f.user('bob');
      expect(await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, bob))).toMatchObject({ code: 'AccessDenied', message: denied(bob.arn, role.arn) });
      const carol = await f.user('carol', allow('sts:AssumeRole', role.arn));
      const out = await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'xx' }, carol);
      const creds = credentialsOf(out);
      const session = await f.session(creds);
      expect(session.accountId).toBe(OTHER);
      expect((await f.sts_('GetAccessKeyInfo', { AccessKeyId: creds.AccessKeyId })) as unknown).toEqual({ Account: OTHER });
      // The session acts in the role's account with the role's permissions.
      await expect(f.iamCall('ListUsers', {}, session)).resolves.toBeDefined();
    });

    it('a trust policy naming a user of another account still needs that user\'s identity policy', async () => {
      const dave = await f.user('dave');
      const role = await f.role('named', trust({ AWS: dave.arn }), { account: OTHER });
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, dave))).code).toBe('AccessDenied');
      await f.store.transaction((tx) => tx.inlinePolicies.put(ACCOUNT, { principalType: 'user', principalId: dave.userId, name: 'assume', document: allow('sts:AssumeRole', role.arn) }));
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, dave)).resolves.toBeDefined();
    });

    it('a trust policy naming another account refuses even an admin of this one', async () => {
      const role = await f.role('shared', trust({ AWS: `arn:aws:iam::${OTHER}:root` }), { account: OTHER });
      const admin = await f.user('admin', allow('*'));
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, admin))).code).toBe('AccessDenied');
    });
  });

  describe('the session caller in the authorizer', () => {
    it('sets aws:PrincipalArn to the role ARN and aws:userid to AROA…:session', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }), { path: '/ops/' });
      await f.putRolePolicy(
        ACCOUNT,
        'r',
        'p',
        allow('iam:GetUser', '*', { StringEquals: { 'aws:PrincipalArn': role.arn, 'aws:userid': `${role.id}:alice`, 'aws:PrincipalType': 'AssumedRole' } }),
      );
      const right = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'alice' }, alice)));
      await expect(f.iamCall('GetUser', { UserName: 'alice' }, right)).resolves.toBeDefined();
      const other = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'mallory' }, alice)));
      expect((await failure(f.iamCall('GetUser', { UserName: 'alice' }, other))).code).toBe('AccessDenied');
    });

    it("the role's permissions boundary limits the session", async () => {
      const alice = await f.user('alice');
      const boundary = (await f.iamCall('CreatePolicy', { PolicyName: 'boundary', PolicyDocument: allow('iam:GetUser') })) as { Policy: { Arn: string } };
      const role = await f.role('r', trust({ AWS: alice.arn }), { inline: { p: allow(['iam:GetUser', 'iam:ListUsers']) } });
      await f.iamCall('PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: boundary.Policy.Arn });
      const session = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice)));
      await expect(f.iamCall('GetUser', { UserName: 'alice' }, session)).resolves.toBeDefined();
      expect((await failure(f.iamCall('ListUsers', {}, session))).message).toContain('because no permissions boundary allows the iam:ListUsers action');
    });
  });

  describe('role changes', () => {
    it('trust policy, MaxSessionDuration and deletion apply to the next AssumeRole at once', async () => {
      const alice = await f.user('alice');
      const bob = await f.user('bob');
      const role = await f.role('r', trust({ AWS: alice.arn }));
      await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice);
      await f.iamCall('UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: trust({ AWS: bob.arn }) });
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice))).code).toBe('AccessDenied');
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, bob)).resolves.toBeDefined();
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', DurationSeconds: '7200' }, bob))).code).toBe('ValidationError');
      await f.iamCall('UpdateRole', { RoleName: 'r', MaxSessionDuration: '7200' });
      await expect(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx', DurationSeconds: '7200' }, bob)).resolves.toBeDefined();
      await f.iamCall('DeleteRole', { RoleName: 'r' });
      expect((await failure(f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, bob))).message).toBe(denied(bob.arn, role.arn));
    });
  });

  describe('revocation and changes under live sessions', () => {
    it('an inline deny on aws:TokenIssueTime revokes older sessions only', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }), { inline: { p: allow('iam:GetUser') } });
      const old = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice)));
      f.clock.now += 60_000;
      const revokeAt = new Date(f.clock.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      await f.putRolePolicy(ACCOUNT, 'r', 'AWSRevokeOlderSessions', policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': revokeAt } } }));
      f.clock.now += 1000;
      const fresh = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice)));
      expect((await failure(f.iamCall('GetUser', { UserName: 'alice' }, old))).message).toContain('with an explicit deny');
      await expect(f.iamCall('GetUser', { UserName: 'alice' }, fresh)).resolves.toBeDefined();
    });

    it('removing the role policy or the role takes effect for live sessions', async () => {
      const alice = await f.user('alice');
      const role = await f.role('r', trust({ AWS: alice.arn }), { inline: { p: allow('iam:GetUser') } });
      const session = await f.session(credentialsOf(await f.sts_('AssumeRole', { RoleArn: role.arn, RoleSessionName: 'sx' }, alice)));
      await expect(f.iamCall('GetUser', { UserName: 'alice' }, session)).resolves.toBeDefined();
      await f.iamCall('DeleteRolePolicy', { RoleName: 'r', PolicyName: 'p' });
      expect((await failure(f.iamCall('GetUser', { UserName: 'alice' }, session))).code).toBe('AccessDenied');
      await f.putRolePolicy(ACCOUNT, 'r', 'p', allow('iam:GetUser'));
      await expect(f.iamCall('GetUser', { UserName: 'alice' }, session)).resolves.toBeDefined();
      await f.iamCall('DeleteRolePolicy', { RoleName: 'r', PolicyName: 'p' });
      await f.iamCall('DeleteRole', { RoleName: 'r' });
      await f.role('r', trust({ AWS: alice.arn }), { inline: { p: allow('iam:GetUser') } }).catch(() => undefined);
      expect((await failure(f.iamCall('GetUser', { UserName: 'alice' }, session))).code).toBe('AccessDenied');
    });
  });
});
