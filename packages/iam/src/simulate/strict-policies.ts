import { MalformedPolicyDocument } from '@latchkey/errors';
import { validatePolicy } from '@latchkey/policy';
import type { Diagnostic, PolicyType, ServiceCatalog } from '@latchkey/policy';
import type { Repositories } from '@latchkey/store';
import type { AnyOperation } from '../operation.js';
import { isSecurityWarning } from './security-warnings.js';

/** The policy-writing operations, the member holding the document, and how it is validated. */
export const POLICY_WRITING_OPERATIONS: Readonly<Record<string, { readonly member: string; readonly type: PolicyType; readonly inline?: boolean }>> = {
  CreatePolicy: { member: 'PolicyDocument', type: 'identity' },
  CreatePolicyVersion: { member: 'PolicyDocument', type: 'identity' },
  PutUserPolicy: { member: 'PolicyDocument', type: 'identity', inline: true },
  PutGroupPolicy: { member: 'PolicyDocument', type: 'identity', inline: true },
  PutRolePolicy: { member: 'PolicyDocument', type: 'identity', inline: true },
  CreateRole: { member: 'AssumeRolePolicyDocument', type: 'trust' },
  UpdateAssumeRolePolicy: { member: 'PolicyDocument', type: 'trust' },
};

/** An account's registered in-house service catalogs as one partial catalog (undefined: none). */
export type ServiceCatalogLoader = (repos: Repositories, accountId: string) => Promise<ServiceCatalog | undefined>;

// With a partial catalog of registered services, these name an action or key the registered
// service does not declare: a typo in a Deny leaves the action undenied, so strict mode refuses it.
const REGISTERED_SERVICE_CODES: ReadonlySet<string> = new Set(['UnknownAction', 'UnknownConditionKey']);

/**
 * The security-relevant warnings the validator reports for a document (see `isSecurityWarning`),
 * and, given the account's registered catalogs (a partial catalog), actions and condition keys
 * that a registered service does not declare.
 */
export function securityWarnings(document: string, type: PolicyType, inline = false, registered?: ServiceCatalog): Diagnostic[] {
  const { diagnostics } = validatePolicy(document, {
    type,
    ...(inline ? { inline: true, maxSize: Number.MAX_SAFE_INTEGER } : {}),
    ...(registered === undefined ? {} : { catalog: registered }),
  });
  return diagnostics.filter((d) => isSecurityWarning(d) || (registered?.partial === true && REGISTERED_SERVICE_CODES.has(d.code)));
}

/** The error strict mode answers: AWS's code, the first warning's text and where it is. */
export function strictModeError(warnings: readonly Diagnostic[]): MalformedPolicyDocument {
  const first = warnings[0]!;
  const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more security warning${warnings.length > 2 ? 's' : ''})` : '';
  return new MalformedPolicyDocument(`${first.message} [${first.code} at ${first.pointer || '/'}]${more}`, {
    detail: warnings.map((w) => `${w.code} ${w.pointer}`).join('; '),
  });
}

/**
 * Strict mode: the policy-writing operations refuse documents with security warnings
 * (`MalformedPolicyDocument` with the warning's text), and — with `catalogOf` — documents naming
 * an action or condition key that a service registered in the account does not declare. The check runs after the operation
 * inside its transaction, so authorization, AWS's own validation and existence checks answer
 * first, exactly as without strict mode, and a refused write is rolled back with the
 * transaction. Other operations are returned unchanged.
 */
export function withStrictPolicies(operations: Readonly<Record<string, AnyOperation>>, catalogOf?: ServiceCatalogLoader): Readonly<Record<string, AnyOperation>> {
  const table: Record<string, AnyOperation> = Object.create(null) as Record<string, AnyOperation>;
  for (const [name, operation] of Object.entries(operations)) {
    const rule = Object.hasOwn(POLICY_WRITING_OPERATIONS, name) ? POLICY_WRITING_OPERATIONS[name] : undefined;
    if (rule === undefined) {
      table[name] = operation;
      continue;
    }
    table[name] = {
      ...operation,
      async run(ctx, input) {
        const output = await operation.run(ctx, input);
        const document = (input as Record<string, unknown>)[rule.member];
        if (typeof document === 'string') {
          const registered = await catalogOf?.(ctx.repos, ctx.accountId);
          const warnings = securityWarnings(document, rule.type, rule.inline === true, registered);
          if (warnings.length > 0) throw strictModeError(warnings);
        }
        return output;
      },
    };
  }
  return Object.freeze(table);
}
