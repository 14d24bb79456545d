import { parseQueryParams, renderError, renderResult, STS_NAMESPACE } from '@latchkey/aws-query';
// The client is another edge package: tests (and benchmarks) sign with it to check both ends together.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { roleCredentials, createSignedFetch } from '@latchkey/client';
import { isAwsError } from '@latchkey/errors';
import { resolveAccessKey, type Caller } from '@latchkey/iam';
import { createVerifier } from '@latchkey/sigv4';
import express, { type Request, type Response } from 'express';
import { generate, generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latchkey } from '../src/index.js';
import { ACCOUNT, doc, fixture, listen, orders, type Fixture, type Running } from './helpers/fixture.js';

// The AWS SDK's STS client signs with the real clock: this file runs the fixture on it too.
let f: Fixture;
let sts: Running;
let service: Running;

/** A stand-in for the Latchkey server's STS endpoint (AWS Query over HTTP, SigV4, StsService). */
function stsApp(fx: Fixture) {
  const verifier = createVerifier<Caller>({
    lookup: async ({ accessKeyId }) => {
      const key = await resolveAccessKey(fx.store, fx.keyring, accessKeyId);
      return key === undefined ? undefined : { secretAccessKey: key.secretAccessKey, status: key.status, principal: key.principal };
    },
    now: () => Date.now(),
    allowedServices: ['sts'],
  });
  const app = express();
  app.use(express.raw({ type: () => true }));
  app.post('/', async (req: Request, res: Response) => {
    const body = req.body as Buffer;
    const params = parseQueryParams(body, '');
    try {
      const verified = await verifier.verify({ method: 'POST', url: req.originalUrl, headers: req.headers, rawHeaders: req.rawHeaders, body });
      fx.clock.now = Date.now();
      const out = await fx.sts.invoke(params.action ?? '', params, verified.principal, fx.env());
      res.status(200).type('text/xml').send(renderResult(params.action ?? '', STS_NAMESPACE, out as never, 'req-sts'));
    } catch (err) {
      if (!isAwsError(err)) throw err;
      res.status(err.status).type('text/xml').send(renderError(err, STS_NAMESPACE, 'req-sts'));
    }
  });
  return app;
}

beforeAll(async () => {
  f = await fixture();
  f.clock.now = Date.now();
  sts = await listen(stsApp(f));
  const mw = latchkey({ service: orders, credentials: f.source, now: () => Date.now() });
  const app = express();
  app.use(mw);
  app.get('/orders/:id', mw.authorize({ action: 'orders:GetOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' }), (req, res) => void res.send(req.latchkey!.principalArn));
  app.delete('/orders/:id', mw.authorize({ action: 'orders:DeleteOrder', resource: 'arn:aws:orders:${Region}:${Account}:order/${id}' }), (req, res) => void res.send(`deleted by ${req.latchkey!.principalArn} mfa=${req.latchkey!.mfaAuthenticated}`));
  app.use(mw.errorHandler());
  service = await listen(app);
});

afterAll(async () => {
  await service?.close();
  await sts?.close();
  await f?.close();
});

describe('roleCredentials (client) with the middleware', () => {
  it('reads with a user key, is denied delete, assumes an MFA-protected role through STS and deletes', async () => {
    const reader = await f.user('reader', doc({ Effect: 'Allow', Action: ['orders:GetOrder', 'orders:ListOrders'], Resource: '*' }, { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }));
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/reader`;
    const seed = generateSecret();
    const sealed = f.keyring.encrypt(seed, `mfa-seed:${serial}`);
    await f.store.transaction(async (tx) => {
      await tx.mfaDevices.create({ accountId: ACCOUNT, serial, name: 'reader', path: '/', seed: { ciphertext: sealed, keyId: f.keyring.keyIdOf(sealed) }, createdAt: Date.now() });
      await tx.mfaDevices.enable(ACCOUNT, serial, reader.caller.identity.kind === 'user' ? reader.caller.identity.id : '', Date.now(), 0);
    });
    await f.iamCall('CreateRole', {
      RoleName: 'OrderAdmin',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    });
    await f.iamCall('PutRolePolicy', { RoleName: 'OrderAdmin', PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }) });

    const asReader = createSignedFetch({ service: 'orders', region: 'us-east-1', credentials: reader.credentials });
    expect(await (await asReader(`${service.url}/orders/1`)).text()).toBe(`arn:aws:iam::${ACCOUNT}:user/reader`);
    expect((await asReader(`${service.url}/orders/1`, { method: 'DELETE' })).status).toBe(403);

    const withoutMfa = roleCredentials({ endpoint: sts.url, roleArn: `arn:aws:iam::${ACCOUNT}:role/OrderAdmin`, roleSessionName: 'nomfa', sourceCredentials: reader.credentials });
    await expect(withoutMfa()).rejects.toMatchObject({ name: 'AccessDenied' });

    let codes = 0;
    const admin = roleCredentials({
      endpoint: sts.url,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/OrderAdmin`,
      roleSessionName: 'admin',
      sourceCredentials: reader.credentials,
      mfaSerial: serial,
      mfaCode: async () => {
        codes++;
        return generate({ secret: seed, epoch: Math.floor(Date.now() / 1000) });
      },
    });
    const asAdmin = createSignedFetch({ service: 'orders', region: 'us-east-1', credentials: admin });
    const res = await asAdmin(`${service.url}/orders/1`, { method: 'DELETE' });
    expect([res.status, await res.text()]).toEqual([200, `deleted by arn:aws:sts::${ACCOUNT}:assumed-role/OrderAdmin/admin mfa=true`]);
    expect((await asAdmin(`${service.url}/orders/2`)).status).toBe(200);
    expect(codes).toBe(1); // credentials reused, not re-assumed per request
  });
});
