import type { Caller } from '../caller.js';

/**
 * The service a call went to; CloudTrail's `eventSource` is `<service>.amazonaws.com`.
 * `latchkey` is the internal API's changes (service catalogs).
 */
export type AuditService = 'iam' | 'sts' | 'latchkey';

/**
 * One API call or authentication failure, as the server hands it to `AuditTrail.record`. Every
 * field is what the server already has: the parameters are the decoded Query parameters,
 * unredacted (the trail removes secrets before anything is built or stored).
 */
export interface AuditEvent {
  readonly at: Date;
  readonly requestId: string;
  readonly service: AuditService;
  /** The Query `Action` (`CreateUser`); `undefined` when the request named none. */
  readonly action: string | undefined;
  /** The authenticated caller; absent when authentication failed or the call is unsigned. */
  readonly caller?: Caller;
  /**
   * The account the record belongs to when there is no caller: the access key's account for a
   * signature mismatch, the role's account for AssumeRoleWithWebIdentity. Empty when unknown.
   */
  readonly accountId?: string;
  /** The access key id from the request's credential scope (also for failed authentication). */
  readonly accessKeyId?: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  /** The decoded request parameters (`Action` and `Version` are left out of the record). */
  readonly params: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** The resource acted on, when the caller knows it (an ARN). */
  readonly resource?: string;
  /** The operation's result members on success (secrets are removed before storing). */
  readonly response?: unknown;
  /** The AWS error answered, on failure. */
  readonly error?: { readonly code: string; readonly message: string };
  /** True for calls that only read (CloudTrail's `readOnly`). */
  readonly readOnly?: boolean;
  /** True when the failure happened before a caller was established (SigV4, unknown key, expired token). */
  readonly authenticationFailure?: boolean;
  /** The region the request was signed for (`awsRegion`); IAM's is us-east-1. */
  readonly region?: string;
}
