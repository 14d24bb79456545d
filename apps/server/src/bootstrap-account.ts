import { createAccount, type CreatedAccount } from '@latchkey/iam';
import type { Keyring } from '@latchkey/keyring';
import type { RandomBytes } from '@latchkey/model';
import type { Store } from '@latchkey/store';
import { ConfigError, type GivenRootCredentials } from './server-config.js';

export type BootstrapResult =
  | { readonly created: true; readonly account: CreatedAccount; readonly generatedSecret: boolean }
  | { readonly created: false; readonly accountIds: readonly string[] };

/**
 * First start: when the store has no account yet, creates one with its root access key (the
 * given ones, or generated). Later starts leave the store alone. Several instances racing on one
 * PostgreSQL database with the same given account id create it once (the loser sees it exists).
 */
export async function bootstrapAccount(deps: { store: Store; keyring: Keyring; random: RandomBytes; now: Date }, given: GivenRootCredentials): Promise<BootstrapResult> {
  const existing = await deps.store.read((repos) => repos.accounts.list({ maxItems: 10 }));
  if (existing.items.length > 0) return { created: false, accountIds: existing.items.map((a) => a.id) };
  try {
    const account = await createAccount(deps, given);
    return { created: true, account, generatedSecret: given.rootSecretAccessKey === undefined };
  } catch (err) {
    // Given values AWS would not accept (LATCHKEY_ACCOUNT_ID, LATCHKEY_ROOT_*): a configuration mistake.
    if ((err as { code?: string }).code === 'InvalidInput') throw new ConfigError((err as Error).message);
    const again = await deps.store.read((repos) => repos.accounts.list({ maxItems: 10 }));
    if (again.items.length > 0 && (err as { code?: string }).code === 'EntityAlreadyExists') return { created: false, accountIds: again.items.map((a) => a.id) };
    throw err;
  }
}

/** How to point the aws CLI and SDKs at the endpoint; the secret only when it was just generated. */
export function clientInstructions(endpoint: string, region: string, credentials?: { accessKeyId: string; secretAccessKey?: string }): string {
  const lines = ['Point the aws CLI and the AWS SDKs at it:', `  export AWS_ENDPOINT_URL=${endpoint}`, `  export AWS_REGION=${region}`, `  export AWS_DEFAULT_REGION=${region}    # the aws CLI v1 reads this one`];
  if (credentials !== undefined) {
    lines.push(`  export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`);
    lines.push(`  export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey ?? '<your LATCHKEY_ROOT_SECRET_ACCESS_KEY>'}`);
  } else {
    lines.push('  export AWS_ACCESS_KEY_ID=<an access key id>  AWS_SECRET_ACCESS_KEY=<its secret>');
  }
  lines.push('  aws iam get-user        # or: new IAMClient({ endpoint: process.env.AWS_ENDPOINT_URL }) / boto3.client("iam")');
  return `${lines.join('\n')}\n`;
}
