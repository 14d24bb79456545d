import { callerFromSession, type Caller } from '@latchkey/iam';
import type { Session } from '@latchkey/keyring';

/**
 * The `Caller` a request signed with these temporary credentials acts as: `@latchkey/iam`'s
 * `callerFromSession`, so the server, the middleware and STS read sessions one way. The
 * Authorizer then loads the role's (or user's) current stored policies, so deleting the role or
 * its policies takes effect for live sessions.
 */
export function sessionCaller(session: Session): Caller {
  return callerFromSession(session);
}
