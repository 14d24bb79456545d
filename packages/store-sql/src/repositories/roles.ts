import type { RolesRepository } from '@latchkey/store';
import type { Context } from '../context.js';
import { affected } from '../paging.js';
import { assertNoPolicies, countRows, deleteTags, getPrincipalRow, listPrincipalRows, toRole } from './principals.js';

export function rolesRepository(ctx: Context): RolesRepository {
  const { db } = ctx;
  return {
    async create(r) {
      ctx.write('roles.create');
      await db
        .insertInto('roles')
        .values({
          account_id: r.accountId,
          id: r.id,
          name: r.name,
          name_lower: r.name.toLowerCase(),
          path: r.path,
          arn: r.arn,
          created_at: r.createdAt,
          trust_policy: r.assumeRolePolicyDocument,
          description: r.description,
          max_session_duration: r.maxSessionDuration,
          permissions_boundary_arn: r.permissionsBoundaryArn,
          last_used_at: r.lastUsedAt,
          last_used_region: r.lastUsedRegion,
        })
        .execute();
      ctx.change('role', r.accountId, r.id);
    },
    async getByName(accountId, name, options) {
      const row = await getPrincipalRow(ctx, 'roles', accountId, { name }, options);
      return row && toRole(row);
    },
    async getById(accountId, id, options) {
      const row = await getPrincipalRow(ctx, 'roles', accountId, { id }, options);
      return row && toRole(row);
    },
    list: (accountId, page) => listPrincipalRows(ctx, 'roles', accountId, page, toRole),
    count: (accountId) => countRows(ctx, 'roles', accountId),
    async update(accountId, id, changes) {
      ctx.write('roles.update');
      const set: Record<string, unknown> = {};
      if (changes.description !== undefined) set['description'] = changes.description;
      if (changes.maxSessionDuration !== undefined) set['max_session_duration'] = changes.maxSessionDuration;
      if (changes.assumeRolePolicyDocument !== undefined) set['trust_policy'] = changes.assumeRolePolicyDocument;
      if (changes.permissionsBoundaryArn !== undefined) set['permissions_boundary_arn'] = changes.permissionsBoundaryArn;
      if (Object.keys(set).length === 0) return (await getPrincipalRow(ctx, 'roles', accountId, { id })) !== undefined;
      const ok = affected(await db.updateTable('roles').set(set).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst());
      if (ok) {
        if (changes.assumeRolePolicyDocument !== undefined) ctx.change('trustPolicy', accountId, id);
        if (changes.permissionsBoundaryArn !== undefined) ctx.change('boundary', accountId, id);
        if (changes.description !== undefined || changes.maxSessionDuration !== undefined) ctx.change('role', accountId, id);
      }
      return ok;
    },
    async delete(accountId, id) {
      ctx.write('roles.delete');
      await assertNoPolicies(ctx, 'role', id);
      await deleteTags(ctx, 'role', id);
      const ok = affected(await db.deleteFrom('roles').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst());
      if (ok) ctx.change('role', accountId, id);
      return ok;
    },
    async recordUse(accountId, id, at, region) {
      await db.updateTable('roles').set({ last_used_at: at, last_used_region: region }).where('account_id', '=', accountId).where('id', '=', id).execute();
    },
  };
}
