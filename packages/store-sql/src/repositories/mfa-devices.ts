import type { MfaDeviceRecord, MfaDevicesRepository } from '@latchkey/store';
import type { Selectable } from 'kysely';
import type { Context } from '../context.js';
import { affected, markerString, num, numOrNull, pageSize, toPage } from '../paging.js';
import type { Database } from '../schema.js';
import { deleteTags } from './principals.js';

const toDevice = (r: Selectable<Database['mfa_devices']>): MfaDeviceRecord => ({
  accountId: r.account_id,
  serial: r.serial,
  name: r.name,
  path: r.path,
  seed: { ciphertext: r.seed_ciphertext, keyId: r.seed_key_id },
  createdAt: num(r.created_at),
  userId: r.user_id,
  enabledAt: numOrNull(r.enabled_at),
  lastUsedStep: numOrNull(r.last_used_step),
  lastUsedAt: numOrNull(r.last_used_at),
  failedAttempts: num(r.failed_attempts),
  lockedUntil: numOrNull(r.locked_until),
  lastFailedAt: numOrNull(r.last_failed_at),
});

const CLEAR_FAILURES = { failed_attempts: 0, locked_until: null, last_failed_at: null } as const;

export function mfaDevicesRepository(ctx: Context): MfaDevicesRepository {
  const { db } = ctx;
  const device = (accountId: string, serial: string) => db.updateTable('mfa_devices').where('account_id', '=', accountId).where('serial', '=', serial);
  return {
    async create(d) {
      ctx.write('mfaDevices.create');
      await db
        .insertInto('mfa_devices')
        .values({
          serial: d.serial,
          account_id: d.accountId,
          name: d.name,
          path: d.path,
          seed_ciphertext: d.seed.ciphertext,
          seed_key_id: d.seed.keyId,
          created_at: d.createdAt,
          user_id: null,
          enabled_at: null,
          last_used_step: null,
          last_used_at: null,
          failed_attempts: 0,
          locked_until: null,
          last_failed_at: null,
        })
        .execute();
      ctx.change('mfa', d.accountId, d.serial);
    },
    async get(accountId, serial, options) {
      let q = db.selectFrom('mfa_devices').selectAll().where('account_id', '=', accountId).where('serial', '=', serial);
      if (options?.forUpdate === true && ctx.lockRows) q = q.forUpdate();
      const row = await q.executeTakeFirst();
      return row && toDevice(row);
    },
    async list(accountId, page) {
      const limit = pageSize(page.maxItems);
      const after = markerString(page.marker, 1);
      let q = db.selectFrom('mfa_devices').selectAll().where('account_id', '=', accountId);
      if (page.assignment === 'Assigned') q = q.where('user_id', 'is not', null);
      if (page.assignment === 'Unassigned') q = q.where('user_id', 'is', null);
      if (after !== undefined) q = q.where('serial', '>', after[0] as string);
      const rows = await q.orderBy('serial').limit(limit + 1).execute();
      return toPage(rows, limit, (r) => [r.serial], toDevice);
    },
    async listForUser(accountId, userId) {
      return (await db.selectFrom('mfa_devices').selectAll().where('account_id', '=', accountId).where('user_id', '=', userId).orderBy('enabled_at').orderBy('serial').execute()).map(
        toDevice,
      );
    },
    async enable(accountId, serial, userId, at, step) {
      ctx.write('mfaDevices.enable');
      const ok = affected(
        await device(accountId, serial)
          .where('user_id', 'is', null)
          .set({ user_id: userId, enabled_at: at, last_used_step: step, last_used_at: at, ...CLEAR_FAILURES })
          .executeTakeFirst(),
      );
      if (ok) ctx.change('mfa', accountId, serial);
      return ok;
    },
    async deactivate(accountId, serial) {
      ctx.write('mfaDevices.deactivate');
      const ok = affected(await device(accountId, serial).where('user_id', 'is not', null).set({ user_id: null, enabled_at: null }).executeTakeFirst());
      if (ok) ctx.change('mfa', accountId, serial);
      return ok;
    },
    async delete(accountId, serial) {
      ctx.write('mfaDevices.delete');
      await deleteTags(ctx, 'mfa', serial);
      const ok = affected(await db.deleteFrom('mfa_devices').where('account_id', '=', accountId).where('serial', '=', serial).executeTakeFirst());
      if (ok) ctx.change('mfa', accountId, serial);
      return ok;
    },
    async acceptStep(accountId, serial, step, at) {
      // One conditional UPDATE: the database decides which of two concurrent uses wins.
      return affected(
        await device(accountId, serial)
          .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
          .set({ last_used_step: step, last_used_at: at, ...CLEAR_FAILURES })
          .executeTakeFirst(),
      );
    },
    async recordFailure(accountId, serial, at) {
      const row = await device(accountId, serial)
        .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1), ...(at === undefined ? {} : { last_failed_at: at }) }))
        .returning('failed_attempts')
        .executeTakeFirst();
      return row === undefined ? 0 : num(row.failed_attempts);
    },
    async lockUntil(accountId, serial, until) {
      // Conditional, so a shorter lockout computed by a racing instance never shortens a longer one.
      await device(accountId, serial)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', until)]))
        .set({ locked_until: until })
        .execute();
    },
    async resetFailures(accountId, serial) {
      await device(accountId, serial).set(CLEAR_FAILURES).execute();
    },
    async resync(accountId, serial, step, at) {
      ctx.write('mfaDevices.resync');
      return affected(await device(accountId, serial).set({ last_used_step: step, last_used_at: at, ...CLEAR_FAILURES }).executeTakeFirst());
    },
    async listSealedWith(keyId, limit) {
      return (await db.selectFrom('mfa_devices').selectAll().where('seed_key_id', '=', keyId).orderBy('serial').limit(limit).execute()).map(toDevice);
    },
    async reseal(serial, seed) {
      ctx.write('mfaDevices.reseal');
      return affected(
        await db.updateTable('mfa_devices').set({ seed_ciphertext: seed.ciphertext, seed_key_id: seed.keyId }).where('serial', '=', serial).executeTakeFirst(),
      );
    },
  };
}
