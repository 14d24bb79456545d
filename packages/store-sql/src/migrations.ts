import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, Dialect } from './schema.js';

export interface Migration {
  version: number;
  name: string;
  /** DDL statements; `$SERIAL` becomes the dialect's auto-increment primary key. */
  statements(dialect: Dialect): string[];
}

function serial(dialect: Dialect): string {
  return dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
}

/**
 * Sort-key columns compare bytewise on both engines: SQLite's default is binary, and on
 * PostgreSQL `COLLATE "C"` keeps list order and keyset markers independent of the database
 * locale (en_US.UTF-8 would order `a_b` before `a-b` differently from SQLite).
 */
function sortKey(dialect: Dialect): string {
  return dialect === 'postgres' ? 'TEXT COLLATE "C"' : 'TEXT';
}

const initial: Migration = {
  version: 1,
  name: 'initial schema',
  statements: (dialect) => {
    const SERIAL = serial(dialect);
    const KEY = sortKey(dialect);
    const ddl = [
      `CREATE TABLE accounts (
        id ${KEY} PRIMARY KEY,
        alias TEXT,
        created_at BIGINT NOT NULL
      )`,
      `CREATE UNIQUE INDEX accounts_alias_uq ON accounts (alias)`,
      // The pseudo-account owning AWS managed policies, so their rows satisfy the same keys.
      `INSERT INTO accounts (id, alias, created_at) VALUES ('aws', NULL, 0)`,
      `CREATE TABLE policies (
        account_id TEXT NOT NULL REFERENCES accounts (id),
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_lower ${KEY} NOT NULL,
        path TEXT NOT NULL,
        arn ${KEY} NOT NULL,
        description TEXT,
        default_version_id TEXT NOT NULL,
        is_attachable INTEGER NOT NULL,
        next_version INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE UNIQUE INDEX policies_arn_uq ON policies (arn)`,
      `CREATE UNIQUE INDEX policies_name_uq ON policies (account_id, name_lower)`,
      `CREATE TABLE policy_versions (
        policy_id TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
        version_id TEXT NOT NULL,
        version_num INTEGER NOT NULL,
        document TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (policy_id, version_id)
      )`,
      `CREATE TABLE users (
        account_id TEXT NOT NULL REFERENCES accounts (id),
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_lower ${KEY} NOT NULL,
        path TEXT NOT NULL,
        arn TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        permissions_boundary_arn TEXT REFERENCES policies (arn),
        password_last_used_at BIGINT
      )`,
      `CREATE UNIQUE INDEX users_name_uq ON users (account_id, name_lower)`,
      `CREATE UNIQUE INDEX users_arn_uq ON users (arn)`,
      `CREATE INDEX users_boundary_ix ON users (permissions_boundary_arn)`,
      `CREATE TABLE groups (
        account_id TEXT NOT NULL REFERENCES accounts (id),
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_lower ${KEY} NOT NULL,
        path TEXT NOT NULL,
        arn TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE UNIQUE INDEX groups_name_uq ON groups (account_id, name_lower)`,
      `CREATE UNIQUE INDEX groups_arn_uq ON groups (arn)`,
      `CREATE TABLE group_members (
        account_id TEXT NOT NULL,
        group_id TEXT NOT NULL REFERENCES groups (id),
        user_id TEXT NOT NULL REFERENCES users (id),
        PRIMARY KEY (group_id, user_id)
      )`,
      `CREATE INDEX group_members_user_ix ON group_members (user_id)`,
      `CREATE TABLE roles (
        account_id TEXT NOT NULL REFERENCES accounts (id),
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_lower ${KEY} NOT NULL,
        path TEXT NOT NULL,
        arn TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        trust_policy TEXT NOT NULL,
        description TEXT,
        max_session_duration INTEGER NOT NULL,
        permissions_boundary_arn TEXT REFERENCES policies (arn),
        last_used_at BIGINT,
        last_used_region TEXT
      )`,
      `CREATE UNIQUE INDEX roles_name_uq ON roles (account_id, name_lower)`,
      `CREATE UNIQUE INDEX roles_arn_uq ON roles (arn)`,
      `CREATE INDEX roles_boundary_ix ON roles (permissions_boundary_arn)`,
      `CREATE TABLE policy_attachments (
        account_id TEXT NOT NULL,
        principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'group', 'role')),
        principal_id TEXT NOT NULL,
        policy_arn TEXT NOT NULL REFERENCES policies (arn),
        PRIMARY KEY (principal_type, principal_id, policy_arn)
      )`,
      `CREATE INDEX policy_attachments_policy_ix ON policy_attachments (policy_arn, account_id)`,
      `CREATE TABLE inline_policies (
        account_id TEXT NOT NULL,
        principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'group', 'role')),
        principal_id TEXT NOT NULL,
        name ${KEY} NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (principal_type, principal_id, name)
      )`,
      `CREATE TABLE access_keys (
        id ${KEY} PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        user_id TEXT REFERENCES users (id),
        is_root INTEGER NOT NULL,
        secret_ciphertext TEXT NOT NULL,
        secret_key_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
        created_at BIGINT NOT NULL,
        last_used_at BIGINT,
        last_used_service TEXT,
        last_used_region TEXT,
        CHECK ((is_root = 1 AND user_id IS NULL) OR (is_root = 0 AND user_id IS NOT NULL))
      )`,
      `CREATE INDEX access_keys_owner_ix ON access_keys (account_id, user_id)`,
      `CREATE INDEX access_keys_sealed_ix ON access_keys (secret_key_id)`,
      `CREATE TABLE tags (
        account_id TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        key_norm ${KEY} NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (resource_type, resource_id, key_norm)
      )`,
      `CREATE TABLE mfa_devices (
        serial ${KEY} PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        seed_ciphertext TEXT NOT NULL,
        seed_key_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        user_id TEXT REFERENCES users (id),
        enabled_at BIGINT,
        last_used_step BIGINT,
        last_used_at BIGINT,
        failed_attempts INTEGER NOT NULL DEFAULT 0
      )`,
      `CREATE INDEX mfa_devices_user_ix ON mfa_devices (user_id)`,
      `CREATE INDEX mfa_devices_sealed_ix ON mfa_devices (seed_key_id)`,
      `CREATE TABLE login_profiles (
        user_id TEXT PRIMARY KEY REFERENCES users (id),
        account_id TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        password_reset_required INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        password_last_changed_at BIGINT NOT NULL,
        previous_hashes TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until BIGINT
      )`,
      `CREATE TABLE password_policies (
        account_id TEXT PRIMARY KEY REFERENCES accounts (id),
        policy TEXT NOT NULL
      )`,
      `CREATE TABLE oidc_providers (
        arn ${KEY} PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        url TEXT NOT NULL,
        client_ids TEXT NOT NULL,
        thumbprints TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE INDEX oidc_providers_account_ix ON oidc_providers (account_id)`,
      `CREATE TABLE audit_log (
        seq ${SERIAL},
        id TEXT NOT NULL,
        at BIGINT NOT NULL,
        request_id TEXT NOT NULL,
        account_id TEXT NOT NULL,
        principal_arn TEXT,
        action TEXT NOT NULL,
        resource TEXT,
        source_ip TEXT,
        user_agent TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
        error_code TEXT,
        params TEXT NOT NULL,
        prev_hash TEXT,
        hash TEXT NOT NULL
      )`,
      `CREATE UNIQUE INDEX audit_log_id_uq ON audit_log (id)`,
      `CREATE INDEX audit_log_at_ix ON audit_log (at)`,
      `CREATE INDEX audit_log_account_ix ON audit_log (account_id, at)`,
      `CREATE INDEX audit_log_principal_ix ON audit_log (principal_arn, at)`,
      `CREATE INDEX audit_log_action_ix ON audit_log (action, at)`,
      `CREATE TABLE credential_reports (
        account_id TEXT PRIMARY KEY REFERENCES accounts (id),
        generated_at BIGINT NOT NULL,
        content TEXT NOT NULL
      )`,
      `CREATE TABLE change_log (
        seq ${SERIAL},
        kind TEXT NOT NULL,
        account_id TEXT NOT NULL,
        entity TEXT NOT NULL
      )`,
    ];
    // The audit trail is append-only in the database itself, not just by the absence of an API.
    if (dialect === 'postgres') {
      ddl.push(
        `CREATE FUNCTION latchkey_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`,
        `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
         FOR EACH ROW EXECUTE FUNCTION latchkey_audit_append_only()`,
      );
    } else {
      ddl.push(
        `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
        `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
      );
    }
    return ddl;
  },
};

// Persistent failure lockouts (MFA codes, passwords): shared by every instance on one database
// and written in their own transaction, so they outlive the failed call that caused them.
const failureLockouts: Migration = {
  version: 2,
  name: 'failure lockouts',
  statements: () => [
    `ALTER TABLE mfa_devices ADD COLUMN locked_until BIGINT`,
    `ALTER TABLE mfa_devices ADD COLUMN last_failed_at BIGINT`,
    `ALTER TABLE login_profiles ADD COLUMN last_failed_at BIGINT`,
  ],
};

// In-house services' catalogs (internal API PutServiceCatalog), read by policy validation.
const serviceCatalogs: Migration = {
  version: 3,
  name: 'service catalogs',
  statements: () => [
    `CREATE TABLE service_catalogs (
      account_id TEXT NOT NULL REFERENCES accounts (id),
      service TEXT NOT NULL,
      document TEXT NOT NULL,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (account_id, service)
    )`,
  ],
};

export const MIGRATIONS: readonly Migration[] = [initial, failureLockouts, serviceCatalogs];

/**
 * Applies pending migrations in one transaction. On PostgreSQL a transaction-scoped advisory
 * lock (per schema) makes instances that start together take turns: the second sees the first's
 * rows in `latchkey_migrations` and applies nothing. SQLite's `BEGIN IMMEDIATE` does the same.
 * Returns the versions applied by this call.
 */
export async function migrate(
  conn: Kysely<Database>,
  dialect: Dialect,
  schema: string | undefined,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  await sql.raw(dialect === 'postgres' ? 'BEGIN' : 'BEGIN IMMEDIATE').execute(conn);
  try {
    if (dialect === 'postgres') {
      // Keyed by the schema name (not current_schema(), which is null until the schema exists).
      await sql`SELECT pg_advisory_xact_lock(hashtext(${'latchkey:migrate:' + (schema ?? 'public')}))`.execute(conn);
      if (schema !== undefined) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(conn);
    }
    await sql
      .raw(
        `CREATE TABLE IF NOT EXISTS latchkey_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at BIGINT NOT NULL
        )`,
      )
      .execute(conn);
    const applied = new Set((await conn.selectFrom('latchkey_migrations').select('version').execute()).map((r) => Number(r.version)));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements(dialect)) await sql.raw(statement).execute(conn);
      // The application time comes from the database clock: migrations run before any injected clock matters.
      await sql`INSERT INTO latchkey_migrations (version, name, applied_at) VALUES (${migration.version}, ${migration.name}, ${dialect === 'postgres' ? sql`(extract(epoch from now()) * 1000)::bigint` : sql`CAST(unixepoch('subsec') * 1000 AS INTEGER)`})`.execute(conn);
      done.push(migration.version);
    }
    await sql.raw('COMMIT').execute(conn);
    return done;
  } catch (err) {
    await sql.raw('ROLLBACK').execute(conn).catch(() => undefined);
    throw err;
  }
}
