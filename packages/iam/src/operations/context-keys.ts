import { list, required, string, structure } from '@latchkey/aws-query';
import { iamConstraints as iam } from '@latchkey/model';
import { validatePolicy } from '@latchkey/policy';
import { defineOperation, type AnyOperation } from '../operation.js';
import { PolicyCache } from '../simulate/policy-cache.js';
import { labelledPolicies, policySource } from './simulate-policies.js';

const cache = new PolicyCache(1_000);

/**
 * The condition keys the documents test, each once (keys are case-insensitive: the first
 * spelling wins), in document order. A document that does not validate fails the call with the
 * error SimulateCustomPolicy would give (`MalformedPolicyDocument`, AWS's text).
 */
export function contextKeysOf(documents: readonly { readonly text: string; readonly id: string }[]): string[] {
  const seen = new Map<string, string>();
  for (const { text, id } of documents) {
    cache.load(text, { type: 'identity', id });
    const { policy } = validatePolicy(text, { type: 'identity', inline: true, maxSize: 131_072 });
    for (const statement of policy?.statements ?? []) {
      for (const clause of statement.conditions) {
        const lower = clause.key.toLowerCase();
        if (!seen.has(lower)) seen.set(lower, clause.key);
      }
    }
  }
  return [...seen.values()];
}

export const GetContextKeysForCustomPolicy = defineOperation({
  name: 'GetContextKeysForCustomPolicy',
  readOnly: true,
  input: structure({ PolicyInputList: required(list(string(iam.policyDocument))) }),
  async run(ctx, input) {
    await ctx.authorize('iam:GetContextKeysForCustomPolicy', '*');
    return { ContextKeyNames: contextKeysOf(input.PolicyInputList.map((text, i) => ({ text, id: `PolicyInputList.${i + 1}` }))) };
  },
});

export const GetContextKeysForPrincipalPolicy = defineOperation({
  name: 'GetContextKeysForPrincipalPolicy',
  readOnly: true,
  input: structure({ PolicySourceArn: required(string(iam.arn)), PolicyInputList: list(string(iam.policyDocument)) }),
  async run(ctx, input) {
    const source = await policySource(ctx, 'iam:GetContextKeysForPrincipalPolicy', input.PolicySourceArn);
    const { identity, boundary } = labelledPolicies(source);
    // The boundary is included: its conditions decide simulations of the entity as much as the
    // identity policies do.
    const stored = [...identity, ...(boundary === undefined ? [] : [boundary])].map((p) => ({ text: p.text, id: p.id }));
    const extra = (input.PolicyInputList ?? []).map((text, i) => ({ text, id: `PolicyInputList.${i + 1}` }));
    return { ContextKeyNames: contextKeysOf([...stored, ...extra]) };
  },
});

export const contextKeyOperations: readonly AnyOperation[] = [GetContextKeysForPrincipalPolicy, GetContextKeysForCustomPolicy];
