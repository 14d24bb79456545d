import type { Caller } from '@latchkey/iam';
import type { Decision } from '@latchkey/policy';

/** The last authorization decision made for the request. */
export interface LatchkeyDecision extends Decision {
  readonly action: string;
  readonly resource: string;
}

/** What the middleware leaves on `req.latchkey` once a request is authenticated. */
export interface LatchkeyRequestInfo {
  readonly requestId: string;
  /** The full caller (kind, ARN, ids, identity whose policies decide, session facts). */
  readonly principal: Caller;
  /** As GetCallerIdentity reports it: `…:user/alice`, `arn:aws:sts::…:assumed-role/Role/session`. */
  readonly principalArn: string;
  readonly accountId: string;
  /** IAM user name, for users (also with GetSessionToken credentials). */
  readonly userName?: string;
  /** Role sessions: the role's ARN and the session name. */
  readonly roleSession?: { readonly roleArn: string; readonly sessionName: string };
  readonly sessionTags: readonly { readonly key: string; readonly value: string }[];
  readonly accessKeyId: string;
  readonly temporaryCredentials: boolean;
  readonly mfaAuthenticated: boolean;
  readonly authType: 'header' | 'presigned';
  /** Credential-scope region. */
  readonly region: string;
  /** When the request was signed, epoch ms. */
  readonly signedAt: number;
  readonly sourceIp?: string;
  /** The `User-Agent` header (`aws:UserAgent`), when the request had one. */
  readonly userAgent?: string;
  readonly secureTransport: boolean;
  decision?: LatchkeyDecision;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `latchkey()` once the request's signature checks. */
    latchkey?: LatchkeyRequestInfo;
  }
}
