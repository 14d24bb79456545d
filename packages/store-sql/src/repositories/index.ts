import type { Repositories } from '@latchkey/store';
import type { Context } from '../context.js';
import { guarded } from '../db-errors.js';
import { accessKeysRepository } from './access-keys.js';
import { accountsRepository } from './accounts.js';
import { attachmentsRepository } from './attachments.js';
import { auditRepository } from './audit.js';
import { authorizationRepository } from './authorization.js';
import { changeLogRepository } from './change-log.js';
import { credentialReportsRepository } from './credential-reports.js';
import { groupsRepository } from './groups.js';
import { inlinePoliciesRepository } from './inline-policies.js';
import { loginProfilesRepository } from './login-profiles.js';
import { mfaDevicesRepository } from './mfa-devices.js';
import { oidcProvidersRepository } from './oidc-providers.js';
import { passwordPoliciesRepository } from './password-policies.js';
import { policiesRepository } from './policies.js';
import { rolesRepository } from './roles.js';
import { serviceCatalogsRepository } from './service-catalogs.js';
import { tagsRepository } from './tags.js';
import { usersRepository } from './users.js';

/**
 * Repositories bound to one context, built on first use: a request touches two or three of
 * them, and building all eighteen per call showed up in the hot-path benchmark.
 */
export function makeRepositories(ctx: Context): Repositories {
  const factories: { [K in keyof Repositories]: () => Repositories[K] } = {
    accounts: () => guarded(accountsRepository(ctx), 'accounts'),
    users: () => guarded(usersRepository(ctx), 'users'),
    groups: () => guarded(groupsRepository(ctx), 'groups'),
    roles: () => guarded(rolesRepository(ctx), 'roles'),
    policies: () => guarded(policiesRepository(ctx), 'policies'),
    attachments: () => guarded(attachmentsRepository(ctx), 'policy_attachments'),
    authorization: () => guarded(authorizationRepository(ctx), 'policy_attachments'),
    inlinePolicies: () => guarded(inlinePoliciesRepository(ctx), 'inline_policies'),
    accessKeys: () => guarded(accessKeysRepository(ctx), 'access_keys'),
    tags: () => guarded(tagsRepository(ctx), 'tags'),
    mfaDevices: () => guarded(mfaDevicesRepository(ctx), 'mfa_devices'),
    loginProfiles: () => guarded(loginProfilesRepository(ctx), 'login_profiles'),
    passwordPolicies: () => guarded(passwordPoliciesRepository(ctx), 'password_policies'),
    oidcProviders: () => guarded(oidcProvidersRepository(ctx), 'oidc_providers'),
    audit: () => guarded(auditRepository(ctx), 'audit_log'),
    credentialReports: () => guarded(credentialReportsRepository(ctx), 'credential_reports'),
    changeLog: () => guarded(changeLogRepository(ctx), 'change_log'),
    serviceCatalogs: () => guarded(serviceCatalogsRepository(ctx), 'service_catalogs'),
  };
  const built: Partial<Record<keyof Repositories, unknown>> = {};
  const repos = {} as Repositories;
  for (const name of Object.keys(factories) as (keyof Repositories)[]) {
    Object.defineProperty(repos, name, {
      enumerable: true,
      get: () => (built[name] ??= factories[name]()),
    });
  }
  return repos;
}
