import { required, string, structure } from '@latchkey/aws-query';
import { AccessDenied } from '@latchkey/errors';
import { MFA_UNKNOWN_DEVICE, type AuthorizationExtras } from '@latchkey/iam';
import { assumedRoleArn, stsConstraints as sts } from '@latchkey/model';
import type { ContextValue } from '@latchkey/policy';
import { mintCredentials, type SessionClaims } from '../credentials.js';
import { MFA_INCOMPLETE, ROOT_CANNOT_ASSUME, SOURCE_IDENTITY_CHANGED, notAuthorizedToAssume } from '../messages.js';
import { defineStsOperation, type SignedStsContext, type StsContext } from '../operation.js';
import { checkChainingDuration, roleSessionDuration, targetRole } from '../roles.js';
import { checkPackedSize, checkSessionPolicies } from '../session-policies.js';
import { sessionTags } from '../session-tags.js';
import { assumeRoleDuration, policyArnsShape, sessionTagsShape, transitiveTagKeysShape } from '../shapes.js';
import { signedContext } from '../signed.js';

/**
 * Checks `SerialNumber` + `TokenCode` against the caller's own MFA device (each code once).
 * Undefined when no MFA was offered; the verification time otherwise. Both members or neither.
 */
export async function verifyMfa(ctx: SignedStsContext, serialNumber: string | undefined, tokenCode: string | undefined): Promise<Date | undefined> {
  if (serialNumber === undefined && tokenCode === undefined) return undefined;
  if (serialNumber === undefined || tokenCode === undefined) throw new AccessDenied(MFA_INCOMPLETE);
  const caller = ctx.caller;
  // Only an IAM user owns virtual MFA devices; a role session (or the root, whose devices
  // Latchkey does not model) has none to prove.
  const identity = caller.identity;
  if (caller.kind !== 'user' || identity.kind !== 'user') throw new AccessDenied(MFA_UNKNOWN_DEVICE);
  const check = { accountId: caller.accountId, userId: identity.id, serialNumber, code: tokenCode, now: ctx.now };
  const result = await ctx.transaction((tx) => ctx.mfa.verify(tx, check));
  if (!result.ok) throw new AccessDenied(result.message);
  return ctx.now;
}

export const AssumeRole = defineStsOperation({
  name: 'AssumeRole',
  sensitiveOutput: true,
  input: structure({
    RoleArn: required(string(sts.roleArn)),
    RoleSessionName: required(string(sts.roleSessionName)),
    PolicyArns: policyArnsShape,
    Policy: string(sts.unrestrictedSessionPolicy),
    DurationSeconds: assumeRoleDuration,
    Tags: sessionTagsShape,
    TransitiveTagKeys: transitiveTagKeysShape,
    ExternalId: string(sts.externalId),
    SerialNumber: string(sts.serialNumber),
    TokenCode: string(sts.tokenCode),
    SourceIdentity: string(sts.sourceIdentity),
  }),
  async run(base: StsContext, input) {
    const ctx = signedContext(base);
    const caller = ctx.caller;
    const callerSession = caller.session;
    // AWS refuses the root outright (also with its GetSessionToken credentials).
    if (caller.kind === 'root') throw new AccessDenied(ROOT_CANNOT_ASSUME);
    const chained = callerSession !== undefined;
    checkChainingDuration(input.DurationSeconds, chained);
    const policies = checkSessionPolicies(input);
    const inherited = caller.kind === 'assumed-role' ? ctxInherited(ctx) : undefined;
    const tags = sessionTags(input, inherited);
    // SourceIdentity is set once and sticks through role chaining.
    const sourceIdentity = callerSession?.sourceIdentity ?? input.SourceIdentity;
    if (callerSession?.sourceIdentity !== undefined && input.SourceIdentity !== undefined && input.SourceIdentity !== callerSession.sourceIdentity) {
      throw new AccessDenied(SOURCE_IDENTITY_CHANGED);
    }
    const mfaNow = await verifyMfa(ctx, input.SerialNumber, input.TokenCode);

    const deny = (): AccessDenied => new AccessDenied(notAuthorizedToAssume(caller.arn, 'sts:AssumeRole', input.RoleArn));
    const role = await targetRole(ctx.repos, ctx.roles, input.RoleArn, deny);
    const trust = ctx.trustPolicies.get(role.arn, role.assumeRolePolicyDocument);
    if (trust === undefined) throw deny();
    const keys: Record<string, ContextValue> = { 'sts:RoleSessionName': input.RoleSessionName };
    if (input.ExternalId !== undefined) keys['sts:ExternalId'] = input.ExternalId;
    if (sourceIdentity !== undefined) keys['sts:SourceIdentity'] = sourceIdentity;
    if (tags.transitiveTagKeys.length > 0) keys['sts:TransitiveTagKeys'] = tags.transitiveTagKeys;
    if (mfaNow !== undefined) {
      keys['aws:MultiFactorAuthPresent'] = true;
      keys['aws:MultiFactorAuthAge'] = 0;
    }
    const extras: AuthorizationExtras = { resourcePolicy: trust, keys, ...(tags.tags.length > 0 ? { requestTags: tags.tags } : {}) };
    const decide = (action: string) => ctx.authorizer.decide(ctx.repos, caller, ctx.env, action, role.arn, extras);
    if ((await decide('sts:AssumeRole')).decision !== 'allowed') throw deny();
    // Session tags need sts:TagSession, a source identity sts:SetSourceIdentity, from the same
    // trust policy (and, across accounts, the caller's own policies).
    if (tags.tags.length > 0 && (await decide('sts:TagSession')).decision !== 'allowed') throw new AccessDenied(notAuthorizedToAssume(caller.arn, 'sts:TagSession', role.arn));
    if (sourceIdentity !== undefined && (await decide('sts:SetSourceIdentity')).decision !== 'allowed') {
      throw new AccessDenied(notAuthorizedToAssume(caller.arn, 'sts:SetSourceIdentity', role.arn));
    }
    const duration = roleSessionDuration(input.DurationSeconds, role);
    const packed = checkPackedSize(policies, tags.requestTags);

    // A session proven with MFA now, or inheriting the calling session's MFA (GetSessionToken
    // with MFA, then AssumeRole: the classic aws-vault flow), is MFA-authenticated.
    const mfaAt = mfaNow ?? callerSession?.mfaAuthenticatedAt;
    const claims: SessionClaims = {
      type: 'AssumedRole',
      accountId: role.accountId,
      principalArn: assumedRoleArn(role.accountId, role.name, input.RoleSessionName),
      principalId: `${role.id}:${input.RoleSessionName}`,
      roleArn: role.arn,
      ...(policies.policy === undefined ? {} : { sessionPolicy: policies.policy }),
      ...(policies.policyArns === undefined ? {} : { sessionPolicyArns: policies.policyArns }),
      ...(tags.tags.length === 0 ? {} : { tags: tags.tags }),
      ...(tags.transitiveTagKeys.length === 0 ? {} : { transitiveTagKeys: tags.transitiveTagKeys }),
      ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
      ...(mfaAt === undefined ? {} : { mfaAuthenticatedAt: Math.floor(mfaAt.getTime() / 1000) }),
    };
    await ctx.roleUse.record(ctx.repos, role.accountId, role.id, ctx.now, ctx.env.region);
    const minted = await mintCredentials(claims, ctx.now, duration, ctx);
    const sentPolicies = policies.policy !== undefined || policies.policyArns !== undefined || tags.requestTags.length > 0;
    return {
      Credentials: minted.output,
      AssumedRoleUser: { AssumedRoleId: claims.principalId, Arn: claims.principalArn },
      ...(sentPolicies ? { PackedPolicySize: packed } : {}),
      ...(sourceIdentity === undefined ? {} : { SourceIdentity: sourceIdentity }),
    };
  },
});

// The calling role session's tags and transitive keys, which pass on through the chain.
function ctxInherited(ctx: SignedStsContext): { tags?: readonly { key: string; value: string }[]; transitiveTagKeys?: readonly string[] } {
  const session = ctx.caller.session;
  return {
    ...(session?.tags === undefined ? {} : { tags: session.tags }),
    ...(session?.transitiveTagKeys === undefined ? {} : { transitiveTagKeys: session.transitiveTagKeys }),
  };
}
