import { ACCOUNT, policy } from './fixture.js';

/** `Tags.member.N.Key/Value` query parameters. */
export function tagParams(tags: Record<string, string>, member = 'Tags'): Record<string, string> {
  const out: Record<string, string> = {};
  Object.entries(tags).forEach(([k, v], i) => {
    out[`${member}.member.${i + 1}.Key`] = k;
    out[`${member}.member.${i + 1}.Value`] = v;
  });
  return out;
}

/** `Name.member.N` query parameters for a list of strings. */
export function listParams(member: string, values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  values.forEach((v, i) => {
    out[`${member}.member.${i + 1}`] = v;
  });
  return out;
}

/** A trust policy letting `principal` (the account root by default) assume the role. */
export function trust(principal: unknown = { AWS: `arn:aws:iam::${ACCOUNT}:root` }): string {
  return policy({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' });
}

export const localPolicyArn = (name: string, path = '/'): string => `arn:aws:iam::${ACCOUNT}:policy${path}${name}`;

/** Narrows an operation result for assertions. */
export const out = (value: unknown): any => value;
