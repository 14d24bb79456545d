// The baseline: Express 5 hello world, in its own process like the server under test.
import express from 'express';

const app = express();
app.get('/', (_req, res) => {
  res.send('Hello World!');
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address !== null ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
// The load generator asks for this process's CPU time around each measurement: CPU per request
// does not depend on how busy the rest of the machine is, unlike requests per second.
process.on('SIGUSR2', () => {
  const u = process.cpuUsage();
  process.stdout.write(`CPU ${u.user + u.system}\n`);
});
