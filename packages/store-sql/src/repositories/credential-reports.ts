import type { AccessKeyRecord, CredentialReportsRepository } from '@latchkey/store';
import type { Context } from '../context.js';
import { num } from '../paging.js';
import { toKey } from './access-keys.js';
import { toUser } from './principals.js';

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
    async collect(accountId) {
      const users = await db.selectFrom('users').selectAll().where('account_id', '=', accountId).orderBy('name_lower').execute();
      const profiles = new Map(
        (await db.selectFrom('login_profiles').select(['user_id', 'created_at', 'password_last_changed_at']).where('account_id', '=', accountId).execute()).map((p) => [
          p.user_id,
          { createdAt: num(p.created_at), passwordLastChangedAt: num(p.password_last_changed_at) },
        ]),
      );
      const withMfa = new Set(
        (await db.selectFrom('mfa_devices').select('user_id').where('account_id', '=', accountId).where('user_id', 'is not', null).execute()).map((m) => m.user_id),
      );
      const keys = new Map<string, AccessKeyRecord[]>();
      const keyRows = await db.selectFrom('access_keys').selectAll().where('account_id', '=', accountId).where('is_root', '=', 0).orderBy('created_at').orderBy('id').execute();
      for (const k of keyRows) {
        const list = keys.get(k.user_id ?? '') ?? [];
        list.push(toKey(k));
        keys.set(k.user_id ?? '', list);
      }
      return users.map((u) => ({
        user: toUser(u),
        loginProfile: profiles.get(u.id) ?? null,
        mfaActive: withMfa.has(u.id),
        accessKeys: keys.get(u.id) ?? [],
      }));
    },
  };
}
