import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');
/** The real `latchkey` CLI and the example service, run from their TypeScript sources (no build needed). */
export const CLI_MAIN = resolve(root, 'apps/cli/src/main.ts');
export const SERVICE_MAIN = resolve(root, 'apps/example-service/src/main.ts');
// tsx's loader by path: the children's working directory (a temp dir) cannot resolve packages.
const TSX = resolve(root, 'node_modules/tsx/dist/loader.mjs');

export interface Spawned {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `node <main> <args>` and resolves with the URL it prints (`listening on http://…`). */
export function spawnListening(main: string, args: readonly string[], env: Record<string, string | undefined>, cwd: string): Promise<Spawned> {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  // An undefined value removes the variable (spawn would pass the text "undefined").
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  else childEnv[k] = v;
  const child = spawn(process.execPath, ['--conditions=@latchkey/source', '--import', TSX, main, ...args], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolveStarted, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m !== null) resolveStarted({ child, url: m[1]!, output: () => out, stop });
    });
    void exited.then(() => reject(new Error(`${main} exited (${child.exitCode ?? child.signalCode}) before listening:\n${out}`)));
  });
}
