import type { AnyStsOperation } from '../operation.js';
import { AssumeRole } from './assume-role.js';
import { AssumeRoleWithWebIdentity } from './assume-role-with-web-identity.js';
import { DecodeAuthorizationMessage } from './decode-authorization-message.js';
import { GetFederationToken } from './get-federation-token.js';
import { GetSessionToken } from './get-session-token.js';
import { GetAccessKeyInfo, GetCallerIdentity } from './identity.js';
import { LatchkeySignIn } from './sign-in.js';

/** Every STS action Latchkey serves, by name. */
export const stsOperations: Readonly<Record<string, AnyStsOperation>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, AnyStsOperation>, {
    AssumeRole,
    AssumeRoleWithWebIdentity,
    DecodeAuthorizationMessage,
    GetAccessKeyInfo,
    GetCallerIdentity,
    GetFederationToken,
    GetSessionToken,
    // A Latchkey extension (password sign-in), not an AWS action: see sign-in.ts.
    LatchkeySignIn,
  } satisfies Record<string, AnyStsOperation>),
);
