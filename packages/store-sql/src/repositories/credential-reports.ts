import type { CredentialReportsRepository } from '@latchkey/store';
import type { Context } from '../context.js';
import { num } from '../paging.js';

export function credentialReportsRepository(ctx: Context): CredentialReportsRepository {
  const { db } = ctx;
  return {
    async put(report) {
      ctx.write('credentialReports.put');
      await db
        .insertInto('credential_reports')
        .values({ account_id: report.accountId, generated_at: report.generatedAt, content: report.content })
        .onConflict((oc) => oc.column('account_id').doUpdateSet({ generated_at: report.generatedAt, content: report.content }))
        .execute();
    },
    async get(accountId) {
      const row = await db.selectFrom('credential_reports').selectAll().where('account_id', '=', accountId).executeTakeFirst();
      return row && { accountId: row.account_id, generatedAt: num(row.generated_at), content: row.content };
    },
  };
}
