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
