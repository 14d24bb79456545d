// `node dist/main.js [options]`: the server without the CLI (containers, process managers).
import { ConfigError, serverMain } from './commands.js';
import { SERVER_HELP } from './help.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(SERVER_HELP);
} else {
  try {
    process.exitCode = await serverMain(args, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
  } catch (err) {
    process.stderr.write(`latchkey server: ${err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err))}\n`);
    process.exitCode = err instanceof ConfigError ? 2 : 1;
  }
}
