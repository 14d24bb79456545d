import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { errorNamespace, parseQueryParams, renderError, renderResult } from '@latchkey/aws-query';
import { AwsError, InternalFailure, InvalidRequest, isAwsError } from '@latchkey/errors';
import { AccessKeyUseRecorder, AuditTrail, IamService, type AuditEvent, type Caller, type RequestEnv } from '@latchkey/iam';
import type { Keyring } from '@latchkey/keyring';
import type { RandomBytes } from '@latchkey/model';
import { createVerifier, type CredentialLookup, type Verifier } from '@latchkey/sigv4';
import type { Store } from '@latchkey/store';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { CredentialCache } from './credential-cache.js';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from './metrics.js';
import { iamQueryService, unimplementedStsService, type QueryServiceHandler } from './query-service.js';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './read-body.js';
import { requestFacts, type TrustProxy } from './request-facts.js';
import { requestIdSource } from './request-id.js';
import { internalApiRoute } from './internal-api-route.js';
import { serverCredentialSource } from './server-credential-source.js';
import { storeChangeReader, storeServiceCatalogRegistry, type ServiceCatalogRegistry } from '@latchkey/express';

/** The type with its readonly members writable: for objects built member by member. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface CreateServerOptions {
  readonly store: Store;
  readonly keyring: Keyring;
  /** Cryptographically strong random bytes (ids, keys, request ids), injected by `main`. */
  readonly random: RandomBytes;
  /** Wall clock, epoch ms: SigV4 skew checks, `aws:CurrentTime`, creation dates. */
  readonly clock: () => number;
  /** A pino logger; one JSON line per request goes to it. */
  readonly logger: Logger;
  /** Monotonic milliseconds for request durations. Default `performance.now`. */
  readonly monotonic?: () => number;
  /** Defaults to an IamService over `store`/`keyring`/`random`. */
  readonly iam?: IamService;
  /** Resolves temporary (`ASIA…`) credentials from their session token; without it they are refused (InvalidClientTokenId). */
  readonly temporaryCredentials?: CredentialLookup<Caller>;
  /** Extra or replacement Query services by signing name (the STS issue plugs `sts` in here). */
  readonly services?: readonly QueryServiceHandler[];
  /** Largest request body, bytes (default 1 MiB); larger ones get 413 RequestEntityTooLarge. */
  readonly maxBodyBytes?: number;
  /** Express's `trust proxy` setting: take the client address and scheme from X-Forwarded-* (default false). */
  readonly trustProxy?: TrustProxy;
  /** Extra health check for `/healthz` (e.g. the store's round trip); throwing answers 503. */
  readonly health?: () => Promise<unknown>;
  readonly metrics?: MetricsRegistry;
  /**
   * The audit trail every Query call and every authentication failure is recorded in (default: one
   * over `store`). `false` turns auditing off (benchmarks of the bare request path only).
   */
  readonly audit?: AuditTrail | false;
  /** Services' registered catalogs (internal API); default one over `store`. */
  readonly catalogs?: ServiceCatalogRegistry;
}

export interface LatchkeyServer {
  /**
   * The HTTP request listener to serve (`http.createServer(server.handler)`): Query requests go
   * straight to the Query handler on the bare Node request; `/healthz`, `/metrics` and internal
   * API calls go through `app`.
   */
  readonly handler: RequestListener;
  /** The Express app: health, metrics, the internal API, and (as a fallback) the Query handler. */
  readonly app: Express;
  readonly iam: IamService;
  readonly metrics: MetricsRegistry;
  readonly credentials: CredentialCache;
  /** Answers services' waiting `ListChanges` long polls at once, and waits for no more (before the HTTP server closes). */
  releaseWaiting(): void;
  /** Stops listening to the store's change feed. The store and the HTTP listener are the caller's. */
  close(): Promise<void>;
}

const INTERNAL_FAILURE_MESSAGE = 'The request processing has failed because of an unknown error, exception or failure.';
const CREDENTIAL_SERVICE = /Credential=[^/,\s]*\/\d{8}\/[^/,\s]*\/([a-z0-9-]+)\//;
const QUERY_CREDENTIAL_SERVICE = /X-Amz-Credential=[^&/]*(?:\/|%2F)\d{8}(?:\/|%2F)[^&/%]*(?:\/|%2F)([a-z0-9-]+)(?:\/|%2F)/i;

interface RequestOutcome {
  service: string;
  action: string;
  status: number;
  code?: string;
  caller?: Caller;
}

const AUTHORIZATION_ACCESS_KEY = /Credential=([A-Z0-9]{16,128})\//;
const QUERY_ACCESS_KEY = /X-Amz-Credential=([A-Z0-9]{16,128})(?:\/|%2F)/i;

/** The access key id a request claims (also when its signature failed), for the audit record. */
function claimedAccessKeyId(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  const m = typeof auth === 'string' ? AUTHORIZATION_ACCESS_KEY.exec(auth) : QUERY_ACCESS_KEY.exec(req.url ?? '');
  return m?.[1];
}

function rawQueryOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

function send(res: ServerResponse, status: number, requestId: string, body: string, extra?: Record<string, string>): void {
  const headers: Record<string, string | number> = {
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    ...extra,
  };
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * The Latchkey HTTP service as an Express 5 app: AWS Query over `POST /` and `GET /`, SigV4 on
 * every request (IAM or STS by the credential scope's signing name), results and errors as AWS
 * writes them, `/healthz` and `/metrics`. Pure wiring: the store, keyring, clock, randomness and
 * logger are injected; nothing here reads the environment or opens a port.
 */
export async function createServer(options: CreateServerOptions): Promise<LatchkeyServer> {
  const { store, keyring, random, clock, logger } = options;
  const monotonic = options.monotonic ?? (() => performance.now());
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const iam = options.iam ?? new IamService({ store, keyring, random });
  const services = new Map<string, QueryServiceHandler>();
  for (const s of [iamQueryService(iam), unimplementedStsService(), ...(options.services ?? [])]) services.set(s.signingName, s);

  const metrics = options.metrics ?? new MetricsRegistry();
  const requestsTotal = metrics.counter('latchkey_requests_total', 'Query API requests answered, by service, action and HTTP status.', ['service', 'action', 'status']);
  const duration = metrics.histogram('latchkey_request_duration_seconds', 'Query API request latency, by service and action.', ['service', 'action']);
  const authFailures = metrics.counter('latchkey_auth_failures_total', 'Requests refused by SigV4 authentication, by error code.', ['code']);
  const internalFailures = metrics.counter('latchkey_internal_failures_total', 'Requests that failed with an unexpected server error.');

  // The cache tells the verifier to drop derived signing keys; the verifier reads through the cache.
  const holder: { verifier?: Verifier<Caller> } = {};
  const credentials = new CredentialCache({
    store,
    keyring,
    onEvict: (id) => holder.verifier?.evictSigningKeys(id),
    ...(options.temporaryCredentials === undefined ? {} : { temporary: options.temporaryCredentials }),
  });
  const verify = createVerifier<Caller>({
    lookup: credentials.lookup,
    now: clock,
    allowedServices: [...services.keys()],
    // Query bodies are small and always hashed: refuse unsigned and streamed payloads.
    allowUnsignedPayload: false,
    allowStreamingPayload: false,
  });
  holder.verifier = verify;

  const useRecorder = new AccessKeyUseRecorder(store);
  const audit = options.audit === false ? undefined : (options.audit ?? new AuditTrail({ store, random }));
  const nextRequestId = requestIdSource(random);

  await credentials.start();
  await iam.start();
  for (const s of services.values()) await s.start?.();

  const trustProxy = options.trustProxy ?? false;
  const facts = requestFacts(trustProxy);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', trustProxy);
  // Query parameters are decoded by aws-query (AWS's rules), never by Express.
  app.set('query parser', false);

  app.get('/healthz', async (_req: Request, res: Response) => {
    try {
      await options.health?.();
      res.status(200).type('application/json').send('{"status":"ok"}');
    } catch (err) {
      logger.error({ error: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'health check failed');
      res.status(503).type('application/json').send('{"status":"unavailable"}');
    }
  });

  app.get('/metrics', (_req: Request, res: Response) => {
    res.status(200).set('Content-Type', PROMETHEUS_CONTENT_TYPE).send(metrics.render());
  });

  const unsignedServiceFor = (action: string): QueryServiceHandler | undefined => {
    for (const s of services.values()) if (s.invokeUnsigned !== undefined && s.isUnsigned?.(action) === true) return s;
    return undefined;
  };

  const serviceOfUnverified = (req: IncomingMessage): QueryServiceHandler => {
    const auth = req.headers.authorization;
    const m = typeof auth === 'string' ? CREDENTIAL_SERVICE.exec(auth) : QUERY_CREDENTIAL_SERVICE.exec(req.url ?? '');
    return (m !== null ? services.get(m[1] as string) : undefined) ?? (services.get('iam') as QueryServiceHandler);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = monotonic();
    const requestId = nextRequestId();
    const outcome: RequestOutcome = { service: 'iam', action: '', status: 0 };
    let service: QueryServiceHandler | undefined;
    let params: ReturnType<typeof parseQueryParams> | undefined;
    let env: RequestEnv | undefined;
    let authenticationFailure = false;
    try {
      if (req.method !== 'POST' && req.method !== 'GET') {
        res.setHeader('Allow', 'GET, POST');
        throw new InvalidRequest(`The HTTP method ${req.method} is not supported; send Query requests with POST or GET.`);
      }
      const body = await readBody(req, maxBodyBytes);
      const url = req.url ?? '/';
      const rawQuery = rawQueryOf(url);
      params = parseQueryParams(body, rawQuery);
      outcome.action = params.action ?? '';
      if (params.action === undefined) {
        // AWS answers a request without Action with a redirect to the service's home page.
        const location = rawQuery.length > 0 ? `https://aws.amazon.com/iam?${rawQuery}` : 'https://aws.amazon.com/iam';
        outcome.status = 302;
        res.writeHead(302, { Location: location, 'Content-Length': 0, 'x-amzn-RequestId': requestId });
        res.end();
        return;
      }
      // Actions AWS serves unsigned (STS AssumeRoleWithWebIdentity): only when nothing is signed.
      const unsigned = isUnsignedRequest(req, rawQuery) ? unsignedServiceFor(params.action) : undefined;
      let verified;
      if (unsigned === undefined) {
        try {
          verified = await verify.verify({ method: req.method, url, headers: req.headers, rawHeaders: req.rawHeaders, body });
        } catch (err) {
          if (isAwsError(err)) authFailures.inc({ code: err.code });
          authenticationFailure = true;
          throw err;
        }
      }
      const caller = verified?.principal;
      if (caller !== undefined) outcome.caller = caller;
      service = unsigned ?? services.get(verified?.credentialScope.service ?? '');
      if (service === undefined) throw new TypeError(`verified signing name ${verified?.credentialScope.service} has no service`);
      outcome.service = service.signingName;
      const now = new Date(clock());
      const sourceIp = facts.clientAddress(req);
      const userAgent = req.headers['user-agent'];
      // Built by assignment, not by spreading optional parts: this runs on every call.
      const requestEnv: Mutable<RequestEnv> = { requestId, now, secureTransport: facts.isSecure(req), region: verified?.credentialScope.region ?? UNSIGNED_REGION };
      if (sourceIp !== undefined) requestEnv.sourceIp = sourceIp;
      if (userAgent !== undefined) requestEnv.userAgent = userAgent;
      env = requestEnv;
      if (caller?.accessKeyId !== undefined && caller.accessKeyId.startsWith('AKIA')) {
        await recordUse(caller.accessKeyId, now, service.signingName, env.region);
      }
      const result = caller === undefined ? await unsigned!.invokeUnsigned!(params, rawQuery, env) : await service.invoke(params, rawQuery, caller, env);
      if (service.credentialChangingActions?.has(params.action) === true) credentials.evict();
      outcome.status = 200;
      if (audit !== undefined) {
        const readOnly = service.isReadOnly?.(params.action) ?? (service.signingName === 'iam' && iam.operation(params.action)?.readOnly === true);
        // A change to IAM's state, and every call that issues credentials, is acknowledged only
        // once its audit record is stored. Reads do not wait: their records are group-committed
        // within AUDIT_DEFER_MS of the answer (CloudTrail, too, delivers records after the
        // call); `close()` drains what is still queued.
        const waits = !readOnly;
        const event: Mutable<AuditEvent> = { at: now, requestId, service: service.signingName === 'sts' ? 'sts' : 'iam', action: params.action, region: env.region, params: params.params, readOnly, response: result };
        if (caller !== undefined) event.caller = caller;
        if (sourceIp !== undefined) event.sourceIp = sourceIp;
        if (userAgent !== undefined) event.userAgent = userAgent;
        const recorded = auditCall(event, waits ? 0 : AUDIT_DEFER_MS);
        if (waits) await recorded;
      }
      send(res, 200, requestId, renderResult(params.action, service.namespace, result, requestId));
    } catch (err) {
      service ??= serviceOfUnverified(req);
      outcome.service = service.signingName;
      const error = toAwsError(err, requestId, outcome);
      outcome.status = error.status;
      outcome.code = error.code;
      const headers: Record<string, string> = error.status === 413 ? { Connection: 'close' } : {};
      if (audit !== undefined && params?.action !== undefined && outcome.status !== 200) {
        const accessKeyId = outcome.caller?.accessKeyId ?? claimedAccessKeyId(req);
        const event: Mutable<AuditEvent> = {
          at: env?.now ?? new Date(clock()),
          requestId,
          service: service.signingName === 'sts' ? 'sts' : 'iam',
          action: params.action,
          params: params.params,
          error: { code: error.code, message: error.message },
          authenticationFailure,
        };
        if (outcome.caller !== undefined) event.caller = outcome.caller;
        if (accessKeyId !== undefined) event.accessKeyId = accessKeyId;
        const sourceIp = env?.sourceIp ?? facts.clientAddress(req);
        if (sourceIp !== undefined) event.sourceIp = sourceIp;
        const userAgent = req.headers['user-agent'];
        if (userAgent !== undefined) event.userAgent = userAgent;
        if (env !== undefined) event.region = env.region;
        void auditCall(event, AUDIT_DEFER_MS);
      }
      if (!res.headersSent) send(res, error.status, requestId, renderError(error, errorNamespace(error, service.namespace), requestId), headers);
    } finally {
      const elapsedMs = monotonic() - started;
      const known = outcome.action !== '' && services.get(outcome.service)?.has(outcome.action) === true;
      const actionLabel = known ? outcome.action : outcome.action === '' ? '' : 'unknown';
      requestsTotal.inc({ service: outcome.service, action: actionLabel, status: String(outcome.status) });
      duration.observe({ service: outcome.service, action: actionLabel }, elapsedMs / 1000);
      logger.info(
        {
          requestId,
          service: outcome.service,
          // Unknown actions are client input: keep them short in the log.
          action: known ? outcome.action : outcome.action.slice(0, 64),
          status: outcome.status,
          // pino leaves out undefined members: no spreads of optional parts on every request.
          code: outcome.code,
          principal: outcome.caller?.arn,
          accessKeyId: outcome.caller?.accessKeyId,
          durationMs: Math.round(elapsedMs * 1000) / 1000,
        },
        'request',
      );
    }
  };

  const toAwsError = (err: unknown, requestId: string, outcome: RequestOutcome): AwsError => {
    if (err instanceof AwsError) {
      if (err.status < 500) return err;
      // A modelled server fault (ServiceFailure, ServiceUnavailable): its own code, logged.
      logger.error({ requestId, action: outcome.action, error: describeError(err) }, 'server fault');
      return err;
    }
    internalFailures.inc();
    // Only the type, message and stack: an unexpected error object may carry request data.
    logger.error({ requestId, action: outcome.action, error: describeError(err) }, 'internal failure');
    return new InternalFailure(INTERNAL_FAILURE_MESSAGE);
  };

  /** Records one call; a failing audit write is logged, never turned into the call's failure. */
  const auditCall = async (event: AuditEvent, deferMs: number): Promise<void> => {
    try {
      await audit?.record(event, { deferMs });
    } catch (err) {
      logger.error({ requestId: event.requestId, error: describeError(err) }, 'could not record the audit event');
    }
  };

  const recordUse = async (accessKeyId: string, at: Date, serviceName: string, region: string): Promise<void> => {
    try {
      await useRecorder.record(accessKeyId, { at, service: serviceName, region });
    } catch (err) {
      // Bookkeeping must not fail the request it describes.
      logger.warn({ error: describeError(err) }, 'could not record access key use');
    }
  };

  // Services' internal API calls (X-Amz-Target: LatchkeyInternal_…, AWS JSON 1.1); see internal-api-route.ts.
  const internalSource = serverCredentialSource({ store, keyring, lookup: credentials.lookup, clock });
  // Services' ListChanges long polls read the store's change log, woken by its change feed.
  const changes = storeChangeReader(store);
  await changes.start();
  // Services register their catalogs (PutServiceCatalog) for strict policy validation.
  const catalogs = options.catalogs ?? storeServiceCatalogRegistry(store);
  app.use(
    internalApiRoute({ store, iam, lookup: credentials.lookup, source: internalSource, changes, catalogs, audit: auditCall, clock, logger, nextRequestId, maxBodyBytes, facts, monotonic, metrics }),
  );

  // Every other path and method is a Query request (AWS ignores the path). A plain middleware,
  // not a route: no pattern matching or parameter processing on the hot path.
  app.use((req: Request, res: Response) => {
    void handle(req, res);
  });

  // Express costs more per request than the rest of a signed, authorized read (its router,
  // prototype swaps and getters: measured ≈ 280 µs of ≈ 570 µs per GetUser on the dev VM), so
  // Query requests skip it. Anything Express might answer differently (the two GET routes in any
  // spelling Express matches, any X-Amz-Target) still goes through `app`, whose last layer is
  // this same handler: the split changes what runs, never what is answered.
  const handler: RequestListener = (req, res) => {
    if (req.headers['x-amz-target'] !== undefined || EXPRESS_PATHS.test(req.url ?? '')) app(req, res);
    else void handle(req, res);
  };

  return {
    handler,
    app,
    iam,
    metrics,
    credentials,
    releaseWaiting() {
      changes.close();
    },
    async close() {
      changes.close();
      await audit?.flush();
      credentials.close();
      iam.close();
      for (const s of services.values()) s.close?.();
    },
  };
}

/** Paths the Express app routes itself (case-insensitive, optional trailing slash, any query). */
const EXPRESS_PATHS = /^\/(?:healthz|metrics)\/?(?:\?|$)/i;

/** How long the audit records nobody waits for may gather before one commit stores them. */
const AUDIT_DEFER_MS = 50;

// Unsigned requests name no region; STS's global endpoint is us-east-1.
const UNSIGNED_REGION = 'us-east-1';
const PRESIGNED_PARAMETER = /(?:^|&)X-Amz-(?:Algorithm|Credential|Signature)=/i;

/** No Authorization header and no presigned-URL parameters: nothing to verify. */
function isUnsignedRequest(req: IncomingMessage, rawQuery: string): boolean {
  return req.headers.authorization === undefined && !PRESIGNED_PARAMETER.test(rawQuery);
}

function describeError(err: unknown): { type: string; message: string; stack?: string } {
  if (err instanceof Error) return { type: err.name, message: err.message, ...(err.stack === undefined ? {} : { stack: err.stack }) };
  return { type: typeof err, message: 'non-Error value thrown' };
}
