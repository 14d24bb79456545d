import type { OidcProviderRecord, OidcProvidersRepository } from '@latchkey/store';
import type { Selectable } from 'kysely';
import type { Context } from '../context.js';
import { affected, num } from '../paging.js';
import type { Database } from '../schema.js';
import { deleteTags } from './principals.js';

const toProvider = (r: Selectable<Database['oidc_providers']>): OidcProviderRecord => ({
  accountId: r.account_id,
  arn: r.arn,
  url: r.url,
  clientIds: JSON.parse(r.client_ids) as string[],
  thumbprints: JSON.parse(r.thumbprints) as string[],
  createdAt: num(r.created_at),
});

export function oidcProvidersRepository(ctx: Context): OidcProvidersRepository {
  const { db } = ctx;
  return {
    async create(p) {
      ctx.write('oidcProviders.create');
      await db
        .insertInto('oidc_providers')
        .values({
          arn: p.arn,
          account_id: p.accountId,
          url: p.url,
          client_ids: JSON.stringify(p.clientIds),
          thumbprints: JSON.stringify(p.thumbprints),
          created_at: p.createdAt,
        })
        .execute();
      ctx.change('oidcProvider', p.accountId, p.arn);
    },
    async get(accountId, arn, options) {
      let q = db.selectFrom('oidc_providers').selectAll().where('account_id', '=', accountId).where('arn', '=', arn);
      if (options?.forUpdate === true && ctx.lockRows) q = q.forUpdate();
      const row = await q.executeTakeFirst();
      return row && toProvider(row);
    },
    async list(accountId) {
      return (await db.selectFrom('oidc_providers').selectAll().where('account_id', '=', accountId).orderBy('arn').execute()).map(toProvider);
    },
    async count(accountId) {
      const row = await db.selectFrom('oidc_providers').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
      return num(row.n);
    },
    async update(accountId, arn, changes) {
      ctx.write('oidcProviders.update');
      const set: Record<string, string> = {};
      if (changes.clientIds !== undefined) set['client_ids'] = JSON.stringify(changes.clientIds);
      if (changes.thumbprints !== undefined) set['thumbprints'] = JSON.stringify(changes.thumbprints);
      if (Object.keys(set).length === 0) return (await this.get(accountId, arn)) !== undefined;
      const ok = affected(await db.updateTable('oidc_providers').set(set).where('account_id', '=', accountId).where('arn', '=', arn).executeTakeFirst());
      if (ok) ctx.change('oidcProvider', accountId, arn);
      return ok;
    },
    async delete(accountId, arn) {
      ctx.write('oidcProviders.delete');
      await deleteTags(ctx, 'oidc', arn);
      const ok = affected(await db.deleteFrom('oidc_providers').where('account_id', '=', accountId).where('arn', '=', arn).executeTakeFirst());
      if (ok) ctx.change('oidcProvider', accountId, arn);
      return ok;
    },
  };
}
