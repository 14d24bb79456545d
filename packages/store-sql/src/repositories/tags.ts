import type { TaggableType, TagsRepository } from '@latchkey/store';
import type { Context } from '../context.js';
import { num } from '../paging.js';
import { preparedQuery } from '../prepared-query.js';

/** AWS: tag keys on users and roles are case-insensitive (case preserved); elsewhere case-sensitive. */
const normalise = (type: TaggableType, key: string): string => (type === 'user' || type === 'role' ? key.toLowerCase() : key);

// Every authorized request reads its principal's and often its target's tags.
const listTags = preparedQuery((db, accountId: string, type: TaggableType, resourceId: string) =>
  db.selectFrom('tags').select(['key', 'value']).where('account_id', '=', accountId).where('resource_type', '=', type).where('resource_id', '=', resourceId).orderBy('key_norm'),
);

export function tagsRepository(ctx: Context): TagsRepository {
  const { db } = ctx;
  return {
    async put(accountId, type, resourceId, tags) {
      ctx.write('tags.put');
      for (const tag of tags) {
        await db
          .insertInto('tags')
          .values({ account_id: accountId, resource_type: type, resource_id: resourceId, key_norm: normalise(type, tag.key), key: tag.key, value: tag.value })
          .onConflict((oc) =>
            oc.columns(['resource_type', 'resource_id', 'key_norm']).doUpdateSet((eb) => ({ key: eb.ref('excluded.key'), value: eb.ref('excluded.value') })),
          )
          .execute();
      }
      if (tags.length > 0) ctx.change('tags', accountId, resourceId);
    },
    async remove(accountId, type, resourceId, keys) {
      ctx.write('tags.remove');
      if (keys.length === 0) return;
      await db
        .deleteFrom('tags')
        .where('account_id', '=', accountId)
        .where('resource_type', '=', type)
        .where('resource_id', '=', resourceId)
        .where(
          'key_norm',
          'in',
          keys.map((k) => normalise(type, k)),
        )
        .execute();
      ctx.change('tags', accountId, resourceId);
    },
    async list(accountId, type, resourceId) {
      const rows = await listTags(ctx, accountId, type, resourceId);
      return rows.map((r) => ({ key: r.key, value: r.value }));
    },
    async count(accountId, type, resourceId) {
      const row = await db
        .selectFrom('tags')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('account_id', '=', accountId)
        .where('resource_type', '=', type)
        .where('resource_id', '=', resourceId)
        .executeTakeFirstOrThrow();
      return num(row.n);
    },
  };
}
