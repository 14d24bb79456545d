import type { ChangeEvent, ChangeKind, ChangeLogRepository } from '@latchkey/store';
import type { Selectable } from 'kysely';
import type { Context } from '../context.js';
import { num } from '../paging.js';
import type { Database } from '../schema.js';

export const toChange = (r: Selectable<Database['change_log']>): ChangeEvent => ({
  seq: num(r.seq),
  kind: r.kind as ChangeKind,
  accountId: r.account_id,
  entity: r.entity,
});

export function changeLogRepository(ctx: Context): ChangeLogRepository {
  const { db } = ctx;
  return {
    async since(afterSeq, limit = 1000) {
      return (await db.selectFrom('change_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute()).map(toChange);
    },
    async head() {
      const row = await db
        .selectFrom('change_log')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirst();
      return row?.seq === null || row?.seq === undefined ? 0 : num(row.seq);
    },
  };
}
