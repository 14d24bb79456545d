import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, openStore } from '../src/index.js';
import type { Database as Schema } from '../src/schema.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migration 2 (failure lockouts)', () => {
  it('upgrades a version-1 database in place: existing devices and login profiles start unlocked and keep their counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-mig2-'));
    dirs.push(dir);
    const file = join(dir, 'latchkey.db');
    const sqlite = new Database(file);
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
    expect(await db.connection().execute((conn) => migrate(conn, 'sqlite', undefined, MIGRATIONS.filter((m) => m.version === 1)))).toEqual([1]);
    sqlite.exec(`
      INSERT INTO accounts (id, alias, created_at) VALUES ('111122223333', NULL, 1);
      INSERT INTO users (account_id, id, name, name_lower, path, arn, created_at) VALUES ('111122223333', 'AIDAOLD', 'old', 'old', '/', 'arn:aws:iam::111122223333:user/old', 1);
      INSERT INTO mfa_devices (serial, account_id, name, path, seed_ciphertext, seed_key_id, created_at, user_id, enabled_at, last_used_step, last_used_at, failed_attempts)
        VALUES ('arn:aws:iam::111122223333:mfa/old', '111122223333', 'old', '/', 'c', 'k', 1, 'AIDAOLD', 2, 3, 4, 2);
      INSERT INTO login_profiles (user_id, account_id, password_hash, password_reset_required, created_at, password_last_changed_at, previous_hashes, failed_attempts, locked_until)
        VALUES ('AIDAOLD', '111122223333', 'h', 0, 1, 1, '[]', 3, 9000);
    `);
    await db.destroy();

    const store = await openStore({ url: `sqlite:${file}` });
    try {
      // Every later migration applies too (3: service catalogs, empty).
      expect((await store.health()).schemaVersion).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
      expect(await store.read((r) => r.serviceCatalogs.list('111122223333'))).toEqual([]);
      expect(await store.read((r) => r.mfaDevices.get('111122223333', 'arn:aws:iam::111122223333:mfa/old'))).toMatchObject({
        failedAttempts: 2,
        lockedUntil: null,
        lastFailedAt: null,
      });
      expect(await store.read((r) => r.loginProfiles.get('111122223333', 'AIDAOLD'))).toMatchObject({ failedAttempts: 3, lockedUntil: 9000, lastFailedAt: null });
      expect(await store.read((r) => r.mfaDevices.recordFailure('111122223333', 'arn:aws:iam::111122223333:mfa/old', 5000))).toBe(3);
    } finally {
      await store.close();
    }
  });
});
