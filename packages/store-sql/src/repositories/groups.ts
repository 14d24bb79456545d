import type { GroupsRepository } from '@latchkey/store';
import type { Context } from '../context.js';
import { affected, markerString, num, pageSize, toPage } from '../paging.js';
import { assertNoPolicies, countRows, getPrincipalRow, listPrincipalRows, toGroup, toUser } from './principals.js';

export function groupsRepository(ctx: Context): GroupsRepository {
  const { db } = ctx;
  return {
    async create(g) {
      ctx.write('groups.create');
      await db
        .insertInto('groups')
        .values({ account_id: g.accountId, id: g.id, name: g.name, name_lower: g.name.toLowerCase(), path: g.path, arn: g.arn, created_at: g.createdAt })
        .execute();
      ctx.change('group', g.accountId, g.id);
    },
    async getByName(accountId, name, options) {
      const row = await getPrincipalRow(ctx, 'groups', accountId, { name }, options);
      return row && toGroup(row);
    },
    async getById(accountId, id, options) {
      const row = await getPrincipalRow(ctx, 'groups', accountId, { id }, options);
      return row && toGroup(row);
    },
    list: (accountId, page) => listPrincipalRows(ctx, 'groups', accountId, page, toGroup),
    count: (accountId) => countRows(ctx, 'groups', accountId),
    async update(accountId, id, changes) {
      ctx.write('groups.update');
      const set: Record<string, unknown> = {};
      if (changes.name !== undefined) Object.assign(set, { name: changes.name, name_lower: changes.name.toLowerCase() });
      if (changes.path !== undefined) set['path'] = changes.path;
      if (changes.arn !== undefined) set['arn'] = changes.arn;
      if (Object.keys(set).length === 0) return (await getPrincipalRow(ctx, 'groups', accountId, { id })) !== undefined;
      const ok = affected(await db.updateTable('groups').set(set).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst());
      if (ok) ctx.change('group', accountId, id);
      return ok;
    },
    async delete(accountId, id) {
      ctx.write('groups.delete');
      await assertNoPolicies(ctx, 'group', id);
      const ok = affected(await db.deleteFrom('groups').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst());
      if (ok) ctx.change('group', accountId, id);
      return ok;
    },
    async addMember(accountId, groupId, userId) {
      ctx.write('groups.addMember');
      const r = await db
        .insertInto('group_members')
        .values({ account_id: accountId, group_id: groupId, user_id: userId })
        .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
        .executeTakeFirst();
      const ok = affected(r);
      if (ok) ctx.change('membership', accountId, userId);
      return ok;
    },
    async removeMember(accountId, groupId, userId) {
      ctx.write('groups.removeMember');
      const ok = affected(
        await db.deleteFrom('group_members').where('account_id', '=', accountId).where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst(),
      );
      if (ok) ctx.change('membership', accountId, userId);
      return ok;
    },
    async listMembers(accountId, groupId, page) {
      const limit = pageSize(page.maxItems);
      const after = markerString(page.marker, 1);
      let q = db
        .selectFrom('group_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .selectAll('u')
        .where('m.account_id', '=', accountId)
        .where('m.group_id', '=', groupId);
      if (after !== undefined) q = q.where('u.name_lower', '>', after[0] as string);
      const rows = await q.orderBy('u.name_lower').limit(limit + 1).execute();
      return toPage(rows, limit, (r) => [r.name_lower], toUser);
    },
    async countMembers(accountId, groupId) {
      const row = await db
        .selectFrom('group_members')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('account_id', '=', accountId)
        .where('group_id', '=', groupId)
        .executeTakeFirstOrThrow();
      return num(row.n);
    },
    async listForUser(accountId, userId, page) {
      const limit = pageSize(page.maxItems);
      const after = markerString(page.marker, 1);
      let q = db
        .selectFrom('group_members as m')
        .innerJoin('groups as g', 'g.id', 'm.group_id')
        .selectAll('g')
        .where('m.account_id', '=', accountId)
        .where('m.user_id', '=', userId);
      if (after !== undefined) q = q.where('g.name_lower', '>', after[0] as string);
      const rows = await q.orderBy('g.name_lower').limit(limit + 1).execute();
      return toPage(rows, limit, (r) => [r.name_lower], toGroup);
    },
    async countForUser(accountId, userId) {
      const row = await db
        .selectFrom('group_members')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('account_id', '=', accountId)
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return num(row.n);
    },
  };
}
