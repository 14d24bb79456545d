import { required, string, structure } from '@latchkey/aws-query';
import { AccessDenied, IDPRejectedClaim, InvalidIdentityToken } from '@latchkey/errors';
import { isoSeconds } from '@latchkey/iam';
import { assumedRoleArn, oidcProviderArn, stsConstraints as sts } from '@latchkey/model';
import { evaluate, type ContextValue } from '@latchkey/policy';
import { mintCredentials } from '../credentials.js';
import { defineStsOperation } from '../operation.js';
import { roleSessionDuration, targetRole } from '../roles.js';
import { checkPackedSize, checkSessionPolicies } from '../session-policies.js';
import { assumeRoleDuration, policyArnsShape } from '../shapes.js';
import { INCORRECT_AUDIENCE, noProvider, peekClaims } from '../web-identity.js';

// AWS's text when the trust policy refuses a web identity (many public threads quote it).
export const NOT_AUTHORIZED_WEB_IDENTITY = 'Not authorized to perform sts:AssumeRoleWithWebIdentity';

/** The issuer URL as the provider key of condition keys and ARNs: no scheme, no trailing slash. */
export function providerKey(issuer: string): string {
  return issuer.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export const AssumeRoleWithWebIdentity = defineStsOperation({
  name: 'AssumeRoleWithWebIdentity',
  sensitiveOutput: true,
  unsigned: true,
  input: structure({
    RoleArn: required(string(sts.roleArn)),
    RoleSessionName: required(string(sts.roleSessionName)),
    WebIdentityToken: required(string(sts.webIdentityToken)),
    ProviderId: string(sts.providerId),
    PolicyArns: policyArnsShape,
    Policy: string(sts.sessionPolicy),
    DurationSeconds: assumeRoleDuration,
  }),
  async run(ctx, input) {
    const policies = checkSessionPolicies(input);
    const unverified = peekClaims(input.WebIdentityToken);
    const issuer = typeof unverified.iss === 'string' ? unverified.iss : undefined;
    if (issuer === undefined) throw new InvalidIdentityToken(noProvider(''));
    const role = await targetRole(ctx.repos, ctx.roles, input.RoleArn, () => new AccessDenied(NOT_AUTHORIZED_WEB_IDENTITY));
    const key = providerKey(issuer);
    const providerArn = oidcProviderArn(role.accountId, issuer);
    const provider = await ctx.repos.oidcProviders.get(role.accountId, providerArn);
    // The registered URL, not the token's spelling of it, decides where keys come from: an
    // `http://` (or otherwise different) issuer naming the same ARN must not pick the JWKS source.
    const registered = provider?.url.replace(/\/+$/, '');
    if (provider === undefined || registered !== issuer.replace(/\/+$/, '')) throw new InvalidIdentityToken(noProvider(issuer));
    const claims = await ctx.webIdentity.verify(input.WebIdentityToken, issuer, registered, ctx.now);
    const audiences = stringList(claims.aud);
    const audience = audiences.find((a) => provider.clientIds.includes(a));
    if (audience === undefined) throw new InvalidIdentityToken(INCORRECT_AUDIENCE);
    const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
    if (subject === undefined || subject.length === 0) throw new IDPRejectedClaim('The web identity token has no subject (sub) claim.');

    const trust = ctx.trustPolicies.get(role.arn, role.assumeRolePolicyDocument);
    const context: Record<string, ContextValue> = {
      'aws:CurrentTime': isoSeconds(ctx.now),
      'aws:EpochTime': Math.floor(ctx.now.getTime() / 1000),
      'aws:SecureTransport': ctx.env.secureTransport,
      'aws:RequestedRegion': ctx.env.region,
      'aws:FederatedProvider': providerArn,
      'sts:RoleSessionName': input.RoleSessionName,
      [`${key}:sub`]: subject,
      [`${key}:aud`]: audience,
      [`${key}:oaud`]: audiences,
    };
    const amr = stringList(claims['amr']);
    if (amr.length > 0) context[`${key}:amr`] = amr;
    if (ctx.env.sourceIp !== undefined) context['aws:SourceIp'] = ctx.env.sourceIp;
    if (ctx.env.userAgent !== undefined) context['aws:UserAgent'] = ctx.env.userAgent;
    const decision =
      trust === undefined
        ? undefined
        : evaluate(
            { principal: { kind: 'web-identity', arn: '', accountId: '', federatedProvider: providerArn }, action: 'sts:AssumeRoleWithWebIdentity', resource: { arn: role.arn }, context },
            { identity: [], resource: trust },
          );
    if (decision?.decision !== 'allowed') throw new AccessDenied(NOT_AUTHORIZED_WEB_IDENTITY);

    const duration = roleSessionDuration(input.DurationSeconds, role);
    const packed = checkPackedSize(policies, []);
    const principalId = `${role.id}:${input.RoleSessionName}`;
    const principalArn = assumedRoleArn(role.accountId, role.name, input.RoleSessionName);
    await ctx.roleUse.record(ctx.repos, role.accountId, role.id, ctx.now, ctx.env.region);
    const minted = await mintCredentials(
      {
        type: 'AssumedRole',
        accountId: role.accountId,
        principalArn,
        principalId,
        roleArn: role.arn,
        ...(policies.policy === undefined ? {} : { sessionPolicy: policies.policy }),
        ...(policies.policyArns === undefined ? {} : { sessionPolicyArns: policies.policyArns }),
        attributes: { webIdentityProvider: providerArn, webIdentitySubject: subject, webIdentityAudience: audience },
      },
      ctx.now,
      duration,
      ctx,
    );
    const sent = policies.policy !== undefined || policies.policyArns !== undefined;
    return {
      Credentials: minted.output,
      SubjectFromWebIdentityToken: subject,
      AssumedRoleUser: { AssumedRoleId: principalId, Arn: principalArn },
      ...(sent ? { PackedPolicySize: packed } : {}),
      Provider: key,
      Audience: audience,
    };
  },
});
