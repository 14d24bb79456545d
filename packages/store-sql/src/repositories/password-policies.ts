import type { PasswordPoliciesRepository, PasswordPolicyRecord } from '@latchkey/store';
import type { Context } from '../context.js';
import { affected } from '../paging.js';

export function passwordPoliciesRepository(ctx: Context): PasswordPoliciesRepository {
  const { db } = ctx;
  return {
    async get(accountId) {
      const row = await db.selectFrom('password_policies').select('policy').where('account_id', '=', accountId).executeTakeFirst();
      return row && (JSON.parse(row.policy) as PasswordPolicyRecord);
    },
    async put(accountId, policy) {
      ctx.write('passwordPolicies.put');
      const text = JSON.stringify({
        minimumPasswordLength: policy.minimumPasswordLength,
        requireSymbols: policy.requireSymbols,
        requireNumbers: policy.requireNumbers,
        requireUppercaseCharacters: policy.requireUppercaseCharacters,
        requireLowercaseCharacters: policy.requireLowercaseCharacters,
        allowUsersToChangePassword: policy.allowUsersToChangePassword,
        maxPasswordAge: policy.maxPasswordAge,
        passwordReusePrevention: policy.passwordReusePrevention,
        hardExpiry: policy.hardExpiry,
      } satisfies PasswordPolicyRecord);
      await db
        .insertInto('password_policies')
        .values({ account_id: accountId, policy: text })
        .onConflict((oc) => oc.column('account_id').doUpdateSet({ policy: text }))
        .execute();
    },
    async delete(accountId) {
      ctx.write('passwordPolicies.delete');
      return affected(await db.deleteFrom('password_policies').where('account_id', '=', accountId).executeTakeFirst());
    },
  };
}
