import { BoundedCache } from '@latchkey/keyring';
import { evaluate, loadPolicy, type CompiledPolicy, type Decision, type PolicySet, type PolicyType } from '@latchkey/policy';
import type { ChangeEvent, ChangeFeed, ManagedPolicyDocument, PrincipalPolicySet, Repositories, Tag } from '@latchkey/store';
import { AWS_MANAGED_ACCOUNT_ID } from '@latchkey/store';
import { accessDenied } from './access-denied.js';
import type { Caller, PolicyIdentity, RequestEnv } from './caller.js';
import { buildRequestContext, type AuthorizationExtras } from './request-context.js';

/** A principal's stored policies, compiled once and cached until a change event drops them. */
export interface CompiledPrincipal {
  readonly identity: readonly CompiledPolicy[];
  readonly boundary: CompiledPolicy | undefined;
  /** The user's or role's own tags (`aws:PrincipalTag/*`). */
  readonly tags: readonly Tag[];
  /** Stored documents that no longer compile: the principal then fails closed (nothing is allowed). */
  readonly broken: readonly string[];
}

/**
 * Collects cache writes until the surrounding transaction commits. A principal loaded inside a
 * write transaction may reflect that transaction's own uncommitted writes; if it rolled back,
 * no change event would ever drop such an entry, so it must not be cached before the commit.
 */
export interface PendingCacheWrites {
  defer(write: () => void): void;
}

export interface AuthorizerOptions {
  /** Compiled principals kept (least recently used evicted). Default 10,000. */
  readonly maxPrincipals?: number;
  /** Compiled session policies kept, keyed by document text. Default 1,000. */
  readonly maxSessionPolicies?: number;
}

// Change kinds that can alter what a principal may do. Access keys, MFA devices, login
// profiles and trust policies do not change identity-side permissions.
const RELEVANT = new Set<ChangeEvent['kind']>(['account', 'user', 'group', 'role', 'policy', 'membership', 'attachment', 'inlinePolicy', 'boundary', 'tags']);

// Stored documents were validated when saved; AWS managed policies may exceed the customer
// quota, so no size limit applies when compiling them for evaluation.
const PRINCIPAL_ONLY = new Set<ChangeEvent['kind']>(['user', 'role', 'membership', 'boundary', 'tags']);
const PRINCIPAL_OR_GROUP = new Set<ChangeEvent['kind']>(['attachment', 'inlinePolicy']);

const NO_LIMIT = Number.MAX_SAFE_INTEGER;

function compile(document: string, type: PolicyType, id: string, inline: boolean, broken: string[]): CompiledPolicy | undefined {
  const loaded = loadPolicy(document, { type, id }, { maxSize: NO_LIMIT, inline });
  if (loaded.policy === undefined) broken.push(id);
  return loaded.policy;
}

function compileManaged(doc: ManagedPolicyDocument, type: PolicyType, broken: string[]): CompiledPolicy | undefined {
  return compile(doc.document, type, doc.arn, false, broken);
}

function compileSet(set: PrincipalPolicySet, prefix: string, tags: readonly Tag[]): CompiledPrincipal {
  const broken: string[] = [];
  const identity: CompiledPolicy[] = [];
  const push = (p: CompiledPolicy | undefined): void => {
    if (p !== undefined) identity.push(p);
  };
  for (const p of set.inline) push(compile(p.document, 'identity', `${prefix}/${p.name}`, true, broken));
  for (const m of set.managed) push(compileManaged(m, 'identity', broken));
  for (const g of set.groups) {
    for (const p of g.inline) push(compile(p.document, 'identity', `group/${g.group.name}/${p.name}`, true, broken));
    for (const m of g.managed) push(compileManaged(m, 'identity', broken));
  }
  const boundary = set.boundary === null ? undefined : compileManaged(set.boundary, 'boundary', broken);
  return { identity, boundary, tags, broken };
}

const EMPTY: CompiledPrincipal = { identity: [], boundary: undefined, tags: [], broken: [] };

/**
 * Decides IAM calls with the policy engine. Builds each principal's `PolicySet` from the store
 * (user: inline + attached + every group's + boundary; role session: the role's + boundary +
 * session policies; root: everything in its own account), compiles it once and caches it per
 * principal, and drops cached principals when the store's change feed reports a change that
 * could affect them (on PostgreSQL, changes made by other instances too).
 */
export class Authorizer {
  readonly #principals: BoundedCache<string, CompiledPrincipal>;
  readonly #sessionPolicies: BoundedCache<string, CompiledPolicy | null>;
  // Per-account generation: a load that started before an invalidation must not be cached.
  readonly #generations = new Map<string, number>();
  #globalGeneration = 0;
  #unsubscribe: (() => void) | undefined;

  constructor(options: AuthorizerOptions = {}) {
    this.#principals = new BoundedCache(options.maxPrincipals ?? 10_000);
    this.#sessionPolicies = new BoundedCache(options.maxSessionPolicies ?? 1_000);
  }

  /** Subscribes to the store's change feed; resolves once invalidation is live. */
  async listen(changes: ChangeFeed): Promise<void> {
    if (this.#unsubscribe !== undefined) return;
    this.#unsubscribe = await changes.subscribe((event) => this.invalidate(event));
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Number of compiled principals currently cached (for tests and metrics). */
  get cachedPrincipals(): number {
    return this.#principals.size;
  }

  /** Drops what `event` may have made stale. */
  invalidate(event: ChangeEvent): void {
    if (!RELEVANT.has(event.kind)) return;
    // An AWS managed policy can be attached anywhere: drop everything.
    if (event.accountId === AWS_MANAGED_ACCOUNT_ID) {
      this.#globalGeneration++;
      this.#principals.clear();
      return;
    }
    this.#bump(event.accountId);
    const key = `${event.accountId}|${event.entity}`;
    // These events name a user or role (membership events name the user; tags and boundaries
    // only matter on users and roles): drop just that principal.
    if (PRINCIPAL_ONLY.has(event.kind)) {
      this.#principals.delete(key);
      return;
    }
    // Attachments and inline policies name a user, role or group. A cached principal is a user
    // or role; anything else may be a group, whose members the event does not list.
    if (PRINCIPAL_OR_GROUP.has(event.kind) && this.#principals.has(key)) {
      this.#principals.delete(key);
      return;
    }
    // A group's or a managed policy's change reaches principals the event does not name (the
    // group's members, the policy's attachments): drop the whole account.
    const prefix = `${event.accountId}|`;
    for (const key of this.#principals.keys()) if (key.startsWith(prefix)) this.#principals.delete(key);
  }

  #bump(accountId: string): void {
    this.#generations.set(accountId, (this.#generations.get(accountId) ?? 0) + 1);
  }

  #generation(accountId: string): string {
    return `${this.#globalGeneration}.${this.#generations.get(accountId) ?? 0}`;
  }

  /**
   * The compiled stored policies of a principal (cached). Root and unknown principals have none.
   * Inside a write transaction pass `pending`, and run its writes after the commit.
   */
  async principal(repos: Repositories, accountId: string, identity: PolicyIdentity, pending?: PendingCacheWrites): Promise<CompiledPrincipal> {
    if (identity.kind === 'root') return EMPTY;
    const key = `${accountId}|${identity.id}`;
    const cached = this.#principals.get(key);
    if (cached !== undefined) return cached;
    const generation = this.#generation(accountId);
    const [set, tags] = await Promise.all([
      repos.authorization.policiesFor(accountId, identity.kind, identity.id),
      repos.tags.list(accountId, identity.kind, identity.id),
    ]);
    // A principal deleted under a live credential has no permissions at all.
    const compiled = set === undefined ? { ...EMPTY, broken: [`${identity.kind}/${identity.name}`] } : compileSet(set, `${identity.kind}/${identity.name}`, tags);
    const write = (): void => {
      if (generation === this.#generation(accountId)) this.#principals.set(key, compiled);
    };
    if (pending === undefined) write();
    else pending.defer(write);
    return compiled;
  }

  async #sessionPolicySet(repos: Repositories, caller: Caller, broken: string[]): Promise<CompiledPolicy[] | undefined> {
    const session = caller.session;
    if (session === undefined) return undefined;
    const docs = session.policies ?? [];
    const arns = session.policyArns ?? [];
    if (docs.length === 0 && arns.length === 0) return undefined;
    const out: CompiledPolicy[] = [];
    docs.forEach((doc, i) => {
      let compiled = this.#sessionPolicies.get(doc);
      if (compiled === undefined) {
        compiled = loadPolicy(doc, { type: 'session', id: `session-policy/${i}` }, { maxSize: NO_LIMIT }).policy ?? null;
        this.#sessionPolicies.set(doc, compiled);
      }
      if (compiled === null) broken.push(`session-policy/${i}`);
      else out.push(compiled);
    });
    for (const arn of arns) {
      const version = await repos.policies.getDefaultVersion(arn);
      if (version === undefined) continue; // a deleted managed session policy grants nothing
      const compiled = compile(version.document, 'session', arn, false, broken);
      if (compiled !== undefined) out.push(compiled);
    }
    return out;
  }

  /** Evaluates the call and returns the engine's decision (never throws on policy content). */
  async decide(
    repos: Repositories,
    caller: Caller,
    env: RequestEnv,
    action: string,
    resourceArn: string,
    extras: AuthorizationExtras = {},
    pending?: PendingCacheWrites,
  ): Promise<Decision> {
    const principal = await this.principal(repos, caller.accountId, caller.identity, pending);
    const broken = [...principal.broken];
    const session = await this.#sessionPolicySet(repos, caller, broken);
    const context = buildRequestContext(caller, env, principal.tags, action, extras);
    const policies: PolicySet = {
      identity: principal.identity,
      ...(extras.resourcePolicy === undefined ? {} : { resource: extras.resourcePolicy }),
      ...(principal.boundary === undefined ? {} : { boundary: principal.boundary }),
      ...(session === undefined ? {} : { session }),
    };
    const decision = evaluate(
      {
        principal: {
          kind: caller.kind,
          arn: caller.arn,
          accountId: caller.accountId,
          ...(caller.identity.kind === 'role' ? { roleArn: caller.identity.arn } : {}),
        },
        action,
        resource: { arn: resourceArn, ...(extras.resourceAccountId === undefined ? {} : { accountId: extras.resourceAccountId }) },
        context,
      },
      policies,
    );
    // Fail closed: a stored document that cannot be compiled might have held a Deny.
    if (broken.length > 0 && decision.decision === 'allowed') {
      return { ...decision, decision: 'implicitDeny', notAllowedBy: ['identity'], matchedStatements: [] };
    }
    return decision;
  }

  /** Throws `AccessDenied` (AWS's message) unless the engine allows the call. */
  async authorize(
    repos: Repositories,
    caller: Caller,
    env: RequestEnv,
    action: string,
    resourceArn: string,
    extras: AuthorizationExtras = {},
    pending?: PendingCacheWrites,
  ): Promise<void> {
    const decision = await this.decide(repos, caller, env, action, resourceArn, extras, pending);
    if (decision.decision !== 'allowed') throw accessDenied(caller.arn, action, resourceArn, decision);
  }
}
