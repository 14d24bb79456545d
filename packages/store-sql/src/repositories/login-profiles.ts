import type { LoginProfileRecord, LoginProfilesRepository } from '@latchkey/store';
import type { Selectable } from 'kysely';
import type { Context } from '../context.js';
import { affected, bool, num, numOrNull } from '../paging.js';
import type { Database } from '../schema.js';

const toProfile = (r: Selectable<Database['login_profiles']>): LoginProfileRecord => ({
  accountId: r.account_id,
  userId: r.user_id,
  passwordHash: r.password_hash,
  passwordResetRequired: num(r.password_reset_required) === 1,
  createdAt: num(r.created_at),
  passwordLastChangedAt: num(r.password_last_changed_at),
  previousHashes: JSON.parse(r.previous_hashes) as string[],
  failedAttempts: num(r.failed_attempts),
  lockedUntil: numOrNull(r.locked_until),
  lastFailedAt: numOrNull(r.last_failed_at),
});

export function loginProfilesRepository(ctx: Context): LoginProfilesRepository {
  const { db } = ctx;
  const profile = (accountId: string, userId: string) => db.updateTable('login_profiles').where('account_id', '=', accountId).where('user_id', '=', userId);
  return {
    async create(p) {
      ctx.write('loginProfiles.create');
      await db
        .insertInto('login_profiles')
        .values({
          user_id: p.userId,
          account_id: p.accountId,
          password_hash: p.passwordHash,
          password_reset_required: bool(p.passwordResetRequired),
          created_at: p.createdAt,
          password_last_changed_at: p.passwordLastChangedAt,
          previous_hashes: JSON.stringify(p.previousHashes ?? []),
          failed_attempts: 0,
          locked_until: null,
          last_failed_at: null,
        })
        .execute();
      ctx.change('loginProfile', p.accountId, p.userId);
    },
    async get(accountId, userId, options) {
      let q = db.selectFrom('login_profiles').selectAll().where('account_id', '=', accountId).where('user_id', '=', userId);
      if (options?.forUpdate === true && ctx.lockRows) q = q.forUpdate();
      const row = await q.executeTakeFirst();
      return row && toProfile(row);
    },
    async update(accountId, userId, changes) {
      ctx.write('loginProfiles.update');
      const set: Record<string, unknown> = {};
      if (changes.passwordHash !== undefined) set['password_hash'] = changes.passwordHash;
      if (changes.passwordResetRequired !== undefined) set['password_reset_required'] = bool(changes.passwordResetRequired);
      if (changes.passwordLastChangedAt !== undefined) set['password_last_changed_at'] = changes.passwordLastChangedAt;
      if (changes.previousHashes !== undefined) set['previous_hashes'] = JSON.stringify(changes.previousHashes);
      if (Object.keys(set).length === 0) return (await this.get(accountId, userId)) !== undefined;
      const ok = affected(await profile(accountId, userId).set(set).executeTakeFirst());
      if (ok) ctx.change('loginProfile', accountId, userId);
      return ok;
    },
    async delete(accountId, userId) {
      ctx.write('loginProfiles.delete');
      const ok = affected(await db.deleteFrom('login_profiles').where('account_id', '=', accountId).where('user_id', '=', userId).executeTakeFirst());
      if (ok) ctx.change('loginProfile', accountId, userId);
      return ok;
    },
    async recordFailedAttempt(accountId, userId, lockUntil, at) {
      const row = await profile(accountId, userId)
        .set((eb) => ({
          failed_attempts: eb('failed_attempts', '+', 1),
          ...(lockUntil === undefined ? {} : { locked_until: lockUntil }),
          ...(at === undefined ? {} : { last_failed_at: at }),
        }))
        .returning('failed_attempts')
        .executeTakeFirst();
      return row === undefined ? 0 : num(row.failed_attempts);
    },
    async lockUntil(accountId, userId, until) {
      // Conditional, so a shorter lockout computed by a racing instance never shortens a longer one.
      await profile(accountId, userId)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', until)]))
        .set({ locked_until: until })
        .execute();
    },
    async resetFailedAttempts(accountId, userId) {
      await profile(accountId, userId).set({ failed_attempts: 0, locked_until: null, last_failed_at: null }).execute();
    },
  };
}
