import { InvalidInput, NoSuchEntity, PolicyNotAttachable } from '@latchkey/errors';
import { parseIamResourceArn } from '@latchkey/model';
import { AWS_MANAGED_ACCOUNT_ID, type ManagedPolicyRecord } from '@latchkey/store';
import type { OperationContext } from './operation.js';

/**
 * Checks that `arn` names a managed policy the caller's account may use as a permissions
 * boundary (its own, or an AWS managed one) and returns it: a malformed ARN is InvalidInput,
 * a missing or foreign policy NoSuchEntity, a policy AWS marks unattachable PolicyNotAttachable.
 */
export async function attachablePolicy(ctx: OperationContext, arn: string): Promise<ManagedPolicyRecord> {
  const parsed = parseIamResourceArn(arn);
  if (parsed === undefined || parsed.type !== 'policy') throw new InvalidInput(`ARN ${arn} is not valid.`);
  const policy = await ctx.repos.policies.getByArn(arn);
  if (policy === undefined || (policy.accountId !== ctx.accountId && policy.accountId !== AWS_MANAGED_ACCOUNT_ID)) {
    throw new NoSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  }
  if (!policy.isAttachable) throw new PolicyNotAttachable(`Policy ${arn} is not attachable.`);
  return policy;
}
