import { integer, required, string, structure } from '@latchkey/aws-query';
import { AccessDenied, PasswordResetRequired } from '@latchkey/errors';
import { verifyPassword } from '@latchkey/iam';
import { iamConstraints as iam, stsConstraints as sts, stringConstraint } from '@latchkey/model';
import type { Repositories } from '@latchkey/store';
import { mintCredentials } from '../credentials.js';
import { MFA_INCOMPLETE } from '../messages.js';
import { defineStsOperation } from '../operation.js';
import { DEFAULT_SESSION_TOKEN_SECONDS } from './get-session-token.js';

/**
 * The action name. A Latchkey extension, not an AWS STS action: the `Latchkey` prefix keeps it
 * out of AWS's namespace (AWS names its actions with plain verbs), so no AWS SDK will ever send
 * it by accident and a future AWS action cannot collide with it.
 */
export const SIGN_IN_ACTION = 'LatchkeySignIn';

// The AWS console's text for any failed sign-in: it does not say whether the account, the user
// or the password was wrong.
export const SIGN_IN_FAILED = 'Your authentication information is incorrect. Please try again.';
export const signInLocked = (retryAt: Date): string =>
  `Too many failed sign-in attempts for this user. Try again after ${retryAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}.`;
export const SIGN_IN_HARD_EXPIRED = 'Your password has expired and the account password policy (HardExpiry) lets only an administrator reset it (iam:UpdateLoginProfile).';
export const SIGN_IN_MFA_REQUIRED = 'This user has an MFA device: sign in with SerialNumber and TokenCode.';
export const SIGN_IN_CHANGE_REQUIRED =
  'Your password must be changed before you sign in (an administrator required it, or it expired under the account password policy). Change it with iam:ChangePassword (aws iam change-password) using credentials you already have, or ask an administrator to set a new one (iam:UpdateLoginProfile).';

// A 12-digit account id, or an account alias.
const account = stringConstraint({ min: 3, max: 63, pattern: '^(\\d{12}|[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9])$', jsPattern: '(?:\\d{12}|[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9])' });

async function accountIdOf(repos: Repositories, value: string): Promise<string | undefined> {
  if (/^\d{12}$/.test(value)) return (await repos.accounts.get(value))?.id;
  return (await repos.accounts.getByAlias(value))?.id;
}

/**
 * Password sign-in (a Latchkey extension): an IAM user exchanges account (id or alias), user
 * name and password, plus an MFA code when the user has a device, for temporary credentials of
 * the GetSessionToken kind. Unsigned: the password authenticates it. Failures are counted with
 * `@latchkey/iam`'s `verifyPassword` (lockout with exponential backoff, committed even though
 * the call fails); a password that must be changed is refused with `PasswordResetRequired`.
 */
export const LatchkeySignIn = defineStsOperation({
  name: SIGN_IN_ACTION,
  unsigned: true,
  sensitiveOutput: true,
  input: structure({
    Account: required(string(account)),
    UserName: required(string(iam.userName)),
    Password: required(string(iam.password)),
    SerialNumber: string(sts.serialNumber),
    TokenCode: string(sts.tokenCode),
    DurationSeconds: integer(sts.sessionTokenDurationSeconds),
  }),
  async run(ctx, input) {
    if ((input.SerialNumber === undefined) !== (input.TokenCode === undefined)) throw new AccessDenied(MFA_INCOMPLETE);
    const services = ctx.credentialServices;
    const accountId = await accountIdOf(ctx.repos, input.Account);
    const user = accountId === undefined ? undefined : await ctx.repos.users.getByName(accountId, input.UserName);
    // Unknown account or user: verifyPassword still spends a hash (no profile), so timing does not tell.
    const target = { accountId: accountId ?? '000000000000', userId: user?.id ?? 'AIDANOSUCHUSER000000' };
    const checked = await ctx.transaction((tx) => verifyPassword(tx, services.passwordHasher, ctx.now, target, input.Password, { throttle: services.passwordThrottle }));
    if (!checked.ok || user === undefined || accountId === undefined) {
      if (!checked.ok && checked.reason === 'locked' && checked.retryAt !== undefined) throw new AccessDenied(signInLocked(checked.retryAt));
      if (!checked.ok && checked.reason === 'expired') throw new AccessDenied(SIGN_IN_HARD_EXPIRED);
      throw new AccessDenied(SIGN_IN_FAILED);
    }
    // MFA after the password, so wrong passwords cannot burn a user's codes.
    const devices = (await ctx.repos.mfaDevices.listForUser(accountId, user.id)).filter((d) => d.enabledAt !== null);
    let mfaAt: Date | undefined;
    if (input.SerialNumber !== undefined && input.TokenCode !== undefined) {
      const check = { accountId, userId: user.id, serialNumber: input.SerialNumber, code: input.TokenCode, now: ctx.now };
      const result = await ctx.transaction((tx) => ctx.mfa.verify(tx, check));
      if (!result.ok) throw new AccessDenied(result.message);
      mfaAt = ctx.now;
    } else if (devices.length > 0) {
      throw new AccessDenied(SIGN_IN_MFA_REQUIRED);
    }
    if (checked.passwordChangeRequired) throw new PasswordResetRequired(SIGN_IN_CHANGE_REQUIRED);
    const minted = await mintCredentials(
      {
        type: 'IAMUser',
        accountId,
        principalArn: user.arn,
        principalId: user.id,
        ...(mfaAt === undefined ? {} : { mfaAuthenticatedAt: Math.floor(mfaAt.getTime() / 1000) }),
      },
      ctx.now,
      input.DurationSeconds ?? DEFAULT_SESSION_TOKEN_SECONDS,
      ctx,
    );
    return { Credentials: minted.output, Arn: user.arn };
  },
});
