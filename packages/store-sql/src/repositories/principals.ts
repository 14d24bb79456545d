import type { GroupRecord, LockOption, Page, PageRequest, RoleRecord, UserRecord } from '@latchkey/store';
import { ReferenceViolationError } from '@latchkey/store';
import type { Selectable } from 'kysely';
import type { Context } from '../context.js';
import { preparedQuery } from '../prepared-query.js';
import { affected, hasPathFilter, markerString, num, numOrNull, pageSize, pathStartsWith, toPage } from '../paging.js';
import type { Database } from '../schema.js';

export const toUser = (r: Selectable<Database['users']>): UserRecord => ({
  accountId: r.account_id,
  id: r.id,
  name: r.name,
  path: r.path,
  arn: r.arn,
  createdAt: num(r.created_at),
  permissionsBoundaryArn: r.permissions_boundary_arn,
  passwordLastUsedAt: numOrNull(r.password_last_used_at),
});

export const toGroup = (r: Selectable<Database['groups']>): GroupRecord => ({
  accountId: r.account_id,
  id: r.id,
  name: r.name,
  path: r.path,
  arn: r.arn,
  createdAt: num(r.created_at),
});

export const toRole = (r: Selectable<Database['roles']>): RoleRecord => ({
  accountId: r.account_id,
  id: r.id,
  name: r.name,
  path: r.path,
  arn: r.arn,
  createdAt: num(r.created_at),
  assumeRolePolicyDocument: r.trust_policy,
  description: r.description,
  maxSessionDuration: num(r.max_session_duration),
  permissionsBoundaryArn: r.permissions_boundary_arn,
  lastUsedAt: numOrNull(r.last_used_at),
  lastUsedRegion: r.last_used_region,
});

type NamedTable = 'users' | 'groups' | 'roles';
type PrincipalRowQuery = (ctx: Context, accountId: string, key: string) => Promise<Selectable<Database[NamedTable]>[]>;
type KeyColumn = 'name_lower' | 'id';

function principalRowQuery(table: NamedTable, column: KeyColumn, forUpdate: boolean): PrincipalRowQuery {
  return preparedQuery((db, accountId: string, key: string) => {
    const q = db
      .selectFrom(table as 'users')
      .selectAll()
      .where('account_id', '=', accountId)
      .where(column, '=', key);
    return forUpdate ? q.forUpdate() : q;
  }) as PrincipalRowQuery;
}

// One prepared query per table, key column and locking (unlocked, locked): these run on every
// signed request, so the choice is a property lookup rather than a composed key.
const byTable = (table: NamedTable): Record<KeyColumn, readonly [PrincipalRowQuery, PrincipalRowQuery]> => ({
  name_lower: [principalRowQuery(table, 'name_lower', false), principalRowQuery(table, 'name_lower', true)],
  id: [principalRowQuery(table, 'id', false), principalRowQuery(table, 'id', true)],
});
const principalRowQueries: Record<NamedTable, Record<KeyColumn, readonly [PrincipalRowQuery, PrincipalRowQuery]>> = {
  users: byTable('users'),
  groups: byTable('groups'),
  roles: byTable('roles'),
};

/** Get-by-name/id and the name-ordered listing shared by users, groups and roles. */
export async function getPrincipalRow<T extends NamedTable>(
  ctx: Context,
  table: T,
  accountId: string,
  by: { name: string } | { id: string },
  options?: LockOption,
): Promise<Selectable<Database[T]> | undefined> {
  const lock = options?.forUpdate === true && ctx.lockRows ? 1 : 0;
  const queries = principalRowQueries[table];
  const rows = 'name' in by ? await queries.name_lower[lock](ctx, accountId, by.name.toLowerCase()) : await queries.id[lock](ctx, accountId, by.id);
  return rows[0] as Selectable<Database[T]> | undefined;
}

export async function listPrincipalRows<T extends NamedTable, R>(
  ctx: Context,
  table: T,
  accountId: string,
  page: PageRequest,
  map: (row: Selectable<Database[T]>) => R,
): Promise<Page<R>> {
  const limit = pageSize(page.maxItems);
  const after = markerString(page.marker, 1);
  let q = ctx.db
    .selectFrom(table as NamedTable)
    .selectAll()
    .where('account_id', '=', accountId);
  if (hasPathFilter(page.pathPrefix)) q = q.where(pathStartsWith('path', page.pathPrefix));
  if (after !== undefined) q = q.where('name_lower', '>', after[0] as string);
  const rows = (await q.orderBy('name_lower').limit(limit + 1).execute()) as Selectable<Database[T]>[];
  return toPage(rows, limit, (r) => [(r as { name_lower: string }).name_lower], map);
}

export async function countRows(ctx: Context, table: NamedTable, accountId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return num(row.n);
}

/**
 * Attachments and inline policies point at principals polymorphically (no foreign key), so the
 * delete itself refuses while any remain: the database never keeps an orphan.
 */
export async function assertNoPolicies(ctx: Context, principalType: 'user' | 'group' | 'role', principalId: string): Promise<void> {
  const attached = await ctx.db
    .selectFrom('policy_attachments')
    .select('policy_arn')
    .where('principal_type', '=', principalType)
    .where('principal_id', '=', principalId)
    .limit(1)
    .executeTakeFirst();
  if (attached !== undefined) throw new ReferenceViolationError('policy_attachments');
  const inline = await ctx.db
    .selectFrom('inline_policies')
    .select('name')
    .where('principal_type', '=', principalType)
    .where('principal_id', '=', principalId)
    .limit(1)
    .executeTakeFirst();
  if (inline !== undefined) throw new ReferenceViolationError('inline_policies');
}

export async function deleteTags(ctx: Context, resourceType: string, resourceId: string): Promise<void> {
  await ctx.db.deleteFrom('tags').where('resource_type', '=', resourceType).where('resource_id', '=', resourceId).execute();
}

export { affected };
