import type { AccessKeyRecord, GroupRecord, Tag, UserRecord } from '@latchkey/store';

// Result structures, with members in the order of AWS's model (botocore iam 2010-05-08).

// A type alias, not an interface: XML result structures need an implicit index signature.
export type TagOutput = {
  Key: string;
  Value: string;
};

export function tagsOutput(tags: readonly Tag[]): TagOutput[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

/** `User`. ListUsers omits boundary and tags (AWS returns a subset there); GetUser and CreateUser include them. */
export function userOutput(user: UserRecord, extras: { tags?: readonly Tag[]; withBoundary?: boolean } = {}) {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: user.arn,
    CreateDate: new Date(user.createdAt),
    PasswordLastUsed: user.passwordLastUsedAt === null ? undefined : new Date(user.passwordLastUsedAt),
    PermissionsBoundary:
      extras.withBoundary === true && user.permissionsBoundaryArn !== null
        ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: user.permissionsBoundaryArn }
        : undefined,
    Tags: extras.tags !== undefined && extras.tags.length > 0 ? tagsOutput(extras.tags) : undefined,
  };
}

export function groupOutput(group: GroupRecord) {
  return { Path: group.path, GroupName: group.name, GroupId: group.id, Arn: group.arn, CreateDate: new Date(group.createdAt) };
}

/** `AccessKeyMetadata` (never the secret). `userName` is undefined for the root's keys. */
export function accessKeyMetadataOutput(key: AccessKeyRecord, userName: string | undefined) {
  return { UserName: userName, AccessKeyId: key.id, Status: key.status, CreateDate: new Date(key.createdAt) };
}
