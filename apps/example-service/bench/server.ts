// The benchmark's service process: the orders app behind the middleware (remoteCredentialSource
// against the Latchkey server given in LATCHKEY_ENDPOINT, the service's own key from the
// environment) and the same app without it, on two ports; a third port reports this process's
// CPU time. Prints the three URLs as one JSON line.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LatchkeyIncomingMessage, remoteCredentialSource } from '@latchkey/express';
import express from 'express';
import { createOrdersApp, OrderStore } from '../src/index.js';

const orders = new OrderStore();
orders.create({ item: 'tea', quantity: 2 }, 'bench');
const credentials = remoteCredentialSource({
  endpoint: process.env.LATCHKEY_ENDPOINT!,
  service: 'orders',
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
});
const listen = (app: express.Express): Promise<string> =>
  new Promise((resolve) => {
    // Both apps get request objects with `body` and `latchkey` fields from construction (see
    // main.ts): like with like, and the middleware's stores stay plain field writes.
    const server = createServer({ IncomingMessage: LatchkeyIncomingMessage }, app);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });

const protectedUrl = await listen(createOrdersApp({ credentials, orders }).app);
const plainUrl = await listen(createOrdersApp({ orders }).app);
const meter = express();
// CPU time of this process (user + system, µs), read by the load generator around each run.
meter.get('/cpu', (_req, res) => void res.json(process.cpuUsage()));
const cpuUrl = await listen(meter);
process.stdout.write(`${JSON.stringify({ protectedUrl, plainUrl, cpuUrl })}\n`);
process.on('SIGTERM', () => process.exit(0));
