import { required, string, structure } from '@latchkey/aws-query';
import { InvalidAuthorizationMessageException } from '@latchkey/errors';
import { stsConstraints as sts } from '@latchkey/model';
import { decodeAuthorizationMessage } from '../authorization-message.js';
import { INVALID_AUTHORIZATION_MESSAGE } from '../messages.js';
import { defineStsOperation } from '../operation.js';
import { signedContext } from '../signed.js';

export const DecodeAuthorizationMessage = defineStsOperation({
  name: 'DecodeAuthorizationMessage',
  input: structure({ EncodedMessage: required(string(sts.encodedMessage)) }),
  async run(base, input) {
    const ctx = signedContext(base);
    // Authorize first: whether a message decodes is itself information.
    await ctx.authorizer.authorize(ctx.repos, ctx.caller, ctx.env, 'sts:DecodeAuthorizationMessage', '*');
    const decoded = await decodeAuthorizationMessage(input.EncodedMessage, ctx.keyring);
    if (decoded === undefined) throw new InvalidAuthorizationMessageException(INVALID_AUTHORIZATION_MESSAGE);
    return { DecodedMessage: decoded };
  },
});
