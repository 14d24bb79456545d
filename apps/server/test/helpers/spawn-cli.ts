import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The real `latchkey` CLI, run from its TypeScript sources (no build needed). */
export const CLI_MAIN = resolve(here, '../../../cli/src/main.ts');
// tsx's loader by path: the child's working directory (a temp dir) cannot resolve packages.
const TSX = resolve(here, '../../../../node_modules/tsx/dist/loader.mjs');

export interface SpawnedServer {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything printed to stderr so far (the start-up text). */
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `latchkey <args>` and resolves once it has printed its endpoint (for `server`). */
export function spawnCliServer(args: readonly string[], env: Record<string, string>, cwd: string): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ['--conditions=@latchkey/source', '--import', TSX, CLI_MAIN, 'server', '--port', '0', ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return new Promise((resolveStarted, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m !== null) resolveStarted({ child, url: m[1]!, stderr: () => err, stdout: () => out, exited });
    });
    void exited.then(({ code, signal }) => reject(new Error(`latchkey server exited (${code ?? signal}) before listening:\n${err}\n${out}`)));
  });
}

/** Runs a non-server `latchkey` command to completion. */
export function runCli(args: readonly string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=@latchkey/source', '--import', TSX, CLI_MAIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => child.on('exit', (code) => res({ code, stdout, stderr })));
}
