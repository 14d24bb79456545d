import type { InlinePoliciesRepository, InlinePolicyRecord, PrincipalType } from '@latchkey/store';
import type { Selectable } from 'kysely';
import type { Context } from '../context.js';
import { affected, markerString, pageSize, toPage } from '../paging.js';
import type { Database } from '../schema.js';

const toInline = (r: Selectable<Database['inline_policies']>): InlinePolicyRecord => ({
  principalType: r.principal_type as PrincipalType,
  principalId: r.principal_id,
  name: r.name,
  document: r.document,
});

export function inlinePoliciesRepository(ctx: Context): InlinePoliciesRepository {
  const { db } = ctx;
  const scoped = (accountId: string, type: PrincipalType, id: string) =>
    db.selectFrom('inline_policies').where('account_id', '=', accountId).where('principal_type', '=', type).where('principal_id', '=', id);
  return {
    async put(accountId, p) {
      ctx.write('inlinePolicies.put');
      const existing = await scoped(accountId, p.principalType, p.principalId).select('name').where('name', '=', p.name).executeTakeFirst();
      if (existing === undefined) {
        await db
          .insertInto('inline_policies')
          .values({ account_id: accountId, principal_type: p.principalType, principal_id: p.principalId, name: p.name, document: p.document })
          .execute();
      } else {
        await db
          .updateTable('inline_policies')
          .set({ document: p.document })
          .where('principal_type', '=', p.principalType)
          .where('principal_id', '=', p.principalId)
          .where('name', '=', p.name)
          .execute();
      }
      ctx.change('inlinePolicy', accountId, p.principalId);
      return existing === undefined;
    },
    async get(accountId, type, id, name) {
      const row = await scoped(accountId, type, id).selectAll().where('name', '=', name).executeTakeFirst();
      return row && toInline(row);
    },
    async listNames(accountId, type, id, page) {
      const limit = pageSize(page.maxItems);
      const after = markerString(page.marker, 1);
      let q = scoped(accountId, type, id).select('name');
      if (after !== undefined) q = q.where('name', '>', after[0] as string);
      const rows = await q.orderBy('name').limit(limit + 1).execute();
      return toPage(rows, limit, (r) => [r.name], (r) => r.name);
    },
    async all(accountId, type, id) {
      return (await scoped(accountId, type, id).selectAll().orderBy('name').execute()).map(toInline);
    },
    async delete(accountId, type, id, name) {
      ctx.write('inlinePolicies.delete');
      const ok = affected(
        await db
          .deleteFrom('inline_policies')
          .where('account_id', '=', accountId)
          .where('principal_type', '=', type)
          .where('principal_id', '=', id)
          .where('name', '=', name)
          .executeTakeFirst(),
      );
      if (ok) ctx.change('inlinePolicy', accountId, id);
      return ok;
    },
  };
}
