import type { CompiledStatement } from '../compile/compiled-policy.js';
import type { Decision, EvaluationError, MatchedStatement } from '../decision.js';
import type { PolicyType } from '../policy-type.js';
import type { EvaluationRequest, PrincipalKind } from '../request.js';
import { mergedIndex } from './merged-index.js';
import type { PolicySet } from './policy-set.js';
import { PreparedRequest } from './prepared-request.js';
import { scanIndex, type Scan } from './scan.js';

/** Principals that belong to an account and carry identity-side policies. */
const IAM_KINDS: ReadonlySet<PrincipalKind> = new Set<PrincipalKind>(['root', 'user', 'role', 'assumed-role', 'federated-user']);

interface Part {
  readonly type: PolicyType;
  readonly scan: Scan;
}

function resourceAccountOf(request: EvaluationRequest, parts: readonly string[] | undefined): string {
  const explicit = request.resource.accountId;
  if (explicit !== undefined && explicit !== '') return explicit;
  const fromArn = parts?.[4];
  if (fromArn !== undefined && fromArn !== '') return fromArn;
  return request.principal.accountId;
}

// Shared empty lists keep the common decision free of allocations beyond the Decision itself.
const NONE: readonly never[] = Object.freeze([]);

const pickAllows = (s: Scan): readonly CompiledStatement[] => s.allows;
const pickDenies = (s: Scan): readonly CompiledStatement[] => s.denies;

function statements(parts: readonly Part[], pick: (s: Scan) => readonly CompiledStatement[]): readonly MatchedStatement[] {
  let out: MatchedStatement[] | undefined;
  for (const part of parts) {
    const list = pick(part.scan);
    if (list.length === 0) continue;
    out ??= [];
    for (const s of list) out.push(s.matched);
  }
  return out ?? NONE;
}

function errorsOf(parts: readonly Part[]): readonly EvaluationError[] {
  let out: EvaluationError[] | undefined;
  for (const part of parts) {
    for (const s of part.scan.errors) {
      if (s.errorRecord === undefined) continue;
      out ??= [];
      out.push(s.errorRecord);
    }
  }
  return out ?? NONE;
}

/**
 * AWS's evaluation logic (see the package README for every rule and safe reading):
 * 1. an explicit Deny in any applicable policy wins;
 * 2. every SCP level must allow;
 * 3. same account: a resource-policy Allow naming the caller directly (user, session, `*`)
 *    allows; otherwise the identity policies (or a resource-policy Allow naming the caller's
 *    role) must allow, and the permissions boundary and session policy must allow too;
 * 4. cross account: the caller's side (identity ∩ boundary ∩ session) and the resource policy
 *    must both allow;
 * 5. a trust policy (`resource` of type `trust`) and a KMS key policy must themselves allow;
 * 6. anonymous, service and web-identity callers: only the resource (or trust) policy counts.
 * Never throws on policy content and builds no RegExp.
 */
export function evaluate(request: EvaluationRequest, policies: PolicySet): Decision {
  const principal = request.principal;
  const iam = IAM_KINDS.has(principal.kind);
  const req = new PreparedRequest(request, iam && policies.boundary !== undefined);
  const parts: Part[] = [];

  const scpScans: Scan[] = [];
  if (iam && policies.scp !== undefined) {
    for (const level of policies.scp) {
      const scan = scanIndex(mergedIndex(level), req, false);
      scpScans.push(scan);
      parts.push({ type: 'scp', scan });
    }
  }
  const resource = policies.resource;
  const resourceType: PolicyType = resource?.source.type ?? 'resource';
  const resourceScan = resource === undefined ? undefined : scanIndex(resource.index, req, true);
  if (resourceScan !== undefined) parts.push({ type: resourceType, scan: resourceScan });
  let identityScan: Scan | undefined;
  let boundaryScan: Scan | undefined;
  let sessionScan: Scan | undefined;
  if (iam) {
    identityScan = scanIndex(mergedIndex(policies.identity), req, false);
    parts.push({ type: 'identity', scan: identityScan });
    if (policies.boundary !== undefined) {
      boundaryScan = scanIndex(policies.boundary.index, req, false);
      parts.push({ type: 'boundary', scan: boundaryScan });
    }
    if (policies.session !== undefined) {
      sessionScan = scanIndex(mergedIndex(policies.session), req, false);
      parts.push({ type: 'session', scan: sessionScan });
    }
  }

  const errors = errorsOf(parts);
  const missingContextKeys: readonly string[] = req.missing ?? NONE;

  // 1. Explicit deny anywhere.
  let denied = false;
  for (const part of parts) if (part.scan.denies.length > 0) denied = true;
  if (denied) {
    return { decision: 'explicitDeny', matchedStatements: statements(parts, pickDenies), notAllowedBy: NONE, missingContextKeys, errors };
  }

  const notAllowedBy: PolicyType[] = [];
  // 2. Every SCP level needs an applicable Allow.
  if (scpScans.some((s) => s.allows.length === 0)) notAllowedBy.push('scp');

  const resourceKind = resourceScan?.principalKind;
  if (!iam) {
    if (resourceKind === undefined) notAllowedBy.push(resourceType);
  } else {
    const sameAccount = principal.accountId !== '' && principal.accountId === resourceAccountOf(request, req.resourceParts);
    // E9/E12: a role trust policy, and a KMS key policy, must themselves allow: the identity
    // policies count only next to an Allow that delegates to the account.
    const isTrust = resourceType === 'trust' || (resource !== undefined && req.resourceParts?.[2] === 'kms');
    // The account root has full access on its own side (E1); it has no boundary or session.
    const identityAllows = principal.kind === 'root' || (identityScan !== undefined && identityScan.allows.length > 0);
    const boundaryAllows = boundaryScan === undefined || boundaryScan.allows.length > 0;
    // E6: no session policy = allowed at this step for role sessions, denied for federated users.
    const sessionAllows = sessionScan === undefined ? principal.kind !== 'federated-user' : sessionScan.allows.length > 0;
    if (sameAccount && resourceKind === 'direct') {
      // E5/E6: a same-account resource policy naming the caller itself is not limited by an
      // implicit deny in the identity policies, the boundary or the session policy.
    } else if (sameAccount && !isTrust) {
      if (!identityAllows && resourceKind !== 'role') {
        if (resource !== undefined && resourceKind === undefined) notAllowedBy.push(resourceType);
        notAllowedBy.push('identity');
      }
      if (!boundaryAllows) notAllowedBy.push('boundary');
      if (!sessionAllows) notAllowedBy.push('session');
    } else {
      // Cross account, or a trust policy: the resource/trust policy must allow, and (unless a
      // same-account trust policy names the caller or its role) the identity policies too.
      if (resourceKind === undefined) notAllowedBy.push(resourceType);
      const identityNeeded = !(sameAccount && isTrust && resourceKind === 'role');
      if (identityNeeded && !identityAllows) notAllowedBy.push('identity');
      if (!boundaryAllows) notAllowedBy.push('boundary');
      if (!sessionAllows) notAllowedBy.push('session');
    }
  }

  const allowsFound = statements(parts, pickAllows);
  if (notAllowedBy.length > 0) {
    return { decision: 'implicitDeny', matchedStatements: allowsFound, notAllowedBy, missingContextKeys, errors };
  }
  // Statements that could not be evaluated are reported in `errors`; a broken Deny has already
  // denied above (fail closed). Validation refuses such statements at save time.
  return { decision: 'allowed', matchedStatements: allowsFound, notAllowedBy: NONE, missingContextKeys, errors };
}
