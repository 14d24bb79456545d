import { MalformedPolicyDocument, PackedPolicyTooLarge, ValidationError } from '@latchkey/errors';
import { parseArn } from '@latchkey/model';
import { awsPolicyError, loadPolicy } from '@latchkey/policy';
import type { Tag } from '@latchkey/store';
import { PACKED_POLICY_TOO_LARGE, invalidArn } from './messages.js';

/** The plaintext limit AWS documents for session policies (inline document). */
export const MAX_SESSION_POLICY_CHARS = 2048;
/**
 * The budget of our packed form, in bytes. AWS's packing (a compressed binary form) is not
 * public; ours is: the minified inline policy + each policy ARN + each tag's key and value,
 * over 4,096 bytes. A 2,048-character policy alone uses at most half; 50 long tags exceed it,
 * as they do on AWS.
 */
export const PACKED_BUDGET_BYTES = 4096;

export interface SessionPolicyInput {
  readonly Policy?: string;
  readonly PolicyArns?: readonly { arn?: string }[];
}

export interface CheckedSessionPolicies {
  readonly policy?: string;
  readonly policyArns?: readonly string[];
}

/**
 * Validates the session policies of a request: the inline document as a `session` policy
 * (AWS's MalformedPolicyDocument texts; at most 2,048 characters), each `PolicyArns.member.N.arn`
 * as a policy ARN (`<arn> is invalid` otherwise). The managed policies are not required to
 * exist: a missing one grants nothing when the session is used.
 */
export function checkSessionPolicies(input: SessionPolicyInput): CheckedSessionPolicies {
  const out: { policy?: string; policyArns?: string[] } = {};
  if (input.Policy !== undefined) {
    if (input.Policy.length > MAX_SESSION_POLICY_CHARS) {
      throw new ValidationError(
        `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SESSION_POLICY_CHARS}`,
      );
    }
    const loaded = loadPolicy(input.Policy, { type: 'session', id: 'session-policy' });
    const problem = awsPolicyError(loaded.diagnostics);
    if (problem !== undefined || loaded.policy === undefined) throw new MalformedPolicyDocument(problem?.message ?? 'The policy is not in the valid JSON format.');
    out.policy = input.Policy;
  }
  if (input.PolicyArns !== undefined && input.PolicyArns.length > 0) {
    const arns: string[] = [];
    for (const member of input.PolicyArns) {
      const arn = member.arn ?? '';
      const parsed = parseArn(arn);
      if (parsed === undefined || parsed.service !== 'iam' || !parsed.resource.startsWith('policy/')) throw new ValidationError(invalidArn(arn));
      arns.push(arn);
    }
    out.policyArns = arns;
  }
  return out;
}

function minified(policy: string): string {
  try {
    return JSON.stringify(JSON.parse(policy));
  } catch {
    return policy;
  }
}

/**
 * `PackedPolicySize`: the percentage of the packed budget the session's policies and tags use
 * (rounded up; 0 when there are none). Transitive status does not count, as in AWS.
 */
export function packedPolicySize(policies: CheckedSessionPolicies, tags: readonly Tag[]): number {
  const encoder = new TextEncoder();
  let bytes = 0;
  if (policies.policy !== undefined) bytes += encoder.encode(minified(policies.policy)).length;
  for (const arn of policies.policyArns ?? []) bytes += encoder.encode(arn).length;
  for (const tag of tags) bytes += encoder.encode(tag.key).length + encoder.encode(tag.value).length;
  return Math.ceil((bytes * 100) / PACKED_BUDGET_BYTES);
}

/** Throws PackedPolicyTooLarge above 100 %; returns the percentage otherwise. */
export function checkPackedSize(policies: CheckedSessionPolicies, tags: readonly Tag[]): number {
  const percent = packedPolicySize(policies, tags);
  if (percent > 100) throw new PackedPolicyTooLarge(PACKED_POLICY_TOO_LARGE(percent));
  return percent;
}
