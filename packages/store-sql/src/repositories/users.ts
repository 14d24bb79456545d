import type { UsersRepository } from '@latchkey/store';
import type { Context } from '../context.js';
import { affected } from '../paging.js';
import { assertNoPolicies, countRows, deleteTags, getPrincipalRow, listPrincipalRows, toUser } from './principals.js';

export function usersRepository(ctx: Context): UsersRepository {
  const { db } = ctx;
  return {
    async create(u) {
      ctx.write('users.create');
      await db
        .insertInto('users')
        .values({
          account_id: u.accountId,
          id: u.id,
          name: u.name,
          name_lower: u.name.toLowerCase(),
          path: u.path,
          arn: u.arn,
          created_at: u.createdAt,
          permissions_boundary_arn: u.permissionsBoundaryArn,
          password_last_used_at: u.passwordLastUsedAt,
        })
        .execute();
      ctx.change('user', u.accountId, u.id);
    },
    async getByName(accountId, name, options) {
      const row = await getPrincipalRow(ctx, 'users', accountId, { name }, options);
      return row && toUser(row);
    },
    async getById(accountId, id, options) {
      const row = await getPrincipalRow(ctx, 'users', accountId, { id }, options);
      return row && toUser(row);
    },
    list: (accountId, page) => listPrincipalRows(ctx, 'users', accountId, page, toUser),
    count: (accountId) => countRows(ctx, 'users', accountId),
    async update(accountId, id, changes) {
      ctx.write('users.update');
      const set: Record<string, unknown> = {};
      if (changes.name !== undefined) Object.assign(set, { name: changes.name, name_lower: changes.name.toLowerCase() });
      if (changes.path !== undefined) set['path'] = changes.path;
      if (changes.arn !== undefined) set['arn'] = changes.arn;
      if (changes.permissionsBoundaryArn !== undefined) set['permissions_boundary_arn'] = changes.permissionsBoundaryArn;
      if (Object.keys(set).length === 0) return (await getPrincipalRow(ctx, 'users', accountId, { id })) !== undefined;
      const ok = affected(await db.updateTable('users').set(set).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst());
      if (ok) ctx.change(changes.permissionsBoundaryArn !== undefined ? 'boundary' : 'user', accountId, id);
      return ok;
    },
    async delete(accountId, id) {
      ctx.write('users.delete');
      await assertNoPolicies(ctx, 'user', id);
      await deleteTags(ctx, 'user', id);
      const ok = affected(await db.deleteFrom('users').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst());
      if (ok) ctx.change('user', accountId, id);
      return ok;
    },
    async recordPasswordUse(accountId, id, at) {
      await db.updateTable('users').set({ password_last_used_at: at }).where('account_id', '=', accountId).where('id', '=', id).execute();
    },
  };
}
