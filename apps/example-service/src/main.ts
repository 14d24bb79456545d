// The `latchkey-example-service` entry point: the only file that touches the real process.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultCredentials } from '@latchkey/client';
import { LatchkeyIncomingMessage, remoteCredentialSource } from '@latchkey/express';
import { createOrdersApp } from './create-orders-app.js';
import { ConfigError, parseServiceConfig, USAGE } from './service-config.js';

let config;
try {
  config = parseServiceConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`latchkey-example-service: ${err.message}\n\n${USAGE}`);
  process.exit(2);
}
if (config === 'help') {
  process.stdout.write(USAGE);
  process.exit(0);
}

// The service's OWN credentials (never a user's): environment, profile, SSO, … as the AWS SDK finds them.
const own = defaultCredentials(config.profile === undefined ? {} : { profile: config.profile });
// Fail at start, not on the first request, when the service has no credentials of its own.
try {
  await own();
} catch (err) {
  process.stderr.write(`latchkey-example-service: no credentials for the service itself (${(err as Error).message}); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile\n`);
  process.exit(2);
}
const credentials = remoteCredentialSource({
  endpoint: config.latchkeyEndpoint,
  service: 'orders',
  region: config.region,
  credentials: async () => {
    const c = await own();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }) };
  },
});
const logDecisions = config.logDecisions;
const { app, latchkey } = createOrdersApp({
  credentials,
  ...(config.account === undefined ? {} : { account: config.account }),
  ...(config.cacheTtlMs === undefined ? {} : { cacheTtlMs: config.cacheTtlMs }),
  ...(logDecisions ? { onDecision: (event) => process.stdout.write(JSON.stringify(event) + '\n') } : {}),
});

// Request objects with the fields the middleware sets (`body`, `latchkey`) from construction:
// adding them to each plain IncomingMessage was the middleware's largest single cost under load.
// Bodiless requests are authenticated before Express routes them (see preauthenticate() in
// @latchkey/express): the same checks, without the inline-cache misses Express's per-request
// hidden classes cost the middleware.
const server = createServer({ IncomingMessage: LatchkeyIncomingMessage }, latchkey!.preauthenticate(app));
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stderr.write(`orders service listening on http://${host}:${port} (Latchkey: ${config.latchkeyEndpoint})\n`);
  // Tell Latchkey what orders' actions, resource types and condition keys are, so that policy
  // validation there knows them. Not fatal: requests are authorized the same without it.
  latchkey!.registerCatalog().then(
    () => process.stderr.write('registered the orders service catalog with Latchkey\n'),
    (err: { code?: string; message?: string }) =>
      process.stderr.write(`could not register the orders service catalog with Latchkey (${err.code ?? 'Error'}: ${err.message ?? String(err)}); policy validation there will not know orders' actions\n`),
  );
});
const stop = (): void => {
  // Stop the change watch (its long poll) first: nothing of it must outlive the service.
  latchkey!.close();
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
