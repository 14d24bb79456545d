import { EntityAlreadyExists, InvalidInput } from '@latchkey/errors';
import type { Keyring } from '@latchkey/keyring';
import { generateAccessKeyId, generateAccountId, generateSecretAccessKey, type RandomBytes } from '@latchkey/model';
import type { Store } from '@latchkey/store';
import { sealSecretAccessKey } from './secrets.js';

export interface CreateAccountOptions {
  /** 12 digits; generated when absent. */
  readonly accountId?: string;
  /** A known root access key (`AKIA…`), e.g. from `LATCHKEY_ROOT_ACCESS_KEY_ID`; generated when absent. */
  readonly rootAccessKeyId?: string;
  /** Its secret; required exactly when `rootAccessKeyId` is given. */
  readonly rootSecretAccessKey?: string;
}

export interface CreatedAccount {
  readonly accountId: string;
  readonly rootAccessKeyId: string;
  /** Shown once to whoever created the account; stored only sealed. */
  readonly rootSecretAccessKey: string;
}

export interface AccountDeps {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly random: RandomBytes;
  readonly now: Date;
}

const ACCOUNT_ID = /^\d{12}$/;
// AWS's long-term key id form (the account need not be encoded in a key given from outside).
const ACCESS_KEY_ID = /^AKIA[A-Z0-9]{12,124}$/;
// Printable ASCII without spaces; AWS's own are 40 characters of [A-Za-z0-9/+].
const SECRET = /^[\x21-\x7e]{16,128}$/;

/**
 * Creates an account and its root access key (the secret sealed with the keyring), in one
 * transaction: the server's first start, `latchkey init` and `latchkey account create`.
 */
export async function createAccount(deps: AccountDeps, options: CreateAccountOptions = {}): Promise<CreatedAccount> {
  const accountId = options.accountId ?? generateAccountId(deps.random);
  if (!ACCOUNT_ID.test(accountId)) throw new InvalidInput('The account id must be 12 digits.');
  const givenId = options.rootAccessKeyId;
  const givenSecret = options.rootSecretAccessKey;
  if ((givenId === undefined) !== (givenSecret === undefined)) {
    throw new InvalidInput('A root access key id and its secret access key must be given together.');
  }
  if (givenId !== undefined && !ACCESS_KEY_ID.test(givenId)) throw new InvalidInput('The root access key id must be AKIA followed by 12 to 124 upper-case letters or digits.');
  // Never echo the secret, not even in an error.
  if (givenSecret !== undefined && !SECRET.test(givenSecret)) throw new InvalidInput('The root secret access key must be 16 to 128 printable ASCII characters without spaces.');
  const rootAccessKeyId = givenId ?? generateAccessKeyId(accountId, deps.random);
  const rootSecretAccessKey = givenSecret ?? generateSecretAccessKey(deps.random);
  const sealed = sealSecretAccessKey(deps.keyring, rootAccessKeyId, rootSecretAccessKey);
  const createdAt = deps.now.getTime();
  await deps.store.transaction(async (tx) => {
    if ((await tx.accounts.get(accountId)) !== undefined) throw new EntityAlreadyExists(`Account ${accountId} already exists.`);
    if ((await tx.accessKeys.get(rootAccessKeyId)) !== undefined) throw new EntityAlreadyExists(`The access key ${rootAccessKeyId} already exists.`);
    await tx.accounts.create({ id: accountId, alias: null, createdAt });
    await tx.accessKeys.create({ accountId, id: rootAccessKeyId, userId: null, isRoot: true, secret: sealed, status: 'Active', createdAt });
  });
  return { accountId, rootAccessKeyId, rootSecretAccessKey };
}
