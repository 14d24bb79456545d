import { InvalidClientTokenId } from '@latchkey/errors';
import type { Caller } from './caller.js';

// IAM's text for this case (observed, aws/aws-cli#8918; 99designs/aws-vault#1056), without the
// trailing period STS uses.
const INVALID_TOKEN = 'The security token included in the request is invalid';

/**
 * Temporary credentials IAM refuses outright (STS API reference, GetSessionToken and
 * GetFederationToken): GetSessionToken credentials without MFA, and federated-user
 * credentials, cannot call any IAM operation. AWS answers before authorization, as for an
 * unknown token: 403 InvalidClientTokenId.
 */
export function assertMayCallIam(caller: Caller): void {
  const session = caller.session;
  if (session === undefined) return;
  if (caller.kind === 'federated-user') throw new InvalidClientTokenId(INVALID_TOKEN, { detail: 'federated-user credentials cannot call IAM' });
  if ((caller.kind === 'user' || caller.kind === 'root') && session.mfaAuthenticatedAt === undefined) {
    throw new InvalidClientTokenId(INVALID_TOKEN, { detail: 'GetSessionToken credentials without MFA cannot call IAM' });
  }
}
