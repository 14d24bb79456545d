import type { AuthorizationRepository, InlinePolicyRecord, ManagedPolicyDocument, PrincipalType } from '@latchkey/store';
import type { Context } from '../context.js';
import { toGroup } from './principals.js';

/**
 * The authorizer's read: a fixed number of queries per principal (not one per policy), each
 * joining attachments to the policies' default versions.
 */
export function authorizationRepository(ctx: Context): AuthorizationRepository {
  const { db } = ctx;

  async function inlineOf(accountId: string, type: PrincipalType, ids: string[]): Promise<Map<string, InlinePolicyRecord[]>> {
    const out = new Map<string, InlinePolicyRecord[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await db
      .selectFrom('inline_policies')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('principal_type', '=', type)
      .where('principal_id', 'in', ids)
      .orderBy('name')
      .execute();
    for (const r of rows) out.get(r.principal_id)?.push({ principalType: type, principalId: r.principal_id, name: r.name, document: r.document });
    return out;
  }

  async function managedOf(accountId: string, type: PrincipalType, ids: string[]): Promise<Map<string, ManagedPolicyDocument[]>> {
    const out = new Map<string, ManagedPolicyDocument[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await db
      .selectFrom('policy_attachments as a')
      .innerJoin('policies as p', 'p.arn', 'a.policy_arn')
      .innerJoin('policy_versions as v', (join) => join.onRef('v.policy_id', '=', 'p.id').onRef('v.version_id', '=', 'p.default_version_id'))
      .select(['a.principal_id', 'p.arn', 'v.version_id', 'v.document'])
      .where('a.account_id', '=', accountId)
      .where('a.principal_type', '=', type)
      .where('a.principal_id', 'in', ids)
      .orderBy('p.name_lower')
      .orderBy('p.arn')
      .execute();
    for (const r of rows) out.get(r.principal_id)?.push({ arn: r.arn, versionId: r.version_id, document: r.document });
    return out;
  }

  async function boundaryOf(arn: string | null): Promise<ManagedPolicyDocument | null> {
    if (arn === null) return null;
    const row = await db
      .selectFrom('policies as p')
      .innerJoin('policy_versions as v', (join) => join.onRef('v.policy_id', '=', 'p.id').onRef('v.version_id', '=', 'p.default_version_id'))
      .select(['p.arn', 'v.version_id', 'v.document'])
      .where('p.arn', '=', arn)
      .executeTakeFirst();
    return row === undefined ? null : { arn: row.arn, versionId: row.version_id, document: row.document };
  }

  return {
    async policiesFor(accountId, type, id) {
      let boundaryArn: string | null = null;
      if (type === 'group') {
        const g = await db.selectFrom('groups').select('id').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
        if (g === undefined) return undefined;
      } else {
        const table = type === 'user' ? 'users' : 'roles';
        const row = await db
          .selectFrom(table as 'users')
          .select('permissions_boundary_arn')
          .where('account_id', '=', accountId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (row === undefined) return undefined;
        boundaryArn = row.permissions_boundary_arn;
      }
      const inline = (await inlineOf(accountId, type, [id])).get(id) ?? [];
      const managed = (await managedOf(accountId, type, [id])).get(id) ?? [];
      const groups: { group: ReturnType<typeof toGroup>; inline: InlinePolicyRecord[]; managed: ManagedPolicyDocument[] }[] = [];
      if (type === 'user') {
        const groupRows = await db
          .selectFrom('group_members as m')
          .innerJoin('groups as g', 'g.id', 'm.group_id')
          .selectAll('g')
          .where('m.account_id', '=', accountId)
          .where('m.user_id', '=', id)
          .orderBy('g.name_lower')
          .execute();
        const ids = groupRows.map((g) => g.id);
        const groupInline = await inlineOf(accountId, 'group', ids);
        const groupManaged = await managedOf(accountId, 'group', ids);
        for (const g of groupRows) groups.push({ group: toGroup(g), inline: groupInline.get(g.id) ?? [], managed: groupManaged.get(g.id) ?? [] });
      }
      return { inline, managed, groups, boundary: await boundaryOf(boundaryArn) };
    },
  };
}
