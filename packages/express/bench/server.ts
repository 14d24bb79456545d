// The benchmark's server process: the fixture (SQLite in memory), one route unprotected and the
// same route behind the middleware. Prints the port and pre-signed request headers as one JSON line.
// The client is another edge package: tests (and benchmarks) sign with it to check both ends together.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createRequestSigner } from '@latchkey/client';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { latchkey } from '../src/index.js';
import { ACCOUNT, doc, fixture, listen, orders } from '../test/helpers/fixture.js';

const f = await fixture();
f.clock.now = Date.now();
const alice = await f.user('alice', doc({ Effect: 'Allow', Action: ['orders:GetOrder', 'sts:AssumeRole'], Resource: '*' }, { Effect: 'Deny', Action: 'orders:*', Resource: 'arn:aws:orders:*:*:order/locked*' }));
await f.iamCall('CreateRole', { RoleName: 'Reader', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }) });
await f.iamCall('PutRolePolicy', { RoleName: 'Reader', PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }) });
const temp = await f.assumeRole(alice.caller, `arn:aws:iam::${ACCOUNT}:role/Reader`);

const mw = latchkey({ service: orders, credentials: f.source, now: () => Date.now() });
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
const handler = (req: express.Request, res: express.Response): void => {
  res.json({ id: req.params.id, item: 'tea', quantity: 2 });
};
// Like with like: the unprotected route answers with the same headers, the request id included
// (a service without the middleware would still send one), so both write the same bytes.
const requestId = (_req: express.Request, res: express.Response, next: express.NextFunction): void => {
  res.setHeader('x-amzn-RequestId', randomUUID());
  next();
};
app.get('/plain/orders/:id', requestId, handler);
// CPU time of this process (user + system, µs), read by the load generator around each run.
app.get('/__cpu', (_req, res) => void res.json(process.cpuUsage()));
app.get('/orders/:id', mw, mw.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' }), handler);
app.use(mw.errorHandler());
const server = await listen(app);

const sign = async (credentials: typeof alice.credentials) =>
  (await createRequestSigner({ service: 'orders', region: 'us-east-1', credentials }).sign({ method: 'GET', url: `${server.url}/orders/42` })).headers;
process.stdout.write(`${JSON.stringify({ url: server.url, longTerm: await sign(alice.credentials), temporary: await sign(temp) })}\n`);
process.on('SIGTERM', () => process.exit(0));
