import { IAM_NAMESPACE, renderResult, type XmlStructure } from '@latchkey/aws-query';
import QRCode from 'qrcode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVALID_AUTHENTICATION_CODE } from '../src/credential-messages.js';
import { mfaSeedAad } from '../src/mfa-seed.js';
import { RESYNC_WINDOW_STEPS } from '../src/operations/mfa-devices.js';
import { totpCode, totpStep } from '../src/totp.js';
import { codeAt, credentialsFixture, seedOf, type CredentialsFixture } from './helpers/credentials-fixture.js';
import { ACCOUNT, failure, policy } from './helpers/fixture.js';

type Created = { VirtualMFADevice: { SerialNumber: string; Base32StringSeed: Uint8Array; QRCodePNG: Uint8Array; Tags?: unknown } };
type Listed = { VirtualMFADevices: { SerialNumber: string; User?: { UserName: string }; EnableDate?: Date }[]; IsTruncated: boolean; Marker?: string };

const SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`;

describe('virtual MFA devices', () => {
  let f: CredentialsFixture;
  /** Every secret the test saw: no error message may contain one. */
  let secrets: string[];

  beforeEach(async () => {
    f = await credentialsFixture();
    secrets = [];
    await f.call('CreateUser', { UserName: 'alice' });
  });
  afterEach(async () => {
    await f.close();
  });

  async function create(name = 'alice-phone', extra: Record<string, string> = {}): Promise<{ serial: string; seed: Uint8Array; out: Created }> {
    const out = (await f.run('CreateVirtualMFADevice', { VirtualMFADeviceName: name, ...extra })) as Created;
    const seed = seedOf(out.VirtualMFADevice.Base32StringSeed);
    secrets.push(new TextDecoder().decode(out.VirtualMFADevice.Base32StringSeed));
    return { serial: out.VirtualMFADevice.SerialNumber, seed, out };
  }

  /** The two consecutive codes an authenticator shows: the previous step's and the current one's. */
  function pair(seed: Uint8Array, offset = 0): { AuthenticationCode1: string; AuthenticationCode2: string } {
    const codes = { AuthenticationCode1: codeAt(seed, f.clock.now, offset - 1), AuthenticationCode2: codeAt(seed, f.clock.now, offset) };
    secrets.push(codes.AuthenticationCode1, codes.AuthenticationCode2);
    return codes;
  }

  async function enable(serial: string, seed: Uint8Array, user = 'alice', offset = 0) {
    return f.run('EnableMFADevice', { UserName: user, SerialNumber: serial, ...pair(seed, offset) });
  }

  async function fails(promise: Promise<unknown>) {
    const err = await failure(promise);
    for (const s of secrets) expect(err.message).not.toContain(s);
    return err;
  }

  const step = (n = 1) => {
    f.clock.now += 30_000 * n;
  };

  it('creates a device with a 64-character base32 seed, a sealed copy at rest and a QR PNG of the otpauth URI', async () => {
    const { serial, out } = await create('alice-phone', { Path: '/people/', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' });
    expect(serial).toBe(`arn:aws:iam::${ACCOUNT}:mfa/people/alice-phone`);
    const seedText = new TextDecoder().decode(out.VirtualMFADevice.Base32StringSeed);
    expect(seedText).toMatch(/^[A-Z2-7]{64}$/u);
    expect(out.VirtualMFADevice.Tags).toEqual([{ Key: 'team', Value: 'core' }]);
    const png = out.VirtualMFADevice.QRCodePNG;
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const expected = await QRCode.toBuffer(`otpauth://totp/Latchkey:alice-phone%40${ACCOUNT}?secret=${seedText}&issuer=Latchkey`, { type: 'png', errorCorrectionLevel: 'M' });
    expect(Buffer.from(png).equals(expected)).toBe(true);
    const stored = await f.store.read((r) => r.mfaDevices.get(ACCOUNT, serial));
    expect(stored!.seed.ciphertext).not.toContain(seedText);
    expect(f.keyring.decryptString(stored!.seed.ciphertext, mfaSeedAad(serial))).toBe(seedText);
    expect(() => f.keyring.decryptString(stored!.seed.ciphertext, mfaSeedAad(`${serial}x`))).toThrow();
  });

  it('renders the blobs as base64 in the Query XML result', async () => {
    const { out } = await create();
    const xml = renderResult('CreateVirtualMFADevice', IAM_NAMESPACE, out as unknown as XmlStructure, 'req-1');
    const seedText = new TextDecoder().decode(out.VirtualMFADevice.Base32StringSeed);
    expect(xml).toContain(`<Base32StringSeed>${Buffer.from(seedText).toString('base64')}</Base32StringSeed>`);
    expect(xml).toContain(`<QRCodePNG>${Buffer.from(out.VirtualMFADevice.QRCodePNG).toString('base64')}</QRCodePNG>`);
    expect(xml).toContain(`<SerialNumber>arn:aws:iam::${ACCOUNT}:mfa/alice-phone</SerialNumber>`);
  });

  it('draws a different seed for every device', async () => {
    const a = await create('a');
    const b = await create('b');
    expect(Buffer.from(a.seed).equals(Buffer.from(b.seed))).toBe(false);
  });

  it('names the account alias in the QR label when there is one', async () => {
    await f.call('CreateAccountAlias', { AccountAlias: 'corp-one' });
    const { out } = await create();
    const seedText = new TextDecoder().decode(out.VirtualMFADevice.Base32StringSeed);
    const expected = await QRCode.toBuffer(`otpauth://totp/Latchkey:alice-phone%40corp-one?secret=${seedText}&issuer=Latchkey`, { type: 'png', errorCorrectionLevel: 'M' });
    expect(Buffer.from(out.VirtualMFADevice.QRCodePNG).equals(expected)).toBe(true);
  });

  it('refuses a second device with the same path and name', async () => {
    await create();
    const err = await fails(f.run('CreateVirtualMFADevice', { VirtualMFADeviceName: 'alice-phone' }));
    expect([err.code, err.status, err.message]).toEqual(['EntityAlreadyExists', 409, 'MFADevice entity at the same path and name already exists.']);
  });

  it('enables with two consecutive codes, then lists the device for the user and as assigned', async () => {
    const { serial, seed } = await create();
    expect(await enable(serial, seed)).toBeUndefined();
    const mine = (await f.run('ListMFADevices', { UserName: 'alice' })) as { MFADevices: { UserName: string; SerialNumber: string; EnableDate: Date }[] };
    expect(mine.MFADevices).toEqual([{ UserName: 'alice', SerialNumber: serial, EnableDate: new Date(f.clock.now) }]);
    const assigned = (await f.run('ListVirtualMFADevices', { AssignmentStatus: 'Assigned' })) as Listed;
    expect(assigned.VirtualMFADevices.map((d) => [d.SerialNumber, d.User?.UserName])).toEqual([[serial, 'alice']]);
    expect((await f.run('ListVirtualMFADevices', { AssignmentStatus: 'Unassigned' })) as Listed).toMatchObject({ VirtualMFADevices: [] });
    // Nothing but the creating call ever returns the seed.
    expect(JSON.stringify(assigned)).not.toContain('Base32StringSeed');
  });

  it('gets an assigned device for its user only (GetMFADevice)', async () => {
    const { serial, seed } = await create();
    const unassigned = await fails(f.run('GetMFADevice', { UserName: 'alice', SerialNumber: serial }));
    expect([unassigned.code, unassigned.message]).toEqual(['NoSuchEntity', `MFA Device with serial number ${serial} does not exist.`]);
    await enable(serial, seed);
    expect(await f.run('GetMFADevice', { UserName: 'alice', SerialNumber: serial })).toEqual({ UserName: 'alice', SerialNumber: serial, EnableDate: new Date(f.clock.now) });
    await f.call('CreateUser', { UserName: 'bob' });
    expect((await fails(f.run('GetMFADevice', { UserName: 'bob', SerialNumber: serial }))).code).toBe('NoSuchEntity');
    const u = await f.user('nosy');
    expect((await fails(f.run('GetMFADevice', { UserName: 'alice', SerialNumber: serial }, u))).code).toBe('AccessDenied');
  });

  it('lists every device by default (AssignmentStatus Any), pages with Marker', async () => {
    const a = await create('a');
    await create('b');
    await create('c');
    await enable(a.serial, a.seed);
    const all = (await f.run('ListVirtualMFADevices')) as Listed;
    expect(all.VirtualMFADevices.map((d) => d.SerialNumber.split('/').pop())).toEqual(['a', 'b', 'c']);
    const first = (await f.run('ListVirtualMFADevices', { MaxItems: '2' })) as Listed;
    expect(first.IsTruncated).toBe(true);
    const second = (await f.run('ListVirtualMFADevices', { MaxItems: '2', Marker: first.Marker! })) as Listed;
    expect(second.VirtualMFADevices.map((d) => d.SerialNumber.split('/').pop())).toEqual(['c']);
    expect(second.IsTruncated).toBe(false);
  });

  it('refuses a wrong code, codes two steps apart, codes in reverse order and a repeated code', async () => {
    const { serial, seed } = await create();
    const now = f.clock.now;
    const wrong = String((Number(codeAt(seed, now)) + 1) % 1_000_000).padStart(6, '0');
    secrets.push(codeAt(seed, now), codeAt(seed, now, -1), codeAt(seed, now, -2));
    const attempts = [
      { AuthenticationCode1: codeAt(seed, now, -1), AuthenticationCode2: wrong },
      { AuthenticationCode1: codeAt(seed, now, -2), AuthenticationCode2: codeAt(seed, now) },
      { AuthenticationCode1: codeAt(seed, now), AuthenticationCode2: codeAt(seed, now, -1) },
      { AuthenticationCode1: codeAt(seed, now), AuthenticationCode2: codeAt(seed, now) },
    ];
    for (const codes of attempts) {
      const err = await fails(f.run('EnableMFADevice', { UserName: 'alice', SerialNumber: serial, ...codes }));
      expect([err.code, err.status, err.message]).toEqual(['InvalidAuthenticationCode', 403, INVALID_AUTHENTICATION_CODE]);
    }
    expect((await f.store.read((r) => r.mfaDevices.get(ACCOUNT, serial)))!.userId).toBeNull();
  });

  it('accepts the pair one step either side of now and nothing further', async () => {
    const { serial, seed } = await create('a');
    expect(await enable(serial, seed, 'alice', 1)).toBeUndefined();
    const b = await create('b');
    expect(await enable(b.serial, b.seed, 'alice', -1)).toBeUndefined();
    const c = await create('c');
    expect((await fails(enable(c.serial, c.seed, 'alice', 2))).code).toBe('InvalidAuthenticationCode');
    expect((await fails(enable(c.serial, c.seed, 'alice', -2))).code).toBe('InvalidAuthenticationCode');
  });

  it('validates the codes as six digits (ValidationError)', async () => {
    const { serial } = await create();
    const err = await failure(f.run('EnableMFADevice', { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '12345', AuthenticationCode2: 'abcdef' }));
    expect(err.code).toBe('ValidationError');
    expect(err.message).toContain("at 'authenticationCode1' failed to satisfy constraint: Member must have length greater than or equal to 6");
    // Codes are sensitive: the message names the member, never the value.
    expect(err.message).not.toContain('12345');
    expect(err.message).not.toContain('abcdef');
  });

  it('never accepts the enabling codes again: re-enabling after deactivation needs newer codes', async () => {
    const { serial, seed } = await create();
    const codes = pair(seed);
    await f.run('EnableMFADevice', { UserName: 'alice', SerialNumber: serial, ...codes });
    await f.run('DeactivateMFADevice', { UserName: 'alice', SerialNumber: serial });
    const err = await fails(f.run('EnableMFADevice', { UserName: 'alice', SerialNumber: serial, ...codes }));
    expect(err.code).toBe('InvalidAuthenticationCode');
    step();
    // One step later the first of the two codes is the enabling pair's second: still a replay.
    expect((await fails(enable(serial, seed))).code).toBe('InvalidAuthenticationCode');
    step();
    expect(await enable(serial, seed)).toBeUndefined();
  });

  it('refuses a device already assigned (EntityAlreadyExists), an unknown device and an unknown user (NoSuchEntity)', async () => {
    const { serial, seed } = await create();
    await enable(serial, seed);
    await f.call('CreateUser', { UserName: 'bob' });
    step();
    const taken = await fails(enable(serial, seed, 'bob'));
    expect([taken.code, taken.status, taken.message]).toEqual(['EntityAlreadyExists', 409, 'MFA Device is already in use.']);
    const unknown = await fails(enable(`${serial}-gone`, seed));
    expect([unknown.code, unknown.message]).toEqual(['NoSuchEntity', `MFA Device with serial number ${serial}-gone does not exist.`]);
    const nobody = await fails(enable(serial, seed, 'nobody'));
    expect([nobody.code, nobody.message]).toEqual(['NoSuchEntity', 'The user with name nobody cannot be found.']);
  });

  it('allows 8 devices per user (LimitExceeded on the 9th)', async () => {
    for (let i = 0; i < 8; i++) {
      const d = await create(`d${i}`);
      await enable(d.serial, d.seed);
    }
    const ninth = await create('d8');
    const err = await fails(enable(ninth.serial, ninth.seed));
    expect([err.code, err.status, err.message]).toEqual(['LimitExceeded', 409, 'Cannot exceed quota for MFADevicesPerUser: 8']);
  });

  it('slows guessing: after 5 failures the device is locked, even for right codes, until the backoff passes', async () => {
    const { serial, seed } = await create();
    const bad = { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '000000', AuthenticationCode2: '000000' };
    // (the chance that 000000 is right twice in a row is negligible, and the test fixes the clock)
    expect(codeAt(seed, f.clock.now)).not.toBe('000000');
    for (let i = 0; i < 5; i++) expect((await fails(f.run('EnableMFADevice', bad))).code).toBe('InvalidAuthenticationCode');
    const locked = await fails(enable(serial, seed));
    expect([locked.code, locked.status]).toEqual(['LimitExceeded', 409]);
    expect(locked.message).toBe(`Too many invalid authentication codes for MFA device ${serial}. Try again later.`);
    f.clock.now += 1000;
    step();
    expect(await enable(serial, seed)).toBeUndefined();
  });

  it('doubles the lockout with every further failure', async () => {
    const { serial, seed } = await create();
    const bad = { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '000000', AuthenticationCode2: '000000' };
    for (let i = 0; i < 5; i++) await fails(f.run('EnableMFADevice', bad));
    f.clock.now += 1000;
    await fails(f.run('EnableMFADevice', bad)); // 6th failure: locked for 2 s
    f.clock.now += 1999;
    expect((await fails(enable(serial, seed))).code).toBe('LimitExceeded');
    f.clock.now += 1;
    expect(await enable(serial, seed)).toBeUndefined();
  });

  it('resyncs an assigned device with two consecutive codes from a drifted clock, once', async () => {
    const { serial, seed } = await create();
    await enable(serial, seed);
    step();
    const drifted = pair(seed, RESYNC_WINDOW_STEPS - 1);
    expect(await f.run('ResyncMFADevice', { UserName: 'alice', SerialNumber: serial, ...drifted })).toBeUndefined();
    const stored = await f.store.read((r) => r.mfaDevices.get(ACCOUNT, serial));
    expect(stored!.lastUsedStep).toBe(totpStep(f.clock.now) + RESYNC_WINDOW_STEPS - 1);
    const again = await fails(f.run('ResyncMFADevice', { UserName: 'alice', SerialNumber: serial, ...drifted }));
    expect(again.code).toBe('InvalidAuthenticationCode');
    const tooFar = await fails(f.run('ResyncMFADevice', { UserName: 'alice', SerialNumber: serial, ...pair(seed, RESYNC_WINDOW_STEPS + 2) }));
    expect(tooFar.code).toBe('InvalidAuthenticationCode');
  });

  it('resyncs only a device assigned to the named user', async () => {
    const { serial, seed } = await create();
    const err = await fails(f.run('ResyncMFADevice', { UserName: 'alice', SerialNumber: serial, ...pair(seed) }));
    expect([err.code, err.message]).toEqual(['NoSuchEntity', `MFA Device with serial number ${serial} does not exist.`]);
  });

  it('deactivates, refuses to delete an assigned device (DeleteConflict), deletes it once unassigned', async () => {
    const { serial, seed } = await create('alice-phone', { 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' });
    await enable(serial, seed);
    const conflict = await fails(f.run('DeleteVirtualMFADevice', { SerialNumber: serial }));
    expect([conflict.code, conflict.status, conflict.message]).toEqual(['DeleteConflict', 409, 'Cannot delete entity, must remove referenced objects first.']);
    expect(await f.run('DeactivateMFADevice', { UserName: 'alice', SerialNumber: serial })).toBeUndefined();
    expect(((await f.run('ListMFADevices', { UserName: 'alice' })) as { MFADevices: unknown[] }).MFADevices).toEqual([]);
    expect(await f.run('DeleteVirtualMFADevice', { SerialNumber: serial })).toBeUndefined();
    const gone = await fails(f.run('DeleteVirtualMFADevice', { SerialNumber: serial }));
    expect([gone.code, gone.status]).toEqual(['NoSuchEntity', 404]);
    expect(await f.store.read((r) => r.tags.list(ACCOUNT, 'mfa', serial))).toEqual([]);
  });

  it('deactivates only a device of the named user', async () => {
    const { serial, seed } = await create();
    await enable(serial, seed);
    await f.call('CreateUser', { UserName: 'bob' });
    const err = await fails(f.run('DeactivateMFADevice', { UserName: 'bob', SerialNumber: serial }));
    expect(err.code).toBe('NoSuchEntity');
  });

  it('keeps DeleteUser refusing while a device is assigned', async () => {
    const { serial, seed } = await create();
    await enable(serial, seed);
    const err = await fails(f.run('DeleteUser', { UserName: 'alice' }));
    expect([err.code, err.message]).toEqual(['DeleteConflict', 'Cannot delete entity, must delete MFA device first.']);
    await f.run('DeactivateMFADevice', { UserName: 'alice', SerialNumber: serial });
    expect(await f.run('DeleteUser', { UserName: 'alice' })).toBeUndefined();
  });

  it('tags, lists and untags a device with case-sensitive keys', async () => {
    const { serial } = await create();
    await f.run('TagMFADevice', { SerialNumber: serial, 'Tags.member.1.Key': 'Team', 'Tags.member.1.Value': 'a' });
    await f.run('TagMFADevice', { SerialNumber: serial, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'b' });
    await f.run('TagMFADevice', { SerialNumber: serial, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'c' });
    const listed = (await f.run('ListMFADeviceTags', { SerialNumber: serial })) as { Tags: { Key: string; Value: string }[]; IsTruncated: boolean };
    expect(listed).toEqual({ Tags: [{ Key: 'Team', Value: 'a' }, { Key: 'team', Value: 'c' }], IsTruncated: false });
    await f.run('UntagMFADevice', { SerialNumber: serial, 'TagKeys.member.1': 'Team' });
    expect(((await f.run('ListMFADeviceTags', { SerialNumber: serial })) as { Tags: unknown[] }).Tags).toEqual([{ Key: 'team', Value: 'c' }]);
    const missing = await fails(f.run('ListMFADeviceTags', { SerialNumber: `${serial}-x` }));
    expect(missing.code).toBe('NoSuchEntity');
    const reserved = await fails(f.run('TagMFADevice', { SerialNumber: serial, 'Tags.member.1.Key': 'aws:x', 'Tags.member.1.Value': 'v' }));
    expect(reserved.code).toBe('InvalidInput');
  });

  it('refuses more than 50 tags on a device', async () => {
    const { serial } = await create();
    const tags = (from: number, n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [[`Tags.member.${i + 1}.Key`, `k${from + i}`], [`Tags.member.${i + 1}.Value`, 'v']]).flat());
    await f.run('TagMFADevice', { SerialNumber: serial, ...tags(0, 50) });
    const err = await fails(f.run('TagMFADevice', { SerialNumber: serial, ...tags(50, 1) }));
    expect([err.code, err.message]).toEqual(['LimitExceeded', 'Cannot exceed quota for TagsPerResource: 50']);
  });

  describe('authorization', () => {
    it('lets a user manage its own device with ${aws:username} policies, and nothing of others', async () => {
      const self = policy(
        { Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'], Resource: `arn:aws:iam::${ACCOUNT}:mfa/\${aws:username}` },
        { Effect: 'Allow', Action: ['iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice', 'iam:DeactivateMFADevice'], Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` },
      );
      const carol = await f.user('carol', self);
      await f.call('CreateUser', { UserName: 'dave' });
      const out = (await f.run('CreateVirtualMFADevice', { VirtualMFADeviceName: 'carol' }, carol)) as Created;
      const seed = seedOf(out.VirtualMFADevice.Base32StringSeed);
      const serial = out.VirtualMFADevice.SerialNumber;
      expect(await f.run('EnableMFADevice', { UserName: 'carol', SerialNumber: serial, ...pair(seed) }, carol)).toBeUndefined();
      const listed = (await f.run('ListMFADevices', {}, carol)) as { MFADevices: { SerialNumber: string }[] };
      expect(listed.MFADevices.map((d) => d.SerialNumber)).toEqual([serial]);

      const denied = await fails(f.run('CreateVirtualMFADevice', { VirtualMFADeviceName: 'dave' }, carol));
      expect([denied.code, denied.status]).toEqual(['AccessDenied', 403]);
      expect(denied.message).toBe(
        `User: arn:aws:iam::${ACCOUNT}:user/carol is not authorized to perform: iam:CreateVirtualMFADevice on resource: arn:aws:iam::${ACCOUNT}:mfa/dave because no identity-based policy allows the iam:CreateVirtualMFADevice action`,
      );
      const other = await f.run('CreateVirtualMFADevice', { VirtualMFADeviceName: 'dave' });
      const otherSeed = seedOf((other as Created).VirtualMFADevice.Base32StringSeed);
      step();
      const enableOther = await fails(f.run('EnableMFADevice', { UserName: 'dave', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/dave`, ...pair(otherSeed) }, carol));
      expect(enableOther.code).toBe('AccessDenied');
      expect((await fails(f.run('ListMFADevices', { UserName: 'dave' }, carol))).code).toBe('AccessDenied');
      expect((await fails(f.run('ListVirtualMFADevices', {}, carol))).code).toBe('AccessDenied');
      expect((await fails(f.run('DeleteVirtualMFADevice', { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/dave` }, carol))).code).toBe('AccessDenied');
      expect((await fails(f.run('TagMFADevice', { SerialNumber: serial, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' }, carol))).code).toBe('AccessDenied');
    });

    it('authorizes before revealing whether a user or device exists', async () => {
      const nobody = await f.user('nobody-allowed');
      const onUser = await fails(f.run('EnableMFADevice', { UserName: 'ghost', SerialNumber: SERIAL, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }, nobody));
      expect(onUser.message).toContain(`on resource: arn:aws:iam::${ACCOUNT}:user/ghost because`);
      const onDevice = await fails(f.run('DeleteVirtualMFADevice', { SerialNumber: `${SERIAL}-ghost` }, nobody));
      expect([onDevice.code, onDevice.message]).toEqual([
        'AccessDenied',
        `User: arn:aws:iam::${ACCOUNT}:user/nobody-allowed is not authorized to perform: iam:DeleteVirtualMFADevice on resource: ${SERIAL}-ghost because no identity-based policy allows the iam:DeleteVirtualMFADevice action`,
      ]);
    });

    it('honours tag conditions on devices (aws:ResourceTag, aws:RequestTag)', async () => {
      const tagged = await f.user(
        'tagger',
        policy(
          { Effect: 'Allow', Action: 'iam:CreateVirtualMFADevice', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'core' } } },
          { Effect: 'Allow', Action: 'iam:DeleteVirtualMFADevice', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'core' } } },
        ),
      );
      expect((await fails(f.run('CreateVirtualMFADevice', { VirtualMFADeviceName: 'untagged' }, tagged))).code).toBe('AccessDenied');
      await f.run('CreateVirtualMFADevice', { VirtualMFADeviceName: 'ok', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'core' }, tagged);
      await f.run('CreateVirtualMFADevice', { VirtualMFADeviceName: 'other', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'ops' });
      expect(await f.run('DeleteVirtualMFADevice', { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/ok` }, tagged)).toBeUndefined();
      expect((await fails(f.run('DeleteVirtualMFADevice', { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/other` }, tagged))).code).toBe('AccessDenied');
    });

    it('denies an explicitly denied action even for otherwise allowed users', async () => {
      const u = await f.user('denied', policy({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:DeactivateMFADevice', Resource: '*' }));
      const { serial, seed } = await create();
      await enable(serial, seed);
      const err = await fails(f.run('DeactivateMFADevice', { UserName: 'alice', SerialNumber: serial }, u));
      expect(err.message).toContain('with an explicit deny in an identity-based policy');
    });
  });

  it('exposes codes and seeds in no error and no non-creating output', async () => {
    const { serial, seed } = await create();
    await enable(serial, seed);
    const outputs = [
      await f.run('ListMFADevices', { UserName: 'alice' }),
      await f.run('ListVirtualMFADevices'),
      await f.run('ListMFADeviceTags', { SerialNumber: serial }),
    ];
    const text = JSON.stringify(outputs);
    for (const s of secrets) expect(text).not.toContain(s);
    // A seed-derived code of any nearby step is absent too.
    for (let i = -3; i <= 3; i++) expect(text).not.toContain(totpCode(seed, totpStep(f.clock.now) + i));
  });
});
