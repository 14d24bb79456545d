import { required, string, structure } from '@latchkey/aws-query';
import { InvalidParameterValue } from '@latchkey/errors';
import { accountIdFromAccessKeyId, stsConstraints as sts } from '@latchkey/model';
import { defineStsOperation } from '../operation.js';
import { signedContext } from '../signed.js';

/** Who am I: needs no permission, and an explicit Deny does not stop it (AWS). Works for every caller kind. */
export const GetCallerIdentity = defineStsOperation({
  name: 'GetCallerIdentity',
  input: structure({}),
  async run(base) {
    const { caller } = signedContext(base);
    return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
  },
});

export const GetAccessKeyInfo = defineStsOperation({
  name: 'GetAccessKeyInfo',
  input: structure({ AccessKeyId: required(string(sts.accessKeyId)) }),
  async run(base, input) {
    const ctx = signedContext(base);
    await ctx.authorizer.authorize(ctx.repos, ctx.caller, ctx.env, 'sts:GetAccessKeyInfo', '*');
    // Our key ids encode the account (as AWS's new-generation ids do): no lookup needed. Older
    // imported ids fall back to the store.
    const account = accountIdFromAccessKeyId(input.AccessKeyId) ?? (await ctx.repos.accessKeys.get(input.AccessKeyId))?.accountId;
    if (account === undefined) throw new InvalidParameterValue('The specified access key ID is not valid.');
    return { Account: account };
  },
});
