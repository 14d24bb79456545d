import { isAwsError, ResourceNotFoundException } from '@latchkey/errors';
import type { Caller } from '@latchkey/iam';
import { callerFromJson, callerToJson, type CallerJson } from './caller-json.js';
import type { ChangeReader } from './change-reader.js';
import type { CredentialSource, PolicyDocument } from './credential-source.js';
import type { ServiceCatalogDocument } from './service-catalog-document.js';
import { noCatalog, type ServiceCatalogRegistry } from './service-catalog-registry.js';

/** `X-Amz-Target` prefix of the internal API (AWS JSON 1.1 protocol). See docs/internal-api.md. */
export const INTERNAL_API_TARGET_PREFIX = 'LatchkeyInternal_20261127';
/** SigV4 signing name of the internal API. */
export const INTERNAL_API_SIGNING_NAME = 'latchkey';
export const INTERNAL_API_CONTENT_TYPE = 'application/x-amz-json-1.1';

export type InternalApiAction = 'GetServiceSigningKey' | 'GetPrincipalPolicies' | 'ListChanges' | ServiceCatalogAction;
/** The actions on a service's registered catalog. */
export type ServiceCatalogAction = 'PutServiceCatalog' | 'GetServiceCatalog' | 'DeleteServiceCatalog';
export const SERVICE_CATALOG_ACTIONS: readonly ServiceCatalogAction[] = ['PutServiceCatalog', 'GetServiceCatalog', 'DeleteServiceCatalog'];

/** The IAM action and resource that authorize an internal API call. */
export function internalApiAuthorization(action: InternalApiAction, service: string, accountId: string): { action: string; resource: string } {
  return { action: `latchkey:${action}`, resource: `arn:aws:latchkey::${accountId}:service/${service}` };
}

export interface GetServiceSigningKeyRequest {
  readonly AccessKeyId: string;
  readonly SessionToken?: string;
  readonly Date: string;
  readonly Region: string;
  readonly Service: string;
}

export type GetServiceSigningKeyResponse =
  | { readonly Result: 'Found'; readonly SigningKey: string; readonly Status: 'Active' | 'Inactive'; readonly Expiration?: number; readonly Principal: CallerJson }
  | { readonly Result: 'NotFound' }
  | { readonly Result: 'Rejected'; readonly Code: string; readonly Message: string };

export interface GetPrincipalPoliciesRequest {
  readonly Service: string;
  readonly Principal: CallerJson;
}

export interface WirePolicy {
  readonly Id: string;
  readonly Document: string;
  readonly Inline?: boolean;
}

export interface GetPrincipalPoliciesResponse {
  readonly Identity: readonly WirePolicy[];
  readonly Boundary?: WirePolicy;
  readonly Session?: readonly WirePolicy[];
  readonly Tags: readonly { readonly Key: string; readonly Value: string }[];
  readonly FailClosed?: boolean;
}

export interface ListChangesRequest {
  readonly Service: string;
  /** The `Cursor` of the previous answer; absent on the first call. */
  readonly Cursor?: string;
  /** Seconds to wait for a change when there is none yet, 0–20 (as SQS's long polling). Default 0. */
  readonly WaitTimeSeconds?: number;
}

export interface ListChangesResponse {
  readonly Cursor: string;
  /** The cursor could not be served (first call, another server instance, too far behind): anything may have changed. */
  readonly Reset: boolean;
  /** Kinds of the caller's account's changes since the cursor (`accessKey`, `user`, `policy`, ...), each once. */
  readonly Changes: readonly { readonly Kind: string }[];
}

export interface PutServiceCatalogRequest {
  readonly Service: string;
  /** The service's definition (`serviceCatalogDocument(defineService(...))`); its `name` is `Service`. */
  readonly Catalog: ServiceCatalogDocument;
}

export interface PutServiceCatalogResponse {
  readonly Service: string;
  /** Epoch seconds of this registration. */
  readonly UpdatedAt: number;
}

export interface GetServiceCatalogRequest {
  readonly Service: string;
}

export interface GetServiceCatalogResponse {
  readonly Service: string;
  readonly Catalog: ServiceCatalogDocument;
  readonly UpdatedAt: number;
}

export interface DeleteServiceCatalogRequest {
  readonly Service: string;
}

/**
 * The server side of `PutServiceCatalog`, `GetServiceCatalog` and `DeleteServiceCatalog` for a
 * caller of `accountId`, already authenticated and authorized (`latchkey:<Action>` on the
 * service): the catalog of the service named by `Service`, in the caller's account.
 */
export async function answerServiceCatalog(
  registry: ServiceCatalogRegistry,
  accountId: string,
  action: ServiceCatalogAction,
  body: unknown,
  now: number,
): Promise<PutServiceCatalogResponse | GetServiceCatalogResponse | Record<string, never>> {
  if (typeof body !== 'object' || body === null) throw new InternalApiValidationError('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  const service = field(b, 'Service', true) as string;
  if (action === 'PutServiceCatalog') {
    if (b.Catalog === undefined) throw new InternalApiValidationError('Catalog is required: the service definition as a JSON object');
    let stored;
    try {
      stored = await registry.put(accountId, b.Catalog, now, service);
    } catch (err) {
      if (err instanceof TypeError) throw new InternalApiValidationError(`Catalog: ${err.message}`);
      throw err;
    }
    return { Service: stored.service, UpdatedAt: Math.floor(stored.updatedAt / 1000) };
  }
  if (action === 'GetServiceCatalog') {
    const found = await registry.get(accountId, service);
    if (found === undefined) throw new ResourceNotFoundException(noCatalog(service));
    return { Service: found.service, Catalog: found.document, UpdatedAt: Math.floor(found.updatedAt / 1000) };
  }
  await registry.delete(accountId, service);
  return {};
}

/** Longest `WaitTimeSeconds`. */
export const MAX_LIST_CHANGES_WAIT_SECONDS = 20;
/** A change log position: decimal digits, at most 15 (exact as a JavaScript number). */
const CURSOR = /^(?:0|[1-9]\d{0,14})$/;

/**
 * The server side of `ListChanges` for a caller of `accountId`, already authenticated and
 * authorized (`latchkey:ListChanges` on the service): validates the body, then reads the
 * server's change buffer, waiting up to `WaitTimeSeconds` for a change of that account.
 */
export async function answerListChanges(reader: ChangeReader, accountId: string, body: unknown): Promise<ListChangesResponse> {
  if (typeof body !== 'object' || body === null) throw new InternalApiValidationError('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  field(b, 'Service', true);
  const cursor = b.Cursor;
  if (cursor !== undefined && (typeof cursor !== 'string' || !CURSOR.test(cursor))) throw new InternalApiValidationError('Cursor must be the Cursor of a previous answer');
  const wait = b.WaitTimeSeconds ?? 0;
  if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > MAX_LIST_CHANGES_WAIT_SECONDS) {
    throw new InternalApiValidationError(`WaitTimeSeconds must be a whole number from 0 to ${MAX_LIST_CHANGES_WAIT_SECONDS}`);
  }
  const read = await reader.read(accountId, cursor === undefined ? undefined : Number(cursor), wait * 1000);
  return { Cursor: String(read.cursor), Reset: read.reset, Changes: read.kinds.map((Kind: string) => ({ Kind })) };
}

const DATE = /^\d{8}$/;
const DAY_MS = 86_400_000;

function scopeDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

export const toWirePolicy = (p: PolicyDocument): WirePolicy => ({ Id: p.id, Document: p.document, ...(p.inline === true ? { Inline: true } : {}) });
export const fromWirePolicy = (p: WirePolicy): PolicyDocument => {
  if (typeof p?.Id !== 'string' || typeof p.Document !== 'string') throw new TypeError('internal API: malformed policy');
  return { id: p.Id, document: p.Document, ...(p.Inline === true ? { inline: true } : {}) };
};

/** Thrown for a request body that is not the action's shape (answer 400 `ValidationException`). */
export class InternalApiValidationError extends Error {}

function field(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = body[name];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 65_536) throw new InternalApiValidationError(`${name} must be a non-empty string`);
  return v;
}

/**
 * The server side of one internal API call, after the server has authenticated the calling
 * service and authorized it (`internalApiAuthorization`) — pure over a `CredentialSource`
 * (the server's embedded one). Only keys for the day before, of or after the server's date are
 * derived: a key for a far date would outlive the TTL the service is promised.
 */
export async function answerInternalApi(source: CredentialSource, action: 'GetServiceSigningKey' | 'GetPrincipalPolicies', body: unknown, now: number): Promise<GetServiceSigningKeyResponse | GetPrincipalPoliciesResponse> {
  if (typeof body !== 'object' || body === null) throw new InternalApiValidationError('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (action === 'GetServiceSigningKey') {
    const accessKeyId = field(b, 'AccessKeyId', true) as string;
    const sessionToken = field(b, 'SessionToken', false);
    const date = field(b, 'Date', true) as string;
    const region = field(b, 'Region', true) as string;
    const service = field(b, 'Service', true) as string;
    if (!DATE.test(date) || ![now - DAY_MS, now, now + DAY_MS].map(scopeDay).includes(date)) throw new InternalApiValidationError('Date must be yesterday, today or tomorrow (UTC), as yyyymmdd');
    try {
      const found = await source.getSigningKey({ accessKeyId, date, region, service, ...(sessionToken === undefined ? {} : { sessionToken }) });
      if (found === undefined) return { Result: 'NotFound' };
      return {
        Result: 'Found',
        SigningKey: Buffer.from(found.signingKey).toString('base64'),
        Status: found.status,
        ...(found.expiresAt === undefined ? {} : { Expiration: Math.floor(found.expiresAt / 1000) }),
        Principal: callerToJson(found.principal),
      };
    } catch (err) {
      if (isAwsError(err) && err.status < 500) return { Result: 'Rejected', Code: err.code, Message: err.message };
      throw err;
    }
  }
  field(b, 'Service', true);
  let principal: Caller;
  try {
    principal = callerFromJson(b.Principal);
  } catch (err) {
    throw new InternalApiValidationError((err as Error).message);
  }
  const policies = await source.getPrincipalPolicies(principal);
  return {
    Identity: policies.identity.map(toWirePolicy),
    ...(policies.boundary === undefined ? {} : { Boundary: toWirePolicy(policies.boundary) }),
    ...(policies.session === undefined ? {} : { Session: policies.session.map(toWirePolicy) }),
    Tags: policies.tags.map((t) => ({ Key: t.key, Value: t.value })),
    ...(policies.failClosed === true ? { FailClosed: true } : {}),
  };
}
