import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliIo, OutputStream } from '../../src/cli-io.js';
import { runCli } from '../../src/run-cli.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

class Capture implements OutputStream {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  once(): this {
    return this;
  }
}

export const CLI_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the CLI in this process through the same `runCli` the entry point calls. */
export async function runInProcess(args: readonly string[], stdin = ''): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIo = { stdout, stderr, stdin: Readable.from([stdin]), cwd: CLI_DIR };
  const code = await runCli(args, io, { version: '0.0.0-test' });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the real entry point (`src/main.ts` under tsx, on the workspace's sources) as a child
 * process, as a shell would. */
export function spawnCli(args: readonly string[], stdin = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@latchkey/source', 'src/main.ts', ...args], { cwd: CLI_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}
