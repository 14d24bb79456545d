import type { Decision, MatchedStatement } from '../decision.js';
import type { PolicyType } from '../policy-type.js';
import type { EvaluationRequest } from '../request.js';

/** AWS's names for the policy types in AccessDenied messages. */
const TYPE_NAMES: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  trust: 'role trust policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
};

function statementLabel(m: { policyType: PolicyType; policyId: string; statementIndex: number; sid?: string }): string {
  const sid = m.sid === undefined ? '' : ` (Sid "${m.sid}")`;
  return `${TYPE_NAMES[m.policyType]} ${m.policyId}, statement #${m.statementIndex}${sid}`;
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function who(request: EvaluationRequest): string {
  const p = request.principal;
  return p.kind === 'anonymous' ? 'anonymous' : p.arn || p.kind;
}

/**
 * A human-readable, multi-line trace of a decision: the AWS-style summary sentence first (the
 * wording of live `AccessDenied` messages), then the statements, failing policy types, missing
 * context keys and statements that could not be evaluated.
 */
export function explainDecision(decision: Decision, request: EvaluationRequest): string {
  const lines: string[] = [];
  const subject = `${who(request)} ${decision.decision === 'allowed' ? 'is' : 'is not'} authorized to perform: ${request.action} on resource: ${request.resource.arn}`;
  const firstDeny: MatchedStatement | undefined = decision.matchedStatements.find((m) => m.effect === 'Deny');
  switch (decision.decision) {
    case 'allowed':
      lines.push(`ALLOWED: ${subject}`);
      break;
    case 'explicitDeny':
      lines.push(`EXPLICIT DENY: ${subject} with an explicit deny in ${article(TYPE_NAMES[firstDeny?.policyType ?? 'identity'])}`);
      break;
    case 'implicitDeny': {
      const failed = decision.notAllowedBy[0];
      lines.push(`IMPLICIT DENY: ${subject} because no ${TYPE_NAMES[failed ?? 'identity']} allows the ${request.action} action`);
      break;
    }
  }
  const denies = decision.matchedStatements.filter((m) => m.effect === 'Deny');
  const allows = decision.matchedStatements.filter((m) => m.effect === 'Allow');
  if (denies.length > 0) {
    lines.push('  Denied by:');
    for (const m of denies) lines.push(`    - ${statementLabel(m)}`);
  }
  if (allows.length > 0) {
    lines.push(decision.decision === 'allowed' ? '  Allowed by:' : '  Allows found (not enough on their own):');
    for (const m of allows) lines.push(`    - ${statementLabel(m)}`);
  }
  if (decision.notAllowedBy.length > 0) {
    lines.push('  Not allowed by:');
    for (const t of decision.notAllowedBy) lines.push(`    - ${TYPE_NAMES[t]}: no applicable Allow statement`);
  }
  if (decision.missingContextKeys.length > 0) {
    lines.push(`  Missing context keys: ${decision.missingContextKeys.join(', ')}`);
  }
  if (decision.errors.length > 0) {
    lines.push('  WARNING: statements that could not be evaluated (they never allow; a Deny among them denies what it matches):');
    for (const e of decision.errors) lines.push(`    - ${statementLabel(e)}: ${e.message}`);
  }
  return lines.join('\n');
}
