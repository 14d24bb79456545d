import { hash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessDenied, AwsError, InternalFailure, isAwsError } from '@latchkey/errors';
import { BoundedCache } from '@latchkey/keyring';
import { accessDenied, buildRequestContext, type AuthorizationExtras, type Caller, type RequestEnv } from '@latchkey/iam';
import { evaluate, type Decision, type RequestContext } from '@latchkey/policy';
import { createVerifier, type CredentialLookupInput, type ResolvedCredentials, type VerifiedRequest, type VerifyRequest } from '@latchkey/sigv4';
import { Router, type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { clientAddress, secureTransport } from './client-address.js';
import { PolicyCompiler, type CompiledPrincipalPolicies } from './compile-policies.js';
import type { CredentialChanges, PrincipalPolicies, ServiceSigningKey } from './credential-source.js';
import { maskUrl, type DecisionEvent } from './decision-event.js';
import { DEFAULT_CACHE_TTL_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CACHE_ENTRIES, randomRequestId, systemClock } from './defaults.js';
import { latchkeyErrorHandler, type ErrorHandlerOptions } from './error-handler.js';
import { checkRouteAuthorization, parseRouteKey, validateOptions, type LatchkeyOptions, type RouteAuthorization, type Tags } from './options.js';
import { bodyAtHand, readRawBody } from './read-raw-body.js';
import type { LatchkeyDecision, LatchkeyRequestInfo } from './request-info.js';
import type { ServiceDefinition } from './service-definition.js';
import { serviceCatalogDocument } from './service-catalog-document.js';
import { sameData } from './same-data.js';
import { TtlCache } from './ttl-cache.js';

// Declared actions complete in editors; any string type-checks and is checked at construction.
type ActionOf<S> = S extends ServiceDefinition<infer A, string, string, infer N> ? `${N}:${A}` | (string & {}) : string;

/** The middleware, plus the per-route `authorize` and the matching error handler. */
export interface LatchkeyMiddleware<S extends ServiceDefinition = ServiceDefinition> extends RequestHandler {
  readonly service: S;
  /**
   * Per-route authorization: `app.get('/orders/:id', lk.authorize({ action: 'orders:GetOrder', resource: (req) => arn }), handler)`.
   * A request that `latchkey()` has not authenticated (not mounted in front of the route) is
   * authenticated here first, the same way: the route is protected either way.
   */
  authorize(spec: RouteAuthorization<ActionOf<S>>): RequestHandler;
  /** Decides without throwing (for handlers that filter lists): the decision is also left on `req.latchkey.decision`. */
  decide(req: Request, action: ActionOf<S>, resource: string): Promise<LatchkeyDecision>;
  /** `latchkeyErrorHandler(options)`: AWS-style XML or JSON errors. */
  errorHandler(options?: ErrorHandlerOptions): ErrorRequestHandler;
  /** Drops every cached signing key and policy set (for example after a push notification). */
  flush(): void;
  /** Stops watching the credential source for changes (`watchChanges`); the cache TTL goes on bounding staleness. */
  close(): void;
  /**
   * Registers the service's catalog (`defineService`) with the Latchkey server, replacing the one
   * registered before, so that policy validation there knows the service's actions, resource
   * types and condition keys (strict mode refuses policies naming undeclared ones). Needs
   * `latchkey:PutServiceCatalog` on the service. Call it at start-up; it rejects with the
   * server's error (`AccessDenied`, `ValidationException`, ...) or a 503 when it is unreachable.
   */
  registerCatalog(): Promise<{ readonly updatedAt: number }>;
  /**
   * `http.createServer({ IncomingMessage: LatchkeyIncomingMessage }, lk.preauthenticate(app))`:
   * authenticates each request whose body is empty before `app` sees it, and hands the outcome
   * to the first `latchkey()` or `authorize()` the request reaches (a failure goes to its
   * `next(err)` there, exactly as if it had been found there). Requests with a body are
   * authenticated by the middleware as before. Optional: the same checks and results either way;
   * it is cheaper because Express gives every request object a new hidden class once it starts
   * routing, so each property the middleware would read or write there is a V8 inline-cache miss.
   */
  preauthenticate(handler: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void;
}

const TOKEN_DIGESTS = 256;
const NO_EXTRAS: AuthorizationExtras = Object.freeze({});

/**
 * The request context last built for a principal. Without hooks it is a function of the inputs
 * compared here only (the time keys have one-second resolution), so consecutive requests of one
 * principal within a second share it: the context is read-only to the engine. The engine's
 * decision is a function of the context, the principal, the action, the resource and the
 * compiled policies, so the last one taken under this context is kept with it too: a request
 * for the same resource with the same policies in the same second gets it without evaluating.
 */
interface RecentContext {
  readonly second: number;
  readonly action: string;
  readonly tags: PrincipalPolicies['tags'];
  readonly sourceIp: string | undefined;
  readonly userAgent: string | undefined;
  readonly secureTransport: boolean;
  readonly region: string;
  readonly context: RequestContext;
  /** The last decision under `context`: for this resource, under these compiled policies. */
  resource: string | undefined;
  policies: CompiledPrincipalPolicies | undefined;
  decision: LatchkeyDecision | undefined;
}

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const MAX_RESOURCE = 2048;

function tagsList(tags: Tags | undefined): { key: string; value: string }[] | undefined {
  return tags === undefined ? undefined : Object.entries(tags).map(([key, value]) => ({ key, value }));
}

function toAwsError(err: unknown): AwsError {
  if (isAwsError(err)) return err;
  return new InternalFailure('The request processing has failed because of an unknown error, exception or failure.', { detail: err instanceof Error ? `${err.name}: ${err.message}` : 'non-Error thrown' });
}

type PrincipalFacts = Pick<LatchkeyRequestInfo, 'principalArn' | 'accountId' | 'userName' | 'roleSession' | 'sessionTags' | 'temporaryCredentials' | 'mfaAuthenticated'> & {
  /** The principal as the policy engine takes it. */
  readonly evaluated: EvaluationPrincipal;
  /** The key of its policy set in the policy cache. */
  readonly policyKey: string;
};
type EvaluationPrincipal = Parameters<typeof evaluate>[0]['principal'];

// What req.latchkey says about a principal depends on the Caller only: computed once per Caller
// object (the cached answer of the credential source), not per request.
const principalFacts = new WeakMap<Caller, PrincipalFacts>();

function factsOf(caller: Caller): PrincipalFacts {
  let facts = principalFacts.get(caller);
  if (facts === undefined) {
    const s = caller.session;
    const roleSession =
      caller.kind === 'assumed-role' && caller.identity.kind === 'role' ? { roleArn: caller.identity.arn, sessionName: caller.arn.slice(caller.arn.lastIndexOf('/') + 1) } : undefined;
    facts = {
      principalArn: caller.arn,
      accountId: caller.accountId,
      ...(caller.kind === 'user' && caller.identity.kind === 'user' ? { userName: caller.identity.name } : {}),
      ...(roleSession === undefined ? {} : { roleSession }),
      sessionTags: s?.tags ?? [],
      temporaryCredentials: s !== undefined,
      mfaAuthenticated: s?.mfaAuthenticatedAt !== undefined,
      // Session policies differ per session: key those by access key; long-term principals by identity.
      policyKey: s !== undefined ? `s|${caller.accessKeyId ?? caller.arn}` : caller.identity.kind === 'root' ? `r|${caller.accountId}` : `p|${caller.accountId}|${caller.identity.id}`,
      evaluated: { kind: caller.kind, arn: caller.arn, accountId: caller.accountId, ...(caller.identity.kind === 'role' ? { roleArn: caller.identity.arn } : {}) },
    };
    principalFacts.set(caller, facts);
  }
  return facts;
}

/**
 * The middleware factory. Every request is authenticated with SigV4 (header or presigned URL,
 * long-term or temporary credentials, the body hash checked against the bytes received); then,
 * per route, authorized with the policy engine. Results go to `req.latchkey`, failures to
 * `next(err)` as `AwsError`s for `latchkeyErrorHandler`. Options are checked here, at
 * construction: a typo fails the service's start, not its first request.
 */
export function latchkey<S extends ServiceDefinition>(options: LatchkeyOptions<S>): LatchkeyMiddleware<S> {
  validateOptions(options);
  const { service, credentials } = options;
  const now = options.now ?? systemClock;
  const nextRequestId = options.requestId ?? randomRequestId;
  const ttl = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const maxEntries = options.maxCacheEntries ?? DEFAULT_MAX_CACHE_ENTRIES;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const trustProxy = options.trustProxy ?? false;
  const explain = options.explain ?? false;
  const account = options.account;

  // Expected AWS answers (unknown token, expired) are remembered for the TTL like values, so a
  // flood of bad credentials does not become a flood of lookups; transport failures are not.
  const keepAwsErrors = (err: unknown): boolean => isAwsError(err) && err.status < 500;
  // Holds the verifier's answer itself (built once per load, not once per request).
  // A reload that answers what the entry already says keeps the entry's objects (sameData): the
  // principal's facts, compiled policies, HMAC pads, request context and last decision are all
  // memoised by object identity, so an unchanged answer costs no re-derivation every TTL.
  // (Comparing the signing key's bytes in variable time is fine: both copies came from the
  // credential source, neither from the request.)
  const signingKeys = new TtlCache<ResolvedCredentials<Caller> | undefined>(maxEntries, ttl, now, keepAwsErrors, sameData);
  const policies = new TtlCache<PrincipalPolicies>(maxEntries, ttl, now, keepAwsErrors, sameData);
  const compiler = new PolicyCompiler(maxEntries);
  const recentContexts = new WeakMap<Caller, RecentContext>();

  // Pushed changes (watchChanges): an access key's change can only affect signing-key answers
  // (its status, its sessions); anything else (a policy, a group, a user, tags, a reset) may
  // affect both. Entries are dropped, not reloaded: the next request of each principal loads
  // again. The watch starts with the first request, so a middleware built and never used
  // watches nothing.
  let unwatch: (() => void) | undefined;
  let watchStarted = options.watchChanges === false || credentials.watch === undefined;
  const onChanges = (changes: CredentialChanges): void => {
    signingKeys.clear();
    if (changes.reset || changes.kinds.some((k) => k !== 'accessKey')) policies.clear();
  };
  const startWatching = (): void => {
    watchStarted = true;
    try {
      unwatch = credentials.watch?.(onChanges);
    } catch {
      // A source that cannot watch: the TTL alone bounds staleness, and the request goes on.
    }
  };

  const toResolved = (input: CredentialLookupInput, found: ServiceSigningKey | undefined): ResolvedCredentials<Caller> | undefined =>
    found === undefined
      ? undefined
      : {
          signingKey: found.signingKey,
          status: found.status,
          principal: found.principal,
          ...(found.expiresAt === undefined ? {} : { expiresAt: found.expiresAt }),
          requiresSessionToken: input.accessKeyId.startsWith('ASIA'),
        };
  // Session tokens run to kilobytes: the cache keys them by digest, so a flood of distinct bogus
  // tokens (remembered as errors for the TTL) costs bounded memory.
  // (The one-shot `hash` costs about a third of a createHash object: this runs per request.)
  // A client sends the same token with every request: the last digest per access key is kept
  // (a small bound: a miss only costs the digest).
  const tokenDigests = new BoundedCache<string, { readonly token: string; readonly digest: string }>(TOKEN_DIGESTS);
  const tokenDigest = (accessKeyId: string, token: string): string => {
    const last = tokenDigests.peek(accessKeyId);
    if (last !== undefined && last.token === token) return last.digest;
    const digest = hash('sha256', token, 'base64');
    tokenDigests.set(accessKeyId, { token, digest });
    return digest;
  };
  // The last key id and what it was built from: a client repeats them on every request, and the
  // same id string (its hash already computed) makes the cache lookup one comparison.
  let lastId = '';
  let lastIdKey: string | undefined;
  let lastIdDate = '';
  let lastIdRegion = '';
  let lastIdToken: string | undefined;
  const signingKeyId = (input: CredentialLookupInput): string => {
    if (input.accessKeyId === lastIdKey && input.date === lastIdDate && input.region === lastIdRegion && input.sessionToken === lastIdToken) return lastId;
    const id =
      input.sessionToken === undefined
        ? `${input.accessKeyId}|${input.date}|${input.region}|`
        : `${input.accessKeyId}|${input.date}|${input.region}|${tokenDigest(input.accessKeyId, input.sessionToken)}`;
    lastIdKey = input.accessKeyId;
    lastIdDate = input.date;
    lastIdRegion = input.region;
    lastIdToken = input.sessionToken;
    lastId = id;
    return id;
  };
  const fetchSigningKey = (input: CredentialLookupInput): Promise<ResolvedCredentials<Caller> | undefined> => {
    const token = input.sessionToken;
    return credentials
      .getSigningKey({ accessKeyId: input.accessKeyId, date: input.date, region: input.region, service: input.service, ...(token === undefined ? {} : { sessionToken: token }) })
      .then((found) => toResolved(input, found));
  };
  const load = (input: CredentialLookupInput, id: string): Promise<ResolvedCredentials<Caller> | undefined> => signingKeys.get(id, () => fetchSigningKey(input));
  // Hits late in their TTL reload in the background (see TtlCache): requests do not wait for it.
  const fetchPolicies = (caller: Caller): Promise<PrincipalPolicies> => credentials.getPrincipalPolicies(caller);
  // Set when the lookup could not answer from memory: the request then takes the async path.
  let lookupMissed = false;
  const lookup = (input: CredentialLookupInput): ResolvedCredentials<Caller> | undefined | Promise<ResolvedCredentials<Caller> | undefined> => {
    // SigV4a would need a public key per key pair; this middleware speaks SigV4 only.
    if (input.algorithm !== undefined) return undefined;
    const id = signingKeyId(input);
    const hit = signingKeys.peek(id, fetchSigningKey, input);
    if (hit !== undefined) return hit.value;
    lookupMissed = true;
    return load(input, id);
  };

  const verifier = createVerifier<Caller>({
    lookup,
    now,
    allowedServices: [service.name],
    ...(options.regions === undefined ? {} : { allowedRegions: options.regions }),
    allowUnsignedPayload: options.allowUnsignedPayload ?? false,
    allowStreamingPayload: options.allowStreamingPayload ?? false,
    ...(options.maxSkewMs === undefined ? {} : { maxSkewMs: options.maxSkewMs }),
    ...(options.maxPresignedExpiresSeconds === undefined ? {} : { maxPresignedExpiresSeconds: options.maxPresignedExpiresSeconds }),
    // The source hands out signing keys, never secrets: nothing to derive or cache there.
    signingKeyCache: { max: 0 },
  });

  const policyKey = (caller: Caller): string => factsOf(caller).policyKey;

  type Template = (req: Request, info: LatchkeyRequestInfo) => string;
  // A resource template is split once, at route construction, into literal text and
  // placeholders: a request then costs a few concatenations instead of a regex replace.
  const compileTemplate = (r: string | undefined): Template => {
    if (r === undefined) return () => '*';
    const literals: string[] = [];
    const names: string[] = [];
    let last = 0;
    for (const m of r.matchAll(PLACEHOLDER)) {
      literals.push(r.slice(last, m.index));
      names.push(m[1] as string);
      last = m.index + m[0].length;
    }
    const tail = r.slice(last);
    const value = (req: Request, info: LatchkeyRequestInfo, name: string): string => {
      if (name === 'Partition') return 'aws';
      if (name === 'Region') return info.region;
      if (name === 'Account') return options.account ?? info.accountId;
      const v = (req.params as Record<string, string | undefined>)[name];
      if (v === undefined) throw new TypeError(`latchkey: resource template ${r} names \${${name}} but the route has no such parameter`);
      return v;
    };
    // The last values and the ARN built from them: a client repeating a resource gets the same
    // string back, which the decision memo then compares by identity instead of by content.
    const lastValues: string[] = [];
    let lastOut: string | undefined;
    return (req, info) => {
      let same = lastOut !== undefined;
      for (let i = 0; i < names.length; i++) {
        const v = value(req, info, names[i] as string);
        if (same && lastValues[i] !== v) same = false;
        lastValues[i] = v;
      }
      if (same) return lastOut as string;
      let out = '';
      for (let i = 0; i < names.length; i++) out += (literals[i] as string) + (lastValues[i] as string);
      lastOut = out + tail;
      return lastOut;
    };
  };

  const resolveResource = async (req: Request, info: LatchkeyRequestInfo, spec: RouteAuthorization, template: Template): Promise<string> => {
    const r = spec.resource;
    if (typeof r === 'function') return String(await r(req));
    return template(req, info);
  };

  const hasHooks = options.requestTags !== undefined || options.resourceTags !== undefined || options.contextKeys !== undefined;
  // The request the last authentication finished for, and what it left on `req.latchkey`. The
  // route's handlers usually run in the same synchronous stretch as the authentication
  // (preauthenticate() or latchkey() just before), so this is an identity comparison instead of
  // a read of `req.latchkey`: Express gives every request object a new hidden class once it
  // routes it, so each distinct property the middleware touches on `req` there is an
  // inline-cache miss (~0.5–1 µs under load). Never stale: both are set together.
  let lastRequest: object | undefined;
  let lastInfo: LatchkeyRequestInfo | undefined;
  // Otherwise only an own `latchkey` counts: one inherited from a polluted Object.prototype
  // (plain IncomingMessage objects have no such field of their own) must not pass for an
  // authenticated request.
  const infoOf = (req: Request): LatchkeyRequestInfo | undefined => (lastRequest === req ? lastInfo : Object.hasOwn(req, 'latchkey') ? req.latchkey : undefined);
  const checkedInfo = (req: Request): LatchkeyRequestInfo => {
    const info = infoOf(req);
    if (info === undefined) throw new TypeError('latchkey: decide() ran on a request that was not authenticated; mount latchkey() or the route\'s authorize() first');
    return info;
  };
  const checkResource = (info: LatchkeyRequestInfo, action: string, resource: string): void => {
    if (resource.length === 0 || resource.length > MAX_RESOURCE) throw new AccessDenied(`User: ${info.principalArn} is not authorized to perform: ${action} on a resource with an invalid name`);
  };

  const decide = async (req: Request, actionInput: string, resource: string): Promise<{ decision: LatchkeyDecision; context: RequestContext }> => {
    const info = checkedInfo(req);
    const action = service.assertAction(actionInput);
    checkResource(info, action, resource);
    const caller = info.principal;
    const loaded = await policies.get(policyKey(caller), () => fetchPolicies(caller));
    const target = { action, resource };
    const [requestTags, resourceTags, keys] = await Promise.all([options.requestTags?.(req, target), options.resourceTags?.(req, target), options.contextKeys?.(req, { ...target, principal: caller })]);
    const declaredKeys = keys === undefined ? undefined : Object.fromEntries(Object.entries(keys).filter(([k]) => service.catalog().conditionKeyType(k) !== undefined));
    if (keys !== undefined && declaredKeys !== undefined && Object.keys(declaredKeys).length !== Object.keys(keys).length) {
      throw new TypeError(`latchkey: contextKeys returned keys not declared by service "${service.name}"`);
    }
    const rt = tagsList(requestTags);
    const rst = tagsList(resourceTags);
    const extras: AuthorizationExtras = {
      ...(rt === undefined ? {} : { requestTags: rt }),
      ...(rst === undefined ? {} : { resourceTags: rst }),
      ...(declaredKeys === undefined ? {} : { keys: declaredKeys }),
    };
    const decision = decideWith(req, info, action, resource, loaded, extras);
    return { decision, context: decidedContext as RequestContext };
  };

  // The reusable entry the last contextFor call answered from or stored (undefined with hooks).
  // Read right after the call, synchronously.
  let recent: RecentContext | undefined;
  const contextFor = (info: LatchkeyRequestInfo, action: string, loaded: PrincipalPolicies, extras: AuthorizationExtras): RequestContext => {
    const caller = info.principal;
    const at = now();
    const userAgent = info.userAgent;
    const second = Math.floor(at / 1000);
    const reusable = extras === NO_EXTRAS;
    recent = undefined;
    if (reusable) {
      const m = recentContexts.get(caller);
      if (m !== undefined && m.second === second && m.action === action && m.tags === loaded.tags && m.sourceIp === info.sourceIp && m.userAgent === userAgent && m.secureTransport === info.secureTransport && m.region === info.region) {
        recent = m;
        return m.context;
      }
    }
    // Fixed-shape literals, no spreads: this runs on every request.
    const env: { -readonly [K in keyof RequestEnv]: RequestEnv[K] } = { requestId: info.requestId, now: new Date(at), secureTransport: info.secureTransport, region: info.region };
    if (info.sourceIp !== undefined) env.sourceIp = info.sourceIp;
    if (userAgent !== undefined) env.userAgent = userAgent;
    const context = buildRequestContext(caller, env, loaded.tags, action, extras);
    if (reusable) {
      recent = { second, action, tags: loaded.tags, sourceIp: info.sourceIp, userAgent, secureTransport: info.secureTransport, region: info.region, context, resource: undefined, policies: undefined, decision: undefined };
      recentContexts.set(caller, recent);
    }
    return context;
  };

  // The context of the last decideWith call, for a denial's encoded message. Read right after
  // the call, synchronously.
  let decidedContext: RequestContext | undefined;
  const decideWith = (req: Request, info: LatchkeyRequestInfo, action: string, resource: string, loaded: PrincipalPolicies, extras: AuthorizationExtras): LatchkeyDecision => {
    const caller = info.principal;
    const compiled = compiler.compile(loaded);
    const context = contextFor(info, action, loaded, extras);
    decidedContext = context;
    const memo = recent;
    let result: LatchkeyDecision;
    if (memo !== undefined && memo.decision !== undefined && memo.resource === resource && memo.policies === compiled) {
      result = memo.decision;
    } else {
      let decision: Decision = evaluate(
        { principal: factsOf(caller).evaluated, action, resource: account === undefined ? { arn: resource } : { arn: resource, accountId: account }, context },
        compiled.set,
      );
      // Fail closed: a document that could not be compiled might have held a Deny.
      if (compiled.failClosed && decision.decision === 'allowed') decision = { ...decision, decision: 'implicitDeny', notAllowedBy: ['identity'], matchedStatements: [] };
      // Listed rather than spread (a spread copy is the slower path in V8): Decision's fields are all required.
      result = {
        decision: decision.decision,
        matchedStatements: decision.matchedStatements,
        notAllowedBy: decision.notAllowedBy,
        missingContextKeys: decision.missingContextKeys,
        errors: decision.errors,
        action,
        resource,
      };
      if (memo !== undefined) {
        memo.resource = resource;
        memo.policies = compiled;
        memo.decision = result;
      }
    }
    const decision = result;
    info.decision = result;
    if (options.onDecision !== undefined) {
      const event: DecisionEvent = {
        time: new Date(now()).toISOString(),
        requestId: info.requestId,
        service: service.name,
        action,
        resource,
        decision: decision.decision,
        principalArn: info.principalArn,
        accountId: info.accountId,
        accessKeyId: info.accessKeyId,
        temporaryCredentials: info.temporaryCredentials,
        authType: info.authType,
        method: req.method,
        url: maskUrl(req.originalUrl),
        ...(info.sourceIp === undefined ? {} : { sourceIp: info.sourceIp }),
        matchedStatements: decision.matchedStatements.map((m) => ({ policyType: m.policyType, policyId: m.policyId, statementIndex: m.statementIndex, effect: m.effect, ...(m.sid === undefined ? {} : { sid: m.sid }) })),
        notAllowedBy: decision.notAllowedBy,
        missingContextKeys: decision.missingContextKeys,
      };
      try {
        options.onDecision(event);
      } catch {
        // A logging hook must not change the outcome of the request it logs.
      }
    }
    return result;
  };

  const denial = async (info: LatchkeyRequestInfo, decision: LatchkeyDecision, context: RequestContext): Promise<AwsError> => {
    const denied = accessDenied(info.principalArn, decision.action, decision.resource, decision);
    if (explain === 'encoded' && credentials.encodeAuthorizationMessage !== undefined) {
      const encoded = await credentials.encodeAuthorizationMessage({ decision, caller: info.principal, action: decision.action, resource: decision.resource, context });
      return new AccessDenied(`${denied.message}. Encoded authorization failure message: ${encoded}`, { detail: denied.detail ?? '' });
    }
    return denied;
  };

  const authorizeWith = (spec: RouteAuthorization, exitRouter: boolean): RequestHandler => {
    const done = exitRouter ? 'router' : undefined;
    const template = compileTemplate(typeof spec.resource === 'function' ? undefined : spec.resource);
    const fail = (next: NextFunction) => (err: unknown) => next(toAwsError(err));
    const authorizeRequest = (req: Request, next: NextFunction): void => {
      try {
        const info = checkedInfo(req);
        // The common case answers synchronously: a template resource, cached policies, no hooks.
        if (!hasHooks && typeof spec.resource !== 'function') {
          const loaded = policies.peek(policyKey(info.principal), fetchPolicies, info.principal);
          if (loaded !== undefined) {
            const resource = template(req, info);
            checkResource(info, spec.action, resource);
            const decision = decideWith(req, info, spec.action, resource, loaded.value, NO_EXTRAS);
            if (decision.decision === 'allowed') next(done);
            else denial(info, decision, decidedContext as RequestContext).then(next, fail(next));
            return;
          }
        }
        resolveResource(req, info, spec, template)
          .then((resource) => decide(req, spec.action, resource))
          .then(({ decision, context }) => (decision.decision === 'allowed' ? next(done) : denial(info, decision, context).then(next)))
          .catch(fail(next));
      } catch (err) {
        fail(next)(err);
      }
    };
    return (req: Request, res: Response, next: NextFunction) => {
      // Not authenticated yet (no latchkey() in front of this route): authenticate here, exactly
      // as latchkey() would, so a route can be protected by its authorize() alone and the app
      // saves a router layer per request. A failure never reaches authorization.
      authenticateThen(req, res, next, () => authorizeRequest(req, next));
    };
  };

  let routes: RequestHandler | undefined;
  if (options.routes !== undefined) {
    const router = Router();
    for (const [key, spec] of Object.entries(options.routes)) {
      const { method, path } = parseRouteKey(key);
      const action = checkRouteAuthorization(service, spec, `routes["${key}"]`);
      (router as unknown as Record<string, (path: string, h: RequestHandler) => void>)[method]?.(path, authorizeWith({ ...spec, action }, true));
    }
    if (options.unmappedRoutes !== 'next') {
      router.use((req: Request, _res: Response, next: NextFunction) => {
        next(new AccessDenied(`User: ${infoOf(req)?.principalArn ?? 'anonymous'} is not authorized to perform this request: no action is mapped to ${req.method} ${req.path}`));
      });
    }
    routes = router as unknown as RequestHandler;
  }

  const authenticated = (req: Request, requestId: string, verified: VerifiedRequest<Caller>, body: Buffer, userAgent: string | undefined): void => {
    req.body = verified.decodedBody === undefined ? body : Buffer.from(verified.decodedBody.buffer, verified.decodedBody.byteOffset, verified.decodedBody.byteLength);
    const sourceIp = clientAddress(req, trustProxy);
    const facts = factsOf(verified.principal);
    // One literal of one fixed shape, every optional member present (undefined when absent): an
    // object literal gets exactly its own members in-object, so each member added later would
    // allocate an out-of-object property store and change the object's hidden class. This runs
    // on every request.
    const info: { -readonly [K in keyof LatchkeyRequestInfo]: LatchkeyRequestInfo[K] | undefined } = {
      requestId,
      principal: verified.principal,
      principalArn: facts.principalArn,
      accountId: facts.accountId,
      sessionTags: facts.sessionTags,
      accessKeyId: verified.accessKeyId,
      temporaryCredentials: facts.temporaryCredentials,
      mfaAuthenticated: facts.mfaAuthenticated,
      authType: verified.authType,
      region: verified.credentialScope.region,
      signedAt: verified.requestTime,
      secureTransport: secureTransport(req, trustProxy),
      userName: facts.userName,
      roleSession: facts.roleSession,
      sourceIp,
      userAgent,
      decision: undefined,
    };
    // (the optional members are declared optional, not `| undefined`; their undefined values read the same)
    const issued = info as LatchkeyRequestInfo;
    req.latchkey = issued;
    lastRequest = req;
    lastInfo = issued;
  };

  /**
   * Authenticates the request: synchronously (returns undefined) when the body is already at
   * hand and the key's signing material is cached, which is the steady state; otherwise returns
   * the promise of the slow path (body read from the stream, or a credential lookup). `url` is
   * the request target as received (`req.originalUrl` in Express, `req.url` before it).
   */
  const authenticate = (req: Request, res: Response | ServerResponse, url: string, body: Buffer | undefined): Promise<void> | undefined => {
    if (!watchStarted) startWatching();
    const requestId = nextRequestId();
    if (!res.headersSent) res.setHeader('x-amzn-RequestId', requestId);
    const headers = req.headers;
    const agent = headers['user-agent'];
    const userAgent = typeof agent === 'string' ? agent : undefined;
    if (body === undefined) {
      return readRawBody(req, maxBodyBytes).then(async (read) => {
        authenticated(req, requestId, await verifier.verify({ method: req.method, url, headers, rawHeaders: req.rawHeaders, body: read }), read, userAgent);
      });
    }
    const request: VerifyRequest = { method: req.method, url, headers, rawHeaders: req.rawHeaders, body };
    lookupMissed = false;
    let verified: VerifiedRequest<Caller>;
    try {
      verified = verifier.verifySync(request);
    } catch (err) {
      if (!lookupMissed) throw err;
      return verifier.verify(request).then((v) => authenticated(req, requestId, v, body, userAgent));
    }
    authenticated(req, requestId, verified, body, userAgent);
    return undefined;
  };

  // preauthenticate()'s outcomes that are not on req.latchkey yet: a failure, or the slow path
  // still running (its promise settles with the failure or undefined, never rejects: a request
  // whose route is not protected never collects it). Empty in the steady state.
  const early = new WeakMap<object, AwsError | Promise<AwsError | undefined>>();

  /**
   * Authenticates, then runs `then`: at once when the request is already authenticated (by
   * preauthenticate() or an earlier latchkey()) or nothing had to be looked up, after the lookup
   * otherwise. A failure (thrown or rejected) goes to `next` as an AWS error and `then` never runs.
   */
  function authenticateThen(req: Request, res: Response, next: NextFunction, then: () => void): void {
    if (infoOf(req) !== undefined) {
      then();
      return;
    }
    const before = early.get(req);
    if (before !== undefined) {
      // delivered once; a later latchkey()/authorize() on the same request authenticates anew
      early.delete(req);
      if (before instanceof AwsError) next(before);
      else void before.then((err) => (err === undefined ? then() : next(err)));
      return;
    }
    let pending: Promise<void> | undefined;
    try {
      pending = authenticate(req, res, req.originalUrl, bodyAtHand(req));
    } catch (err) {
      next(toAwsError(err));
      return;
    }
    if (pending === undefined) then();
    else pending.then(then, (err: unknown) => next(toAwsError(err)));
  }

  const preauthenticate = (handler: (req: IncomingMessage, res: ServerResponse) => void) => (req: IncomingMessage, res: ServerResponse): void => {
    const expressReq = req as unknown as Request;
    // Only a request whose body is empty by its headers (or already read into req.body): a body
    // is read where the app's own middleware expects it to be.
    const body = bodyAtHand(expressReq);
    if (body !== undefined) {
      try {
        const pending = authenticate(expressReq, res, req.url ?? '/', body);
        if (pending !== undefined) early.set(req, pending.then(() => undefined, toAwsError));
      } catch (err) {
        early.set(req, toAwsError(err));
      }
    }
    handler(req, res);
  };

  const middleware = ((req: Request, res: Response, next: NextFunction) => {
    authenticateThen(req, res, next, () => (routes === undefined ? next() : routes(req, res, next)));
  }) as LatchkeyMiddleware<S>;

  Object.defineProperties(middleware, {
    service: { value: service, enumerable: true },
    authorize: {
      value: (spec: RouteAuthorization) => {
        const action = checkRouteAuthorization(service, spec, 'authorize()');
        return authorizeWith({ ...spec, action }, false);
      },
    },
    decide: { value: async (req: Request, action: string, resource: string) => (await decide(req, action, resource)).decision },
    errorHandler: { value: (o?: ErrorHandlerOptions) => latchkeyErrorHandler(o) },
    preauthenticate: { value: preauthenticate },
    flush: {
      value: () => {
        signingKeys.clear();
        policies.clear();
      },
    },
    close: {
      value: () => {
        watchStarted = true;
        unwatch?.();
        unwatch = undefined;
      },
    },
    registerCatalog: {
      value: async () => {
        if (credentials.putServiceCatalog === undefined) {
          throw new TypeError('latchkey: registerCatalog() needs a credential source that can register catalogs (remoteCredentialSource); embedded services register with storeServiceCatalogRegistry(store).put(...)');
        }
        return credentials.putServiceCatalog(serviceCatalogDocument(service));
      },
    },
  });
  return middleware;
}
