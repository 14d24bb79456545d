import type { PrincipalSpec } from '../ast.js';
import type { PrincipalInfo } from '../request.js';

/**
 * How a `Principal` element matched the caller, which decides how far a resource-based policy's
 * Allow reaches (E3/E5/E6):
 * - `direct`: the caller itself (user ARN, role-session ARN, federated-user ARN, a service or
 *   federated provider) or everyone (`*`): not limited by an implicit deny in the identity
 *   policies, the permissions boundary or the session policy of the same account;
 * - `role`: the role ARN of the caller's session: replaces the identity-policy Allow but stays
 *   limited by the boundary and the session policy;
 * - `account`: the account (`"123456789012"` or `arn:aws:iam::123456789012:root`): delegates to
 *   the account's IAM policies (an identity-policy Allow is still needed).
 */
export type PrincipalMatchKind = 'direct' | 'role' | 'account';

const RANK: Record<PrincipalMatchKind, number> = { direct: 3, role: 2, account: 1 };

export function betterMatch(a: PrincipalMatchKind | undefined, b: PrincipalMatchKind | undefined): PrincipalMatchKind | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

export interface PrincipalMatcher {
  /** The best way the spec names the caller, or undefined. */
  match(principal: PrincipalInfo): PrincipalMatchKind | undefined;
  /** For `NotPrincipal`: true when the caller is excluded, i.e. every identity AWS sees for it
   * (its ARN, its account, its role for a session) is listed. */
  excludes(principal: PrincipalInfo): boolean;
}

const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;
const ACCOUNT_ID = /^\d{12}$/;

export function compilePrincipal(spec: PrincipalSpec): PrincipalMatcher {
  const everyone = spec.wildcard || spec.AWS.includes('*');
  const accounts = new Set<string>();
  const arns = new Set<string>();
  for (const entry of spec.AWS) {
    if (ACCOUNT_ID.test(entry)) accounts.add(entry);
    else {
      const root = ROOT_ARN.exec(entry);
      if (root) accounts.add(root[1]!);
      // Partial wildcards are not supported in principals: other entries compare exactly.
      else arns.add(entry);
    }
  }
  const services = new Set(spec.Service.map((s) => s.toLowerCase()));
  const federated = new Set(spec.Federated);
  // CanonicalUser ids (S3) are not part of PrincipalInfo, so they never match.

  const match = (p: PrincipalInfo): PrincipalMatchKind | undefined => {
    if (everyone) return 'direct';
    switch (p.kind) {
      case 'anonymous':
        return undefined;
      case 'service':
        return services.has(p.arn.toLowerCase()) ? 'direct' : undefined;
      case 'web-identity':
        return p.federatedProvider !== undefined && federated.has(p.federatedProvider) ? 'direct' : undefined;
      default: {
        // A request made as the role itself is treated like its sessions named by role ARN.
        if (p.kind === 'role' && arns.has(p.arn)) return 'role';
        if (p.kind !== 'root' && arns.has(p.arn)) return 'direct';
        if (p.roleArn !== undefined && arns.has(p.roleArn)) return 'role';
        if (p.accountId !== '' && accounts.has(p.accountId)) return 'account';
        if (p.federatedProvider !== undefined && federated.has(p.federatedProvider)) return 'direct';
        return undefined;
      }
    }
  };

  const excludes = (p: PrincipalInfo): boolean => {
    if (everyone) return true;
    switch (p.kind) {
      case 'anonymous':
        return false;
      case 'service':
        return services.has(p.arn.toLowerCase());
      case 'web-identity':
        return p.federatedProvider !== undefined && federated.has(p.federatedProvider);
      default: {
        if (p.accountId === '' || !accounts.has(p.accountId)) return false;
        if (p.kind === 'root') return true;
        if (!arns.has(p.arn)) return false;
        return p.roleArn === undefined || arns.has(p.roleArn);
      }
    }
  };
  return { match, excludes };
}
