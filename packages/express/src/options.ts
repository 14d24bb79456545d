import type { Caller } from '@latchkey/iam';
import type { ContextValue } from '@latchkey/policy';
import type { Request } from 'express';
import type { CredentialSource } from './credential-source.js';
import type { DecisionEvent } from './decision-event.js';
import { didYouMean } from './did-you-mean.js';
import type { ServiceDefinition } from './service-definition.js';

export type Tags = Readonly<Record<string, string>>;
export type MaybePromise<T> = T | Promise<T>;

/** What `authorize()` and each route of the `routes` map name. */
export interface RouteAuthorization<A extends string = string> {
  /** A declared action of the service, `orders:GetOrder`. */
  readonly action: A;
  /**
   * The resource ARN: a function of the request, or a template where `${Partition}`,
   * `${Region}` (the signed region), `${Account}` (option `account`, else the caller's account)
   * and `${name}` (the route parameter `name`) are replaced. Default `*`.
   */
  readonly resource?: string | ((req: Request) => MaybePromise<string>);
}

export interface LatchkeyOptions<S extends ServiceDefinition = ServiceDefinition> {
  /** The service catalog (`defineService`); its name is the SigV4 signing name requests must use. */
  readonly service: S;
  /** Where signing keys and policies come from (`embeddedCredentialSource`, `remoteCredentialSource`). */
  readonly credentials: CredentialSource;
  /** Regions accepted in the credential scope. Default: any well-formed region. */
  readonly regions?: readonly string[];
  /** The account that owns this service's resources (`${Account}` in resource templates). Default: the caller's. */
  readonly account?: string;
  /** A declarative `'METHOD /path/:param' → { action, resource }` map; requests matching no route are denied. */
  readonly routes?: Readonly<Record<string, RouteAuthorization>>;
  /** With `routes`: what happens to a request no route matches. Default `'deny'` (403 AccessDenied). */
  readonly unmappedRoutes?: 'deny' | 'next';
  /** Take the client address and scheme from `X-Forwarded-For`/`-Proto`: `true` (leftmost) or the number of trusted proxy hops. Default false. */
  readonly trustProxy?: boolean | number;
  /** How long signing keys, key status and policies are cached: a deactivated key or changed policy takes effect within this time. Default 5000 ms. */
  readonly cacheTtlMs?: number;
  /**
   * Drop cached keys and policies as soon as the credential source reports a change (pushed: the
   * server's `ListChanges` for `remoteCredentialSource`, the store's change feed for
   * `embeddedCredentialSource`), instead of only at the end of `cacheTtlMs`. Default true; the
   * TTL still bounds staleness whenever the watch is down. Stop it with `close()`.
   */
  readonly watchChanges?: boolean;
  /** Entries per cache (signing keys, policies, compiled documents). Default 10,000. */
  readonly maxCacheEntries?: number;
  /** Largest request body read and hashed. Default 1 MiB; larger bodies get 413 RequestEntityTooLarge. */
  readonly maxBodyBytes?: number;
  /** Accept `x-amz-content-sha256: UNSIGNED-PAYLOAD`. Default false: every body is hashed and checked. */
  readonly allowUnsignedPayload?: boolean;
  /** Accept aws-chunked `STREAMING-*` bodies (every chunk signature checked; `req.body` is the decoded data). Default false. */
  readonly allowStreamingPayload?: boolean;
  /** Header-auth clock skew allowed. Default 900000 ms (15 min, as AWS). */
  readonly maxSkewMs?: number;
  /** Largest `X-Amz-Expires` of a presigned URL. Default 604800 s (7 days, as AWS). */
  readonly maxPresignedExpiresSeconds?: number;
  /** `'encoded'`: append an STS-style encoded authorization failure message to AccessDenied (needs a source that can encode). Default false. */
  readonly explain?: false | 'encoded';
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Request ids (`x-amzn-RequestId`). Default `crypto.randomUUID`. */
  readonly requestId?: () => string;
  /** Tags the request asks to set (`aws:RequestTag/*`, `aws:TagKeys`). */
  readonly requestTags?: (req: Request, target: { action: string; resource: string }) => MaybePromise<Tags | undefined>;
  /** The target resource's tags (`aws:ResourceTag/*`). */
  readonly resourceTags?: (req: Request, target: { action: string; resource: string }) => MaybePromise<Tags | undefined>;
  /** Service condition keys (declared in the catalog) for this request. */
  readonly contextKeys?: (req: Request, target: { action: string; resource: string; principal: Caller }) => MaybePromise<Readonly<Record<string, ContextValue>> | undefined>;
  /** Called once per authorization decision, with secrets masked (log it as is). Must not throw. */
  readonly onDecision?: (event: DecisionEvent) => void;
}

const KNOWN: readonly string[] = [
  'service',
  'credentials',
  'regions',
  'account',
  'routes',
  'unmappedRoutes',
  'trustProxy',
  'cacheTtlMs',
  'watchChanges',
  'maxCacheEntries',
  'maxBodyBytes',
  'allowUnsignedPayload',
  'allowStreamingPayload',
  'maxSkewMs',
  'maxPresignedExpiresSeconds',
  'explain',
  'now',
  'requestId',
  'requestTags',
  'resourceTags',
  'contextKeys',
  'onDecision',
];

const FUNCTIONS = ['now', 'requestId', 'requestTags', 'resourceTags', 'contextKeys', 'onDecision'] as const;
const BOOLEANS = ['allowUnsignedPayload', 'allowStreamingPayload', 'watchChanges'] as const;
const ROUTE_KEY = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|ALL) (\/\S*)$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function fail(message: string): never {
  throw new TypeError(`latchkey(): ${message}`);
}

function positiveInteger(options: Record<string, unknown>, name: string, max: number): void {
  const v = options[name];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(`${name} must be an integer from 0 to ${max} (got ${JSON.stringify(v)})`);
}

/** Parses a `routes` key into its method and Express path. */
export function parseRouteKey(key: string): { method: string; path: string } {
  const m = ROUTE_KEY.exec(key);
  if (m === null) fail(`route "${key}" must be "METHOD /path" with METHOD one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, ALL`);
  return { method: (m[1] as string).toLowerCase(), path: m[2] as string };
}

/** Checks a route's authorization against the catalog; returns the canonical action. */
export function checkRouteAuthorization(service: ServiceDefinition, spec: unknown, where: string): string {
  const s = spec as RouteAuthorization | null;
  if (typeof s !== 'object' || s === null) fail(`${where} must be { action, resource? }`);
  for (const k of Object.keys(s)) if (k !== 'action' && k !== 'resource') fail(`${where}: unknown property "${k}"${didYouMean(k, ['action', 'resource'])}`);
  if (typeof s.action !== 'string') fail(`${where}: action must be a string such as "${service.name}:${Object.keys(service.actions)[0] ?? 'Action'}"`);
  if (s.resource !== undefined && typeof s.resource !== 'string' && typeof s.resource !== 'function') fail(`${where}: resource must be an ARN template string or a function of the request`);
  try {
    return service.assertAction(s.action);
  } catch (err) {
    return fail(`${where}: ${(err as Error).message.replace(/^latchkey: /, '')}`);
  }
}

/** Validates options at construction, with "did you mean" hints for misspelled names. */
export function validateOptions(options: unknown): asserts options is LatchkeyOptions {
  if (typeof options !== 'object' || options === null) fail('options must be an object with at least { service, credentials }');
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KNOWN.includes(key)) fail(`unknown option "${key}"${didYouMean(key, KNOWN)}`);
  const service = o.service as ServiceDefinition | undefined;
  if (typeof service !== 'object' || service === null || typeof service.assertAction !== 'function') fail('option "service" is required: pass the result of defineService({ name, actions, ... })');
  const credentials = o.credentials as CredentialSource | undefined;
  if (typeof credentials !== 'object' || credentials === null || typeof credentials.getSigningKey !== 'function' || typeof credentials.getPrincipalPolicies !== 'function') {
    fail('option "credentials" is required: a CredentialSource such as embeddedCredentialSource(...) or remoteCredentialSource(...)');
  }
  for (const name of FUNCTIONS) if (o[name] !== undefined && typeof o[name] !== 'function') fail(`${name} must be a function`);
  for (const name of BOOLEANS) if (o[name] !== undefined && typeof o[name] !== 'boolean') fail(`${name} must be true or false`);
  positiveInteger(o, 'cacheTtlMs', 3_600_000);
  positiveInteger(o, 'maxCacheEntries', 10_000_000);
  positiveInteger(o, 'maxBodyBytes', 5 * 1024 ** 3);
  positiveInteger(o, 'maxSkewMs', 86_400_000);
  positiveInteger(o, 'maxPresignedExpiresSeconds', 604_800);
  if (o.trustProxy !== undefined && typeof o.trustProxy !== 'boolean' && !(typeof o.trustProxy === 'number' && Number.isInteger(o.trustProxy) && o.trustProxy >= 0)) {
    fail('trustProxy must be true, false or a number of trusted proxy hops');
  }
  if (o.explain !== undefined && o.explain !== false && o.explain !== 'encoded') fail(`explain must be false or "encoded" (got ${JSON.stringify(o.explain)})`);
  if (o.explain === 'encoded' && typeof credentials.encodeAuthorizationMessage !== 'function') fail('explain: "encoded" needs a credential source that can encode authorization messages');
  if (o.unmappedRoutes !== undefined && o.unmappedRoutes !== 'deny' && o.unmappedRoutes !== 'next') fail(`unmappedRoutes must be "deny" or "next"${didYouMean(String(o.unmappedRoutes), ['deny', 'next'])}`);
  if (o.account !== undefined && (typeof o.account !== 'string' || !/^\d{12}$/.test(o.account))) fail('account must be a 12-digit account id');
  if (o.regions !== undefined) {
    if (!Array.isArray(o.regions) || o.regions.length === 0) fail('regions must be a non-empty list such as ["us-east-1"]');
    for (const r of o.regions) if (typeof r !== 'string' || !REGION.test(r)) fail(`regions: "${String(r)}" is not a region name such as "us-east-1"`);
  }
  if (o.routes !== undefined) {
    if (typeof o.routes !== 'object' || o.routes === null) fail('routes must be an object such as { "GET /orders/:id": { action, resource } }');
    for (const [key, spec] of Object.entries(o.routes)) {
      parseRouteKey(key);
      checkRouteAuthorization(service, spec, `routes["${key}"]`);
    }
  }
}
