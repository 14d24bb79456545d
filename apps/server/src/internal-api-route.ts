import {
  AccessDenied,
  type AwsError,
  InternalFailure,
  InvalidRequest,
  SerializationException,
  UnknownOperationException,
  ValidationException,
  isAwsError,
} from '@latchkey/errors';
import {
  answerInternalApi,
  answerListChanges,
  answerServiceCatalog,
  SERVICE_CATALOG_ACTIONS,
  type ServiceCatalogAction,
  type ServiceCatalogRegistry,
  internalApiAuthorization,
  InternalApiValidationError,
  INTERNAL_API_CONTENT_TYPE,
  INTERNAL_API_SIGNING_NAME,
  INTERNAL_API_TARGET_PREFIX,
  type ChangeReader,
  type CredentialSource,
  type InternalApiAction,
} from '@latchkey/express';
import { AccessKeyUseRecorder, type AuditEvent, type Caller, type IamService, type RequestEnv } from '@latchkey/iam';
import { createVerifier, type CredentialLookup } from '@latchkey/sigv4';
import type { Store } from '@latchkey/store';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { MetricsRegistry } from './metrics.js';
import { readBody } from './read-body.js';
import type { RequestFacts } from './request-facts.js';

export interface InternalApiRouteOptions {
  readonly store: Store;
  readonly iam: IamService;
  /** The server's SigV4 lookup (the calling service's own credentials, long-term or temporary). */
  readonly lookup: CredentialLookup<Caller>;
  /** Answers the calls once authorized (`serverCredentialSource`). */
  readonly source: CredentialSource;
  /** Answers `ListChanges` (`storeChangeReader`, started). */
  readonly changes: ChangeReader;
  /** Answers `PutServiceCatalog`, `GetServiceCatalog` and `DeleteServiceCatalog` (`storeServiceCatalogRegistry`). */
  readonly catalogs: ServiceCatalogRegistry;
  /**
   * Records a catalog change (or a refused one) in the audit trail; `deferMs` 0 resolves once it
   * is stored. Absent: not audited.
   */
  readonly audit?: (event: AuditEvent, deferMs: number) => Promise<void>;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly nextRequestId: () => string;
  readonly maxBodyBytes: number;
  /** The client address and scheme under the server's `trust proxy` setting. */
  readonly facts: RequestFacts;
  readonly monotonic: () => number;
  readonly metrics?: MetricsRegistry;
}

const ACTIONS: ReadonlySet<string> = new Set<InternalApiAction>(['GetServiceSigningKey', 'GetPrincipalPolicies', 'ListChanges', ...SERVICE_CATALOG_ACTIONS]);
const CATALOG_ACTIONS: ReadonlySet<string> = new Set<InternalApiAction>(SERVICE_CATALOG_ACTIONS);
// The calls that change something: audited, and acknowledged only once their record is stored.
const AUDITED_ACTIONS: ReadonlySet<string> = new Set<InternalApiAction>(['PutServiceCatalog', 'DeleteServiceCatalog']);
/** How long the audit records of refused calls may gather before one commit stores them (as the Query route). */
const AUDIT_DEFER_MS = 50;
/** The `X-Amz-Target` family this route answers (any version, so a wrong version is answered, not sent to the Query handler). */
export const INTERNAL_API_TARGET_FAMILY = 'LatchkeyInternal_';
// A service's name is its SigV4 signing name and ARN service prefix: lower case, digits, dashes.
const SERVICE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62})$/;
// Keys for Latchkey's own endpoints would let a service forge IAM, STS or internal API calls.
const RESERVED_SERVICES: ReadonlySet<string> = new Set(['iam', 'sts', 'latchkey']);
const INTERNAL_FAILURE_MESSAGE = 'The request processing has failed because of an unknown error, exception or failure.';

function sendJson(res: Response, status: number, requestId: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': INTERNAL_API_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    ...extra,
  });
  res.end(body);
}

/**
 * The Latchkey internal API (`packages/express/docs/internal-api.md`) as Express middleware for
 * the server: requests whose `X-Amz-Target` starts with `LatchkeyInternal_` are answered here
 * (AWS JSON 1.1), everything else goes on to the Query handler. Each call is SigV4-verified for
 * the signing name `latchkey` with the calling service's own credentials, authorized by the
 * policy engine (`latchkey:<Action>` on `arn:aws:latchkey::<account>:service/<Service>`), and
 * answered by `answerInternalApi`. A service sees only principals of its own account: another
 * account's key is `NotFound` and its principals' policies are refused.
 */
export function internalApiRoute(options: InternalApiRouteOptions): RequestHandler {
  const { store, iam, source, clock, logger, nextRequestId, maxBodyBytes, facts, monotonic } = options;
  const verifier = createVerifier<Caller>({
    lookup: options.lookup,
    now: clock,
    allowedServices: [INTERNAL_API_SIGNING_NAME],
    // The body is small JSON and always hashed (docs/internal-api.md).
    allowUnsignedPayload: false,
    allowStreamingPayload: false,
  });
  // GetAccessKeyLastUsed as AWS keeps it: the service's own key for `latchkey`, and a caller's key
  // for the service it was used with (recorded when the service asks for its signing key, i.e. at
  // most once per cache lifetime; the recorder writes at most once a minute per key and service).
  const uses = new AccessKeyUseRecorder(store);
  const recordUse = async (accessKeyId: string | undefined, at: Date, service: string, region: string): Promise<void> => {
    if (accessKeyId === undefined || !accessKeyId.startsWith('AKIA')) return;
    try {
      await uses.record(accessKeyId, { at, service, region });
    } catch (err) {
      // Bookkeeping must not fail the call it describes.
      logger.warn({ error: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'could not record access key use');
    }
  };
  const requests = options.metrics?.counter('latchkey_internal_api_requests_total', 'Internal API calls from services, by action and HTTP status.', ['action', 'status']);

  /** The request's environment for authorization and the audit trail, read now. */
  const requestEnv = (req: Request, requestId: string, region: string): RequestEnv => {
    const sourceIp = facts.clientAddress(req);
    const userAgent = req.headers['user-agent'];
    return {
      requestId,
      now: new Date(clock()),
      secureTransport: facts.isSecure(req),
      region,
      ...(sourceIp === undefined ? {} : { sourceIp }),
      ...(userAgent === undefined ? {} : { userAgent }),
    };
  };

  const handle = async (req: Request, res: Response, target: string): Promise<void> => {
    const started = monotonic();
    const requestId = nextRequestId();
    let action = '';
    let status = 0;
    let code: string | undefined;
    let caller: Caller | undefined;
    let service: string | undefined;
    let region = 'us-east-1';
    try {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        throw new InvalidRequest(`The HTTP method ${req.method} is not supported; send internal API requests with POST.`);
      }
      const body = await readBody(req, maxBodyBytes);
      const verified = await verifier.verify({ method: req.method, url: req.originalUrl, headers: req.headers, rawHeaders: req.rawHeaders, body });
      caller = verified.principal;
      region = verified.credentialScope.region;
      const name = target.startsWith(`${INTERNAL_API_TARGET_PREFIX}.`) ? target.slice(INTERNAL_API_TARGET_PREFIX.length + 1) : '';
      if (!ACTIONS.has(name)) throw new UnknownOperationException(`The operation ${target.slice(0, 128)} is not known to the Latchkey internal API.`);
      action = name;
      let input: unknown;
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        throw new SerializationException('The request body is not valid JSON.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new SerializationException('The request body must be a JSON object.');
      const requested = (input as { Service?: unknown }).Service;
      if (typeof requested !== 'string' || !SERVICE_NAME.test(requested)) {
        throw new ValidationException('Service must be a service name: 1 to 63 lower-case letters, digits and dashes.');
      }
      service = requested;
      if (RESERVED_SERVICES.has(requested)) throw new ValidationException(`Service '${requested}' is reserved by Latchkey; its signing keys are never handed out.`);
      const authorization = internalApiAuthorization(name as InternalApiAction, requested, caller.accountId);
      const env = requestEnv(req, requestId, region);
      const now = env.now;
      const who = caller;
      await store.read((repos) => iam.authorizer.authorize(repos, who, env, authorization.action, authorization.resource));
      if (name === 'GetPrincipalPolicies') {
        const principal = (input as { Principal?: { accountId?: unknown } }).Principal;
        if (typeof principal === 'object' && principal !== null && principal.accountId !== who.accountId) {
          throw new AccessDenied(`User: ${who.arn} is not authorized to read the policies of principals of another account`);
        }
      }
      let answer: unknown;
      try {
        answer =
          name === 'ListChanges'
            ? await answerListChanges(options.changes, who.accountId, input)
            : CATALOG_ACTIONS.has(name)
              ? await answerServiceCatalog(options.catalogs, who.accountId, name as ServiceCatalogAction, input, now.getTime())
              : await answerInternalApi(source, name as 'GetServiceSigningKey' | 'GetPrincipalPolicies', input, now.getTime());
      } catch (err) {
        if (err instanceof InternalApiValidationError) throw new ValidationException(err.message);
        throw err;
      }
      if (AUDITED_ACTIONS.has(name)) await options.audit?.(auditEvent(name, requested, who, env, answer), 0);
      await recordUse(who.accessKeyId, now, INTERNAL_API_SIGNING_NAME, env.region);
      const found = answer as { Result?: string; Principal?: { accountId?: string } };
      if (found.Result === 'Found' && found.Principal?.accountId !== who.accountId) answer = { Result: 'NotFound' };
      else if (found.Result === 'Found') {
        const asked = input as { AccessKeyId: string; Region: string };
        await recordUse(asked.AccessKeyId, now, requested, asked.Region);
      }
      status = 200;
      sendJson(res, 200, requestId, JSON.stringify(answer));
    } catch (err) {
      const error = toAwsError(err, requestId, action);
      status = error.status;
      code = error.code;
      if (AUDITED_ACTIONS.has(action) && caller !== undefined && service !== undefined && options.audit !== undefined) {
        // A refused change is recorded too (as the Query route records failed IAM calls); a failing audit write is the recorder's to log.
        void options.audit(auditEvent(action, service, caller, requestEnv(req, requestId, region), undefined, { code: error.code, message: error.message }), AUDIT_DEFER_MS);
      }
      const extra: Record<string, string> = { 'x-amzn-ErrorType': error.code, ...(error.status === 413 ? { Connection: 'close' } : {}) };
      if (!res.headersSent) sendJson(res, error.status, requestId, JSON.stringify({ __type: error.code, message: error.message }), extra);
    } finally {
      requests?.inc({ action: action === '' ? 'unknown' : action, status: String(status) });
      logger.info(
        {
          requestId,
          service: INTERNAL_API_SIGNING_NAME,
          action,
          ...(service === undefined ? {} : { forService: service }),
          status,
          ...(code === undefined ? {} : { code }),
          ...(caller === undefined ? {} : { principal: caller.arn, accessKeyId: caller.accessKeyId }),
          durationMs: Math.round((monotonic() - started) * 1000) / 1000,
        },
        'request',
      );
    }
  };

  const auditEvent = (action: string, service: string, who: Caller, env: RequestEnv, response: unknown, error?: { code: string; message: string }): AuditEvent => ({
    at: env.now,
    requestId: env.requestId,
    service: 'latchkey',
    action,
    caller: who,
    region: env.region,
    // The service's name only: a catalog can be large, and GetServiceCatalog shows it.
    params: { Service: service },
    resource: internalApiAuthorization(action as InternalApiAction, service, who.accountId).resource,
    ...(env.sourceIp === undefined ? {} : { sourceIp: env.sourceIp }),
    ...(env.userAgent === undefined ? {} : { userAgent: env.userAgent }),
    ...(response === undefined ? {} : { response }),
    ...(error === undefined ? {} : { error }),
  });

  const toAwsError = (err: unknown, requestId: string, action: string): AwsError => {
    if (isAwsError(err)) {
      if (err.status >= 500) logger.error({ requestId, action, error: { type: err.code } }, 'server fault');
      return err;
    }
    // Type and message only: an unexpected error object may carry request data.
    logger.error({ requestId, action, error: { type: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'internal failure');
    return new InternalFailure(INTERNAL_FAILURE_MESSAGE);
  };

  return (req: Request, res: Response, next: NextFunction) => {
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith(INTERNAL_API_TARGET_FAMILY)) {
      next();
      return;
    }
    void handle(req, res, target);
  };
}
