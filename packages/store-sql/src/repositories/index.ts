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
import { tagsRepository } from './tags.js';
import { usersRepository } from './users.js';

export function makeRepositories(ctx: Context): Repositories {
  return {
    accounts: guarded(accountsRepository(ctx), 'accounts'),
    users: guarded(usersRepository(ctx), 'users'),
    groups: guarded(groupsRepository(ctx), 'groups'),
    roles: guarded(rolesRepository(ctx), 'roles'),
    policies: guarded(policiesRepository(ctx), 'policies'),
    attachments: guarded(attachmentsRepository(ctx), 'policy_attachments'),
    authorization: guarded(authorizationRepository(ctx), 'policy_attachments'),
    inlinePolicies: guarded(inlinePoliciesRepository(ctx), 'inline_policies'),
    accessKeys: guarded(accessKeysRepository(ctx), 'access_keys'),
    tags: guarded(tagsRepository(ctx), 'tags'),
    mfaDevices: guarded(mfaDevicesRepository(ctx), 'mfa_devices'),
    loginProfiles: guarded(loginProfilesRepository(ctx), 'login_profiles'),
    passwordPolicies: guarded(passwordPoliciesRepository(ctx), 'password_policies'),
    oidcProviders: guarded(oidcProvidersRepository(ctx), 'oidc_providers'),
    audit: guarded(auditRepository(ctx), 'audit_log'),
    credentialReports: guarded(credentialReportsRepository(ctx), 'credential_reports'),
    changeLog: guarded(changeLogRepository(ctx), 'change_log'),
  };
}
