import { isAwsError, AccessDenied, ValidationError, type AwsError } from '@latchkey/errors';
import { resolveAccessKey, type Caller } from '@latchkey/iam';
import { createVerifier } from '@latchkey/sigv4';
import express, { type Request, type Response } from 'express';
import { answerInternalApi, answerListChanges, internalApiAuthorization, InternalApiValidationError, INTERNAL_API_TARGET_PREFIX, storeChangeReader, type InternalApiAction } from '../../src/index.js';
import type { Fixture } from './fixture.js';

/**
 * A test stand-in for the Latchkey server's side of the internal API (the real one lands in
 * apps/server): SigV4 with the calling service's own key, authorization by the policy engine,
 * then `answerInternalApi` over the embedded source (`ListChanges`: `answerListChanges` over the
 * fixture store's change log; not recorded in `calls`, which lists the lookups).
 */
export function internalApiApp(f: Fixture, calls: { action: string; raw: string }[]) {
  const changes = storeChangeReader(f.store);
  const changesStarted = changes.start();
  const verifier = createVerifier<Caller>({
    lookup: async ({ accessKeyId }) => {
      const key = await resolveAccessKey(f.store, f.keyring, accessKeyId);
      return key === undefined ? undefined : { secretAccessKey: key.secretAccessKey, status: key.status, principal: key.principal };
    },
    now: () => f.clock.now,
    allowedServices: ['latchkey'],
  });
  const app = express();
  app.use(express.raw({ type: () => true }));
  app.post('/', async (req: Request, res: Response) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verified = await verifier.verify({ method: 'POST', url: req.originalUrl, headers: req.headers, rawHeaders: req.rawHeaders, body });
      const target = String(req.headers['x-amz-target'] ?? '');
      const action = target.slice(INTERNAL_API_TARGET_PREFIX.length + 1) as InternalApiAction;
      if (!target.startsWith(`${INTERNAL_API_TARGET_PREFIX}.`) || (action !== 'GetServiceSigningKey' && action !== 'GetPrincipalPolicies' && action !== 'ListChanges')) throw new ValidationError('unknown target');
      const input = JSON.parse(body.toString('utf8')) as { Service?: unknown };
      const { action: iamAction, resource } = internalApiAuthorization(action, String(input.Service), verified.principal.accountId);
      const decision = await f.store.read((repos) => f.iam.authorizer.decide(repos, verified.principal, f.env(), iamAction, resource));
      if (decision.decision !== 'allowed') throw new AccessDenied(`not authorized to perform ${iamAction} on ${resource}`);
      if (action === 'ListChanges') {
        await changesStarted;
        res.status(200).type('application/x-amz-json-1.1').send(JSON.stringify(await answerListChanges(changes, verified.principal.accountId, input)));
        return;
      }
      const out = await answerInternalApi(f.source, action, input, f.clock.now);
      const raw = JSON.stringify(out);
      calls.push({ action, raw });
      res.status(200).type('application/x-amz-json-1.1').send(raw);
    } catch (err) {
      const e: AwsError | undefined = isAwsError(err) ? err : err instanceof InternalApiValidationError ? new ValidationError(err.message) : undefined;
      if (e === undefined) {
        res.status(500).send('{}');
        return;
      }
      res.status(e.status).setHeader('x-amzn-ErrorType', e.code);
      res.type('application/x-amz-json-1.1').send(JSON.stringify({ __type: e.code, message: e.message }));
    }
  });
  return app;
}
