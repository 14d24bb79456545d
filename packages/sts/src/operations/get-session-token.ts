import { integer, string, structure } from '@latchkey/aws-query';
import { AccessDenied } from '@latchkey/errors';
import { stsConstraints as sts } from '@latchkey/model';
import { mintCredentials } from '../credentials.js';
import { SESSION_TOKEN_WITH_SESSION } from '../messages.js';
import { defineStsOperation } from '../operation.js';
import { signedContext } from '../signed.js';
import { verifyMfa } from './assume-role.js';

/** GetSessionToken's default (12 hours) and the root's cap (one hour, applied silently as AWS does). */
export const DEFAULT_SESSION_TOKEN_SECONDS = 43_200;
export const ROOT_SESSION_MAX_SECONDS = 3600;

export const GetSessionToken = defineStsOperation({
  name: 'GetSessionToken',
  sensitiveOutput: true,
  input: structure({
    DurationSeconds: integer(sts.sessionTokenDurationSeconds),
    SerialNumber: string(sts.serialNumber),
    TokenCode: string(sts.tokenCode),
  }),
  async run(base, input) {
    const ctx = signedContext(base);
    const caller = ctx.caller;
    // Long-term credentials only (aws/aws-sdk-net#1704). No permission is needed: the call
    // exists to authenticate with MFA, which policies cannot control.
    if (caller.session !== undefined || (caller.kind !== 'user' && caller.kind !== 'root')) throw new AccessDenied(SESSION_TOKEN_WITH_SESSION);
    const mfaAt = await verifyMfa(ctx, input.SerialNumber, input.TokenCode);
    const requested = input.DurationSeconds ?? (caller.kind === 'root' ? ROOT_SESSION_MAX_SECONDS : DEFAULT_SESSION_TOKEN_SECONDS);
    const duration = caller.kind === 'root' ? Math.min(requested, ROOT_SESSION_MAX_SECONDS) : requested;
    const minted = await mintCredentials(
      {
        type: caller.kind === 'root' ? 'Root' : 'IAMUser',
        accountId: caller.accountId,
        principalArn: caller.arn,
        principalId: caller.userId,
        ...(caller.accessKeyId === undefined ? {} : { sourceAccessKeyId: caller.accessKeyId }),
        ...(mfaAt === undefined ? {} : { mfaAuthenticatedAt: Math.floor(mfaAt.getTime() / 1000) }),
      },
      ctx.now,
      duration,
      ctx,
    );
    return { Credentials: minted.output };
  },
});
