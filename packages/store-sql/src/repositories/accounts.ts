import { AWS_MANAGED_ACCOUNT_ID } from '@latchkey/store';
import type { AccountRecord, AccountsRepository } from '@latchkey/store';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Context } from '../context.js';
import { affected, markerString, num, pageSize, toPage } from '../paging.js';
import { preparedQuery } from '../prepared-query.js';
import type { Database } from '../schema.js';

const toAccount = (r: Selectable<Database['accounts']>): AccountRecord => ({ id: r.id, alias: r.alias, createdAt: num(r.created_at) });

const accountQuery = (forUpdate: boolean) =>
  preparedQuery((db, id: string) => {
    const q = db.selectFrom('accounts').selectAll().where('id', '=', id).where('id', '!=', AWS_MANAGED_ACCOUNT_ID);
    return forUpdate ? q.forUpdate() : q;
  });
const accountById = accountQuery(false);
const accountForUpdate = accountQuery(true);

export function accountsRepository(ctx: Context): AccountsRepository {
  const { db } = ctx;
  return {
    async create(a) {
      ctx.write('accounts.create');
      await db.insertInto('accounts').values({ id: a.id, alias: a.alias, created_at: a.createdAt }).execute();
      ctx.change('account', a.id, a.id);
    },
    async get(id, options) {
      const [row] = await (options?.forUpdate === true && ctx.lockRows ? accountForUpdate : accountById)(ctx, id);
      return row && toAccount(row);
    },
    async list(page) {
      const limit = pageSize(page.maxItems);
      const after = markerString(page.marker, 1);
      let q = db.selectFrom('accounts').selectAll().where('id', '!=', AWS_MANAGED_ACCOUNT_ID);
      if (after !== undefined) q = q.where('id', '>', after[0] as string);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      return toPage(rows, limit, (r) => [r.id], toAccount);
    },
    async setAlias(id, alias) {
      ctx.write('accounts.setAlias');
      const ok = affected(await db.updateTable('accounts').set({ alias }).where('id', '=', id).where('id', '!=', AWS_MANAGED_ACCOUNT_ID).executeTakeFirst());
      if (ok) ctx.change('account', id, id);
      return ok;
    },
    async usage(id) {
      const count = async (
        table: 'users' | 'groups' | 'roles' | 'policies' | 'mfa_devices' | 'oidc_providers',
        extra?: 'assigned',
      ): Promise<number> => {
        let q = db
          .selectFrom(table as 'users')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('account_id', '=', id);
        if (extra === 'assigned') q = q.where(sql.ref('user_id'), 'is not', null);
        return num((await q.executeTakeFirstOrThrow()).n);
      };
      const versions = await db
        .selectFrom('policy_versions as v')
        .innerJoin('policies as p', 'p.id', 'v.policy_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('p.account_id', '=', id)
        .executeTakeFirstOrThrow();
      const rootKeys = await db
        .selectFrom('access_keys')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('account_id', '=', id)
        .where('is_root', '=', 1)
        .executeTakeFirstOrThrow();
      return {
        users: await count('users'),
        groups: await count('groups'),
        roles: await count('roles'),
        policies: await count('policies'),
        policyVersionsInUse: num(versions.n),
        mfaDevices: await count('mfa_devices'),
        mfaDevicesInUse: await count('mfa_devices', 'assigned'),
        rootAccessKeys: num(rootKeys.n),
        oidcProviders: await count('oidc_providers'),
      };
    },
    async getByAlias(alias) {
      const row = await db.selectFrom('accounts').selectAll().where('alias', '=', alias).executeTakeFirst();
      return row && toAccount(row);
    },
  };
}
