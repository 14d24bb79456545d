import { AWS_MANAGED_ACCOUNT_ID } from '@latchkey/store';
import type { ManagedPolicyRecord, PoliciesRepository, PolicyVersionRecord } from '@latchkey/store';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Context } from '../context.js';
import { affected, bool, hasPathFilter, markerNumber, markerString, num, pageSize, pathStartsWith, toPage } from '../paging.js';
import type { Database } from '../schema.js';
import { deleteTags } from './principals.js';

export const toPolicy = (r: Selectable<Database['policies']>): ManagedPolicyRecord => ({
  accountId: r.account_id,
  id: r.id,
  name: r.name,
  path: r.path,
  arn: r.arn,
  description: r.description,
  defaultVersionId: r.default_version_id,
  isAttachable: num(r.is_attachable) === 1,
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
});

const toVersion = (r: Selectable<Database['policy_versions']> & { default_version_id: string }): PolicyVersionRecord => ({
  policyId: r.policy_id,
  versionId: r.version_id,
  document: r.document,
  isDefaultVersion: r.version_id === r.default_version_id,
  createdAt: num(r.created_at),
});

type PolicyEb = ExpressionBuilder<Database & { p: Database['policies'] }, 'p'>;

function attachedIn(eb: PolicyEb, viewer: string) {
  return eb.exists(
    eb
      .selectFrom('policy_attachments as a')
      .select('a.policy_arn')
      .whereRef('a.policy_arn', '=', 'p.arn')
      .where('a.account_id', '=', viewer),
  );
}

function boundaryIn(eb: PolicyEb, viewer: string) {
  return eb.or([
    eb.exists(eb.selectFrom('users as u').select('u.id').whereRef('u.permissions_boundary_arn', '=', 'p.arn').where('u.account_id', '=', viewer)),
    eb.exists(eb.selectFrom('roles as r').select('r.id').whereRef('r.permissions_boundary_arn', '=', 'p.arn').where('r.account_id', '=', viewer)),
  ]);
}

export function policiesRepository(ctx: Context): PoliciesRepository {
  const { db } = ctx;

  async function versionRows(arn: string) {
    return db
      .selectFrom('policy_versions as v')
      .innerJoin('policies as p', 'p.id', 'v.policy_id')
      .selectAll('v')
      .select('p.default_version_id')
      .where('p.arn', '=', arn);
  }

  return {
    async create(p) {
      ctx.write('policies.create');
      await db
        .insertInto('policies')
        .values({
          account_id: p.accountId,
          id: p.id,
          name: p.name,
          name_lower: p.name.toLowerCase(),
          path: p.path,
          arn: p.arn,
          description: p.description,
          default_version_id: 'v1',
          is_attachable: bool(p.isAttachable),
          next_version: 2,
          created_at: p.createdAt,
          updated_at: p.createdAt,
        })
        .execute();
      await db.insertInto('policy_versions').values({ policy_id: p.id, version_id: 'v1', version_num: 1, document: p.document, created_at: p.createdAt }).execute();
      ctx.change('policy', p.accountId, p.id);
      const { document: _document, ...rest } = p;
      return { ...rest, defaultVersionId: 'v1', updatedAt: p.createdAt };
    },
    async getByArn(arn, options) {
      let q = db.selectFrom('policies').selectAll().where('arn', '=', arn);
      if (options?.forUpdate === true && ctx.lockRows) q = q.forUpdate();
      const row = await q.executeTakeFirst();
      return row && toPolicy(row);
    },
    async getById(id) {
      const row = await db.selectFrom('policies').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toPolicy(row);
    },
    async list(viewer, req) {
      const limit = pageSize(req.maxItems);
      const after = markerString(req.marker, 2);
      const scope = req.scope ?? 'All';
      const owners = scope === 'AWS' ? [AWS_MANAGED_ACCOUNT_ID] : scope === 'Local' ? [viewer] : [viewer, AWS_MANAGED_ACCOUNT_ID];
      let q = db.selectFrom('policies as p').selectAll('p').where('p.account_id', 'in', owners);
      if (hasPathFilter(req.pathPrefix)) q = q.where(pathStartsWith('p.path', req.pathPrefix));
      if (req.onlyAttached === true || req.usage !== undefined) {
        const usage = req.usage;
        q = q.where((eb) =>
          usage === 'PermissionsPolicy' ? attachedIn(eb, viewer) : usage === 'PermissionsBoundary' ? boundaryIn(eb, viewer) : eb.or([attachedIn(eb, viewer), boundaryIn(eb, viewer)]),
        );
      }
      if (after !== undefined) {
        const [name, arn] = after as [string, string];
        q = q.where((eb) => eb.or([eb('p.name_lower', '>', name), eb.and([eb('p.name_lower', '=', name), eb('p.arn', '>', arn)])]));
      }
      const rows = await q.orderBy('p.name_lower').orderBy('p.arn').limit(limit + 1).execute();
      return toPage(rows, limit, (r) => [r.name_lower, r.arn], toPolicy);
    },
    async count(accountId) {
      const row = await db.selectFrom('policies').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
      return num(row.n);
    },
    async usage(viewer, arn) {
      const a = await db
        .selectFrom('policy_attachments')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('policy_arn', '=', arn)
        .where('account_id', '=', viewer)
        .executeTakeFirstOrThrow();
      const u = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('permissions_boundary_arn', '=', arn)
        .where('account_id', '=', viewer)
        .executeTakeFirstOrThrow();
      const r = await db
        .selectFrom('roles')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('permissions_boundary_arn', '=', arn)
        .where('account_id', '=', viewer)
        .executeTakeFirstOrThrow();
      return { attachmentCount: num(a.n), permissionsBoundaryUsageCount: num(u.n) + num(r.n) };
    },
    async delete(arn) {
      ctx.write('policies.delete');
      const row = await db.selectFrom('policies').select(['id', 'account_id']).where('arn', '=', arn).executeTakeFirst();
      if (row === undefined) return false;
      await deleteTags(ctx, 'policy', row.id);
      // Versions go explicitly (not only by cascade) so the same statements work with either engine's FK mode.
      await db.deleteFrom('policy_versions').where('policy_id', '=', row.id).execute();
      await db.deleteFrom('policies').where('id', '=', row.id).execute();
      ctx.change('policy', row.account_id, row.id);
      return true;
    },
    async createVersion(arn, document, setAsDefault, at) {
      ctx.write('policies.createVersion');
      // Taking the number with one UPDATE … RETURNING keeps it monotonic even without a prior lock.
      const bumped = await db
        .updateTable('policies')
        .set((eb) => ({ next_version: eb('next_version', '+', 1) }))
        .where('arn', '=', arn)
        .returning(['id', 'account_id', 'next_version'])
        .executeTakeFirst();
      if (bumped === undefined) throw new RangeError(`no policy ${arn}`);
      const n = num(bumped.next_version) - 1;
      const versionId = `v${n}`;
      await db.insertInto('policy_versions').values({ policy_id: bumped.id, version_id: versionId, version_num: n, document, created_at: at }).execute();
      if (setAsDefault) await db.updateTable('policies').set({ default_version_id: versionId, updated_at: at }).where('id', '=', bumped.id).execute();
      ctx.change('policy', bumped.account_id, bumped.id);
      return { policyId: bumped.id, versionId, document, isDefaultVersion: setAsDefault, createdAt: at };
    },
    async getVersion(arn, versionId) {
      const row = await (await versionRows(arn)).where('v.version_id', '=', versionId).executeTakeFirst();
      return row && toVersion(row);
    },
    async getDefaultVersion(arn) {
      const row = await (await versionRows(arn)).whereRef('v.version_id', '=', 'p.default_version_id').executeTakeFirst();
      return row && toVersion(row);
    },
    async listVersions(arn, page) {
      const limit = pageSize(page.maxItems);
      const after = markerNumber(page.marker);
      let q = await versionRows(arn);
      if (after !== undefined) q = q.where('v.version_num', '<', after);
      const rows = await q.orderBy('v.version_num', 'desc').limit(limit + 1).execute();
      return toPage(rows, limit, (r) => [num(r.version_num)], toVersion);
    },
    async countVersions(arn) {
      const row = await db
        .selectFrom('policy_versions as v')
        .innerJoin('policies as p', 'p.id', 'v.policy_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('p.arn', '=', arn)
        .executeTakeFirstOrThrow();
      return num(row.n);
    },
    async deleteVersion(arn, versionId) {
      ctx.write('policies.deleteVersion');
      const p = await db.selectFrom('policies').select(['id', 'account_id', 'default_version_id']).where('arn', '=', arn).executeTakeFirst();
      // The default version only goes with the policy itself (DeletePolicy).
      if (p === undefined || p.default_version_id === versionId) return false;
      const ok = affected(await db.deleteFrom('policy_versions').where('policy_id', '=', p.id).where('version_id', '=', versionId).executeTakeFirst());
      if (ok) ctx.change('policy', p.account_id, p.id);
      return ok;
    },
    async setDefaultVersion(arn, versionId, at) {
      ctx.write('policies.setDefaultVersion');
      const v = await (await versionRows(arn)).where('v.version_id', '=', versionId).executeTakeFirst();
      if (v === undefined) return false;
      await db.updateTable('policies').set({ default_version_id: versionId, updated_at: at }).where('id', '=', v.policy_id).execute();
      const p = await db.selectFrom('policies').select('account_id').where('id', '=', v.policy_id).executeTakeFirstOrThrow();
      ctx.change('policy', p.account_id, v.policy_id);
      return true;
    },
  };
}
