import { isoSeconds } from '../request-context.js';
import type { Caller } from '../caller.js';
import type { AuditEvent } from './audit-event.js';
import { isSecretParameter, REDACTED, redactValue } from './redact.js';

/** CloudTrail's `userIdentity`, for the principal kinds Latchkey has. */
export interface UserIdentity {
  readonly type: 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'Unknown';
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly userName?: string;
  readonly sessionContext?: {
    readonly sessionIssuer?: { readonly type: 'Role' | 'IAMUser' | 'Root'; readonly principalId: string; readonly arn: string; readonly accountId: string; readonly userName?: string };
    readonly attributes: { readonly creationDate: string; readonly mfaAuthenticated: 'true' | 'false' };
    readonly sourceIdentity?: string;
  };
}

/** One audit record, with CloudTrail's field names (a subset: the ones Latchkey can fill). */
export interface CloudTrailRecord {
  readonly eventVersion: '1.08';
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string | null;
  readonly userAgent: string | null;
  readonly userIdentity: UserIdentity;
  readonly requestParameters: Readonly<Record<string, string>> | null;
  readonly responseElements: unknown;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestID: string;
  readonly eventID: string;
  readonly readOnly: boolean;
  readonly resources?: readonly { readonly ARN: string }[];
  readonly eventType: 'AwsApiCall';
  readonly managementEvent: true;
  readonly eventCategory: 'Management';
  readonly recipientAccountId: string;
  /** Latchkey's: the call failed authentication (SigV4, unknown or expired credentials). */
  readonly authenticationFailure?: true;
}

/** CloudTrail's `userIdentity` for a caller (or only the key id, when authentication failed). */
export function userIdentity(caller: Caller | undefined, accessKeyId: string | undefined): UserIdentity {
  if (caller === undefined) return { type: 'Unknown', ...(accessKeyId === undefined ? {} : { accessKeyId }) };
  const base = { principalId: caller.userId, arn: caller.arn, accountId: caller.accountId, ...(caller.accessKeyId === undefined ? {} : { accessKeyId: caller.accessKeyId }) };
  const session = caller.session;
  const sessionContext = (issuer: NonNullable<UserIdentity['sessionContext']>['sessionIssuer']): UserIdentity['sessionContext'] =>
    session === undefined
      ? undefined
      : {
          ...(issuer === undefined ? {} : { sessionIssuer: issuer }),
          attributes: { creationDate: isoSeconds(session.issuedAt), mfaAuthenticated: session.mfaAuthenticatedAt === undefined ? 'false' : 'true' },
          ...(session.sourceIdentity === undefined ? {} : { sourceIdentity: session.sourceIdentity }),
        };
  const withContext = (identity: UserIdentity, issuer?: NonNullable<UserIdentity['sessionContext']>['sessionIssuer']): UserIdentity => {
    const context = sessionContext(issuer);
    return context === undefined ? identity : { ...identity, sessionContext: context };
  };
  const id = caller.identity;
  switch (caller.kind) {
    case 'root':
      return withContext({ type: 'Root', ...base });
    case 'user':
      return withContext({ type: 'IAMUser', ...base, ...(id.kind === 'user' ? { userName: id.name } : {}) });
    case 'assumed-role':
      return withContext(
        { type: 'AssumedRole', ...base },
        id.kind === 'role' ? { type: 'Role', principalId: id.id, arn: id.arn, accountId: caller.accountId, userName: id.name } : undefined,
      );
    case 'federated-user':
      return withContext(
        { type: 'FederatedUser', ...base },
        id.kind === 'user'
          ? { type: 'IAMUser', principalId: id.id, arn: id.arn, accountId: caller.accountId, userName: id.name }
          : { type: 'Root', principalId: caller.accountId, arn: `arn:aws:iam::${caller.accountId}:root`, accountId: caller.accountId },
      );
  }
}

/** The request parameters without `Action`/`Version` and with every secret replaced. */
export function requestParameters(params: AuditEvent['params']): Record<string, string> {
  const entries = params instanceof Map ? [...(params as ReadonlyMap<string, string>).entries()] : Object.entries(params as Readonly<Record<string, string>>);
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (k === 'Action' || k === 'Version') continue;
    out[k] = isSecretParameter(k) ? REDACTED : v;
  }
  return out;
}

/**
 * Builds the record. Response elements are kept for calls that change something (CloudTrail
 * leaves them out of read-only calls) and always with secrets replaced; error messages are the
 * client-safe AWS texts (never an error's `detail`).
 */
export function cloudTrailRecord(event: AuditEvent, eventId: string): CloudTrailRecord {
  const accountId = event.caller?.accountId ?? event.accountId ?? '';
  const params = requestParameters(event.params);
  const readOnly = event.readOnly ?? false;
  return {
    eventVersion: '1.08',
    eventTime: isoSeconds(event.at),
    eventSource: `${event.service}.amazonaws.com`,
    eventName: event.action ?? 'Unknown',
    awsRegion: event.region ?? 'us-east-1',
    sourceIPAddress: event.sourceIp ?? null,
    userAgent: event.userAgent ?? null,
    userIdentity: userIdentity(event.caller, event.caller?.accessKeyId ?? event.accessKeyId),
    requestParameters: Object.keys(params).length === 0 ? null : params,
    responseElements: event.error !== undefined || readOnly || event.response === undefined ? null : (redactValue(event.response) ?? null),
    ...(event.error === undefined ? {} : { errorCode: event.error.code, errorMessage: event.error.message }),
    requestID: event.requestId,
    eventID: eventId,
    readOnly,
    ...(event.resource === undefined ? {} : { resources: [{ ARN: event.resource }] }),
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: accountId,
    ...(event.authenticationFailure === true ? { authenticationFailure: true as const } : {}),
  };
}
