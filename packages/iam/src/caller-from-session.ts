import type { Session } from '@latchkey/keyring';
import type { Caller, PolicyIdentity } from './caller.js';

/**
 * Attributes a GetFederationToken session must carry to name the IAM user that minted it
 * (federated users are decided by that user's policies ∩ the session policies).
 */
export const FEDERATION_SOURCE_ATTRIBUTES = { userId: 'sourceUserId', userName: 'sourceUserName', userArn: 'sourceUserArn' } as const;

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function identityOf(session: Session): PolicyIdentity {
  switch (session.type) {
    case 'Root':
      return { kind: 'root' };
    case 'IAMUser':
      return { kind: 'user', id: session.principalId, name: lastSegment(session.principalArn), arn: session.principalArn };
    case 'AssumedRole': {
      const roleArn = session.roleArn ?? '';
      const colon = session.principalId.indexOf(':');
      return { kind: 'role', id: colon < 0 ? session.principalId : session.principalId.slice(0, colon), name: lastSegment(roleArn), arn: roleArn };
    }
    case 'FederatedUser': {
      const a = session.attributes ?? {};
      const userId = a[FEDERATION_SOURCE_ATTRIBUTES.userId];
      // Minted by the root: everything in the account, narrowed by the session policies.
      if (userId === undefined) return a['sourceRoot'] === 'true' ? { kind: 'root' } : { kind: 'user', id: '', name: '', arn: '' };
      return { kind: 'user', id: userId, name: a[FEDERATION_SOURCE_ATTRIBUTES.userName] ?? '', arn: a[FEDERATION_SOURCE_ATTRIBUTES.userArn] ?? '' };
    }
  }
}

/**
 * The caller for a request signed with STS temporary credentials, from the session its token
 * carries. A federated session that names no minting user (and is not marked `sourceRoot`)
 * gets an identity that matches no stored principal, so it is allowed nothing: fail closed.
 */
export function callerFromSession(session: Session): Caller {
  const kind = session.type === 'AssumedRole' ? 'assumed-role' : session.type === 'FederatedUser' ? 'federated-user' : session.type === 'Root' ? 'root' : 'user';
  return {
    kind,
    accountId: session.accountId,
    arn: session.principalArn,
    userId: session.principalId,
    identity: identityOf(session),
    accessKeyId: session.accessKeyId,
    session: {
      issuedAt: new Date(session.issuedAt * 1000),
      expiresAt: new Date(session.expiresAt * 1000),
      ...(session.mfaAuthenticatedAt === undefined ? {} : { mfaAuthenticatedAt: new Date(session.mfaAuthenticatedAt * 1000) }),
      ...(session.sessionPolicy === undefined ? {} : { policies: [session.sessionPolicy] }),
      ...(session.sessionPolicyArns === undefined ? {} : { policyArns: session.sessionPolicyArns }),
      ...(session.tags === undefined ? {} : { tags: session.tags.map((t) => ({ key: t.key, value: t.value })) }),
      ...(session.transitiveTagKeys === undefined ? {} : { transitiveTagKeys: [...session.transitiveTagKeys] }),
      ...(session.sourceIdentity === undefined ? {} : { sourceIdentity: session.sourceIdentity }),
    },
  };
}
