import { invalidAction, IAM_VERSION, readInput, type QueryParams } from '@latchkey/aws-query';
import type { Keyring } from '@latchkey/keyring';
import type { RandomBytes } from '@latchkey/model';
import type { Repositories, Store } from '@latchkey/store';
import { Authorizer, type PendingCacheWrites } from './authorizer.js';
import { seedAwsManagedPolicies } from './aws-managed-seed.js';
import { createAccount, type CreateAccountOptions, type CreatedAccount } from './create-account.js';
import type { Caller, RequestEnv } from './caller.js';
import { idGenerator } from './ids.js';
import { afterRollbackOf } from './after-rollback.js';
import { mapStoreError } from './map-store-error.js';
import { assertMayCallIam } from './session-restrictions.js';
import type { AnyOperation, OperationContext, OperationOutput } from './operation.js';
import { iamOperations } from './operations/registry.js';
import { withStrictPolicies, type ServiceCatalogLoader } from './simulate/strict-policies.js';
import { AccessKeyResolver, AccessKeyUseRecorder, type AccessKeyUseEvent, type ResolvedAccessKey } from './resolve-access-key.js';

export interface IamServiceOptions {
  readonly store: Store;
  readonly keyring: Keyring;
  /** Cryptographically strong random bytes (ids, access keys, secrets), injected by `main`. */
  readonly random: RandomBytes;
  /** Defaults to a fresh `Authorizer`. */
  readonly authorizer?: Authorizer;
  /** Defaults to `iamOperations`. */
  readonly operations?: Readonly<Record<string, AnyOperation>>;
  /**
   * Opt-in strict mode: policy-writing operations refuse documents with security-relevant
   * validator warnings (`MalformedPolicyDocument`; see `withStrictPolicies`).
   */
  readonly strictPolicies?: boolean;
  /**
   * The account's registered in-house service catalogs (internal API `PutServiceCatalog`): in
   * strict mode a policy naming an action or key a registered service does not declare is refused.
   */
  readonly serviceCatalogs?: ServiceCatalogLoader;
}

/**
 * The IAM control plane over a store. `invoke` validates a decoded Query request against the
 * operation's input shape, runs it in one store transaction (everything or nothing), and
 * returns AWS's result members; every failure surfaces as an `AwsError`.
 */
export class IamService {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly authorizer: Authorizer;
  readonly operations: Readonly<Record<string, AnyOperation>>;
  readonly #random: RandomBytes;
  readonly #uses: AccessKeyUseRecorder;
  readonly #keys: AccessKeyResolver;
  #unsubscribe: (() => void) | undefined;

  constructor(options: IamServiceOptions) {
    this.store = options.store;
    this.keyring = options.keyring;
    this.#random = options.random;
    this.authorizer = options.authorizer ?? new Authorizer();
    const operations = options.operations ?? iamOperations;
    this.operations = options.strictPolicies === true ? withStrictPolicies(operations, options.serviceCatalogs) : operations;
    this.#uses = new AccessKeyUseRecorder(this.store);
    this.#keys = new AccessKeyResolver(this.store, this.keyring);
  }

  /** Creates an account and its root access key (see `createAccount`); `now` is the injected clock's reading. */
  createAccount(options: CreateAccountOptions, now: Date): Promise<CreatedAccount> {
    return createAccount({ store: this.store, keyring: this.keyring, random: this.#random, now }, options);
  }

  /** The SigV4 credential resolver for long-term (`AKIA…`) keys (cached; kept current by the change feed once `start`ed). */
  resolveAccessKey(accessKeyId: string): Promise<ResolvedAccessKey | undefined> {
    return this.#keys.resolve(accessKeyId);
  }

  /** Records a verified request's use of a long-term key (GetAccessKeyLastUsed). */
  recordAccessKeyUse(accessKeyId: string, use: AccessKeyUseEvent): Promise<void> {
    return this.#uses.record(accessKeyId, use);
  }

  /** Starts cache invalidation from the store's change feed and seeds the AWS managed policies. Call once before serving. */
  async start(): Promise<void> {
    await this.authorizer.listen(this.store.changes);
    this.#unsubscribe ??= await this.store.changes.subscribe((event) => this.#keys.invalidate(event));
    // AWS managed policies exist in every store (idempotent; see seedAwsManagedPolicies).
    await seedAwsManagedPolicies(this.store);
  }

  /** Stops listening to the change feed (the store stays open: its owner closes it). */
  close(): void {
    this.authorizer.close();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** The operation for an action name, or undefined (the registry is an own-property lookup). */
  operation(action: string): AnyOperation | undefined {
    return Object.hasOwn(this.operations, action) ? this.operations[action] : undefined;
  }

  /**
   * Runs one IAM action for an authenticated caller. `params` are the decoded Query parameters
   * (`Action`/`Version` are ignored here: the server has resolved them). Unknown actions give
   * `InvalidAction` "Could not find operation X for version 2010-05-08".
   */
  async invoke(action: string, params: QueryParams | ReadonlyMap<string, string>, caller: Caller, env: RequestEnv): Promise<OperationOutput> {
    assertMayCallIam(caller);
    const operation = this.operation(action);
    if (operation === undefined) throw invalidAction(action, IAM_VERSION);
    const input = readInput(operation.input, params);
    try {
      if (operation.readOnly === true) return await this.store.read((repos) => operation.run(this.#context(repos, caller, env, undefined), input as never));
      // Cache writes of principals loaded inside the transaction wait for its commit (see
      // PendingCacheWrites); the store may re-run `fn`, so each attempt collects afresh.
      let writes: (() => void)[] = [];
      const output = await this.store.transaction((repos) => {
        writes = [];
        return operation.run(this.#context(repos, caller, env, { defer: (write) => writes.push(write) }), input as never);
      });
      for (const write of writes) write();
      return output;
    } catch (err) {
      await this.#afterRollback(err);
      throw mapStoreError(err);
    }
  }

  /**
   * Commits the writes a failed operation attached to its error (`withAfterRollback`: failure
   * counters and lockouts) in their own transaction. The operation's error stays the answer: if
   * these writes fail too, the store is failing and so will the next attempt.
   */
  async #afterRollback(err: unknown): Promise<void> {
    const write = afterRollbackOf(err);
    if (write === undefined) return;
    await this.store.transaction(write).catch(() => undefined);
  }

  #context(repos: Repositories, caller: Caller, env: RequestEnv, pending: PendingCacheWrites | undefined): OperationContext {
    const authorizer = this.authorizer;
    return {
      repos,
      caller,
      env,
      accountId: caller.accountId,
      now: env.now,
      ids: idGenerator(caller.accountId, this.#random),
      keyring: this.keyring,
      authorize: (action, resourceArn, extras) => authorizer.authorize(repos, caller, env, action, resourceArn, extras, pending),
    };
  }
}
