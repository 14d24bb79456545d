import { parseArn } from './arn.js';

/** The partition every builder uses unless told otherwise. */
export const DEFAULT_PARTITION = 'aws';

/** Account field of AWS managed policy ARNs. */
export const AWS_MANAGED_ACCOUNT = 'aws';

function iam(partition: string, accountId: string, resource: string): string {
  return `arn:${partition}:iam::${accountId}:${resource}`;
}

// IAM paths are `/` or `/a/b/`; in the ARN they sit between the type and the name.
function pathed(type: string, path: string, name: string): string {
  return `${type}${path}${name}`;
}

export function accountRootArn(accountId: string, partition = DEFAULT_PARTITION): string {
  return iam(partition, accountId, 'root');
}

export function userArn(accountId: string, path: string, userName: string, partition = DEFAULT_PARTITION): string {
  return iam(partition, accountId, pathed('user', path, userName));
}

export function groupArn(accountId: string, path: string, groupName: string, partition = DEFAULT_PARTITION): string {
  return iam(partition, accountId, pathed('group', path, groupName));
}

export function roleArn(accountId: string, path: string, roleName: string, partition = DEFAULT_PARTITION): string {
  return iam(partition, accountId, pathed('role', path, roleName));
}

/** Customer managed policy: `arn:aws:iam::ACCT:policy/path/name`. */
export function policyArn(accountId: string, path: string, policyName: string, partition = DEFAULT_PARTITION): string {
  return iam(partition, accountId, pathed('policy', path, policyName));
}

/** AWS managed policy: `arn:aws:iam::aws:policy/path/name` (the account field is the literal `aws`). */
export function awsManagedPolicyArn(path: string, policyName: string, partition = DEFAULT_PARTITION): string {
  return iam(partition, AWS_MANAGED_ACCOUNT, pathed('policy', path, policyName));
}

export function instanceProfileArn(accountId: string, path: string, name: string, partition = DEFAULT_PARTITION): string {
  return iam(partition, accountId, pathed('instance-profile', path, name));
}

/** Virtual MFA device; the ARN is also the device's SerialNumber. */
export function mfaDeviceArn(accountId: string, path: string, deviceName: string, partition = DEFAULT_PARTITION): string {
  return iam(partition, accountId, pathed('mfa', path, deviceName));
}

export function serverCertificateArn(accountId: string, path: string, name: string, partition = DEFAULT_PARTITION): string {
  return iam(partition, accountId, pathed('server-certificate', path, name));
}

/**
 * OIDC provider: the resource is the issuer URL without its scheme (`oidc-provider/token.actions.githubusercontent.com`,
 * `oidc-provider/gitlab.com/group`), as AWS names it. A trailing slash is dropped.
 */
export function oidcProviderArn(accountId: string, issuerUrl: string, partition = DEFAULT_PARTITION): string {
  const withoutScheme = issuerUrl.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  return iam(partition, accountId, `oidc-provider/${withoutScheme}`);
}

export function samlProviderArn(accountId: string, name: string, partition = DEFAULT_PARTITION): string {
  return iam(partition, accountId, `saml-provider/${name}`);
}

/** `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`: the role path is deliberately absent, as in AWS. */
export function assumedRoleArn(accountId: string, roleName: string, sessionName: string, partition = DEFAULT_PARTITION): string {
  return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

export function federatedUserArn(accountId: string, name: string, partition = DEFAULT_PARTITION): string {
  return `arn:${partition}:sts::${accountId}:federated-user/${name}`;
}

/** Resource types whose ARN carries a path and a name. */
export type IamPathedResourceType = 'user' | 'group' | 'role' | 'policy' | 'instance-profile' | 'mfa' | 'server-certificate';

const PATHED: ReadonlySet<string> = new Set<IamPathedResourceType>(['user', 'group', 'role', 'policy', 'instance-profile', 'mfa', 'server-certificate']);

export interface IamResourceArn {
  readonly partition: string;
  readonly accountId: string;
  readonly type: IamPathedResourceType;
  /** `/` or `/a/b/`. */
  readonly path: string;
  readonly name: string;
}

/**
 * Splits an IAM ARN of a pathed resource (user, group, role, policy, instance profile, MFA device,
 * server certificate) into path and name. The name is the text after the last `/`; never throws.
 */
export function parseIamResourceArn(value: string): IamResourceArn | undefined {
  const arn = parseArn(value);
  if (!arn || arn.service !== 'iam' || arn.region !== '' || arn.accountId === '') return undefined;
  const slash = arn.resource.indexOf('/');
  if (slash <= 0) return undefined;
  const type = arn.resource.slice(0, slash);
  if (!PATHED.has(type)) return undefined;
  const last = arn.resource.lastIndexOf('/');
  const name = arn.resource.slice(last + 1);
  if (name.length === 0) return undefined;
  if (arn.accountId === AWS_MANAGED_ACCOUNT && type !== 'policy') return undefined;
  return { partition: arn.partition, accountId: arn.accountId, type: type as IamPathedResourceType, path: arn.resource.slice(slash, last + 1), name };
}

export interface AssumedRoleArnParts {
  readonly partition: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly sessionName: string;
}

export function parseAssumedRoleArn(value: string): AssumedRoleArnParts | undefined {
  const arn = parseArn(value);
  if (!arn || arn.service !== 'sts' || !/^\d{12}$/.test(arn.accountId)) return undefined;
  const m = /^assumed-role\/([^/]+)\/([^/]+)$/.exec(arn.resource);
  if (!m) return undefined;
  return { partition: arn.partition, accountId: arn.accountId, roleName: m[1]!, sessionName: m[2]! };
}
