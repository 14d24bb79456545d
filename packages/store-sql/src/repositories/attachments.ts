import type { AttachmentsRepository, PolicyEntityRecord } from '@latchkey/store';
import type { Context } from '../context.js';
import { affected, hasPathFilter, markerString, num, pageSize, pathStartsWith, toPage } from '../paging.js';

export function attachmentsRepository(ctx: Context): AttachmentsRepository {
  const { db } = ctx;
  return {
    async attach(accountId, principalType, principalId, policyArn) {
      ctx.write('attachments.attach');
      const r = await db
        .insertInto('policy_attachments')
        .values({ account_id: accountId, principal_type: principalType, principal_id: principalId, policy_arn: policyArn })
        .onConflict((oc) => oc.columns(['principal_type', 'principal_id', 'policy_arn']).doNothing())
        .executeTakeFirst();
      const ok = affected(r);
      if (ok) ctx.change('attachment', accountId, principalId);
      return ok;
    },
    async detach(accountId, principalType, principalId, policyArn) {
      ctx.write('attachments.detach');
      const ok = affected(
        await db
          .deleteFrom('policy_attachments')
          .where('account_id', '=', accountId)
          .where('principal_type', '=', principalType)
          .where('principal_id', '=', principalId)
          .where('policy_arn', '=', policyArn)
          .executeTakeFirst(),
      );
      if (ok) ctx.change('attachment', accountId, principalId);
      return ok;
    },
    async list(accountId, principalType, principalId, page) {
      const limit = pageSize(page.maxItems);
      const after = markerString(page.marker, 2);
      let q = db
        .selectFrom('policy_attachments as a')
        .innerJoin('policies as p', 'p.arn', 'a.policy_arn')
        .select(['p.arn', 'p.name', 'p.name_lower', 'p.path'])
        .where('a.account_id', '=', accountId)
        .where('a.principal_type', '=', principalType)
        .where('a.principal_id', '=', principalId);
      if (hasPathFilter(page.pathPrefix)) q = q.where(pathStartsWith('p.path', page.pathPrefix));
      if (after !== undefined) {
        const [name, arn] = after as [string, string];
        q = q.where((eb) => eb.or([eb('p.name_lower', '>', name), eb.and([eb('p.name_lower', '=', name), eb('p.arn', '>', arn)])]));
      }
      const rows = await q.orderBy('p.name_lower').orderBy('p.arn').limit(limit + 1).execute();
      return toPage(rows, limit, (r) => [r.name_lower, r.arn], (r) => ({ policyArn: r.arn, policyName: r.name, policyPath: r.path }));
    },
    async count(accountId, principalType, principalId) {
      const row = await db
        .selectFrom('policy_attachments')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('account_id', '=', accountId)
        .where('principal_type', '=', principalType)
        .where('principal_id', '=', principalId)
        .executeTakeFirstOrThrow();
      return num(row.n);
    },
    async entitiesForPolicy(accountId, policyArn) {
      const out: PolicyEntityRecord[] = [];
      for (const [type, table] of [
        ['user', 'users'],
        ['group', 'groups'],
        ['role', 'roles'],
      ] as const) {
        const rows = await db
          .selectFrom('policy_attachments as a')
          .innerJoin(`${table as 'users'} as e`, 'e.id', 'a.principal_id')
          .select(['e.id', 'e.name', 'e.path'])
          .where('a.account_id', '=', accountId)
          .where('a.policy_arn', '=', policyArn)
          .where('a.principal_type', '=', type)
          .orderBy('e.name_lower')
          .execute();
        for (const r of rows) out.push({ principalType: type, id: r.id, name: r.name, path: r.path });
      }
      return out;
    },
  };
}
