import { InvalidInput } from '@latchkey/errors';
import type { PrincipalInfo } from '@latchkey/policy';

/**
 * The simulated caller from `CallerArn`. AWS accepts only IAM user ARNs here; Latchkey also
 * accepts roles, assumed-role sessions, federated users and the account root, because its
 * evaluator distinguishes them (resource policies naming a session, boundaries, ...).
 */
export function principalFromCallerArn(arn: string): PrincipalInfo {
  const parts = arn.split(':');
  const [prefix, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  const fail = (): never => {
    throw new InvalidInput(`CallerArn ("${arn}") must be the ARN of an IAM user, role, assumed-role session, federated user or account root.`);
  };
  if (parts.length < 6 || prefix !== 'arn' || !partition || region !== '' || account === undefined || !/^\d{12}$/.test(account)) return fail();
  if (service === 'iam') {
    if (resource === 'root') return { kind: 'root', arn, accountId: account };
    if (/^user\/(.+\/)?[^/]+$/.test(resource)) return { kind: 'user', arn, accountId: account };
    if (/^role\/(.+\/)?[^/]+$/.test(resource)) return { kind: 'role', arn, accountId: account };
  }
  if (service === 'sts') {
    const session = /^assumed-role\/([^/]+)\/([^/]+)$/.exec(resource);
    if (session !== null) return { kind: 'assumed-role', arn, accountId: account, roleArn: `arn:${partition}:iam::${account}:role/${session[1]}` };
    if (/^federated-user\/[^/]+$/.test(resource)) return { kind: 'federated-user', arn, accountId: account };
  }
  return fail();
}

/** Account used when the request names no caller: the simulated caller then lives in the
 * account that owns the resources (as when a user simulates with their own credentials). */
export const DEFAULT_ACCOUNT = '000000000000';

export function defaultCaller(account: string): PrincipalInfo {
  return { kind: 'user', arn: `arn:aws:iam::${account}:user/latchkey-simulated-caller`, accountId: account };
}
