import type { AccessKeyRecord, AccessKeysRepository, AccessKeyStatus } from '@latchkey/store';
import type { Selectable } from 'kysely';
import type { Context } from '../context.js';
import { affected, bool, markerString, num, numOrNull, pageSize, toPage } from '../paging.js';
import { preparedQuery } from '../prepared-query.js';
import type { Database } from '../schema.js';

export const toKey = (r: Selectable<Database['access_keys']>): AccessKeyRecord => ({
  accountId: r.account_id,
  id: r.id,
  userId: r.user_id,
  isRoot: num(r.is_root) === 1,
  secret: { ciphertext: r.secret_ciphertext, keyId: r.secret_key_id },
  status: r.status as AccessKeyStatus,
  createdAt: num(r.created_at),
  lastUsedAt: numOrNull(r.last_used_at),
  lastUsedService: r.last_used_service,
  lastUsedRegion: r.last_used_region,
});

// Fixed-width so the text marker orders like the number (epoch ms stays 13 digits until 2286).
const pad = (n: number): string => String(n).padStart(16, '0');

// The credential lookup behind every signature whose key is not cached yet.
const keyById = preparedQuery((db, id: string) => db.selectFrom('access_keys').selectAll().where('id', '=', id));

export function accessKeysRepository(ctx: Context): AccessKeysRepository {
  const { db } = ctx;
  const owned = (accountId: string, userId: string | null) => {
    const q = db.selectFrom('access_keys').where('account_id', '=', accountId);
    return userId === null ? q.where('is_root', '=', 1) : q.where('user_id', '=', userId);
  };
  return {
    async create(k) {
      ctx.write('accessKeys.create');
      await db
        .insertInto('access_keys')
        .values({
          id: k.id,
          account_id: k.accountId,
          user_id: k.userId,
          is_root: bool(k.isRoot),
          secret_ciphertext: k.secret.ciphertext,
          secret_key_id: k.secret.keyId,
          status: k.status,
          created_at: k.createdAt,
          last_used_at: null,
          last_used_service: null,
          last_used_region: null,
        })
        .execute();
      ctx.change('accessKey', k.accountId, k.id);
    },
    async get(id) {
      const [row] = await keyById(ctx, id);
      return row && toKey(row);
    },
    async listForOwner(accountId, userId, page) {
      const limit = pageSize(page.maxItems);
      const after = markerString(page.marker, 2);
      let q = owned(accountId, userId).selectAll();
      if (after !== undefined) {
        const [created, id] = [Number(after[0]), after[1] as string];
        q = q.where((eb) => eb.or([eb('created_at', '>', created), eb.and([eb('created_at', '=', created), eb('id', '>', id)])]));
      }
      const rows = await q.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
      return toPage(rows, limit, (r) => [pad(num(r.created_at)), r.id], toKey);
    },
    async countForOwner(accountId, userId) {
      const row = await owned(accountId, userId)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return num(row.n);
    },
    async updateStatus(accountId, id, status) {
      ctx.write('accessKeys.updateStatus');
      const ok = affected(await db.updateTable('access_keys').set({ status }).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst());
      if (ok) ctx.change('accessKey', accountId, id);
      return ok;
    },
    async delete(accountId, id) {
      ctx.write('accessKeys.delete');
      const ok = affected(await db.deleteFrom('access_keys').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst());
      if (ok) ctx.change('accessKey', accountId, id);
      return ok;
    },
    async recordUse(id, use) {
      let q = db
        .updateTable('access_keys')
        .set({ last_used_at: use.at, last_used_service: use.service, last_used_region: use.region })
        .where('id', '=', id);
      if (use.coalesceMs !== undefined && use.coalesceMs > 0) {
        const since = use.at - use.coalesceMs;
        // One conditional statement: a no-op UPDATE dirties no page, so nothing reaches the WAL.
        q = q.where((eb) =>
          eb.or([
            eb('last_used_at', 'is', null),
            eb('last_used_at', '<', since),
            eb('last_used_service', 'is', null),
            eb('last_used_service', '!=', use.service),
            eb('last_used_region', 'is', null),
            eb('last_used_region', '!=', use.region),
          ]),
        );
      }
      return affected(await q.executeTakeFirst());
    },
    async listSealedWith(keyId, limit) {
      return (await db.selectFrom('access_keys').selectAll().where('secret_key_id', '=', keyId).orderBy('id').limit(limit).execute()).map(toKey);
    },
    async reseal(id, secret) {
      ctx.write('accessKeys.reseal');
      return affected(
        await db.updateTable('access_keys').set({ secret_ciphertext: secret.ciphertext, secret_key_id: secret.keyId }).where('id', '=', id).executeTakeFirst(),
      );
    },
  };
}
