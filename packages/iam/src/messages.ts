// AWS's texts for IAM's entity errors (recorded from AWS where noted in
// shared/reference/sts-iam-api.md §4.2; the rest follow the same forms).

export const noSuchUser = (name: string): string => `The user with name ${name} cannot be found.`;
export const noSuchGroup = (name: string): string => `The group with name ${name} cannot be found.`;
export const noSuchAccessKey = (id: string): string => `The Access Key with id ${id} cannot be found.`;
export const userExists = (name: string): string => `User with name ${name} already exists.`;
export const groupExists = (name: string): string => `Group with name ${name} already exists.`;

/** DeleteConflict texts, one per kind of dependent. */
export const DELETE_CONFLICT = {
  loginProfile: 'Cannot delete entity, must delete login profile first.',
  accessKeys: 'Cannot delete entity, must delete access keys first.',
  mfaDevices: 'Cannot delete entity, must delete MFA device first.',
  inlinePolicies: 'Cannot delete entity, must delete policies first.',
  attachedPolicies: 'Cannot delete entity, must detach all policies first.',
  groupMembership: 'Cannot delete entity, must remove users from group first.',
} as const;

/** The ValidationError AWS gives non-user callers that omit `UserName`. */
export const MUST_SPECIFY_USER_NAME = 'Must specify userName when calling with non-User credentials';
