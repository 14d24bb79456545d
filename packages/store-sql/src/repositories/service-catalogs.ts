import type { ServiceCatalogRecord, ServiceCatalogsRepository } from '@latchkey/store';
import type { Selectable } from 'kysely';
import type { Context } from '../context.js';
import { affected, num } from '../paging.js';
import type { Database } from '../schema.js';

const toRecord = (r: Selectable<Database['service_catalogs']>): ServiceCatalogRecord => ({
  accountId: r.account_id,
  service: r.service,
  document: r.document,
  updatedAt: num(r.updated_at),
});

export function serviceCatalogsRepository(ctx: Context): ServiceCatalogsRepository {
  const { db } = ctx;
  return {
    async get(accountId, service) {
      const row = await db.selectFrom('service_catalogs').selectAll().where('account_id', '=', accountId).where('service', '=', service).executeTakeFirst();
      return row && toRecord(row);
    },
    async list(accountId) {
      const rows = await db.selectFrom('service_catalogs').selectAll().where('account_id', '=', accountId).orderBy('service').execute();
      return rows.map(toRecord);
    },
    async count(accountId) {
      const row = await db.selectFrom('service_catalogs').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
      return num(row.n);
    },
    async put(record) {
      ctx.write('serviceCatalogs.put');
      const values = { account_id: record.accountId, service: record.service, document: record.document, updated_at: record.updatedAt };
      await db
        .insertInto('service_catalogs')
        .values(values)
        .onConflict((oc) => oc.columns(['account_id', 'service']).doUpdateSet({ document: values.document, updated_at: values.updated_at }))
        .execute();
    },
    async delete(accountId, service) {
      ctx.write('serviceCatalogs.delete');
      return affected(await db.deleteFrom('service_catalogs').where('account_id', '=', accountId).where('service', '=', service).executeTakeFirst());
    },
  };
}
