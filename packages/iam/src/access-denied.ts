import { AccessDenied } from '@latchkey/errors';
import type { Decision, PolicyType } from '@latchkey/policy';

// AWS's wording per policy type, with the article it takes ("an identity-based policy",
// "a permissions boundary"): IAM User Guide, "Troubleshoot access denied error messages".
const PHRASES: Record<PolicyType, { name: string; article: 'a' | 'an' }> = {
  identity: { name: 'identity-based policy', article: 'an' },
  resource: { name: 'resource-based policy', article: 'a' },
  trust: { name: 'role trust policy', article: 'a' },
  boundary: { name: 'permissions boundary', article: 'a' },
  session: { name: 'session policy', article: 'a' },
  scp: { name: 'service control policy', article: 'a' },
};

/**
 * `User: <arn> is not authorized to perform: <action> on resource: <arn> because no
 * identity-based policy allows the <action> action` / `… with an explicit deny in an
 * identity-based policy`. AWS names one failing policy type only; we name the first the
 * engine reports (explicit deny: the first matching Deny; implicit: identity, then boundary,
 * then session).
 */
export function accessDeniedMessage(principalArn: string, action: string, resourceArn: string, decision: Decision): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resourceArn}`;
  if (decision.decision === 'explicitDeny') {
    const deny = decision.matchedStatements.find((m) => m.effect === 'Deny');
    const phrase = PHRASES[deny?.policyType ?? 'identity'];
    return `${head} with an explicit deny in ${phrase.article} ${phrase.name}`;
  }
  const failed = PHRASES[decision.notAllowedBy[0] ?? 'identity'];
  return `${head} because no ${failed.name} allows the ${action} action`;
}

/** The AccessDenied error for a decision that is not `allowed`; `detail` carries the engine's reasons for logs. */
export function accessDenied(principalArn: string, action: string, resourceArn: string, decision: Decision): AccessDenied {
  const reasons = decision.matchedStatements.map((m) => `${m.effect} ${m.policyType} ${m.policyId}#${m.statementIndex}`).join(', ');
  return new AccessDenied(accessDeniedMessage(principalArn, action, resourceArn, decision), {
    detail: `${decision.decision}${reasons === '' ? '' : `: ${reasons}`}${decision.errors.length > 0 ? `; ${decision.errors.length} unevaluable statement(s)` : ''}`,
  });
}
