import type { CompiledPolicy, ContextValue, RequestContext } from '@latchkey/policy';
import type { Tag } from '@latchkey/store';
import { principalType, type Caller, type RequestEnv } from './caller.js';
import { IAM_ACTIONS, type IamActionInfo } from './iam-actions.js';

/** What an operation knows about the request beyond who sent it and when. */
export interface AuthorizationExtras {
  /** Tags the request attaches (`aws:RequestTag/<k>`, `aws:TagKeys`), when the action supports them. */
  readonly requestTags?: readonly Tag[];
  /** Tags on the target resource (`aws:ResourceTag/<k>`, `iam:ResourceTag/<k>`), when its type supports them. */
  readonly resourceTags?: readonly Tag[];
  /** Service keys such as `iam:PermissionsBoundary` or `iam:PolicyARN`; kept only when the action supports them. */
  readonly keys?: Readonly<Record<string, ContextValue>>;
  /**
   * The account that owns the resource, when it is not the ARN's account field: AWS managed
   * policies (`arn:aws:iam::aws:policy/...`) are read and attached as if they were the caller's
   * own, so operations that may use them pass the caller's account here.
   */
  readonly resourceAccountId?: string;
  /**
   * The target's resource-based policy, evaluated with the caller's policies (STS passes the
   * role's compiled trust policy for `sts:AssumeRole`, `sts:TagSession`, `sts:SetSourceIdentity`).
   */
  readonly resourcePolicy?: CompiledPolicy;
}

// The last second formatted: every call in the same second (a request's context and its audit
// record, and every other request then) reuses the text instead of formatting a Date again.
let lastSecond = Number.NaN;
let lastText = '';

/** `2026-11-27T19:13:12Z`: AWS's form of `aws:CurrentTime` and `aws:TokenIssueTime`. */
export function isoSeconds(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    // Throws RangeError for an invalid date, as toISOString does (the cache is left as it was).
    lastText = `${date.toISOString().slice(0, 19)}Z`;
    lastSecond = second;
  }
  return lastText;
}

/**
 * `aws:RequestedRegion`: IAM is a global service whose single endpoint is in us-east-1, so AWS
 * sets `us-east-1` for every IAM call (IAM User Guide, aws:RequestedRegion), whatever region a
 * client signed with; other services get the region of the credential scope.
 */
export function requestedRegion(action: string, scopeRegion: string): string {
  return action.slice(0, 4).toLowerCase() === 'iam:' ? 'us-east-1' : scopeRegion;
}

/** The catalog entry for `iam:<Action>`; undefined for other services (their callers filter keys themselves). */
export function iamActionInfo(action: string): IamActionInfo | undefined {
  const colon = action.indexOf(':');
  if (colon < 0 || action.slice(0, colon).toLowerCase() !== 'iam') return undefined;
  const name = action.slice(colon + 1);
  return Object.hasOwn(IAM_ACTIONS, name) ? IAM_ACTIONS[name] : undefined;
}

function supports(info: IamActionInfo | undefined, key: string): boolean {
  if (info === undefined) return true;
  const lower = key.toLowerCase();
  for (const k of info.keys) {
    const candidate = k.toLowerCase();
    if (candidate.endsWith('/') ? lower.startsWith(candidate) : lower === candidate) return true;
  }
  return false;
}

/**
 * The request context AWS builds for a call: the global keys every signed request carries, the
 * principal's tags, the temporary-credential keys (only for sessions, as AWS sets them), and the
 * operation's request/resource/service keys filtered to those AWS supports for the action
 * (service authorization reference), so a policy cannot match a key AWS would never set.
 */
export function buildRequestContext(
  caller: Caller,
  env: RequestEnv,
  principalTags: readonly Tag[],
  action: string,
  extras: AuthorizationExtras = {},
): RequestContext {
  const ctx: Record<string, ContextValue> = {
    'aws:CurrentTime': isoSeconds(env.now),
    'aws:EpochTime': Math.floor(env.now.getTime() / 1000),
    'aws:SecureTransport': env.secureTransport,
    'aws:RequestedRegion': requestedRegion(action, env.region),
    'aws:PrincipalArn': caller.identity.kind === 'role' ? caller.identity.arn : caller.arn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalType': principalType(caller),
    'aws:userid': caller.userId,
    'aws:ViaAWSService': false,
    'aws:PrincipalIsAWSService': false,
  };
  if (env.sourceIp !== undefined) ctx['aws:SourceIp'] = env.sourceIp;
  if (env.userAgent !== undefined) ctx['aws:UserAgent'] = env.userAgent;
  // aws:username is set for IAM users only (also when they sign with GetSessionToken credentials).
  if (caller.kind === 'user' && caller.identity.kind === 'user') ctx['aws:username'] = caller.identity.name;

  const session = caller.session;
  if (session !== undefined) {
    ctx['aws:TokenIssueTime'] = isoSeconds(session.issuedAt);
    ctx['aws:MultiFactorAuthPresent'] = session.mfaAuthenticatedAt !== undefined;
    if (session.mfaAuthenticatedAt !== undefined) {
      ctx['aws:MultiFactorAuthAge'] = Math.max(0, Math.floor((env.now.getTime() - session.mfaAuthenticatedAt.getTime()) / 1000));
    }
    if (session.sourceIdentity !== undefined) ctx['aws:SourceIdentity'] = session.sourceIdentity;
  }
  for (const tag of effectivePrincipalTags(principalTags, session?.tags)) ctx[`aws:PrincipalTag/${tag.key}`] = tag.value;

  const info = iamActionInfo(action);
  const requestTags = extras.requestTags;
  if (requestTags !== undefined && requestTags.length > 0) {
    if (supports(info, 'aws:RequestTag/')) for (const t of requestTags) ctx[`aws:RequestTag/${t.key}`] = t.value;
    if (supports(info, 'aws:TagKeys')) ctx['aws:TagKeys'] = requestTags.map((t) => t.key);
  }
  const resourceTags = extras.resourceTags;
  if (resourceTags !== undefined) {
    const aws = supports(info, 'aws:ResourceTag/');
    const iam = supports(info, 'iam:ResourceTag/');
    for (const t of resourceTags) {
      if (aws) ctx[`aws:ResourceTag/${t.key}`] = t.value;
      if (iam) ctx[`iam:ResourceTag/${t.key}`] = t.value;
    }
  }
  if (extras.keys !== undefined) {
    for (const [key, value] of Object.entries(extras.keys)) if (supports(info, key)) ctx[key] = value;
  }
  return ctx;
}

/** Principal tags with session tags overriding same-key (case-insensitive) tags of the role or user. */
export function effectivePrincipalTags(own: readonly Tag[], sessionTags: readonly Tag[] | undefined): Tag[] {
  if (sessionTags === undefined || sessionTags.length === 0) return [...own];
  const overridden = new Set(sessionTags.map((t) => t.key.toLowerCase()));
  return [...own.filter((t) => !overridden.has(t.key.toLowerCase())), ...sessionTags];
}
