import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CREDENTIAL_REPORT_COLUMNS, credentialReportCsv } from '../src/operations/credential-report.js';
import { ACCOUNT, allow, failure, START } from './helpers/fixture.js';
import { codeAt, credentialsFixture, seedOf, type CredentialsFixture } from './helpers/credentials-fixture.js';

let f: CredentialsFixture;
beforeEach(async () => {
  f = await credentialsFixture();
});
afterEach(async () => {
  await f.close();
});

const HOUR = 3_600_000;
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

/** Parses the report (no quoted fields in these tests) into rows keyed by column. */
function rowsOf(out: unknown): Record<string, string>[] {
  const { Content, ReportFormat } = out as { Content: Uint8Array; ReportFormat: string };
  expect(ReportFormat).toBe('text/csv');
  const [header, ...lines] = new TextDecoder().decode(Content).split('\n');
  expect(header!.split(',')).toEqual([...CREDENTIAL_REPORT_COLUMNS]);
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [CREDENTIAL_REPORT_COLUMNS[i]!, v])));
}

describe('GenerateCredentialReport / GetCredentialReport', () => {
  it('answers ReportNotPresent (410) before any report exists', async () => {
    const err = await failure(f.run('GetCredentialReport'));
    expect(err).toMatchObject({ code: 'ReportNotPresent', status: 410 });
  });

  it("reports every user's password, MFA and key state in AWS's columns", async () => {
    // alice: password (used), MFA, two keys (one used, one inactive); bob: nothing; policy: 90-day max age.
    await f.run('UpdateAccountPasswordPolicy', { MaxPasswordAge: '90' });
    await f.run('CreateUser', { UserName: 'alice' });
    await f.run('CreateLoginProfile', { UserName: 'alice', Password: 'Correct-Horse-9' });
    const mfa = (await f.run('CreateVirtualMFADevice', { VirtualMFADeviceName: 'alice' })) as { VirtualMFADevice: { SerialNumber: string; Base32StringSeed: Uint8Array } };
    const seed = seedOf(mfa.VirtualMFADevice.Base32StringSeed);
    await f.run('EnableMFADevice', { UserName: 'alice', SerialNumber: mfa.VirtualMFADevice.SerialNumber, AuthenticationCode1: codeAt(seed, f.clock.now, -1), AuthenticationCode2: codeAt(seed, f.clock.now) });
    f.clock.now += 60_000;
    const k1 = ((await f.run('CreateAccessKey', { UserName: 'alice' })) as { AccessKey: { AccessKeyId: string } }).AccessKey.AccessKeyId;
    f.clock.now += 60_000;
    const k2 = ((await f.run('CreateAccessKey', { UserName: 'alice' })) as { AccessKey: { AccessKeyId: string } }).AccessKey.AccessKeyId;
    await f.run('UpdateAccessKey', { UserName: 'alice', AccessKeyId: k2, Status: 'Inactive' });
    const usedAt = f.clock.now + 5 * 60_000;
    await f.creds.recordAccessKeyUse(k1, { at: new Date(usedAt), service: 'iam', region: 'eu-west-1' });
    const alice = await f.store.read((r) => r.users.getByName(ACCOUNT, 'alice'));
    await f.store.transaction((r) => r.users.recordPasswordUse(ACCOUNT, alice!.id, usedAt));
    await f.run('CreateUser', { UserName: 'bob' });
    f.clock.now += 10 * 60_000;

    const started = await f.run('GenerateCredentialReport');
    expect(started).toEqual({ State: 'STARTED', Description: 'No report exists. Starting a new report generation task' });
    expect(await f.run('GenerateCredentialReport')).toEqual({ State: 'COMPLETE' });
    const out = await f.run('GetCredentialReport');
    expect((out as { GeneratedTime: Date }).GeneratedTime.getTime()).toBe(f.clock.now);
    const [root, a, b] = rowsOf(out);

    expect(root).toMatchObject({
      user: '<root_account>',
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      user_creation_time: iso(START),
      password_enabled: 'not_supported',
      password_last_changed: 'not_supported',
      password_next_rotation: 'not_supported',
      mfa_active: 'false',
      access_key_1_active: 'true',
      access_key_1_last_rotated: iso(START),
      access_key_2_active: 'false',
      access_key_2_last_rotated: 'N/A',
      cert_1_active: 'false',
      cert_1_last_rotated: 'N/A',
    });
    const aliceRecord = (await f.store.read((r) => r.users.getByName(ACCOUNT, 'alice')))!;
    const profile = (await f.store.read((r) => r.loginProfiles.get(ACCOUNT, aliceRecord.id)))!;
    expect(a).toEqual({
      user: 'alice',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      user_creation_time: iso(aliceRecord.createdAt),
      password_enabled: 'true',
      password_last_used: iso(usedAt),
      password_last_changed: iso(profile.passwordLastChangedAt),
      password_next_rotation: iso(profile.passwordLastChangedAt + 90 * 24 * HOUR),
      mfa_active: 'true',
      access_key_1_active: 'true',
      access_key_1_last_rotated: iso(START + 60_000),
      access_key_1_last_used_date: iso(usedAt),
      access_key_1_last_used_region: 'eu-west-1',
      access_key_1_last_used_service: 'iam',
      access_key_2_active: 'false',
      access_key_2_last_rotated: iso(START + 120_000),
      access_key_2_last_used_date: 'N/A',
      access_key_2_last_used_region: 'N/A',
      access_key_2_last_used_service: 'N/A',
      cert_1_active: 'false',
      cert_1_last_rotated: 'N/A',
      cert_2_active: 'false',
      cert_2_last_rotated: 'N/A',
    });
    expect(b).toMatchObject({
      user: 'bob',
      password_enabled: 'false',
      password_last_used: 'N/A',
      password_last_changed: 'N/A',
      password_next_rotation: 'N/A',
      mfa_active: 'false',
      access_key_1_active: 'false',
      access_key_1_last_rotated: 'N/A',
      access_key_1_last_used_date: 'N/A',
    });
  });

  it('keeps serving the report for four hours, then expires it and regenerates with current data', async () => {
    await f.run('GenerateCredentialReport');
    await f.run('CreateUser', { UserName: 'late' });
    expect(rowsOf(await f.run('GetCredentialReport')).map((r) => r['user'])).toEqual(['<root_account>']);
    f.clock.now += 4 * HOUR;
    expect(await failure(f.run('GetCredentialReport'))).toMatchObject({ code: 'ReportExpired', status: 410 });
    expect(await f.run('GenerateCredentialReport')).toEqual({ State: 'STARTED', Description: 'Report is older than 4 hours. Starting a new report generation task' });
    expect(rowsOf(await f.run('GetCredentialReport')).map((r) => r['user'])).toEqual(['<root_account>', 'late']);
  });

  it('is denied without iam:GenerateCredentialReport / iam:GetCredentialReport', async () => {
    const reader = await f.user('reader', allow('iam:GetCredentialReport'));
    expect((await failure(f.run('GenerateCredentialReport', {}, reader))).code).toBe('AccessDenied');
    await f.run('GenerateCredentialReport');
    expect(rowsOf(await f.run('GetCredentialReport', {}, reader)).length).toBe(2);
    const nobody = await f.user('nobody');
    expect((await failure(f.run('GetCredentialReport', {}, nobody))).code).toBe('AccessDenied');
  });
});

describe('credentialReportCsv', () => {
  it('quotes a user name holding a comma (names may contain commas)', () => {
    const csv = credentialReportCsv({
      account: { id: ACCOUNT, alias: null, createdAt: START },
      rootKeys: [],
      users: [
        { user: { accountId: ACCOUNT, id: 'AIDA1', name: 'a,b', path: '/', arn: `arn:aws:iam::${ACCOUNT}:user/a,b`, createdAt: START, permissionsBoundaryArn: null, passwordLastUsedAt: null }, loginProfile: null, mfaActive: false, accessKeys: [] },
        {
          user: { accountId: ACCOUNT, id: 'AIDA2', name: 'c', path: '/', arn: `arn:aws:iam::${ACCOUNT}:user/c`, createdAt: START, permissionsBoundaryArn: null, passwordLastUsedAt: null },
          loginProfile: { createdAt: START, passwordLastChangedAt: START },
          mfaActive: false,
          accessKeys: [],
        },
      ],
      passwordPolicy: undefined,
    });
    const lines = csv.split('\n');
    expect(lines[2]).toMatch(/^"a,b","arn:aws:iam::111122223333:user\/a,b",/);
    // A password never used is no_information; without MaxPasswordAge it never needs rotating.
    expect(lines[3]!.split(',').slice(3, 7)).toEqual(['true', 'no_information', iso(START), 'N/A']);
  });
});
