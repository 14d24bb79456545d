// The server under test: the real startServer on SQLite in a temp directory, logging every
// request as in production (to /dev/null), in its own process.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startServer } from '../src/start-server.js';

const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
// Every request is logged as in production (4 KiB batches), to a file descriptor nobody reads.
const sink = pino.destination({ dest: '/dev/null', sync: false, minLength: 4096 });
const running = await startServer(
  {
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    logLevel: 'info',
    trustProxy: false,
    given: { accountId: process.env.BENCH_ACCOUNT_ID!, rootAccessKeyId: process.env.BENCH_ROOT_KEY!, rootSecretAccessKey: process.env.BENCH_ROOT_SECRET! },
  },
  { random: (n) => randomBytes(n), clock: () => Date.now(), logDestination: sink, console: { write: () => true } },
);
process.stdout.write(`PORT ${running.port}\n`);
process.on('SIGTERM', () => {
  void running.close().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
// The load generator asks for this process's CPU time around each measurement: CPU per request
// does not depend on how busy the rest of the machine is, unlike requests per second.
process.on('SIGUSR2', () => {
  const u = process.cpuUsage();
  process.stdout.write(`CPU ${u.user + u.system}\n`);
});
