import { structure } from '@latchkey/aws-query';
import { ReportExpired, ReportNotPresent } from '@latchkey/errors';
import type { AccessKeyRecord, AccountRecord, CredentialReportUserState, PasswordPolicyRecord } from '@latchkey/store';
import { defineOperation, type AnyOperation } from '../operation.js';
import { passwordExpiresAt } from '../password-rules.js';

/** AWS's credential report columns, in AWS's order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** AWS regenerates a report at most every four hours and serves one that old at most. */
export const CREDENTIAL_REPORT_MAX_AGE_MS = 4 * 3_600_000;

const NA = 'N/A';

/** The report's time format: ISO 8601 with seconds and an explicit `+00:00` offset, as AWS writes it. */
export function reportTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

function keyColumns(key: AccessKeyRecord | undefined): string[] {
  if (key === undefined) return ['false', NA, NA, NA, NA];
  return [
    String(key.status === 'Active'),
    reportTime(key.createdAt),
    key.lastUsedAt === null ? NA : reportTime(key.lastUsedAt),
    key.lastUsedRegion ?? NA,
    key.lastUsedService ?? NA,
  ];
}

/** RFC 4180 quoting, needed only where a value holds a comma or quote (user names may hold commas). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export interface CredentialReportInput {
  readonly account: AccountRecord;
  /** The root's access keys, oldest first. */
  readonly rootKeys: readonly AccessKeyRecord[];
  readonly users: readonly CredentialReportUserState[];
  readonly passwordPolicy: PasswordPolicyRecord | undefined;
}

/**
 * The CSV AWS's GetCredentialReport returns: the `<root_account>` row first, then one row per
 * user. `N/A` where a credential does not exist; `no_information` for a password never used;
 * `not_supported` for the root's password columns (Latchkey roots have no console password);
 * `password_next_rotation` from the account's MaxPasswordAge; the first two access keys by
 * creation; signing certificates are not served, so `cert_*` are always `false` / `N/A`.
 */
export function credentialReportCsv(input: CredentialReportInput): string {
  const rows: string[][] = [[...CREDENTIAL_REPORT_COLUMNS]];
  const { account } = input;
  rows.push([
    '<root_account>',
    `arn:aws:iam::${account.id}:root`,
    reportTime(account.createdAt),
    'not_supported',
    'no_information',
    'not_supported',
    'not_supported',
    'false',
    ...keyColumns(input.rootKeys[0]),
    ...keyColumns(input.rootKeys[1]),
    'false',
    NA,
    'false',
    NA,
  ]);
  for (const state of input.users) {
    const { user, loginProfile } = state;
    const next = loginProfile === null ? undefined : passwordExpiresAt(loginProfile.passwordLastChangedAt, input.passwordPolicy);
    rows.push([
      user.name,
      user.arn,
      reportTime(user.createdAt),
      String(loginProfile !== null),
      loginProfile === null ? NA : user.passwordLastUsedAt === null ? 'no_information' : reportTime(user.passwordLastUsedAt),
      loginProfile === null ? NA : reportTime(loginProfile.passwordLastChangedAt),
      next === undefined ? NA : reportTime(next),
      String(state.mfaActive),
      ...keyColumns(state.accessKeys[0]),
      ...keyColumns(state.accessKeys[1]),
      'false',
      NA,
      'false',
      NA,
    ]);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\n');
}

export const GenerateCredentialReport = defineOperation({
  name: 'GenerateCredentialReport',
  input: structure({}),
  async run(ctx) {
    await ctx.authorize('iam:GenerateCredentialReport', '*');
    const existing = await ctx.repos.credentialReports.get(ctx.accountId);
    const now = ctx.now.getTime();
    if (existing !== undefined && now - existing.generatedAt < CREDENTIAL_REPORT_MAX_AGE_MS) return { State: 'COMPLETE' };
    const account = await ctx.repos.accounts.get(ctx.accountId);
    if (account === undefined) throw new ReportNotPresent(REPORT_NOT_PRESENT);
    const [users, rootKeys, passwordPolicy] = await Promise.all([
      ctx.repos.credentialReports.collect(ctx.accountId),
      ctx.repos.accessKeys.listForOwner(ctx.accountId, null, { maxItems: 1000 }),
      ctx.repos.passwordPolicies.get(ctx.accountId),
    ]);
    const content = credentialReportCsv({ account, rootKeys: rootKeys.items, users, passwordPolicy });
    await ctx.repos.credentialReports.put({ accountId: ctx.accountId, generatedAt: now, content });
    // The report is built within this call, but AWS's first answer for a new report is always
    // STARTED (clients poll until COMPLETE), so SDK waiters behave as they do against AWS.
    return {
      State: 'STARTED',
      Description: existing === undefined ? 'No report exists. Starting a new report generation task' : 'Report is older than 4 hours. Starting a new report generation task',
    };
  },
});

const REPORT_NOT_PRESENT = 'Credential report not present. Use GenerateCredentialReport to generate a report.';

export const GetCredentialReport = defineOperation({
  name: 'GetCredentialReport',
  readOnly: true,
  input: structure({}),
  async run(ctx) {
    await ctx.authorize('iam:GetCredentialReport', '*');
    const report = await ctx.repos.credentialReports.get(ctx.accountId);
    if (report === undefined) throw new ReportNotPresent(REPORT_NOT_PRESENT);
    if (ctx.now.getTime() - report.generatedAt >= CREDENTIAL_REPORT_MAX_AGE_MS) {
      throw new ReportExpired('The credential report has expired. Use GenerateCredentialReport to generate a new report.');
    }
    return { Content: new TextEncoder().encode(report.content), ReportFormat: 'text/csv', GeneratedTime: new Date(report.generatedAt) };
  },
});

export const credentialReportOperations: readonly AnyOperation[] = [GenerateCredentialReport, GetCredentialReport];
