/**
 * The kinds of policy document AWS distinguishes. Each has its own required and forbidden
 * elements and size limit (see validation), and its own role in evaluation.
 *
 * - `identity`: attached to a user, group or role (managed or inline).
 * - `resource`: attached to a resource (bucket, queue, key, an in-house service's resource).
 * - `trust`: a role's assume-role policy (a resource policy whose resource is the role).
 * - `boundary`: a permissions boundary on a user or role.
 * - `session`: passed to AssumeRole / GetFederationToken to narrow a session.
 * - `scp`: an Organizations service control policy.
 */
export type PolicyType = 'identity' | 'resource' | 'trust' | 'boundary' | 'session' | 'scp';

export const POLICY_TYPES: readonly PolicyType[] = ['identity', 'resource', 'trust', 'boundary', 'session', 'scp'];
