import type { Caller, CallerSession, PolicyIdentity } from '@latchkey/iam';
import type { Session } from '@latchkey/keyring';

/** Attribute names a session token carries for federated users (the IAM user or root that called GetFederationToken). */
export const PARENT_ID_ATTRIBUTE = 'parentId';
export const PARENT_ARN_ATTRIBUTE = 'parentArn';

const lastSegment = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * The `Caller` a request signed with these temporary credentials acts as. The session token
 * carries everything needed: the Authorizer then loads the role's (or user's) current stored
 * policies, so deleting the role or its policies takes effect for live sessions.
 */
export function sessionCaller(session: Session): Caller {
  const callerSession: CallerSession = {
    issuedAt: new Date(session.issuedAt * 1000),
    expiresAt: new Date(session.expiresAt * 1000),
    ...(session.mfaAuthenticatedAt === undefined ? {} : { mfaAuthenticatedAt: new Date(session.mfaAuthenticatedAt * 1000) }),
    ...(session.sessionPolicy === undefined ? {} : { policies: [session.sessionPolicy] }),
    ...(session.sessionPolicyArns === undefined ? {} : { policyArns: session.sessionPolicyArns }),
    ...(session.tags === undefined ? {} : { tags: session.tags }),
    ...(session.transitiveTagKeys === undefined ? {} : { transitiveTagKeys: session.transitiveTagKeys }),
    ...(session.sourceIdentity === undefined ? {} : { sourceIdentity: session.sourceIdentity }),
  };
  let kind: Caller['kind'];
  let identity: PolicyIdentity;
  switch (session.type) {
    case 'AssumedRole': {
      const roleArn = session.roleArn ?? '';
      const colon = session.principalId.indexOf(':');
      // AROA…:session: the role id decides which stored policies apply (a role re-created
      // under the same name has a new id, so old sessions get nothing, as in AWS).
      identity = { kind: 'role', id: colon < 0 ? session.principalId : session.principalId.slice(0, colon), name: lastSegment(roleArn), arn: roleArn };
      kind = 'assumed-role';
      break;
    }
    case 'IAMUser':
      identity = { kind: 'user', id: session.principalId, name: lastSegment(session.principalArn), arn: session.principalArn };
      kind = 'user';
      break;
    case 'Root':
      identity = { kind: 'root' };
      kind = 'root';
      break;
    case 'FederatedUser': {
      const parentId = session.attributes?.[PARENT_ID_ATTRIBUTE];
      const parentArn = session.attributes?.[PARENT_ARN_ATTRIBUTE];
      identity = parentId === undefined || parentArn === undefined ? { kind: 'root' } : { kind: 'user', id: parentId, name: lastSegment(parentArn), arn: parentArn };
      kind = 'federated-user';
      break;
    }
  }
  return { kind, accountId: session.accountId, arn: session.principalArn, userId: session.principalId, identity, accessKeyId: session.accessKeyId, session: callerSession };
}
