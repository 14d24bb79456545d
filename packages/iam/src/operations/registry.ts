import { credentialOperations, credentialServices } from '../credential-services.js';
import type { AnyOperation } from '../operation.js';
import { accessKeyOperations } from './access-keys.js';
import { accountOperations } from './account.js';
import { attachmentOperations } from './attachments.js';
import { authorizationDetailsOperations } from './authorization-details.js';
import { contextKeyOperations } from './context-keys.js';
import { credentialReportOperations } from './credential-report.js';
import { boundaryOperations } from './boundaries-operations.js';
import { groupOperations } from './groups.js';
import { inlinePolicyOperations } from './inline-policies.js';
import { oidcProviderOperations } from './oidc-providers.js';
import { policyOperations } from './policies.js';
import { policyVersionOperations } from './policy-versions.js';
import { roleOperations } from './roles.js';
import { simulateOperations } from './simulate-policies.js';
import { tagOperations } from './tags.js';
import { userOperations } from './users.js';

/** Builds the action-name → operation table, refusing two operations with one name. */
export function operationRegistry(...lists: readonly (readonly AnyOperation[])[]): Readonly<Record<string, AnyOperation>> {
  const table: Record<string, AnyOperation> = Object.create(null) as Record<string, AnyOperation>;
  for (const list of lists) {
    for (const op of list) {
      if (Object.hasOwn(table, op.name)) throw new Error(`duplicate IAM operation ${op.name}`);
      table[op.name] = op;
    }
  }
  return Object.freeze(table);
}

/**
 * Every IAM action Latchkey serves. Each file under `operations/` exports its list; add new
 * lists here.
 */
export const iamOperations = operationRegistry(
  userOperations,
  groupOperations,
  accessKeyOperations,
  accountOperations,
  roleOperations,
  policyOperations,
  policyVersionOperations,
  attachmentOperations,
  inlinePolicyOperations,
  boundaryOperations,
  tagOperations,
  authorizationDetailsOperations,
  oidcProviderOperations,
  // Policy simulation and context keys (the engine, as `latchkey policy simulate` uses it).
  simulateOperations,
  contextKeyOperations,
  credentialReportOperations,
  // MFA devices, login profiles, ChangePassword, password policy: argon2id hasher and in-process
  // throttles by default; `withCredentialServices` rebuilds them over other services.
  credentialOperations(credentialServices()),
);
