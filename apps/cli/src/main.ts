// The `latchkey` entry point: the only file that touches the real process.
import { readFileSync } from 'node:fs';
import { runCli } from './run-cli.js';

// `src/` and `dist/` both sit one level below the package root.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // A closed pipe (`latchkey ... | head`) is not a failure of ours.
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() }, { version: pkg.version });
