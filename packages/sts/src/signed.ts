import { MissingAuthenticationToken } from '@latchkey/errors';
import type { SignedStsContext, StsContext } from './operation.js';
import { MISSING_AUTHENTICATION } from './messages.js';

/** The context of a signed operation: an unsigned request never reaches one (the service checks), this guards the type. */
export function signedContext(ctx: StsContext): SignedStsContext {
  if (ctx.caller === undefined) throw new MissingAuthenticationToken(MISSING_AUTHENTICATION);
  return ctx as SignedStsContext;
}
