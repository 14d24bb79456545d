// One of the benchmark's service processes: the orders app behind the middleware
// (`BENCH_APP=protected`: remoteCredentialSource against the Latchkey server given in
// LATCHKEY_ENDPOINT, the service's own key from the environment) or the same app without it
// (`BENCH_APP=plain`). One app per process, as a service is deployed: the two apps no longer
// share V8's inline caches and heap, so neither one's work shows up in the other's figures.
// `BENCH_NO_PREAUTH=1` serves the protected app without preauthenticate() (the middleware alone
// authenticates). A second port reports this process's CPU time. Prints the two URLs as one
// JSON line.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LatchkeyIncomingMessage, remoteCredentialSource } from '@latchkey/express';
import type express from 'express';
import { createOrdersApp, OrderStore } from '../src/index.js';

const orders = new OrderStore();
orders.create({ item: 'tea', quantity: 2 }, 'bench');
const mode = process.env.BENCH_APP;
if (mode !== 'protected' && mode !== 'plain') throw new Error('BENCH_APP must be protected or plain');
const listen = (handler: express.Express | ((req: IncomingMessage, res: ServerResponse) => void)): Promise<string> =>
  new Promise((resolve) => {
    // Both apps get request objects with `body` and `latchkey` fields from construction (see
    // main.ts): like with like, and the middleware's stores stay plain field writes.
    const server = createServer({ IncomingMessage: LatchkeyIncomingMessage }, handler);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });

const built =
  mode === 'protected'
    ? createOrdersApp({
        credentials: remoteCredentialSource({
          endpoint: process.env.LATCHKEY_ENDPOINT!,
          service: 'orders',
          credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
        }),
        orders,
        ...(process.env.BENCH_CACHE_TTL_MS === undefined ? {} : { cacheTtlMs: Number(process.env.BENCH_CACHE_TTL_MS) }),
      })
    : createOrdersApp({ orders });
// Served as main.ts serves it: protected, bodiless requests are authenticated before Express.
const app = built.latchkey === undefined || process.env.BENCH_NO_PREAUTH === '1' ? built.app : built.latchkey.preauthenticate(built.app);
const url = await listen(app);
// CPU time of this process (user + system, µs), read by the load generator around each run; a
// bare http handler, so that no second Express app shares the process.
const cpuUrl = await listen((_req: IncomingMessage, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(process.cpuUsage()));
});
process.stdout.write(`${JSON.stringify({ url, cpuUrl })}\n`);
process.on('SIGTERM', () => process.exit(0));
