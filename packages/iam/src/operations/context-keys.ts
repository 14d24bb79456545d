import { list, required, string, structure } from '@latchkey/aws-query';
import { iamConstraints as iam } from '@latchkey/model';
import { findVariables, validatePolicy } from '@latchkey/policy';
import { defineOperation, type AnyOperation } from '../operation.js';
import { PolicyCache } from '../simulate/policy-cache.js';
import { labelledPolicies, policySource } from './simulate-policies.js';

const cache = new PolicyCache(1_000);

/**
 * The context keys the documents reference, each once (keys are case-insensitive: the first
 * spelling wins), in document order: per statement the policy variables of `Resource` /
 * `NotResource` (`${aws:username}`, 2012-10-17 documents only: in older ones they are literal
 * text), then the condition keys and the variables in condition values. AWS's own example lists
 * `aws:username` from such a variable. A document that does not validate fails the call with
 * the error SimulateCustomPolicy would give (`MalformedPolicyDocument`, AWS's text).
 */
export function contextKeysOf(documents: readonly { readonly text: string; readonly id: string }[]): string[] {
  const seen = new Map<string, string>();
  const add = (key: string) => {
    const lower = key.toLowerCase();
    if (!seen.has(lower)) seen.set(lower, key);
  };
  for (const { text, id } of documents) {
    cache.load(text, { type: 'identity', id });
    const { policy } = validatePolicy(text, { type: 'identity', inline: true, maxSize: 131_072 });
    if (policy === undefined) continue;
    const variables = (values: readonly unknown[]) => {
      if (policy.version !== '2012-10-17') return;
      for (const value of values) if (typeof value === 'string') for (const use of findVariables(value)) if (use.invalid === undefined && use.key.includes(':')) add(use.key);
    };
    for (const statement of policy.statements) {
      variables([...(statement.resource ?? []), ...(statement.notResource ?? [])]);
      for (const clause of statement.conditions) {
        add(clause.key);
        variables(clause.values);
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
