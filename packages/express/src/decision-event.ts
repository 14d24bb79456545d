import type { DecisionValue, PolicyType } from '@latchkey/policy';

/** One authorization decision, safe to log: no secret, signature, session token or body. */
export interface DecisionEvent {
  readonly time: string;
  readonly requestId: string;
  readonly service: string;
  readonly action: string;
  readonly resource: string;
  readonly decision: DecisionValue;
  readonly principalArn: string;
  readonly accountId: string;
  /** The access key id (an identifier, not a secret; CloudTrail logs it too). */
  readonly accessKeyId: string;
  readonly temporaryCredentials: boolean;
  readonly authType: 'header' | 'presigned';
  readonly method: string;
  /** The request target with `X-Amz-Signature` and `X-Amz-Security-Token` values masked. */
  readonly url: string;
  readonly sourceIp?: string;
  readonly matchedStatements: readonly { policyType: PolicyType; policyId: string; statementIndex: number; sid?: string; effect: 'Allow' | 'Deny' }[];
  readonly notAllowedBy: readonly PolicyType[];
  readonly missingContextKeys: readonly string[];
}

const SECRET_PARAMS = /([?&](?:X-Amz-Signature|X-Amz-Security-Token)=)[^&]*/gi;

/** The URL with presigned secrets (signature, session token) replaced by `****`. */
export function maskUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1****');
}
