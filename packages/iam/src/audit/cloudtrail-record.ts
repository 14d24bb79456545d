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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type SessionContext = NonNullable<UserIdentity['sessionContext']>;
type SessionIssuer = NonNullable<SessionContext['sessionIssuer']>;

// These builders run for every audited call: they assign the optional fields conditionally
// instead of spreading conditional objects, and allocate no closures. The key order is
// CloudTrail's (and the order earlier records were stored with).

const IDENTITY_TYPE = { root: 'Root', user: 'IAMUser', 'assumed-role': 'AssumedRole', 'federated-user': 'FederatedUser' } as const;

/** Who issued a role or federation session (CloudTrail's `sessionContext.sessionIssuer`). */
function sessionIssuer(caller: Caller): SessionIssuer | undefined {
  const id = caller.identity;
  if (caller.kind === 'assumed-role') {
    return id.kind === 'role' ? { type: 'Role', principalId: id.id, arn: id.arn, accountId: caller.accountId, userName: id.name } : undefined;
  }
  if (caller.kind === 'federated-user') {
    return id.kind === 'user'
      ? { type: 'IAMUser', principalId: id.id, arn: id.arn, accountId: caller.accountId, userName: id.name }
      : { type: 'Root', principalId: caller.accountId, arn: `arn:aws:iam::${caller.accountId}:root`, accountId: caller.accountId };
  }
  return undefined;
}

function sessionContext(caller: Caller, session: NonNullable<Caller['session']>): SessionContext {
  const attributes = { creationDate: isoSeconds(session.issuedAt), mfaAuthenticated: session.mfaAuthenticatedAt === undefined ? ('false' as const) : ('true' as const) };
  const issuer = sessionIssuer(caller);
  const context: Mutable<SessionContext> = issuer === undefined ? { attributes } : { sessionIssuer: issuer, attributes };
  if (session.sourceIdentity !== undefined) context.sourceIdentity = session.sourceIdentity;
  return context;
}

/** CloudTrail's `userIdentity` for a caller (or only the key id, when authentication failed). */
export function userIdentity(caller: Caller | undefined, accessKeyId: string | undefined): UserIdentity {
  if (caller === undefined) return accessKeyId === undefined ? { type: 'Unknown' } : { type: 'Unknown', accessKeyId };
  const identity: Mutable<UserIdentity> = { type: IDENTITY_TYPE[caller.kind], principalId: caller.userId, arn: caller.arn, accountId: caller.accountId };
  if (caller.accessKeyId !== undefined) identity.accessKeyId = caller.accessKeyId;
  if (caller.kind === 'user' && caller.identity.kind === 'user') identity.userName = caller.identity.name;
  if (caller.session !== undefined) identity.sessionContext = sessionContext(caller, caller.session);
  return identity;
}

/** The request parameters without `Action`/`Version` and with every secret replaced. */
export function requestParameters(params: AuditEvent['params']): Record<string, string> {
  return recordParameters(params) ?? {};
}

/** `requestParameters`, or null when no parameter is left (the record's value then). */
function recordParameters(params: AuditEvent['params']): Record<string, string> | null {
  const out: Record<string, string> = {};
  let any = false;
  if (params instanceof Map) {
    for (const [k, v] of params as ReadonlyMap<string, string>) {
      if (k === 'Action' || k === 'Version') continue;
      out[k] = isSecretParameter(k) ? REDACTED : v;
      any = true;
    }
  } else {
    const object = params as Readonly<Record<string, string>>;
    for (const k in object) {
      if (!Object.hasOwn(object, k) || k === 'Action' || k === 'Version') continue;
      out[k] = isSecretParameter(k) ? REDACTED : object[k]!;
      any = true;
    }
  }
  return any ? out : null;
}

/**
 * Builds the record. Response elements are kept for calls that change something (CloudTrail
 * leaves them out of read-only calls) and always with secrets replaced; error messages are the
 * client-safe AWS texts (never an error's `detail`).
 */
export function cloudTrailRecord(event: AuditEvent, eventId: string): CloudTrailRecord {
  const readOnly = event.readOnly ?? false;
  const record: Mutable<CloudTrailRecord> = {
    eventVersion: '1.08',
    eventTime: isoSeconds(event.at),
    eventSource: `${event.service}.amazonaws.com`,
    eventName: event.action ?? 'Unknown',
    awsRegion: event.region ?? 'us-east-1',
    sourceIPAddress: event.sourceIp ?? null,
    userAgent: event.userAgent ?? null,
    userIdentity: userIdentity(event.caller, event.caller?.accessKeyId ?? event.accessKeyId),
    requestParameters: recordParameters(event.params),
    responseElements: event.error !== undefined || readOnly || event.response === undefined ? null : (redactValue(event.response) ?? null),
  } as Mutable<CloudTrailRecord>;
  if (event.error !== undefined) {
    record.errorCode = event.error.code;
    record.errorMessage = event.error.message;
  }
  record.requestID = event.requestId;
  record.eventID = eventId;
  record.readOnly = readOnly;
  if (event.resource !== undefined) record.resources = [{ ARN: event.resource }];
  record.eventType = 'AwsApiCall';
  record.managementEvent = true;
  record.eventCategory = 'Management';
  record.recipientAccountId = event.caller?.accountId ?? event.accountId ?? '';
  if (event.authenticationFailure === true) record.authenticationFailure = true;
  return record;
}
