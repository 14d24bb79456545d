import { readInput, STS_VERSION, invalidAction, type QueryParams } from '@latchkey/aws-query';
import { AccessDenied, MissingAuthenticationToken } from '@latchkey/errors';
import { Authorizer, credentialServices, mapStoreError, type Caller, type CredentialServices, type RequestEnv } from '@latchkey/iam';
import type { Keyring } from '@latchkey/keyring';
import type { RandomBytes } from '@latchkey/model';
import type { Decision } from '@latchkey/policy';
import type { Repositories, Store } from '@latchkey/store';
import { encodeAuthorizationMessage, type AuthorizationRequest } from './authorization-message.js';
import { MISSING_AUTHENTICATION } from './messages.js';
import { storeMfaVerifier, type MfaVerifier } from './mfa.js';
import type { AnyStsOperation, StsContext, StsOutput } from './operation.js';
import { stsOperations } from './operations/registry.js';
import { SessionResolver, type ResolvedSession } from './resolve-session.js';
import { RoleCache } from './role-cache.js';
import { RoleUseRecorder } from './role-use.js';
import { SourceKeyStatus } from './source-keys.js';
import { TrustPolicies } from './trust-policies.js';
import { WebIdentityVerifier, type WebIdentityOptions } from './web-identity.js';

export interface StsServiceOptions {
  readonly store: Store;
  readonly keyring: Keyring;
  /** Cryptographically strong random bytes (key ids, secrets, token nonces come from the keyring's source). */
  readonly random: RandomBytes;
  /** Share the IamService's authorizer so both use one compiled-policy cache. Defaults to a fresh one. */
  readonly authorizer?: Authorizer;
  /** Defaults to `storeMfaVerifier(keyring, credentialServices.mfaThrottle)` (virtual MFA devices in the store). */
  readonly mfa?: MfaVerifier;
  /**
   * Password hasher and failure throttles (password sign-in; the MFA throttle too). Pass the
   * IamService's (`withCredentialServices`) so IAM and STS count failures together. Default
   * `credentialServices()`.
   */
  readonly credentialServices?: CredentialServices;
  /** JWKS fetching for AssumeRoleWithWebIdentity (without `fetchJwks` every web identity call is IDPCommunicationError). */
  readonly webIdentity?: WebIdentityOptions;
  /** Decoded sessions cached by token. Default 10,000. */
  readonly maxCachedSessions?: number;
  /**
   * Stop GetSessionToken/GetFederationToken sessions when their long-term key is deactivated or
   * deleted (a Latchkey extension: AWS keeps them until expiry). Default true.
   */
  readonly revokeWithSourceKey?: boolean;
}

// What temporary credentials of each kind may call in STS (STS API reference: GetSessionToken
// credentials only AssumeRole and GetCallerIdentity; federated users only GetCallerIdentity).
const SESSION_TOKEN_ACTIONS = new Set(['AssumeRole', 'GetCallerIdentity']);
const FEDERATED_ACTIONS = new Set(['GetCallerIdentity']);

/**
 * The STS token service over a store. `invoke` validates a decoded Query request against the
 * operation's input shape and runs it through one store read (an MFA check commits its own
 * small transaction); every failure surfaces as an `AwsError`. `resolveSessionCredentials`
 * is the SigV4 credential resolver for `ASIA…` keys.
 */
export class StsService {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly authorizer: Authorizer;
  readonly operations: Readonly<Record<string, AnyStsOperation>> = stsOperations;
  readonly #random: RandomBytes;
  readonly #mfa: MfaVerifier;
  readonly #credentialServices: CredentialServices;
  readonly #trust = new TrustPolicies();
  readonly #roleUse = new RoleUseRecorder();
  readonly #roles = new RoleCache();
  readonly #webIdentity: WebIdentityVerifier;
  readonly #sessions: SessionResolver;
  readonly #sourceKeys: SourceKeyStatus | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: StsServiceOptions) {
    this.store = options.store;
    this.keyring = options.keyring;
    this.#random = options.random;
    this.authorizer = options.authorizer ?? new Authorizer();
    this.#credentialServices = options.credentialServices ?? credentialServices();
    this.#mfa = options.mfa ?? storeMfaVerifier(options.keyring, this.#credentialServices.mfaThrottle);
    this.#webIdentity = new WebIdentityVerifier(options.webIdentity);
    this.#sourceKeys = options.revokeWithSourceKey === false ? undefined : new SourceKeyStatus(options.store);
    const sourceKeys = this.#sourceKeys;
    this.#sessions = new SessionResolver(options.keyring, sourceKeys === undefined ? undefined : (s) => sourceKeys.active(s), options.maxCachedSessions);
  }

  /**
   * Subscribes to the store's change feed (cached roles and key status; the authorizer too,
   * unless it is shared with an IamService that already listens). Call once before serving:
   * without it, role changes do not reach the role cache.
   */
  async start(): Promise<void> {
    await this.authorizer.listen(this.store.changes);
    const sourceKeys = this.#sourceKeys;
    const roles = this.#roles;
    this.#unsubscribe ??= await this.store.changes.subscribe((event) => {
      roles.invalidate(event);
      sourceKeys?.invalidate(event);
    });
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  operation(action: string): AnyStsOperation | undefined {
    return Object.hasOwn(this.operations, action) ? this.operations[action] : undefined;
  }

  /** True for the actions AWS accepts unsigned (the server skips SigV4 for them). */
  isUnsigned(action: string): boolean {
    return this.operation(action)?.unsigned === true;
  }

  /**
   * Runs one STS action. `caller` is undefined only for an unsigned request, which only the
   * unsigned operations accept (`MissingAuthenticationToken` otherwise). Unknown actions give
   * `InvalidAction` "Could not find operation X for version 2011-06-15".
   */
  async invoke(action: string, params: QueryParams | ReadonlyMap<string, string>, caller: Caller | undefined, env: RequestEnv): Promise<StsOutput> {
    const operation = this.operation(action);
    if (operation === undefined) throw invalidAction(action, STS_VERSION);
    if (caller === undefined && operation.unsigned !== true) throw new MissingAuthenticationToken(MISSING_AUTHENTICATION);
    if (caller?.session !== undefined && operation.unsigned !== true) {
      const allowed = caller.kind === 'federated-user' ? FEDERATED_ACTIONS : caller.kind === 'user' || caller.kind === 'root' ? SESSION_TOKEN_ACTIONS : undefined;
      if (allowed !== undefined && !allowed.has(action)) throw new AccessDenied(`Cannot call ${action} with session credentials`);
    }
    const input = readInput(operation.input, params) as never;
    try {
      const run = (repos: Repositories): Promise<StsOutput> => operation.run(this.#context(repos, caller, env), input);
      return await this.store.read(run);
    } catch (err) {
      throw mapStoreError(err);
    }
  }

  /**
   * The SigV4 credential resolver for temporary (`ASIA…`) keys: the request's key id and
   * `X-Amz-Security-Token`. Throws `ExpiredToken` / `InvalidClientTokenId` as AWS does.
   */
  resolveSessionCredentials(accessKeyId: string, sessionToken: string, now: Date): Promise<ResolvedSession> {
    return this.#sessions.resolve(accessKeyId, sessionToken, now);
  }

  /** An encoded authorization failure message (DecodeAuthorizationMessage reads it back). */
  encodeAuthorizationMessage(decision: Decision, request: AuthorizationRequest): Promise<string> {
    return encodeAuthorizationMessage(decision, request, this.keyring);
  }

  #context(repos: Repositories, caller: Caller | undefined, env: RequestEnv): StsContext {
    return {
      repos,
      caller,
      env,
      now: env.now,
      random: this.#random,
      keyring: this.keyring,
      authorizer: this.authorizer,
      mfa: this.#mfa,
      credentialServices: this.#credentialServices,
      trustPolicies: this.#trust,
      roleUse: this.#roleUse,
      roles: this.#roles,
      webIdentity: this.#webIdentity,
      transaction: (fn) => this.store.transaction(fn),
    };
  }
}
