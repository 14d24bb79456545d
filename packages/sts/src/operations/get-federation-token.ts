import { integer, required, string, structure } from '@latchkey/aws-query';
import { AccessDenied, InvalidParameterValue } from '@latchkey/errors';
import { FEDERATION_SOURCE_ATTRIBUTES } from '@latchkey/iam';
import { federatedUserArn, isReservedTagKey, RESERVED_TAG_PREFIX_MESSAGE, stsConstraints as sts } from '@latchkey/model';
import { mintCredentials } from '../credentials.js';
import { DUPLICATE_TAG_KEYS, FEDERATION_TOKEN_WITH_SESSION } from '../messages.js';
import { defineStsOperation } from '../operation.js';
import { checkPackedSize, checkSessionPolicies } from '../session-policies.js';
import { policyArnsShape, sessionTagsShape } from '../shapes.js';
import { signedContext } from '../signed.js';
import { DEFAULT_SESSION_TOKEN_SECONDS, ROOT_SESSION_MAX_SECONDS } from './get-session-token.js';

export const GetFederationToken = defineStsOperation({
  name: 'GetFederationToken',
  sensitiveOutput: true,
  input: structure({
    Name: required(string(sts.federationName)),
    Policy: string(sts.sessionPolicy),
    PolicyArns: policyArnsShape,
    DurationSeconds: integer(sts.federationTokenDurationSeconds),
    Tags: sessionTagsShape,
  }),
  async run(base, input) {
    const ctx = signedContext(base);
    const caller = ctx.caller;
    if (caller.session !== undefined || (caller.kind !== 'user' && caller.kind !== 'root')) throw new AccessDenied(FEDERATION_TOKEN_WITH_SESSION);
    const arn = federatedUserArn(caller.accountId, input.Name);
    const policies = checkSessionPolicies(input);
    const tags = (input.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));
    const seen = new Set<string>();
    for (const tag of tags) {
      if (isReservedTagKey(tag.key)) throw new InvalidParameterValue(RESERVED_TAG_PREFIX_MESSAGE);
      if (seen.has(tag.key.toLowerCase())) throw new InvalidParameterValue(DUPLICATE_TAG_KEYS);
      seen.add(tag.key.toLowerCase());
    }
    const extras = tags.length > 0 ? { requestTags: tags } : {};
    await ctx.authorizer.authorize(ctx.repos, caller, ctx.env, 'sts:GetFederationToken', arn, extras);
    if (tags.length > 0) await ctx.authorizer.authorize(ctx.repos, caller, ctx.env, 'sts:TagSession', arn, extras);
    const packed = checkPackedSize(policies, tags);
    const requested = input.DurationSeconds ?? (caller.kind === 'root' ? ROOT_SESSION_MAX_SECONDS : DEFAULT_SESSION_TOKEN_SECONDS);
    const duration = caller.kind === 'root' ? Math.min(requested, ROOT_SESSION_MAX_SECONDS) : requested;
    const principalId = `${caller.accountId}:${input.Name}`;
    const minted = await mintCredentials(
      {
        type: 'FederatedUser',
        accountId: caller.accountId,
        principalArn: arn,
        principalId,
        ...(caller.accessKeyId === undefined ? {} : { sourceAccessKeyId: caller.accessKeyId }),
        ...(policies.policy === undefined ? {} : { sessionPolicy: policies.policy }),
        ...(policies.policyArns === undefined ? {} : { sessionPolicyArns: policies.policyArns }),
        ...(tags.length === 0 ? {} : { tags }),
        // Who minted the session: its permissions are that user's (or the root's) ∩ the session policies.
        attributes:
          caller.identity.kind === 'user'
            ? { [FEDERATION_SOURCE_ATTRIBUTES.userId]: caller.identity.id, [FEDERATION_SOURCE_ATTRIBUTES.userName]: caller.identity.name, [FEDERATION_SOURCE_ATTRIBUTES.userArn]: caller.identity.arn }
            : { sourceRoot: 'true' },
      },
      ctx.now,
      duration,
      ctx,
    );
    const sent = policies.policy !== undefined || policies.policyArns !== undefined || tags.length > 0;
    return { Credentials: minted.output, FederatedUser: { FederatedUserId: principalId, Arn: arn }, ...(sent ? { PackedPolicySize: packed } : {}) };
  },
});
