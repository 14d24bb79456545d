import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { Credentials } from '@aws-sdk/client-sts';
import type { Keys } from './sts-server.js';
import { totp } from './totp.js';

export const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
export const allow = (action: string | string[], resource: string | string[] = '*', condition?: object): object => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...(condition === undefined ? {} : { Condition: condition }),
});
export const trust = (principal: object, action: string | string[] = 'sts:AssumeRole', condition?: object): string =>
  policy({ Effect: 'Allow', Principal: principal, Action: action, ...(condition === undefined ? {} : { Condition: condition }) });

/** A user with an access key and optional inline identity policy. */
export async function userWithKey(root: IAMClient, name: string, identityPolicy?: string): Promise<Keys & { arn: string }> {
  const user = (await root.send(new CreateUserCommand({ UserName: name }))).User!;
  if (identityPolicy !== undefined) await root.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: identityPolicy }));
  const key = (await root.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey!, arn: user.Arn! };
}

/** A role with a trust policy and optional inline permissions. */
export async function role(root: IAMClient, name: string, trustPolicy: string, permissions?: string, maxSessionDuration?: number): Promise<string> {
  const r = (await root.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy, ...(maxSessionDuration === undefined ? {} : { MaxSessionDuration: maxSessionDuration }) }))).Role!;
  if (permissions !== undefined) await root.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'perm', PolicyDocument: permissions }));
  return r.Arn!;
}

/**
 * A virtual MFA device enabled for `userName` with two consecutive codes at `now`; returns its
 * serial and a code source by time step (the seed stays in the test).
 */
export async function mfaDevice(root: IAMClient, userName: string, deviceName: string, now: number): Promise<{ serial: string; code: (step: number) => string; step: number }> {
  const d = (await root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }))).VirtualMFADevice!;
  const seed = Buffer.from(d.Base32StringSeed!).toString('utf8');
  const step = Math.floor(now / 30_000);
  await root.send(new EnableMFADeviceCommand({ UserName: userName, SerialNumber: d.SerialNumber!, AuthenticationCode1: totp(seed, step - 1), AuthenticationCode2: totp(seed, step) }));
  return { serial: d.SerialNumber!, code: (s) => totp(seed, s), step };
}

export const keysOf = (c: Credentials | undefined): Keys => ({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });

/** Expects a promise to reject; returns the SDK error's name, status and message. */
export async function rejection(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail');
}
