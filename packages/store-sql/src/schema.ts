import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. Booleans are 0/1 integers and timestamps epoch-ms integers
 * on both dialects, so one query layer reads the same values from SQLite and PostgreSQL (the pg
 * pool parses BIGINT to number; epoch ms stays far below 2^53).
 */
export interface Database {
  latchkey_migrations: { version: number; name: string; applied_at: number };
  accounts: { id: string; alias: string | null; created_at: number };
  users: {
    account_id: string;
    id: string;
    name: string;
    name_lower: string;
    path: string;
    arn: string;
    created_at: number;
    permissions_boundary_arn: string | null;
    password_last_used_at: number | null;
  };
  groups: { account_id: string; id: string; name: string; name_lower: string; path: string; arn: string; created_at: number };
  group_members: { account_id: string; group_id: string; user_id: string };
  roles: {
    account_id: string;
    id: string;
    name: string;
    name_lower: string;
    path: string;
    arn: string;
    created_at: number;
    trust_policy: string;
    description: string | null;
    max_session_duration: number;
    permissions_boundary_arn: string | null;
    last_used_at: number | null;
    last_used_region: string | null;
  };
  policies: {
    account_id: string;
    id: string;
    name: string;
    name_lower: string;
    path: string;
    arn: string;
    description: string | null;
    default_version_id: string;
    is_attachable: number;
    next_version: number;
    created_at: number;
    updated_at: number;
  };
  policy_versions: { policy_id: string; version_id: string; version_num: number; document: string; created_at: number };
  policy_attachments: { account_id: string; principal_type: string; principal_id: string; policy_arn: string };
  inline_policies: { account_id: string; principal_type: string; principal_id: string; name: string; document: string };
  access_keys: {
    id: string;
    account_id: string;
    user_id: string | null;
    is_root: number;
    secret_ciphertext: string;
    secret_key_id: string;
    status: string;
    created_at: number;
    last_used_at: number | null;
    last_used_service: string | null;
    last_used_region: string | null;
  };
  tags: { account_id: string; resource_type: string; resource_id: string; key_norm: string; key: string; value: string };
  mfa_devices: {
    serial: string;
    account_id: string;
    name: string;
    path: string;
    seed_ciphertext: string;
    seed_key_id: string;
    created_at: number;
    user_id: string | null;
    enabled_at: number | null;
    last_used_step: number | null;
    last_used_at: number | null;
    failed_attempts: number;
    locked_until: number | null;
    last_failed_at: number | null;
  };
  login_profiles: {
    user_id: string;
    account_id: string;
    password_hash: string;
    password_reset_required: number;
    created_at: number;
    password_last_changed_at: number;
    previous_hashes: string;
    failed_attempts: number;
    locked_until: number | null;
    last_failed_at: number | null;
  };
  password_policies: { account_id: string; policy: string };
  oidc_providers: { arn: string; account_id: string; url: string; client_ids: string; thumbprints: string; created_at: number };
  audit_log: {
    seq: Generated<number>;
    id: string;
    at: number;
    request_id: string;
    account_id: string;
    principal_arn: string | null;
    action: string;
    resource: string | null;
    source_ip: string | null;
    user_agent: string | null;
    outcome: string;
    error_code: string | null;
    params: string;
    prev_hash: string | null;
    hash: string;
  };
  credential_reports: { account_id: string; generated_at: number; content: string };
  change_log: { seq: Generated<number>; kind: string; account_id: string; entity: string };
  service_catalogs: { account_id: string; service: string; document: string; updated_at: number };
}

export type Dialect = 'sqlite' | 'postgres';
